"""WSGI entry point, used by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "estim.settings")

application = get_wsgi_application()

from .warmup import warm_up  # noqa: E402 - needs the settings that get_wsgi_application loads

warm_up()
