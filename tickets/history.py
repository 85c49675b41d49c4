"""How a ticket's history is shown: labels for the codes and ids a TicketEvent stores, and
one time-ordered stream of notes and history entries, drawn here.

The stream is drawn in Python, not through a template per entry: an incident with a long
history shows a hundred entries, which templates drew in a third of the page's time. Work
notes, additional comments and history entries each keep markup of their own, so the
internal and the customer-visible can't be confused.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import cache, lru_cache
from html import escape
from typing import NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Note, Ticket, TicketEvent
from .picklists import PICK_LIST_KINDS, PickLists


@lru_cache(maxsize=8)
def _month_names(language: str | None) -> tuple[str, ...]:
    with translation.override(language):
        return ("", *(str(MONTHS_3[month]).title() for month in range(1, 13)))


def show_moment(value) -> str:
    """How the incident pages show a moment: "04 Dec 2026 02:19" in the site's time zone
    (Asia/Jakarta), the month named in the active language.

    The same as the template filter date:"d M Y H:i", in a fifth of its time: the incident
    page shows a moment for every note and history entry.
    """
    return moments()(value)


def moments():
    """show_moment with the time zone and the month names looked up once, for a page that
    shows many moments."""
    zone = timezone.get_current_timezone()
    months = _month_names(translation.get_language())

    def show(value) -> str:
        if not value:
            return ""
        local = value.astimezone(zone)
        return (
            f"{local.day:02d} {months[local.month]} {local.year:04d} "
            f"{local.hour:02d}:{local.minute:02d}"
        )

    return show


class NoteRow(NamedTuple):
    """A note as the incident page shows it (read as a plain row: a page lists dozens)."""

    pk: int
    visibility: str
    body: str
    author_id: int
    created_at: datetime.datetime


class EventRow(NamedTuple):
    """A history entry as the incident page shows it."""

    pk: int
    action: str
    from_status: str
    to_status: str
    actor_id: int
    data: dict
    created_at: datetime.datetime

    @property
    def status_changed(self) -> bool:
        return self.from_status != self.to_status


@cache
def _ticket_field(name: str) -> models.Field | None:
    try:
        return Ticket._meta.get_field(name)
    except FieldDoesNotExist:
        return None


@lru_cache(maxsize=8)
def _code_labels(language: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The actions' and the states' labels, in a language (shared: never changed)."""
    with translation.override(language):
        return (
            {code: str(label) for code, label in TicketEvent.Action.choices},
            {code: str(label) for code, label in Ticket.Status.choices},
        )


@lru_cache(maxsize=256)
def _field_label(name: str, language: str | None) -> str:
    """A ticket field's label, in a language (the history names a few fields many times)."""
    with translation.override(language):
        return capfirst(str(Ticket._meta.get_field(name).verbose_name))


class HistoryLabels:
    """Shows the raw values a TicketEvent stores (codes, ids) as a person reads them."""

    def __init__(self, pick_lists: PickLists, users: dict[int, User]):
        self.pick_lists = pick_lists
        self.users = users
        # Each label translated once per language, not once per entry.
        self.language = translation.get_language()
        self.actions, self.states = _code_labels(self.language)
        self._people: dict[int | None, str] = {}

    def person(self, pk: int | None) -> str:
        """The name of a user the page mentions (an author, an actor)."""
        name = self._people.get(pk)
        if name is None:
            user = self.users.get(pk)
            name = self._people[pk] = str(user) if user else f"#{pk}"
        return name

    def field_label(self, field: models.Field) -> str:
        return _field_label(field.name, self.language)

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
            rows.append((self.field_label(field), self.value(field, old), self.value(field, new)))
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


def _shorten(text: str, limit: int) -> str:
    """text|truncatechars:limit, without its cost for the many values that are short."""
    return text if len(text) <= limit else Truncator(text).chars(limit)


def _event_lines(event: TicketEvent, changes: list[tuple[str, str, str]]) -> list[tuple]:
    """The changes as an entry prints them: the first entry (created, imported) only the
    values it started with, shortened; later ones the old value and the new one."""
    if not event.from_status:
        return [(label, "", _shorten(new, 80)) for label, _old, new in changes]
    return [(label, _shorten(old, 80), _shorten(new or "—", 200)) for label, old, new in changes]


