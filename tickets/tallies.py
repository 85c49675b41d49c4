"""The ticket tallies: counts per group, state, sub category and VIP flag.

Every ticket write moves the ticket from its old key to its new one in the same
transaction, so the sums are always exact. Tallies answer totals that would otherwise count
the whole table: the dashboard, unfiltered queue totals and the group counter.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from .models import Ticket, TicketTally

Key = tuple[int, str, int, bool]


def key_of(ticket: Ticket) -> Key:
    return (ticket.assignment_group_id, ticket.status, ticket.sub_category_id or 0, ticket.is_vip)


def _bump(key: Key, delta: int) -> None:
    table = TicketTally._meta.db_table
    # An upsert, so two agents creating the first ticket of a combination do not collide.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (assignment_group_id, status, sub_category_id, is_vip, n) "
            "VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (assignment_group_id, status, sub_category_id, is_vip) "
            f"DO UPDATE SET n = {table}.n + EXCLUDED.n",
            [*key, delta],
        )


def move(old: Key | None, new: Key | None) -> None:
    """Count a ticket under its new key instead of its old one (None: it did not exist)."""
    if old == new:
        return
    changes = [(key, delta) for key, delta in ((old, -1), (new, 1)) if key is not None]
    # Always lock the rows in the same order, so two opposite moves cannot deadlock.
    for key, delta in sorted(changes, key=lambda change: tuple(map(str, change[0]))):
        _bump(key, delta)


@transaction.atomic
def rebuild() -> None:
    """Recount every tally from the tickets (after a bulk load, or to repair)."""
    TicketTally.objects.all().delete()
    rows = (
        Ticket.objects.values("assignment_group_id", "status", "sub_category_id", "is_vip")
        .annotate(n=Count("id"))
        .order_by()
    )
    TicketTally.objects.bulk_create(
        (
            TicketTally(
                assignment_group_id=row["assignment_group_id"],
                status=row["status"],
                sub_category_id=row["sub_category_id"] or 0,
                is_vip=row["is_vip"],
                n=row["n"],
            )
            for row in rows
        ),
        batch_size=1000,
    )


def total(condition: Q | None = None) -> int:
    """The number of tickets matching a condition on the tally's columns."""
    tallies = TicketTally.objects.all()
    if condition is not None:
        tallies = tallies.filter(condition)
    return tallies.aggregate(n=Sum("n"))["n"] or 0
