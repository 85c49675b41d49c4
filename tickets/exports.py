"""CSV export of a list of incidents: streamed row by row, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ContactType, Priority, Ticket

# Characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    ("number", _("Number")),
    ("opened_at", _("Opened")),
    ("status", _("State")),
    ("priority", _("Priority")),
    ("short_description", _("Short Description")),
    ("category__name", _("Category")),
    ("sub_category__name", _("Sub Category")),
    ("item_category__name", _("Item Category")),
    ("item_name__name", _("Item Name")),
    ("requested_by", _("Requested By")),
    ("company_name", _("Nama Perusahaan")),
    ("nib", _("NIB")),
    ("email", _("Email")),
    ("phone", _("Phone Number")),
    ("contact_type", _("Contact Type")),
    ("assignment_group__name", _("Assignment Group")),
    ("assigned_to_name", _("Assigned To")),
    ("opened_by_name", _("Opened By")),
    ("closed_at", _("Closed")),
]


def safe_cell(value) -> str:
    """The cell's text, with a leading apostrophe where a spreadsheet would run a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _person(relation: str):
    """A person's full name as the pages show it, or the login when no name is set."""
    full = Trim(Concat(f"{relation}__first_name", Value(" "), f"{relation}__last_name"))
    return Coalesce(NullIf(full, Value("")), f"{relation}__username")


class _Echo:
    def write(self, value):
        return value


def csv_rows(tickets) -> Iterator[str]:
    """Yield the CSV text line by line; rows are read in chunks, never all at once."""
    writer = csv.writer(_Echo())
    labels = {
        "status": dict(Ticket.Status.choices),
        "priority": dict(Priority.choices),
        "contact_type": dict(ContactType.choices),
    }
    fields = [name for name, _label in COLUMNS]
    yield "\ufeff" + writer.writerow([label for _name, label in COLUMNS])
    tickets = tickets.annotate(
        assigned_to_name=_person("assigned_to"), opened_by_name=_person("opened_by")
    )
    for values in tickets.values_list(*fields).iterator(chunk_size=2000):
        row = []
        for name, value in zip(fields, values, strict=True):
            if name in labels:
                value = labels[name].get(value, value)
            elif name in ("opened_at", "closed_at") and value is not None:
                value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
            row.append(safe_cell(value))
        yield writer.writerow(row)