# The stream's markup. Every value put into it goes through escape() (the standard
# library's, which Django's own calls) or _text().
WORK_NOTE_HTML = (
    '<div class="border-start border-3 border-secondary ps-2 mb-2" data-entry="work_note">'
    '<div class="small text-body-secondary"><span class="badge text-bg-secondary">{badge}'
    '</span> {who} · {when}</div><div class="estim-text">{body}</div></div>'
)
COMMENT_HTML = (
    '<div class="border-start border-3 border-primary ps-2 mb-2 bg-primary-subtle" '
    'data-entry="comment"><div class="small text-body-secondary"><span class="badge '
    'text-bg-primary">{badge}</span> {who} · {when}</div><div class="estim-text">{body}</div>'
    "</div>"
)
EVENT_HTML = (
    '<div class="border-start border-3 border-light-subtle ps-2 mb-2 small" data-entry="event">'
    '<div class="text-body-secondary"><span class="badge text-bg-light border">{label}</span> '
    "{who} · {when}{state}</div>{details}</div>"
)
CHANGE_HTML = '<span class="text-body-secondary">{label}:</span> '


def _text(value: str) -> str:
    """Plain text as HTML with its line breaks kept: value|linebreaksbr."""
    return escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _note_markups() -> dict[str, tuple[str, str]]:
    """Each kind of note's markup and its badge, escaped (in the active language): a work
    note (internal, never e-mailed) and an additional comment (e-mailed to the requester and
    the watch list)."""
    return {
        Note.Visibility.COMMENT: (
            COMMENT_HTML,
            escape(_("Additional comment (customer visible)")),
        ),
        Note.Visibility.WORK_NOTE: (WORK_NOTE_HTML, escape(_("Work note"))),
    }


def _note_html(note, who: str, when: str, markups: dict | None = None) -> SafeString:
    """A note in the markup of its kind (``markups``: _note_markups(), made once for a page
    that shows many notes)."""
    markups = markups or _note_markups()
    markup, badge = markups.get(note.visibility, markups[Note.Visibility.WORK_NOTE])
    # SafeString, not mark_safe(): the same for a str, without its check for lazy text.
    return SafeString(  # every value escaped
        markup.format(badge=badge, who=escape(who), when=escape(when), body=_text(note.body))
    )


def _event_html(entry: dict) -> SafeString:
    state = ""
    if entry["to_state"]:
        before = f"{escape(entry['from_state'])} → " if entry["from_state"] else ""
        state = f" · {before}<strong>{escape(entry['to_state'])}</strong>"
    lines = [
        (CHANGE_HTML.format(label=escape(label)), escape(old), escape(new))
        for label, old, new in entry["lines"]
    ]
    if not entry["from_state"]:
        # The first entry (created, imported) lists the values it started with, on one line.
        details = " · ".join(label + new for label, _old, new in lines)
        details = f'<p class="mb-0 ms-2">{details}</p>'
    elif lines or entry["reason"]:
        items = [
            f"<li>{label}{f'<del>{old}</del> → ' if old else ''}{new}</li>"
            for label, old, new in lines
        ]
        if entry["reason"]:
            label = CHANGE_HTML.format(label=escape(_("Reason")))
            items.append(f"<li>{label}{escape(entry['reason'])}</li>")
        details = f'<ul class="list-unstyled mb-0 ms-2">{"".join(items)}</ul>'
    else:
        details = ""
    return SafeString(  # every value escaped
        EVENT_HTML.format(
            label=escape(entry["label"]),
            who=escape(entry["who"]),
            when=escape(entry["when"]),
            state=state,
            details=details,
        )
    )


def note_entry(note, who: str, when: str, markups: dict | None = None) -> dict:
    """A note as the stream and the print page show it: ``who`` wrote it, ``when``."""
    return {
        "kind": note.visibility,
        "at": note.created_at,
        "order": (note.created_at, 1, note.pk),
        "note": note,
        "html": _note_html(note, who, when, markups),
    }


def history_stream(notes, events, labels: HistoryLabels) -> list[dict]:
    """Notes and history in one list, newest first; each entry's ``html`` draws it."""
    show = moments()
    markups = _note_markups()
    entries = [
        note_entry(note, labels.person(note.author_id), show(note.created_at), markups)
        for note in notes
    ]
    for event in events:
        changes = labels.changes(event)
        entry = {
            "kind": "event",
            "at": event.created_at,
            "order": (event.created_at, 0, event.pk),
            "event": event,
            "label": labels.actions[event.action],
            "who": labels.person(event.actor_id),
            "when": show(event.created_at),
            "from_state": labels.states.get(event.from_status, ""),
            "to_state": labels.states[event.to_status] if event.status_changed else "",
            "changes": changes,
            "lines": _event_lines(event, changes),
            "reason": event.data.get("reason", ""),
        }
        entry["html"] = _event_html(entry)
        entries.append(entry)
    return sorted(entries, key=lambda entry: entry["order"], reverse=True)


def stream_html(entries: list[dict]) -> SafeString:
    """The stream drawn: the entries' markup, one after another."""
    return mark_safe("\n".join(entry["html"] for entry in entries))  # noqa: S308 - each escaped
