"""Named, chainable sets of tickets; queues, views and counters are built from these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from accounts.models import User


class TicketQuerySet(models.QuerySet):
    def open(self) -> TicketQuerySet:
        """Tickets that still need work: not Closed and not Cancelled."""
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def assigned_to(self, user: User) -> TicketQuerySet:
        return self.filter(assigned_to=user)

    def opened_by(self, user: User) -> TicketQuerySet:
        return self.filter(opened_by=user)

    def in_groups_of(self, user: User) -> TicketQuerySet:
        """Tickets whose assignment group is one of the user's groups."""
        return self.filter(assignment_group_id__in=user.group_ids())

    def unassigned(self) -> TicketQuerySet:
        return self.filter(assigned_to__isnull=True)

    def vip(self) -> TicketQuerySet:
        return self.filter(is_vip=True)

    def visible_to(self, user: User) -> TicketQuerySet:
        """Tickets the user may see: all for staff of the helpdesk's own companies and admins;
        for a vendor's staff, the tickets their groups hold or have held."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_incidents():
            return self
        group_ids = user.group_ids()
        if not group_ids:
            return self.none()
        # The workflow records a holding whenever a group gets a ticket, so the holdings
        # cover the tickets the groups hold now as well as those they held before.
        held = self.model.holdings.rel.related_model.objects.filter(group_id__in=group_ids)
        return self.filter(pk__in=held.values("ticket_id"))

    def for_list(self) -> TicketQuerySet:
        """The related rows the list columns show, loaded in the same query."""
        return self.select_related("assignment_group", "opened_by", "assigned_to")
