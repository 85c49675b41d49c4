"""The agents' pages drawn once before the server answers anyone (estim/warmup.py).

A fresh process compiles each page's small queries on first use (tickets/prepared.py), loads
the reference data (accounts/reference.py) and imports and builds what the pages need: its
first page of each kind took 10 to 40 ms longer than the next. bin/serve loads the application
once and forks its workers from it, so drawing the pages there, as one first-line, one
second-line and one vendor agent, readies every worker.

The pages are only read: a GET of each, called directly (no session, no login recorded).
Anything that fails is logged and passed over: a server must start even if this cannot run.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.test.client import RequestFactory
from django.urls import resolve, reverse

from accounts import reference
from accounts.backends import MemberBackend
from accounts.models import User

from .queues import QUEUES, queue_tickets

logger = logging.getLogger(__name__)


def _agents() -> list[User]:
    """An active member of an active first-line group, of another group of the helpdesk's
    own company, and of a vendor's group, where there are such."""
    kinds = (
        {"assignment_groups__is_l1": True},
        {"assignment_groups__is_l1": False, "assignment_groups__company__is_vendor": False},
        {"assignment_groups__company__is_vendor": True},
    )
    # In one filter() call, so that the active group is the group of that kind.
    found = [
        User.objects.filter(is_active=True, assignment_groups__is_active=True, **kind)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        for kind in kinds
    ]
    backend = MemberBackend()
    return [user for pk in found if pk and (user := backend.get_user(pk)) is not None]


def _paths(user: User) -> list[str]:
    paths = [reverse("tickets:home"), reverse("tickets:create")]
    paths += [reverse("tickets:queue", args=[queue.slug]) for queue in QUEUES]
    paths.append(reverse("tickets:queue", args=["all"]) + "?filter=1")
    newest = (
        queue_tickets("my-group", user).order_by("-opened_at").values_list("number", flat=True)
    ).first()
    if newest:
        paths.append(reverse("tickets:detail", args=[newest]))
    return paths


def draw_pages() -> int:
    """Draw each agent's pages once; the number drawn."""
    host = next((host for host in settings.ALLOWED_HOSTS if "*" not in host), "localhost")
    factory = RequestFactory(HTTP_HOST=host.lstrip("."))
    drawn = 0
    with reference.request_scope():
        for user in _agents():
            try:
                paths = _paths(user)
            except Exception:
                logger.warning("could not list the pages to draw", exc_info=True)
                continue
            for path in paths:
                request = factory.get(path)
                request.user = user
                try:
                    request.resolver_match = match = resolve(request.path_info)
                    match.func(request, *match.args, **match.kwargs)
                except Exception:
                    logger.warning("could not draw %s before starting", path, exc_info=True)
                else:
                    drawn += 1
    return drawn
