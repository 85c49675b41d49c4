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

from django.db import connection, models
from django.db.models import Exists, OuterRef, Q

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


class PickLists:
    """The rows of several admin-edited pick lists, loaded together in one query (a UNION).

    ``active`` names the lists whose active entries are wanted; ``keep`` adds entries by id
    even when inactive (a ticket's current values, the values its history mentions), so an
    old ticket stays valid and readable after an entry is deactivated. The incident page's
    query-count test counts on this being a single query.
    """

    def __init__(self, active: Iterable[str] = (), keep: dict[str, set[int]] | None = None):
        keep = {kind: {pk for pk in ids if pk} for kind, ids in (keep or {}).items()}
        active = set(active)
        parts, params = [], []
        for kind, model in PICK_LIST_MODELS.items():
            ids = sorted(keep.get(kind, set()))
            if kind not in active and not ids:
                continue
            sql, part_params = _select_part(kind, model, active=kind in active, ids=ids)
            parts.append(sql)
            params += part_params
        rows = []
        if parts:
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                rows = cursor.fetchall()
        self._rows: dict[str, list[Choice]] = defaultdict(list)
        for kind, pk, name, parent_id, order in rows:
            self._rows[kind].append(Choice(pk, name, parent_id, order))
        for choices in self._rows.values():
            choices.sort(key=lambda c: (c.order, c.name.lower()))
        self._by_id = {
            kind: {choice.pk: choice for choice in choices} for kind, choices in self._rows.items()
        }

    def choices(self, kind: str) -> list[tuple[int, str]]:
        return [(choice.pk, choice.name) for choice in self._rows[kind]]

    def children(self, parent_id: int | None) -> list[tuple[int, str]]:
        """Taxonomy entries under a parent (the roots for None)."""
        return [(c.pk, c.name) for c in self._rows["taxonomy"] if c.parent_id == parent_id]

    def name(self, kind: str, pk: int | None) -> str | None:
        choice = self._by_id.get(kind, {}).get(pk)
        return choice.name if choice else None

    def row(self, kind: str, pk: int | None) -> models.Model | None:
        """The entry as a model instance holding its id and name; reading any other field of
        it loads that field from the database."""
        choice = self._by_id.get(kind, {}).get(pk)
        if choice is None:
            return None
        # The values in the order of the model's fields: every pick list declares its name
        # first, after the id.
        return PICK_LIST_MODELS[kind].from_db(None, ["id", "name"], [choice.pk, choice.name])


def _select_part(kind: str, model, *, active: bool, ids: list[int]) -> tuple[str, list]:
    """One list's part of the UNION: (kind, id, name, parent, order) of its active entries
    and of those kept by id.

    Written as SQL: built through the ORM, the union of up to seven annotated querysets took
    three times longer to compile than to run, on every incident page.
    """
    qn = connection.ops.quote_name
    parent = qn("parent_id") if kind == "taxonomy" else "NULL"
    order = "0" if kind == "group" else qn("order")
    conditions, params = [], []
    if active:
        conditions.append(f"{qn('is_active')} = %s")
        params.append(True)
    if ids:
        conditions.append(f"{qn('id')} IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    # The kind is one of PICK_LIST_MODELS' own names, never input.
    sql = (
        f"SELECT '{kind}', {qn('id')}, {qn('name')}, {parent}, {order} "
        f"FROM {qn(model._meta.db_table)} WHERE {' OR '.join(conditions)}"
    )
    return sql, params


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


def attach_rows(obj: models.Model, pick_lists: PickLists, users: dict[int, User]) -> None:
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
            row = users.get(pk)
        elif field.related_model in PICK_LIST_KINDS:
            row = pick_lists.row(PICK_LIST_KINDS[field.related_model], pk)
        else:
            row = None
        if row is not None:
            field.set_cached_value(obj, row)


def load_users(group_id: int | None, extra: Iterable[int] = ()) -> list[User]:
    """The active members of a group, flagged ``is_member``, and the users given by id (e.g.
    those a ticket's history mentions), by name; one query. Only the columns that name a
    user are loaded: these rows fill selects and name people on the pages."""
    extra = [pk for pk in extra if pk]
    membership = AssignmentGroup.members.through.objects.filter(
        assignmentgroup_id=group_id or 0, user_id=OuterRef("pk")
    )
    wanted = Q(pk__in=extra)
    if group_id:
        wanted |= Q(is_member=True, is_active=True)
    return list(
        User.objects.only("username", "first_name", "last_name", "is_active")
        .annotate(is_member=Exists(membership))
        .filter(wanted)
        .order_by("first_name", "last_name", "username")
    )


def load_names(
    rows: Iterable[models.Model],
    *,
    active: Iterable[str] = (),
    keep: dict[str, set[int]] | None = None,
    members_of: int | None = None,
    extra_users: Iterable[int] = (),
) -> tuple[PickLists, list[User]]:
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
