"""The product's URLs plus the benchmark's floor page."""

from django.urls import include, path

from .floor import floor

urlpatterns = [
    path("bench/floor/", floor),
    path("", include("estim.urls")),
]
