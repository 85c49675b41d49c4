"""The menu's queues, each defined once: a slug, a title and the tickets it lists.

The menu, the list pages and the header counters all read these definitions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import IntegerField, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from . import prepared, search_words
from .models import HeldTally, Ticket, TicketTally
from .querysets import TicketQuerySet, stand_in_user


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    tickets: Callable[[TicketQuerySet, object], TicketQuerySet]
    # The same set as a condition on the tallies, for an exact total without counting rows;
    # None where the tallies cannot tell (per-user queues).
    tally: Callable[[object], Q] | None = None
    # Only tickets the user's groups hold now: every one of them is visible to the user (a
    # group that gets a ticket is recorded as holding it), so no visibility condition.
    own_groups_only: bool = False
    # Only the user's own tickets (opened by or assigned to them): a few per user, checked
    # for visibility one by one (TicketQuerySet.visible_to).
    few: bool = False


def _open_tally() -> Q:
    return Q(status__in=Ticket.OPEN_STATUSES)


# In the menu's order (SPEC.md section 5): the agent's own three, then Incident Management's.
QUEUES = [
    Queue("my-open", _("My Open Ticket"), lambda qs, user: qs.open().opened_by(user), few=True),
    Queue(
        "my-group",
        _("Assigned To My Group"),
        lambda qs, user: qs.open().in_groups_of(user),
        lambda user: _open_tally() & Q(assignment_group_id__in=user.group_ids()),
        own_groups_only=True,
    ),
    Queue(
        "assigned-to-me",
        _("Assigned To Me"),
        lambda qs, user: qs.open().assigned_to(user),
        few=True,
    ),
    Queue("open", _("Incident Ticket"), lambda qs, user: qs.open(), lambda user: _open_tally()),
    Queue("vip", _("Incident VIP"), lambda qs, user: qs.vip(), lambda user: Q(is_vip=True)),
    Queue("all", _("All Incident"), lambda qs, user: qs, lambda user: Q()),
]
QUEUES_BY_SLUG = {queue.slug: queue for queue in QUEUES}

# Filters the tallies can answer, and the tally column each one constrains.
TALLY_FILTERS = {
    "state": "status",
    "sub_category": "sub_category_id",
    "group": "assignment_group_id",
}


def queue_tickets(slug: str, user) -> TicketQuerySet:
    """The tickets of one queue that the user may see."""
    queue = QUEUES_BY_SLUG[slug]
    if queue.own_groups_only:
        return queue.tickets(Ticket.objects.all(), user)
    return queue.tickets(Ticket.objects.visible_to(user, few=queue.few), user)


def tally_total(slug: str, user, filters: dict) -> int | None:
    """The exact total of a queue under the given filter values, from the tallies, or None
    when the tallies cannot answer (a per-user queue, a vendor's partial view, or a filter
    on a field they do not hold)."""
    tallies = tally_query(slug, user, filters)
    return None if tallies is None else count_many({"total": tallies})["total"]


def tally_query(slug: str, user, filters: dict) -> Part | None:
    """The tally rows whose sum is the queue's total (see tally_total), for count_many:
    compiled once per queue, kind of user and filters used (tickets/prepared.py)."""
    queue = QUEUES_BY_SLUG[slug]
    used = {name: value for name, value in filters.items() if value not in (None, "", [])}
    if queue.tally is None or not set(used) <= set(TALLY_FILTERS):
        return None
    sees_all = user.sees_all_incidents()
    # A vendor's staff see what their one group holds or held.
    held = not (slug == "my-group" or sees_all)
    if held and not (slug in ("all", "open") and "group" not in used):
        return None
    if held and len(user.group_ids()) != 1:
        return None
    names = tuple(sorted(used))

    def build(pk, group_ids, *values):
        condition = queue.tally(stand_in_user(pk, group_ids, sees_all=sees_all))
        for name, value in zip(names, values, strict=True):
            condition &= Q(**{TALLY_FILTERS[name]: value})
        if not held:
            return TicketTally.objects.filter(condition).values("n")
        condition &= Q(assignment_group_id__in=group_ids)
        return HeldTally.objects.filter(_as_held(condition)).values("n")

    values = [used[name] for name in names]
    compiled = prepared.sql(
        ("tally total", slug, sees_all, names), build, user.pk, user.group_ids(), *values
    )
    # (None: the tallies hold nothing for it, a total of 0)
    return TicketTally.objects.none() if compiled is None else (*compiled, True)


def text_search(slug: str, user, filters: dict) -> search_words.Search | None:
    """A search of every incident by text alone, looked up among the tickets' words for its
    total and first pages (tickets/search_words.py); None for any other list."""
    used = {name: value for name, value in filters.items() if value not in (None, "", [])}
    if set(used) != {"text"} or not user.sees_all_incidents():
        return None
    queue = QUEUES_BY_SLUG[slug]
    if queue.tally is None or queue.tally(user):
        return None
    return search_words.search(used["text"])


def _as_held(condition: Q) -> Q:
    """The same condition on HeldTally's columns (its group column is the holding group)."""
    renamed = Q()
    renamed.connector, renamed.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            renamed.children.append(_as_held(child))
        else:
            name, value = child
            renamed.children.append((name.replace("assignment_group_id", "group_id"), value))
    return renamed


