"""The admin-edited pick lists the incident pages show, loaded together in one query.

Taxonomy, incident types, locations, vendors, close codes, templates and groups: a page with
several selects (the incident form, the actions' forms) and a history that names their
entries runs one query for all of them, not one per select.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BigIntegerField, CharField, Exists, F, IntegerField, OuterRef, Q, Value

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
        parts = []
        for kind, model in PICK_LIST_MODELS.items():
            ids = keep.get(kind, set())
            if kind not in active and not ids:
                continue
            wanted = Q(pk__in=ids)
            if kind in active:
                wanted |= Q(is_active=True)
            has_order = kind != "group"
            parts.append(
                model.objects.filter(wanted)
                .order_by()
                .annotate(
                    pick_kind=Value(kind, output_field=CharField()),
                    pick_parent=(
                        F("parent_id")
                        if kind == "taxonomy"
                        else Value(None, output_field=BigIntegerField())
                    ),
                    pick_order=F("order") if has_order else Value(0, output_field=IntegerField()),
                )
                .values_list("pick_kind", "pk", "name", "pick_parent", "pick_order")
            )
        rows = []
        if parts:
            query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
            rows = list(query)
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


def load_users(group_id: int | None, extra: Iterable[int] = ()) -> list[User]:
    """The active members of a group, flagged ``is_member``, and the users given by id (e.g.
    those a ticket's history mentions), by name; one query."""
    extra = [pk for pk in extra if pk]
    membership = AssignmentGroup.members.through.objects.filter(
        assignmentgroup_id=group_id or 0, user_id=OuterRef("pk")
    )
    wanted = Q(pk__in=extra)
    if group_id:
        wanted |= Q(is_member=True, is_active=True)
    return list(
        User.objects.annotate(is_member=Exists(membership))
        .filter(wanted)
        .order_by("first_name", "last_name", "username")
    )
