"""The ticket tallies: counts per group, state, sub category and VIP flag (TicketTally), and
per group that holds or held the tickets (HeldTally, what a vendor's staff see).

Every ticket write moves the ticket from its old key to its new one in the same
transaction, so the sums are always exact. Tallies answer totals that would otherwise count
the whole table: the dashboard, unfiltered queue totals and the group counter.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from .models import GroupHolding, HeldTally, Ticket, TicketEvent, TicketTally

Key = tuple[int, str, int, bool]


def key_of(ticket: Ticket) -> Key:
    return (ticket.assignment_group_id, ticket.status, ticket.sub_category_id or 0, ticket.is_vip)


TALLY_COLUMNS = ("assignment_group_id", "status", "sub_category_id", "is_vip")
HELD_COLUMNS = ("group_id", "status", "sub_category_id")


def _upsert(model, columns: tuple[str, ...], changes: list[tuple[tuple, int]]) -> None:
    """Add each delta to the row of its key, creating rows that do not exist yet, in one
    statement. An upsert, so two agents creating the first ticket of a combination do not
    collide; the keys are sorted, so two opposite moves lock rows in the same order and
    cannot deadlock."""
    changes = [(key, delta) for key, delta in changes if delta]
    if not changes:
        return
    changes.sort(key=lambda change: tuple(map(str, change[0])))
    table = model._meta.db_table
    names = ", ".join(columns)
    row = f"({', '.join(['%s'] * (len(columns) + 1))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}, n) VALUES {', '.join([row] * len(changes))} "
            f"ON CONFLICT ({names}) DO UPDATE SET n = {table}.n + EXCLUDED.n",
            [value for key, delta in changes for value in (*key, delta)],
        )


def move(old: Key | None, new: Key | None) -> None:
    """Count a ticket under its new key instead of its old one (None: it did not exist)."""
    if old == new:
        return
    _upsert(
        TicketTally,
        TALLY_COLUMNS,
        [(key, delta) for key, delta in ((old, -1), (new, 1)) if key is not None],
    )


def move_held(ticket: Ticket, old: Key | None, new: Key, *, new_holder: int | None) -> None:
    """Count the ticket under its new state and sub category for every group that holds or
    held it, and once for a group that has just got it for the first time.

    One statement: the holders are read by the insert itself. Its rows are taken in the order
    _upsert sorts keys in, so it and an _upsert lock rows in the same order."""
    parts, params = [], []
    if old is not None and old[1:3] != new[1:3]:
        holding = GroupHolding._meta.db_table
        others = "" if new_holder is None else " AND h.group_id <> %s"
        parts.append(
            f"SELECT h.group_id AS g, m.s AS s, m.c AS c, m.d AS d FROM {holding} h, "
            "(SELECT %s AS s, %s AS c, -1 AS d UNION ALL SELECT %s, %s, 1) m "
            f"WHERE h.ticket_id = %s{others}"
        )
        params += [*old[1:3], *new[1:3], ticket.pk]
        if new_holder is not None:
            params.append(new_holder)
    if new_holder is not None:
        parts.append("SELECT %s AS g, %s AS s, %s AS c, 1 AS d")
        params += [new_holder, *new[1:3]]
    if not parts:
        return
    table = HeldTally._meta.db_table
    names = ", ".join(HELD_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}, n) SELECT * FROM ({' UNION ALL '.join(parts)}) AS x "
            "WHERE true ORDER BY CAST(g AS TEXT), s, CAST(c AS TEXT) "
            f"ON CONFLICT ({names}) DO UPDATE SET n = {table}.n + EXCLUDED.n",
            params,
        )


def count_new(ticket: Ticket, *, event: TicketEvent) -> None:
    """Count a ticket just created: its tally, its group's holding of it (GroupHolding) and
    that group's held tally; then write its history entry, ``event``.

    On PostgreSQL in one statement, each of whose steps reads the row the step before
    returned: they run in that order, taking the rows in the order every other ticket write
    takes them (move, the holding, move_held), so two writers never wait for each other
    crosswise. Elsewhere one statement each."""
    key = key_of(ticket)
    group = ticket.assignment_group_id
    if connection.vendor != "postgresql":
        move(None, key)
        GroupHolding.objects.create(ticket=ticket, group_id=group)
        move_held(ticket, None, key, new_holder=group)
        event.save()
        return
    tally, held = TicketTally._meta.db_table, HeldTally._meta.db_table
    holding = GroupHolding._meta.db_table
    tally_names, held_names = ", ".join(TALLY_COLUMNS), ", ".join(HELD_COLUMNS)
    # The entry's columns and values as save() would write them (auto_now_add included).
    meta = TicketEvent._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields]
    row_names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH counted AS (INSERT INTO {tally} ({tally_names}, n) VALUES (%s, %s, %s, %s, 1) "
            f"ON CONFLICT ({tally_names}) DO UPDATE SET n = {tally}.n + EXCLUDED.n RETURNING 1), "
            f"held AS (INSERT INTO {holding} (ticket_id, group_id, created_at) "
            "SELECT %s, %s, %s FROM counted RETURNING group_id), "
            f"held_counted AS (INSERT INTO {held} ({held_names}, n) "
            "SELECT group_id, %s, %s, 1 FROM held "
            f"ON CONFLICT ({held_names}) DO UPDATE SET n = {held}.n + EXCLUDED.n RETURNING 1) "
            f"INSERT INTO {meta.db_table} ({row_names}) "
            f"SELECT {', '.join(['%s'] * len(values))} FROM held_counted "
            f"RETURNING {connection.ops.quote_name(meta.pk.column)}",
            [*key, ticket.pk, group, timezone.now(), *key[1:3], *values],
        )
        (event.pk,) = cursor.fetchone()
    event._state.adding, event._state.db = False, connection.alias


HeldKey = tuple[int, str, int]


def counted() -> tuple[dict[Key, int], dict[HeldKey, int]]:
    """The tallies as they should be, counted from the tickets and their holdings."""
    tickets = Ticket.objects.values("assignment_group_id", "status", "sub_category_id", "is_vip")
    held = GroupHolding.objects.values("group_id", "ticket__status", "ticket__sub_category_id")
    return (
        {
            (r["assignment_group_id"], r["status"], r["sub_category_id"] or 0, r["is_vip"]): r["n"]
            for r in tickets.annotate(n=Count("id")).order_by()
        },
        {
            (r["group_id"], r["ticket__status"], r["ticket__sub_category_id"] or 0): r["n"]
            for r in held.annotate(n=Count("id")).order_by()
        },
    )


def stored() -> tuple[dict[Key, int], dict[HeldKey, int]]:
    """The tallies as they are kept (combinations that count nothing left out)."""
    return (
        {
            (t.assignment_group_id, t.status, t.sub_category_id, t.is_vip): t.n
            for t in TicketTally.objects.exclude(n=0)
        },
        {(t.group_id, t.status, t.sub_category_id): t.n for t in HeldTally.objects.exclude(n=0)},
    )


@transaction.atomic
def rebuild() -> None:
    """Recount every tally from the tickets (after a bulk load, or to repair)."""
    tickets, held = counted()
    TicketTally.objects.all().delete()
    TicketTally.objects.bulk_create(
        (
            TicketTally(
                assignment_group_id=group, status=status, sub_category_id=sub, is_vip=vip, n=n
            )
            for (group, status, sub, vip), n in tickets.items()
        ),
        batch_size=1000,
    )
    HeldTally.objects.all().delete()
    HeldTally.objects.bulk_create(
        (
            HeldTally(group_id=group, status=status, sub_category_id=sub, n=n)
            for (group, status, sub), n in held.items()
        ),
        batch_size=1000,
    )
