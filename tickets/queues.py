"""The menu's queues, each defined once: a slug, a title and the tickets it lists.

The menu, the list pages and the header counters all read these definitions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
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


def header_counters(user) -> dict[str, int]:
    """My Ticket, My Assignment and Assignment Group, counted in one query."""
    open_ = Q(status__in=Ticket.OPEN_STATUSES)
    return Ticket.objects.visible_to(user).aggregate(
        my_ticket=Count("pk", filter=open_ & Q(opened_by=user)),
        my_assignment=Count("pk", filter=open_ & Q(assigned_to=user)),
        my_group=Count("pk", filter=open_ & Q(assignment_group_id__in=user.group_ids())),
    )
