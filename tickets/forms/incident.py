"""The incident form: Create New, and the fields of the incident page with its Save button."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from functools import cached_property, lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.html import conditional_escape, format_html, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import User
from taxonomy.paths import LEVEL_FIELDS, validate_path
from tickets.templatetags.estim import status_badge

from ..history import show_moment
from ..models import PRIORITY_MATRIX, Ticket, TicketEvent, compute_priority
from ..picklists import PickLists, categories, load_users
from ..richtext import clean_html
from ..validators import (
    ID_INPUT_LENGTH,
    MAX_RICH_TEXT,
    PHONE_INPUT_LENGTH,
    normalise_nib,
    normalise_nik,
    normalise_phone,
    single_line,
)
from ..workflow import EDITABLE_FIELDS
from .common import (
    CopiesFieldsQuickly,
    LongTextarea,
    PreloadedChoiceField,
    bound_length,
    chosen_id,
    set_choices,
)
from .render import CONTROL_COLUMN, LABEL_COLUMN, Markup

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# Older Back Dated values are typing mistakes (0202 for 2020); the oldest years would also
# overflow when converted to UTC.
EARLIEST_BACK_DATED = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _same(value, raw) -> bool:
    """Whether a cleaned form value equals a raw value of the history (ids, ISO times)."""
    if value in (None, "") or raw in (None, ""):
        return value in (None, "") and raw in (None, "")
    if hasattr(value, "pk"):
        return value.pk == raw
    if isinstance(value, datetime.datetime):
        # The browser's input holds minutes only.
        moment = parse_datetime(str(raw))
        return moment is not None and moment.replace(second=0, microsecond=0) == value
    return value == raw


def _static(label: str, value: str, *, name: str) -> Markup:
    """A read-only line in the form's grid (Number, Opened, State, ...); value is safe HTML."""
    return Markup(
        format_html(
            '<div class="row mb-3"><div class="{} col-form-label col-form-label-sm '
            'estim-label">{}</div><div class="{}"><div class="form-control-plaintext '
            'form-control-sm" data-static="{}">{}</div></div></div>',
            LABEL_COLUMN,
            label,
            CONTROL_COLUMN,
            name,
            mark_safe(value),  # the caller builds it from escaped parts
        )
    )


def existing_initial(ticket: Ticket, initial: dict) -> dict:
    """The initial values of an existing ticket's form: ``initial`` (its fields as the form
    reads them, and any given) with the version it was loaded at and its Back Dated."""
    initial = {"version": ticket.version, **initial}
    if ticket.back_dated:
        # The browser's input has minutes only; untouched, it must not count as a change.
        initial["back_dated"] = timezone.localtime(ticket.back_dated).replace(
            second=0, microsecond=0
        )
    return initial


def taxonomy_choices(pick_lists: PickLists, chosen: Callable[[str], int | None]) -> dict:
    """The options of the four levels: the children of the entry chosen a level up, and the
    level's own chosen entry (``chosen(name)``) even if it does not fit, to keep what was
    typed on screen (clean() says why)."""
    shown = {}
    for depth, name in enumerate(LEVEL_FIELDS, start=1):
        parent = chosen(LEVEL_FIELDS[depth - 2]) if depth > 1 else None
        options = pick_lists.children(parent) if depth == 1 or parent else []
        pk = chosen(name)
        if pk and pk not in {option_pk for option_pk, _name in options}:
            name_of_chosen = pick_lists.name("taxonomy", pk)
            if name_of_chosen:
                options = [*options, (pk, name_of_chosen)]
        shown[name] = options
    return shown


def assignee_choices(members: list[User], assigned_id: int | None) -> list[tuple[int, str]]:
    """The group's members who may be chosen, and whoever holds the ticket now."""
    return [(u.pk, str(u)) for u in members if u.is_member or u.pk == assigned_id]