# A part of count_many: a queryset, or its (SQL, parameters, is a tally) already compiled.
Part = QuerySet | tuple[str, list, bool]


def _is_tally(queryset: QuerySet) -> bool:
    """Whether the queryset is of tallies, whose ``n`` is summed, rather than of tickets."""
    return queryset.model in (TicketTally, HeldTally)


def _compiled(queryset: QuerySet) -> tuple[str, list, bool] | None:
    """The SELECT whose rows count_many adds up (None: the queryset matches nothing)."""
    is_tally = _is_tally(queryset)
    try:
        sql, params = queryset.order_by().values("n" if is_tally else "pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, list(params), is_tally


def count_many(parts: dict[str, Part]) -> dict[str, int]:
    """Exact numbers for several querysets in one round trip, each on its own indexes.

    A queryset of tickets is counted; a queryset of tallies has its ``n`` summed. (One
    aggregate with FILTER clauses would read every row of the table instead.)
    """
    selects, params, numbers = [], [], {}
    for name, part in parts.items():
        compiled = _compiled(part) if isinstance(part, QuerySet) else part
        if compiled is None:
            numbers[name] = 0
            continue
        sql, sql_params, is_tally = compiled
        alias = f"part_{len(selects)}"
        what = f"COALESCE(SUM({alias}.n), 0)" if is_tally else "COUNT(*)"
        selects.append(f"(SELECT {what} FROM ({sql}) AS {alias})")
        params.extend(sql_params)
    if selects:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(selects), params)
            row = cursor.fetchone()
        remaining = [name for name in parts if name not in numbers]
        numbers.update(zip(remaining, (int(value) for value in row), strict=True))
    return {name: numbers[name] for name in parts}


# The header's counters: My Ticket, My Assignment, Assignment Group.
HEADER_COUNTERS = ("my_ticket", "my_assignment", "my_group")


def _header_querysets(user) -> dict[str, QuerySet]:
    open_tickets = Ticket.objects.visible_to(user, few=True).open()
    return {
        "my_ticket": open_tickets.opened_by(user),
        "my_assignment": open_tickets.assigned_to(user),
        "my_group": TicketTally.objects.filter(
            assignment_group_id__in=user.group_ids(), status__in=Ticket.OPEN_STATUSES
        ),
    }


class _Counted(Subquery):
    """The number of a queryset's rows, as a column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()
    empty_result_set_value = 0


class _Summed(Subquery):
    """The sum of a queryset of tallies' ``n``, as a column of another query."""

    template = "(SELECT COALESCE(SUM(summed.n), 0) FROM (%(subquery)s) AS summed)"
    output_field = IntegerField()
    empty_result_set_value = 0


def header_counter_columns(user) -> dict[str, Subquery]:
    """The header's three counters as columns, for a page that reads them with its own row
    (the incident page, with its ticket) instead of in a round trip of their own."""
    return {
        name: _Summed(queryset.order_by().values("n"))
        if _is_tally(queryset)
        else _Counted(queryset.order_by().values("pk"))
        for name, queryset in _header_querysets(user).items()
    }


def _header_parts(user) -> dict[str, tuple[str, list, bool] | None]:
    """The header's three counters, compiled once per kind of user (tickets/prepared.py):
    compiling the three querysets took longer than the database took to count them."""
    sees_all = user.sees_all_incidents()

    def part(name):
        def build(pk, group_ids):
            queryset = _header_querysets(stand_in_user(pk, group_ids, sees_all=sees_all))[name]
            return queryset.order_by().values("n" if name == "my_group" else "pk")

        compiled = prepared.sql(("header", name, sees_all), build, user.pk, user.group_ids())
        return None if compiled is None else (*compiled, name == "my_group")

    return {name: part(name) for name in HEADER_COUNTERS}


def header_counters(user, **also: QuerySet) -> dict[str, int]:
    """My Ticket, My Assignment and Assignment Group: the user's open tickets; and the
    numbers of ``also`` (a page's own totals) in the same round trip.

    The group's total comes from the tallies: a first-line group holds tens of thousands.
    """
    parts = {**_header_parts(user), **also}
    counts = count_many({name: part for name, part in parts.items() if part is not None})
    return {name: counts.get(name, 0) for name in parts}
