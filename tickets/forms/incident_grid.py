"""The incident page's form as a GET shows it, drawn straight from the ticket's values.

Every agent who may change a ticket sees its form, unbound. Building that ModelForm and
drawing its two dozen fields through their BoundFields and widgets took a fifth of the
page's time, yet all a field's markup but its value (its label, attributes and help text:
a render.FieldFrame) is the same on every incident page. The frames are made once per
language from the form of an empty ticket and kept with the reference data; each page fills
in its ticket's values and options. The result is render.grid() of the IncidentForm
(tests/tickets/test_form_drawing.py compares the two); a POST still builds the form.
"""

from __future__ import annotations

from typing import NamedTuple

from django.forms.models import model_to_dict
from django.utils.translation import get_language

from accounts import reference
from accounts.models import User

from ..models import Ticket
from ..picklists import PickLists
from ..validators import parse_id
from .common import EMPTY, ReadyChoices, ready
from .incident import (
    PICKED_FIELDS,
    IncidentForm,
    assignee_choices,
    existing_initial,
    incident_columns,
    taxonomy_choices,
)
from .render import DrawnForm, FieldFrame, columns_html, frame_of, framed


class _Frames(NamedTuple):
    """An existing ticket's form fields as frames, and the options of the selects that offer
    the same on every page (contact type, impact, urgency), translated."""

    fields: dict[str, FieldFrame]
    fixed_choices: dict[str, ReadyChoices]


def _frames(user: User) -> _Frames:
    # None of it depends on the ticket; the user is only the form's to hold.
    form = IncidentForm(instance=Ticket(), user=user, pick_lists=PickLists(), members=[])
    fields = {name: frame_of(form[name], grid=True) for name in form.fields}
    fixed_choices = {
        name: ready([(value, str(label)) for value, label in field.widget.choices])
        for name, field in form.fields.items()
        if fields[name].kind == "select" and not isinstance(field.widget.choices, ReadyChoices)
    }
    return _Frames(fields, fixed_choices)


def incident_grid(
    ticket: Ticket,
    *,
    user: User,
    pick_lists: PickLists,
    members: list[User],
    assign_url: str | None,
) -> DrawnForm:
    """render.grid() of IncidentForm(instance=ticket, user=user, pick_lists=pick_lists,
    members=members, assign_url=assign_url), the form shown unbound."""
    frames, choices = reference.kept(
        ("incident form frames", get_language()), lambda: _frames(user)
    )
    choices = dict(choices)
    initial = existing_initial(ticket, model_to_dict(ticket, fields=list(frames)))

    def chosen(name: str) -> int | None:
        return parse_id(initial.get(name))

    # As IncidentForm's selects show them (common.set_choices).
    for name, options in taxonomy_choices(pick_lists, chosen).items():
        choices[name] = ready([EMPTY, *options])
    for name, kind in PICKED_FIELDS.items():
        if name in frames:
            choices[name] = ready([EMPTY, *pick_lists.choices(kind)])
    choices["assigned_to"] = ready([EMPTY, *assignee_choices(members, ticket.assigned_to_id)])

    def draw(name: str) -> str:
        frame = frames[name]
        value = initial.get(name, frame.field.initial)
        return framed(frame, value() if callable(value) else value, choices.get(name))

    columns = incident_columns(ticket, is_new=False, user=user, assign_url=assign_url)
    named = {item for column in columns for item in column if isinstance(item, str)}
    below = [
        draw(name)
        for name, frame in frames.items()
        if frame.field.widget.is_hidden and name not in named
    ]
    return DrawnForm(columns_html(columns, draw, below=below))