# The selects filled from the pick lists, and the list of each.
PICKED_FIELDS = {
    "incident_type": "incident_type",
    "location": "location",
    "vendor": "vendor",
    "template": "template",
    "assignment_group": "group",
}


@lru_cache(maxsize=8)
def _priority_matrix(language: str | None) -> str:
    """The priority of each impact and urgency, for the browser to show as they change."""
    with translation.override(language):
        matrix = {f"{i}-{u}": str(p.label) for (i, u), p in PRIORITY_MATRIX.items()}
        return json_script(matrix, "priority-matrix")


def incident_columns(
    current: Ticket,
    *,
    is_new: bool,
    user: User,
    assign_url: str | None,
    new_priority: str | None = None,
) -> tuple[list, list]:
    """The guide's two columns of the incident form: field names and read-only lines
    (render.grid draws them). A new ticket shows ``new_priority``, if any."""
    new = is_new
    home = user.home_group()
    opened_by = conditional_escape(user if new else current.opened_by)
    opened_group = home if new else current.opened_by_group
    if opened_group:
        opened_by = format_html(
            '{} <span class="text-body-secondary">({})</span>', opened_by, opened_group
        )
    priority = new_priority or "—" if new else current.priority_label
    state = status_badge(current)
    group_line = []
    if not new:
        group_value = conditional_escape(current.assignment_group)
        if assign_url:
            group_value = format_html(
                '{} <a class="btn btn-sm btn-outline-primary ms-2" href="{}" '
                'data-bs-toggle="modal" data-bs-target="#act-assign">{}</a>',
                group_value,
                assign_url,
                _("Assign"),
            )
        group_line = [_static(_("Assignment Group"), group_value, name="assignment_group")]
    left = [
        *(["template"] if new else []),
        _static(
            _("Number"),
            conditional_escape(_("given on save") if new else current.number),
            name="number",
        ),
        "requested_by",
        "company_name",
        "phone",
        "nib",
        "nik",
        "email",
        *LEVEL_FIELDS,
        "location",
        "building",
        "location_description",
        "short_description",
        "description",
    ]
    right = [
        "incident_type",
        _static(
            _("Opened"),
            conditional_escape(show_moment(timezone.now() if new else current.opened_at)),
            name="opened",
        ),
        _static(_("Opened By"), opened_by, name="opened_by"),
        "back_dated",
        _static(_("State"), state, name="state"),
        "contact_type",
        "impact",
        "urgency",
        _static(
            _("Priority"),
            format_html(
                "<span data-priority-display>{}</span>{}",
                priority,
                _priority_matrix(get_language()),
            ),
            name="priority",
        ),
        *(["assignment_group"] if new else group_line),
        "assigned_to",
        "vendor",
        "is_vip",
        *([] if new else ["version"]),
    ]
    return left, right


