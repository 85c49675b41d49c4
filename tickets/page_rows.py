"""The rows of an incident page's tabs: its notes, its history, its watch list, its attachments
and the related incidents the user may see, read in one query.

Each list is one part of a UNION. The parts share their columns by type (a number, a moment,
some text), each list putting its own values in them; the other columns of a part are empty.
Five queries were five round trips to the database and five compiled querysets; one costs
little more than the largest of them.
"""

from __future__ import annotations

from django.db.models import CharField, DateTimeField, F, IntegerField, JSONField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from accounts.models import User

from . import prepared
from .history import EventRow, NoteRow
from .models import Attachment, Note, Ticket, TicketEvent, WatchListEntry
from .querysets import stand_in_user

# The shared columns, in order: what kind of row, its id, a moment, the person (or group) it
# names, three texts, a number, the history's changes, and the time it was last changed.
COLUMNS = ("kind", "row_id", "at", "whom", "text1", "text2", "text3", "n", "data", "changed")

# Each list's fields in the shared columns (kind and row_id aside); a column a list leaves out
# stays empty.
PARTS = {
    "note": {"at": "created_at", "whom": "author_id", "text1": "visibility", "text2": "body"},
    "event": {
        "at": "created_at",
        "whom": "actor_id",
        "text1": "action",
        "text2": "from_status",
        "text3": "to_status",
        "data": "data",
    },
    "watch": {"at": "created_at", "whom": "added_by_id", "text1": "email", "changed": "updated_at"},
    "attachment": {
        "at": "created_at",
        "whom": "uploaded_by_id",
        "text1": "file",
        "text2": "original_name",
        "text3": "content_type",
        "n": "size",
        "changed": "updated_at",
    },
    "related": {
        "whom": "assignment_group_id",
        "text1": "number",
        "text2": "short_description",
        "text3": "status",
    },
}
# The type of each shared column: the first part's columns set the types of the union's, so
# an empty one is typed too.
EMPTY = {
    "at": DateTimeField(),
    "whom": IntegerField(),
    "text1": CharField(),
    "text2": CharField(),
    "text3": CharField(),
    "n": IntegerField(),
    "data": JSONField(),
    "changed": DateTimeField(),
}


def _part(queryset, kind: str):
    fields = PARTS[kind]
    # Named apart from the models' own fields (an event's "data", say). An empty column is a
    # NULL cast to its type, written in the SQL: PostgreSQL types the union's columns from
    # its parts, and a NULL parameter of the changes would be a JSON object of its own.
    columns = {
        f"page_{name}": F(fields[name]) if name in fields else Cast(RawSQL("NULL", ()), output)
        for name, output in EMPTY.items()
    }
    return (
        queryset.order_by()
        .annotate(page_kind=Value(kind, output_field=CharField()), page_row_id=F("pk"), **columns)
        .values_list(*(f"page_{name}" for name in COLUMNS))
    )


def _rows_query(sees_all: bool):
    def build(ticket_pk, user_pk, group_ids):
        def of_ticket(model):
            return _part(model.objects.filter(ticket_id=ticket_pk), _KINDS[model])

        user = stand_in_user(user_pk, group_ids, sees_all=sees_all)
        related = Ticket.objects.visible_to(user).filter(related=ticket_pk)
        return of_ticket(Note).union(
            of_ticket(TicketEvent),
            of_ticket(WatchListEntry),
            of_ticket(Attachment),
            _part(related, "related"),
            all=True,
        )

    return build


_KINDS = {Note: "note", TicketEvent: "event", WatchListEntry: "watch", Attachment: "attachment"}


def page_rows(ticket: Ticket, user: User) -> dict[str, list]:
    """The tabs' rows: notes and history as plain rows (history.NoteRow, EventRow) in time
    order; watch list entries and attachments as model instances in time order; the related
    incidents the user may see (a vendor's staff: those their groups hold or held) by number,
    as incidents holding their number, short description, state and group."""
    sees_all = user.sees_all_incidents()
    found = prepared.rows(
        ("incident page rows", sees_all),
        _rows_query(sees_all),
        ticket.pk,
        user.pk,
        user.group_ids(),
    )
    lists: dict[str, list] = {kind: [] for kind in PARTS}
    for kind, pk, at, whom, text1, text2, text3, n, data, changed in found:
        if kind == "note":
            lists[kind].append(NoteRow(pk, text1, text2, whom, at))
        elif kind == "event":
            lists[kind].append(EventRow(pk, text1, text2, text3, whom, data, at))
        elif kind == "watch":
            names = ["id", "ticket_id", "email", "added_by_id", "created_at", "updated_at"]
            values = [pk, ticket.pk, text1, whom, at, changed]
            lists[kind].append(WatchListEntry.from_db(None, names, values))
        elif kind == "attachment":
            names = [field.attname for field in Attachment._meta.concrete_fields]
            values = [pk, ticket.pk, text1, text2, text3, n, whom, at, changed]
            lists[kind].append(Attachment.from_db(None, names, values))
        else:
            names = ["id", "number", "short_description", "status", "assignment_group_id"]
            values = [pk, text1, text2, text3, whom]
            lists[kind].append(Ticket.from_db(None, names, values))
    for kind in ("note", "event", "watch", "attachment"):
        lists[kind].sort(key=lambda row: (row.created_at, row.pk))
    lists["related"].sort(key=lambda other: other.number)
    return {
        "notes": lists["note"],
        "events": lists["event"],
        "watch_list": lists["watch"],
        "attachments": lists["attachment"],
        "related": lists["related"],
    }
