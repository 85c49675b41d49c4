"""The menu's queues, each defined once: a slug, a title and the tickets it lists.

The menu, the list pages and the header counters all read these definitions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.utils.translation import gettext_lazy as _

from .models import Ticket
from .querysets import TicketQuerySet


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    tickets: Callable[[TicketQuerySet, object], TicketQuerySet]


QUEUES = [
    Queue("my-group", _("Assigned To My Group"), lambda qs, user: qs.open().in_groups_of(user)),
    Queue("assigned-to-me", _("Assigned To Me"), lambda qs, user: qs.open().assigned_to(user)),
    Queue("my-open", _("My Open Ticket"), lambda qs, user: qs.open().opened_by(user)),
    Queue("open", _("Incident Ticket"), lambda qs, user: qs.open()),
    Queue("vip", _("Incident VIP"), lambda qs, user: qs.vip()),
    Queue("all", _("All Incident"), lambda qs, user: qs),
]
QUEUES_BY_SLUG = {queue.slug: queue for queue in QUEUES}


def queue_tickets(slug: str, user) -> TicketQuerySet:
    """The tickets of one queue that the user may see."""
    return QUEUES_BY_SLUG[slug].tickets(Ticket.objects.visible_to(user), user)


def count_many(querysets: dict[str, TicketQuerySet]) -> dict[str, int]:
    """Exact counts of several querysets in one round trip, each on its own indexes.

    (One aggregate with FILTER clauses would read every row of the table instead.)
    """
    selects, params, counts = [], [], {}
    for name, queryset in querysets.items():
        try:
            sql, sql_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            counts[name] = 0
            continue
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS part_{len(selects)})")
        params.extend(sql_params)
    if selects:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(selects), params)
            row = cursor.fetchone()
        remaining = [name for name in querysets if name not in counts]
        counts.update(zip(remaining, row, strict=True))
    return {name: counts[name] for name in querysets}


def header_counters(user) -> dict[str, int]:
    """My Ticket, My Assignment and Assignment Group: the user's open tickets."""
    open_tickets = Ticket.objects.visible_to(user).open()
    return count_many(
        {
            "my_ticket": open_tickets.opened_by(user),
            "my_assignment": open_tickets.assigned_to(user),
            "my_group": open_tickets.in_groups_of(user),
        }
    )
