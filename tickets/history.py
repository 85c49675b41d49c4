"""How a ticket's history is shown: labels for the codes and ids a TicketEvent stores, and
one time-ordered stream of notes and history entries."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Ticket, TicketEvent
from .picklists import PICK_LIST_KINDS, PickLists

# How the incident pages show a moment (in the site's time zone, Asia/Jakarta).
MOMENT_FORMAT = "d M Y H:i"


def show_moment(value) -> str:
    return formats.date_format(timezone.localtime(value), MOMENT_FORMAT) if value else ""


def _ticket_field(name: str) -> models.Field | None:
    try:
        return Ticket._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class HistoryLabels:
    """Shows the raw values a TicketEvent stores (codes, ids) as a person reads them."""

    def __init__(self, pick_lists: PickLists, users: dict[int, User]):
        self.pick_lists = pick_lists
        self.users = users

    @staticmethod
    def referenced(events: list[TicketEvent]) -> tuple[dict[str, set[int]], set[int]]:
        """The ids the events' changes mention: pick-list entries by kind, and users."""
        picks: dict[str, set[int]] = defaultdict(set)
        users: set[int] = set()
        for event in events:
            for name, pair in event.data.get("changes", {}).items():
                field = _ticket_field(name)
                if field is None or not field.is_relation:
                    continue
                ids = {value for value in pair if isinstance(value, int)}
                if field.related_model is User:
                    users |= ids
                elif field.related_model in PICK_LIST_KINDS:
                    picks[PICK_LIST_KINDS[field.related_model]] |= ids
        return picks, users

    def changes(self, event: TicketEvent) -> list[tuple[str, str, str]]:
        """(field label, old, new) for each field the event changed; the state is shown apart."""
        rows = []
        for name, pair in event.data.get("changes", {}).items():
            field = _ticket_field(name)
            if name == "status" or field is None:
                continue
            old, new = pair
            rows.append(
                (capfirst(field.verbose_name), self.value(field, old), self.value(field, new))
            )
        return rows

    def value(self, field: models.Field, raw) -> str:
        if raw is None or raw == "":
            return ""
        if field.is_relation:
            if field.related_model is User:
                user = self.users.get(raw)
                return str(user) if user else f"#{raw}"
            kind = PICK_LIST_KINDS.get(field.related_model)
            return self.pick_lists.name(kind, raw) or f"#{raw}"
        if field.choices:
            return str(dict(field.flatchoices).get(raw, raw))
        if isinstance(field, models.BooleanField):
            return _("Yes") if raw else _("No")
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(str(raw))
            return show_moment(moment) if moment else str(raw)
        return str(raw)


def history_stream(notes, events, labels: HistoryLabels) -> list[dict]:
    """Notes and history in one list, newest first."""
    entries = [
        {
            "kind": note.visibility,
            "at": note.created_at,
            "order": (note.created_at, 1, note.pk),
            "note": note,
        }
        for note in notes
    ]
    entries += [
        {
            "kind": "event",
            "at": event.created_at,
            "order": (event.created_at, 0, event.pk),
            "event": event,
            "changes": labels.changes(event),
            "reason": event.data.get("reason", ""),
        }
        for event in events
    ]
    return sorted(entries, key=lambda entry: entry["order"], reverse=True)
