"""The product's settings with the benchmark's floor page added to the URLs."""

from estim.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