class IncidentForm(CopiesFieldsQuickly, forms.ModelForm):
    """The incident's fields in the guide's two columns: Create New, and Save on the page.

    On a new ticket the taxonomy and the pick lists offer only active entries; an existing
    ticket keeps its current values valid even if they were deactivated since. The state, the
    number, the opening and the priority are shown, never edited: priority follows impact and
    urgency (the browser shows it as they change; the workflow computes what is stored).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Wider than their columns: the spaces and dashes typed between digit groups are dropped
    # (tickets/validators.py), so what is stored always fits.
    phone = forms.CharField(
        label=gettext_lazy("Phone Number"),
        required=False,
        max_length=PHONE_INPUT_LENGTH,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=gettext_lazy("0812..., +62 812... or a landline such as 021 ..."),
    )
    nib = forms.CharField(
        label=gettext_lazy("NIB"),
        required=False,
        max_length=ID_INPUT_LENGTH,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    nik = forms.CharField(
        label=gettext_lazy("NIK/Passport"),
        required=False,
        max_length=ID_INPUT_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Ticket
        fields = [*EDITABLE_FIELDS, "assignment_group"]
        field_classes = {name: PreloadedChoiceField for name in (*LEVEL_FIELDS, *PICKED_FIELDS)}
        widgets = {
            "description": LongTextarea(attrs={"rows": 5}),
            "back_dated": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "requested_by": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        # The guide's own labels.
        labels = {
            "template": gettext_lazy("Template"),
            "requested_by": gettext_lazy("Requested By"),
            "company_name": gettext_lazy("Nama Perusahaan"),
            "email": gettext_lazy("Email"),
            "category": gettext_lazy("Category"),
            "sub_category": gettext_lazy("Sub Category"),
            "item_category": gettext_lazy("Item Category"),
            "item_name": gettext_lazy("Item Name"),
            "location": gettext_lazy("Location"),
            "building": gettext_lazy("Building"),
            "location_description": gettext_lazy("Location Description"),
            "short_description": gettext_lazy("Short Description"),
            "description": gettext_lazy("Description"),
            "incident_type": gettext_lazy("Incident Type"),
            "back_dated": gettext_lazy("Back Dated"),
            "contact_type": gettext_lazy("Contact Type"),
            "impact": gettext_lazy("Impact"),
            "urgency": gettext_lazy("Urgency"),
            "assignment_group": gettext_lazy("Assignment Group"),
            "assigned_to": gettext_lazy("Assigned To"),
            "vendor": gettext_lazy("Vendor"),
            "is_vip": gettext_lazy("VIP"),
        }

    def __init__(
        self,
        *args,
        user: User,
        pick_lists: PickLists | None = None,
        members: list[User] | None = None,
        assign_url: str | None = None,
        **kwargs,
    ):
        instance = kwargs.get("instance")
        # Work on a copy: an invalid or refused save must not change the ticket the page shows.
        kwargs["instance"] = copy.copy(instance) if instance is not None else None
        super().__init__(*args, **kwargs)
        self.user = user
        self.is_new = instance is None
        current = self.instance
        if self.is_new:
            del self.fields["version"]
            # Left empty, the workflow gives the ticket to the first-line group.
            self.fields["assignment_group"].required = False
            home = user.home_group()
            if home is not None and home.is_l1:
                self.initial.setdefault("assignment_group", home.pk)
        else:
            del self.fields["template"], self.fields["assignment_group"]
            self.initial = existing_initial(current, self.initial)
        bound_length(self.fields["description"], MAX_RICH_TEXT)
        self._narrow(current, pick_lists, members)
        self._decorate()
        self._layout = (current, assign_url)

    @cached_property
    def columns(self) -> tuple[list, list]:
        """What render.grid draws (made when the form is shown: a valid POST never is)."""
        return self._columns(*self._layout)

    # The querysets validate what is submitted (a form shown empty needs none); the options
    # shown come from one query.
    def _narrow(self, current: Ticket, pick_lists: PickLists | None, members) -> None:
        kept = {name: getattr(current, f"{name}_id", None) for name in self.fields}
        validates = self.is_bound
        if pick_lists is None:
            pick_lists = PickLists(
                active=["taxonomy", "incident_type", "location", "vendor"]
                + (["template", "group"] if self.is_new else []),
                keep={
                    "taxonomy": {kept[name] for name in LEVEL_FIELDS},
                    "incident_type": {kept["incident_type"]},
                    "location": {kept["location"]},
                    "vendor": {kept["vendor"]},
                },
            )
        if validates:
            # The four chosen levels, active or not, among the kept pick lists.
            found = categories(chosen_id(self, name) for name in LEVEL_FIELDS)
        shown = taxonomy_choices(pick_lists, lambda name: chosen_id(self, name))
        for depth, name in enumerate(LEVEL_FIELDS, start=1):
            field = self.fields[name]
            if validates:
                field.rows = {
                    row.pk: row
                    for row in found
                    if row.level == depth and (row.is_active or row.pk == kept[name])
                }
            set_choices(field, shown[name])
        for name, kind in PICKED_FIELDS.items():
            if name not in self.fields:
                continue
            if validates:
                # What may be chosen: the list's active entries and the ticket's own value,
                # which the pick lists hold already (no query per field).
                self.fields[name].rows = pick_lists.rows(kind)
            set_choices(self.fields[name], pick_lists.choices(kind))
        group_id = (
            chosen_id(self, "assignment_group") if self.is_new else current.assignment_group_id
        )
        if members is None:
            members = load_users(group_id, extra=[kept["assigned_to"]])
        if validates and self.data.get(self.add_prefix("assigned_to")):
            # Left empty, the field looks no one up; building this queryset is not free.
            self.fields["assigned_to"].queryset = User.objects.filter(
                Q(is_active=True) | Q(pk=kept["assigned_to"])
            )
        set_choices(self.fields["assigned_to"], assignee_choices(members, kept["assigned_to"]))

    def _decorate(self) -> None:
        """Compact widgets, and the data- attributes static/js/incident-form.js reads."""
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select-sm"
            elif not isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
                widget.attrs["class"] = "form-control-sm"
        # The addresses are worked out only when the form is drawn: a valid POST never is.
        children_url = reverse_lazy("tickets:api_taxonomy_children")
        for depth, name in enumerate(LEVEL_FIELDS, start=1):
            self.fields[name].widget.attrs.update(
                {"data-level": depth, "data-children-url": children_url}
            )
        self.fields["category"].required = True
        for name in ("impact", "urgency"):
            self.fields[name].widget.attrs["data-priority-input"] = name
        self.fields["requested_by"].widget.attrs.update(
            {
                "data-requester-lookup": reverse_lazy("tickets:api_requesters"),
                "placeholder": gettext_lazy("Name, e-mail, NIB or company to look up"),
            }
        )
        members_url = reverse_lazy("tickets:api_group_members", args=[0])
        self.fields["assigned_to"].widget.attrs["data-assignee"] = ""
        if "assignment_group" in self.fields:
            self.fields["assignment_group"].widget.attrs.update(
                {
                    "data-group-picker": reverse_lazy("tickets:api_groups"),
                    "data-members-url": members_url,
                }
            )
        if "template" in self.fields:
            self.fields["template"].widget.attrs["data-template-url"] = reverse_lazy(
                "tickets:api_template", args=[0]
            )

    def _columns(self, current: Ticket, assign_url: str | None) -> tuple[list, list]:
        new_priority = self._initial_priority_label() if self.is_new else None
        return incident_columns(
            current,
            is_new=self.is_new,
            user=self.user,
            assign_url=assign_url,
            new_priority=new_priority,
        )

    def _initial_priority_label(self) -> str | None:
        try:
            return compute_priority(int(self["impact"].value()), int(self["urgency"].value())).label
        except (TypeError, ValueError, KeyError):
            return None

    def clean_back_dated(self):
        value = self.cleaned_data.get("back_dated")
        if value is None:
            return value
        if value > timezone.now():
            raise ValidationError(_("Back Dated cannot be in the future."))
        if not self.is_new and value > self.instance.opened_at:
            raise ValidationError(
                _("Back Dated cannot be after the incident was opened (%(opened)s).")
                % {"opened": show_moment(self.instance.opened_at)}
            )
        if value < EARLIEST_BACK_DATED:
            raise ValidationError(_("Back Dated cannot be before 1 January 2000."))
        return value

    def _requester_id(self, name: str, normalise) -> str:
        value = self.cleaned_data.get(name, "")
        if not self.is_new and value == (self.initial.get(name) or ""):
            # A value stored before these checks (an import, say) does not block a Save.
            return value
        return normalise(value)

    def clean_nib(self):
        return self._requester_id("nib", normalise_nib)

    def clean_nik(self):
        return self._requester_id("nik", normalise_nik)

    def clean_phone(self):
        return self._requester_id("phone", normalise_phone)

    def _single_line(self, name: str) -> str:
        value = single_line(self.cleaned_data.get(name, ""))
        if not value and self.fields[name].required:
            # Nothing but control characters was typed.
            raise ValidationError(self.fields[name].error_messages["required"], code="required")
        return value

    def clean_requested_by(self):
        return self._single_line("requested_by")

    def clean_company_name(self):
        return self._single_line("company_name")

    def clean_building(self):
        return self._single_line("building")

    def clean_location_description(self):
        return self._single_line("location_description")

    def clean_short_description(self):
        return self._single_line("short_description")

    def clean_description(self):
        # Rich text: agents may write HTML; what is not safe formatting is removed.
        return clean_html(self.cleaned_data.get("description", "").replace("\r\n", "\n"))

    def _get_validation_exclusions(self):
        # The form's choice fields already found these rows through their querysets; the
        # model's own validation would look each one up again.
        exclude = super()._get_validation_exclusions()
        exclude.update(
            name for name, field in self.fields.items() if isinstance(field, forms.ModelChoiceField)
        )
        return exclude

    def clean(self):
        cleaned = super().clean()
        if not any(name in self.errors for name in LEVEL_FIELDS):
            try:
                validate_path(*(cleaned.get(name) for name in LEVEL_FIELDS))
            except ValidationError as error:
                self.add_error(None, error)
        assignee = cleaned.get("assigned_to")
        group = cleaned.get("assignment_group") if self.is_new else self.instance.assignment_group
        if (
            assignee is not None
            and group is not None
            and (self.is_new or "assigned_to" in self.changed_data)
            and not group.members.filter(pk=assignee.pk).exists()
        ):
            self.add_error(
                "assigned_to",
                _("%(user)s is not a member of %(group)s.") % {"user": assignee, "group": group},
            )
        return cleaned

    def rebased_data(self, fresh: Ticket, since: list[TicketEvent]) -> QueryDict:
        """The refused input of a lost update, moved onto the ticket as it is now.

        ``since`` are the history entries saved after the agent loaded the form. A field they
        changed which this agent left as loaded takes its new value, so saving again cannot
        undo the other agent's work; what this agent changed stays as typed.
        """
        as_loaded: dict[str, Any] = {}
        for event in since:
            for name, pair in event.data.get("changes", {}).items():
                as_loaded.setdefault(name, pair[0])
        data = self.data.copy()
        data[self.add_prefix("version")] = str(fresh.version)
        for name, raw in as_loaded.items():
            if name not in self.fields or name not in self.cleaned_data:
                continue
            if not _same(self.cleaned_data[name], raw):
                continue
            value = getattr(fresh, name)
            if value is True:
                data[self.add_prefix(name)] = "on"
            elif value is False or value is None:
                data.pop(self.add_prefix(name), None)
            elif isinstance(value, datetime.datetime):
                data[self.add_prefix(name)] = timezone.localtime(value).strftime(DATETIME_LOCAL)
            else:
                data[self.add_prefix(name)] = str(getattr(value, "pk", value))
        return data

    def changes(self) -> dict:
        """The edited fields that differ from the ticket as loaded, for update_ticket().

        A value typed differently but stored the same ("0812 3456 7890" for +6281234567890)
        is no change.
        """
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name != "version" and self.cleaned_data[name] != self.initial.get(name)
        }

    def create_values(self) -> dict:
        """The fields for create_ticket()."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def script_text() -> dict[str, str]:
    """Translated words that static/js/incident-form.js shows (read from a JSON block)."""
    return {
        "searchGroups": _("Search group or company"),
        "sortAsc": _("A→Z"),
        "sortDesc": _("Z→A"),
        "sortTitle": _("Sort by name"),
        "firstLine": _("the first-line group"),
    }
