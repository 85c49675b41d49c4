"""What a server process prepares before its first request.

Compiling the templates, loading each language's translations and building the URL resolver
take a fresh process some 50 ms; drawing the agents' pages once readies the rest
(tickets/warm_pages.py). bin/serve starts gunicorn with --preload: this runs once, in the
process the workers are forked from, so every worker starts with all of it ready. The
database connection the pages opened is closed before the fork (the workers must not share
it).
"""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django.template import engines
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def warm_up() -> None:
    for engine in engines.all():
        for folder in getattr(engine, "engine", engine).dirs:
            for path in sorted(Path(folder).rglob("*.html")):
                engine.get_template(path.relative_to(folder).as_posix())
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Helpdesk")
    reverse("tickets:home")
    from tickets.warm_pages import draw_pages

    try:
        draw_pages()
    except DatabaseError:
        logger.warning("the database did not answer; the pages are drawn on first use")
    except Exception:
        # A server must start even if this cannot run: its pages are then drawn on first use.
        logger.warning("the pages could not be drawn before starting", exc_info=True)
    finally:
        connections.close_all()
    # What is loaded by now lives as long as the process: the garbage collector leaves it
    # alone from here on, and forked workers share its memory instead of copying it.
    gc.freeze()
