"""Named, chainable sets of tickets; queues, views and counters are built from these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from accounts.models import User


LIST_COLUMNS = (
    "id",
    "number",
    "short_description",
    "status",
    "is_vip",
    "priority",
    "opened_at",
    "assigned_to_id",
    "assignment_group_id",
    "opened_by_id",
)


def stand_in_user(pk: int, group_ids, *, sees_all: bool) -> User:
    """A user with these ids who sees every incident or only their groups' (for compiling a
    query once per kind of user, tickets/prepared.py: the SQL of visible_to() depends on
    whether the user sees every incident, and on the number of their groups, which the
    prepared shape counts)."""
    from accounts.models import AssignmentGroup, Company, User

    user = User(pk=pk)
    company = Company(is_vendor=not sees_all)
    user.set_active_groups(
        [AssignmentGroup(pk=group, company=company, is_active=True) for group in group_ids]
    )
    if sees_all and not group_ids:
        user.is_superuser = True
    return user


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

    def visible_to(self, user: User, *, few: bool = False) -> TicketQuerySet:
        """Tickets the user may see: all for staff of the helpdesk's own companies and admins;
        for a vendor's staff, the tickets their groups hold or have held.

        ``few``: the caller keeps only a few tickets per user (those they opened, those
        assigned to them). Each is then checked on its own row first (a group of the user's
        holds it now), and in the holdings only otherwise, instead of reading every holding
        of the user's groups or probing them once per ticket."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_incidents():
            return self
        group_ids = user.group_ids()
        if not group_ids:
            return self.none()
        # The workflow records a holding whenever a group gets a ticket, so the holdings
        # cover the tickets the groups hold now as well as those they held before.
        holdings = self.model.holdings.rel.related_model.objects.filter(group_id__in=group_ids)
        if few:
            held = holdings.filter(ticket_id=models.OuterRef("pk"))
            return self.filter(
                models.Q(assignment_group_id__in=group_ids) | models.Q(models.Exists(held))
            )
        return self.filter(pk__in=holdings.values("ticket_id"))

    def for_list(self) -> TicketQuerySet:
        """Only the values the list columns show, as plain rows (building 50 model instances
        with all their columns costs more than the query). The people and the group are
        named from the kept reference data (picklists.names), not joined: the joins took
        PostgreSQL longer to plan than the query took to run."""
        return self.values(*LIST_COLUMNS)
