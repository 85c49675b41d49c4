"""The admin-edited pick lists the incident pages show, loaded together in one query.

Taxonomy, incident types, locations, vendors, close codes, templates and groups: a page with
several selects (the incident form, the actions' forms) and a history that names their
entries runs one query for all of them, not one per select.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from typing import NamedTuple

from django.db import connection, models

from accounts import reference
from accounts.models import AssignmentGroup, User
from taxonomy.models import Category

from .models import CloseCode, IncidentType, Location, Template, Vendor

PICK_LIST_MODELS = {
    "taxonomy": Category,
    "incident_type": IncidentType,
    "location": Location,
    "vendor": Vendor,
    "close_code": CloseCode,
    "template": Template,
    "group": AssignmentGroup,
}
PICK_LIST_KINDS = {model: kind for kind, model in PICK_LIST_MODELS.items()}


@dataclass(frozen=True)
class Choice:
    pk: int
    name: str
    parent_id: int | None
    order: int
    is_active: bool
    level: int | None  # (the taxonomy's)


class PickLists:
    """The entries of several admin-edited pick lists.

    ``active`` names the lists whose active entries are wanted; ``keep`` adds entries by id
    even when inactive (a ticket's current values, the values its history mentions), so an
    old ticket stays valid and readable after an entry is deactivated. Every entry of every
    list is read in one query, and kept between requests while the reference data is
    unchanged (accounts/reference.py): the incident page's query-count test counts on this.
    """

    def __init__(self, active: Iterable[str] = (), keep: dict[str, set[int]] | None = None):
        keep = {kind: {pk for pk in ids if pk} for kind, ids in (keep or {}).items()}
        active = set(active)
        wanted = [kind for kind in PICK_LIST_MODELS if kind in active or keep.get(kind)]
        every = reference.kept("pick lists", _every_entry).ordered if wanted else {}
        self._rows: dict[str, list[Choice]] = defaultdict(list)
        for kind in wanted:
            ids, shows_active = keep.get(kind, set()), kind in active
            self._rows[kind] = [
                choice
                for choice in every.get(kind, ())
                if (shows_active and choice.is_active) or choice.pk in ids
            ]
        self._by_id = {
            kind: {choice.pk: choice for choice in choices} for kind, choices in self._rows.items()
        }

    def choices(self, kind: str) -> list[tuple[int, str]]:
        return [(choice.pk, choice.name) for choice in self._rows[kind]]

    def holds_only_active(self, kind: str) -> bool:
        """Whether the list holds its active entries only (no kept one that is inactive), and
        so offers what it offers on every page."""
        return all(choice.is_active for choice in self._rows[kind])

    def children(self, parent_id: int | None) -> list[tuple[int, str]]:
        """Taxonomy entries under a parent (the roots for None)."""
        return [(c.pk, c.name) for c in self._rows["taxonomy"] if c.parent_id == parent_id]

    def name(self, kind: str, pk: int | None) -> str | None:
        choice = self._by_id.get(kind, {}).get(pk)
        return choice.name if choice else None

    def rows(self, kind: str) -> PickRows:
        """The list's entries by id, as model instances (row()), for a form to validate a
        choice against (common.PreloadedChoiceField)."""
        return PickRows(self, kind)

    def row(self, kind: str, pk: int | None) -> models.Model | None:
        """The entry as a model instance holding its id, name and whether it is active;
        reading any other field of it loads that field from the database."""
        choice = self._by_id.get(kind, {}).get(pk)
        if choice is None:
            return None
        # The values in the order of the model's fields: every pick list declares its name
        # first, after the id, and whether it is active after that.
        return PICK_LIST_MODELS[kind].from_db(
            None, ["id", "name", "is_active"], [choice.pk, choice.name, choice.is_active]
        )


class PickRows:
    """One pick list's loaded entries, looked up by id: ``pk in rows``, ``rows[pk]``."""

    def __init__(self, pick_lists: PickLists, kind: str):
        self.pick_lists, self.kind = pick_lists, kind

    def __contains__(self, pk) -> bool:
        return pk in self.pick_lists._by_id.get(self.kind, {})

    def __getitem__(self, pk) -> models.Model:
        row = self.pick_lists.row(self.kind, pk)
        if row is None:
            raise KeyError(pk)
        return row


class Entries(NamedTuple):
    """Every entry of every pick list, active or not: each list in its order, and by id."""

    ordered: dict[str, list[Choice]]
    by_id: dict[str, dict[int, Choice]]


def _every_entry() -> Entries:
    with connection.cursor() as cursor:
        cursor.execute(_every_entry_sql())
        rows = cursor.fetchall()
    ordered: dict[str, list[Choice]] = defaultdict(list)
    for kind, pk, name, parent_id, order, is_active, level in rows:
        ordered[kind].append(Choice(pk, name, parent_id, order, bool(is_active), level))
    for choices in ordered.values():
        choices.sort(key=lambda c: (c.order, c.name.lower()))
    by_id = {kind: {c.pk: c for c in choices} for kind, choices in ordered.items()}
    return Entries(dict(ordered), by_id)


def categories(ids: Iterable[int | None]) -> list[Category]:
    """The taxonomy entries with these ids, active or not, as model instances holding their
    id, name, parent, level and whether they are active (one query, or none while the
    reference data is kept: accounts/reference.py)."""
    entries = reference.kept("pick lists", _every_entry).by_id.get("taxonomy", {})
    found = [entries[pk] for pk in ids if pk in entries]
    columns = ["id", "name", "parent_id", "level", "is_active"]
    return [
        Category.from_db(None, columns, [c.pk, c.name, c.parent_id, c.level, c.is_active])
        for c in found
    ]


@cache
def _every_entry_sql() -> str:
    """(kind, id, name, parent, order, active, level) of every list's entries, as one UNION.

    Written as SQL: built through the ORM, the union of seven annotated querysets took three
    times longer to compile than to run.
    """
    qn = connection.ops.quote_name
    parts = []
    for kind, model in PICK_LIST_MODELS.items():
        parent, level = (qn("parent_id"), qn("level")) if kind == "taxonomy" else ("NULL", "NULL")
        order = "0" if kind == "group" else qn("order")
        # The kind is one of PICK_LIST_MODELS' own names, never input.
        parts.append(
            f"SELECT '{kind}', {qn('id')}, {qn('name')}, {parent}, {order}, {qn('is_active')}, "
            f"{level} FROM {qn(model._meta.db_table)}"
        )
    return " UNION ALL ".join(parts)


@cache
def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [field for field in model._meta.concrete_fields if field.many_to_one]


def referenced_rows(obj: models.Model) -> tuple[dict[str, set[int]], set[int]]:
    """The ids of the pick-list entries (by kind) and of the users that a row's foreign keys
    name, for PickLists(keep=...) and load_users(extra=...)."""
    picks: dict[str, set[int]] = defaultdict(set)
    users: set[int] = set()
    for field in _foreign_keys(type(obj)):
        # A deferred column (.only()) is not read: that would load it, one query each.
        pk = obj.__dict__.get(field.attname)
        if pk is None:
            continue
        if field.related_model is User:
            users.add(pk)
        elif field.related_model in PICK_LIST_KINDS:
            picks[PICK_LIST_KINDS[field.related_model]].add(pk)
    return picks, users


def attach_rows(obj: models.Model, pick_lists: PickLists, users: dict[int, Person]) -> None:
    """Give a row's foreign keys the entries and users already loaded, so that reading them
    (``ticket.category``, ``ticket.opened_by``) runs no query.

    Loading them with select_related instead joins some fifteen tables; PostgreSQL then
    spends longer planning that query than the rest of the incident page takes.
    """
    for field in _foreign_keys(type(obj)):
        pk = obj.__dict__.get(field.attname)
        if pk is None or field.is_cached(obj):
            continue
        if field.related_model is User:
            person = users.get(pk)
            row = person.as_user() if person is not None else None
        elif field.related_model in PICK_LIST_KINDS:
            row = pick_lists.row(PICK_LIST_KINDS[field.related_model], pk)
        else:
            row = None
        if row is not None:
            field.set_cached_value(obj, row)


class Person(NamedTuple):
    """A user as a page names them or offers them in a select: read as a plain row, since a
    first-line group has a couple of hundred members."""

    pk: int
    username: str
    first_name: str
    last_name: str
    is_active: bool
    is_member: bool

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username

    def as_user(self) -> User:
        """The user as a model instance holding these columns; reading any other field of it
        loads that field from the database."""
        return User.from_db(None, PERSON_COLUMNS, self[: len(PERSON_COLUMNS)])


PERSON_COLUMNS = ("id", "username", "first_name", "last_name", "is_active")


def load_users(group_id: int | None, extra: Iterable[int] = ()) -> list[Person]:
    """The active members of a group, flagged ``is_member``, and the users given by id (e.g.
    those a ticket's history mentions), by name. Everyone is read in one query, and kept
    between requests while the reference data is unchanged (accounts/reference.py)."""
    extra = {pk for pk in extra if pk}
    return [
        Person(*row, is_member=is_member)
        for row, groups in reference.kept("people", _everyone).ordered
        if ((is_member := group_id in groups) and row[-1]) or row[0] in extra
    ]


def names() -> Names:
    """Everyone's and every group's name by id, as the lists show them (kept like the pick
    lists: accounts/reference.py)."""
    groups = reference.kept("pick lists", _every_entry).by_id.get("group", {})
    people = reference.kept("people", _everyone).by_id
    return Names(people, {pk: choice.name for pk, choice in groups.items()})


class Names(NamedTuple):
    people: dict[int, str]
    groups: dict[int, str]


class Everyone(NamedTuple):
    """Every user's PERSON_COLUMNS, by name, with the ids of the groups they belong to; and
    the name each is shown by, by id."""

    ordered: list[tuple[tuple, frozenset[int]]]
    by_id: dict[int, str]


def _everyone() -> Everyone:
    rows = User.objects.order_by("first_name", "last_name", "username").values_list(
        *PERSON_COLUMNS, "assignment_groups"
    )
    ordered: list[tuple[tuple, frozenset[int]]] = []
    for (pk, *columns), memberships in groupby(rows, key=lambda row: row[:-1]):
        groups = frozenset(row[-1] for row in memberships if row[-1] is not None)
        ordered.append(((pk, *columns), groups))
    by_id = {row[0]: str(Person(*row, is_member=False)) for row, _groups in ordered}
    return Everyone(ordered, by_id)


def load_names(
    rows: Iterable[models.Model],
    *,
    active: Iterable[str] = (),
    keep: dict[str, set[int]] | None = None,
    members_of: int | None = None,
    extra_users: Iterable[int] = (),
) -> tuple[PickLists, list[Person]]:
    """Load the pick-list entries and users the rows' foreign keys name (two queries, with
    the ``active`` lists, the entries in ``keep``, and the members of a group) and set them
    on the rows (attach_rows)."""
    rows = list(rows)
    picks: dict[str, set[int]] = defaultdict(set)
    for kind, ids in (keep or {}).items():
        picks[kind] |= ids
    user_ids = set(extra_users)
    for row in rows:
        row_picks, row_users = referenced_rows(row)
        for kind, ids in row_picks.items():
            picks[kind] |= ids
        user_ids |= row_users
    pick_lists = PickLists(active=active, keep=picks)
    users = load_users(members_of, extra=user_ids)
    by_id = {user.pk: user for user in users}
    for row in rows:
        attach_rows(row, pick_lists, by_id)
    return pick_lists, users
