"""What a server process prepares before its first request.

Compiling the templates, loading each language's translations and building the URL
resolver take a fresh process some 50 ms, spread over its first requests. bin/serve starts
gunicorn with --preload: this runs once, in the process the workers are forked from, so every
worker starts with them ready. Nothing here touches the database (a connection opened before
the fork would be shared by the workers).
"""

from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template import engines
from django.urls import reverse
from django.utils import translation


def warm_up() -> None:
    for engine in engines.all():
        for folder in getattr(engine, "engine", engine).dirs:
            for path in sorted(Path(folder).rglob("*.html")):
                engine.get_template(path.relative_to(folder).as_posix())
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Helpdesk")
    reverse("tickets:home")
    # Whatever opened a connection while the application loaded closes it before the fork.
    connections.close_all()
