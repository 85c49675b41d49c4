"""The incident pages' forms drawn in Python, in Bootstrap 5 markup.

Django draws every widget, and every <option> of a select, through a template of its own, and
crispy-forms added a template per field on top: for the incident form's two dozen fields and
a few hundred options (a group's members) that cost more than the rest of the page. These
functions write the same markup directly: the label, the control, the help text and the
errors beside the field, and the mark of a mandatory field.

Every value goes into the markup through _esc(), which escapes like Django's
conditional_escape() (ready HTML such as a SafeString is kept) at a fraction of its cost.
They never touch the database: a select shows the options its widget was given
(``common.set_choices``), never its queryset.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django import forms
from django.forms.widgets import Input
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import reference

from .common import ReadyChoices

# The incident form's grid: the label's and the control's columns.
LABEL_COLUMN = "col-sm-4"
CONTROL_COLUMN = "col-sm-8"
GRID_LABEL_CLASS = f"col-form-label pt-0 {LABEL_COLUMN} col-form-label-sm estim-label"


class Markup:
    """Ready HTML placed among a form's fields as it is (a read-only line, say).

    It is never rendered as a template, so a value someone typed (a name with "{{" in it)
    can never run as template code.
    """

    def __init__(self, html: str):
        self.html = html


def _esc(value) -> str:
    """conditional_escape(): ready HTML as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


@lru_cache(maxsize=4096)
def option_html(value: str, label: str) -> str:
    """An unselected <option>: the same names and categories fill the selects of every page."""
    return f'<option value="{escape(value)}">{escape(label)}</option>'


def _attrs(attrs: dict) -> str:
    """flatatt(): ' name="value"' for each attribute, the name alone for True, none for
    False or None."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_esc(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _classes(*names: str) -> str:
    return " ".join(name for name in names if name)


def _control_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def options(choices, current: str | None) -> str | None:
    """The <option>s of a select, the one of value ``current`` selected; None for option
    groups, which Django must draw.

    Choices that are ``common.ReadyChoices`` are drawn once and kept with them: the same
    names and categories fill the selects of every page.
    """
    drawn = getattr(choices, "html", None)
    if drawn is None:
        drawn = _draw_options(choices)
        if drawn is None:
            return None
        if isinstance(choices, ReadyChoices):
            choices.html = drawn
    if current is None:
        return drawn
    unselected = f'<option value="{escape(current)}">'
    return drawn.replace(unselected, f"{unselected[:-1]} selected>", 1)


def _draw_options(choices) -> str | None:
    drawn = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            return None  # option groups
        value = "" if value is None else str(value)
        if hasattr(label, "__html__"):
            drawn.append(f'<option value="{escape(value)}">{_esc(label)}</option>')
        else:
            drawn.append(option_html(value, str(label)))
    return "".join(drawn)


def _select(bound: forms.BoundField, attrs: dict) -> str | None:
    """A select and its options, or None for one Django must draw (groups, multiple)."""
    widget = bound.field.widget
    if widget.allow_multiple_selected:
        return None
    current = widget.format_value(bound.value())
    drawn = options(widget.choices, current[0] if current else None)
    if drawn is None:
        return None
    html_attrs = _attrs({**widget.attrs, **attrs})
    return f'<select name="{_esc(bound.html_name)}"{html_attrs}>{drawn}</select>'


def _control_attrs(bound: forms.BoundField) -> dict:
    """The attributes control() gives the field's widget: its id and Bootstrap's classes."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound.auto_id
    if not widget.is_hidden:
        invalid = "is-invalid" if bound.errors else ""
        attrs["class"] = _classes(_control_class(widget), widget.attrs.get("class", ""), invalid)
    return attrs


def control(bound: forms.BoundField) -> SafeString:
    """The field's input, select or text area with Bootstrap's classes."""
    widget = bound.field.widget
    attrs = _control_attrs(bound)
    name = _esc(bound.html_name)
    html = None
    if isinstance(widget, forms.Select):
        html = _select(bound, attrs)
    elif isinstance(widget, forms.Textarea):
        context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
        value = _esc(context["value"] or "")
        # The line break after the tag keeps a value's own leading line break.
        html = f'<textarea name="{name}"{_attrs(context["attrs"])}>\n{value}</textarea>'
    elif isinstance(widget, Input) and not (
        isinstance(widget, forms.ClearableFileInput) and widget.is_initial(bound.value())
    ):
        context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
        value = context["value"]
        value = f' value="{_esc(value)}"' if value is not None else ""
        html = (
            f'<input type="{_esc(context["type"])}" name="{name}"{value}{_attrs(context["attrs"])}>'
        )
    if html is None:
        return bound.as_widget(attrs=attrs)
    return mark_safe(html)  # every value escaped by _esc()


def label(bound: forms.BoundField, css_class: str, *, mark_required: bool) -> str:
    """The field's label; a mandatory field's "*" is shown, and read out as "(required)"."""
    mark = ""
    if mark_required and bound.field.required:
        mark = (
            '<span class="text-danger" aria-hidden="true">*</span>'
            f'<span class="visually-hidden"> {_esc(_("(required)"))}</span>'
        )
    return (
        f'<label for="{_esc(bound.id_for_label)}" class="{css_class}">'
        f"{_esc(bound.label)}{mark}</label>"
    )


def help_and_errors(bound: forms.BoundField) -> str:
    """The help text and the errors beside the field (the ids its aria-describedby names)."""
    html = ""
    errors = bound.errors
    if errors:
        messages = "".join(f'<p class="mb-0">{_esc(error)}</p>' for error in errors)
        html += (
            f'<div id="{_esc(bound.auto_id)}_error" class="invalid-feedback d-block">'
            f"{messages}</div>"
        )
    if bound.help_text:
        html += (
            f'<div id="{_esc(bound.auto_id)}_helptext" class="form-text">'
            f"{_esc(bound.help_text)}</div>"
        )
    return html


def marks_required(form: forms.BaseForm) -> bool:
    """Whether the form marks its mandatory fields: a form of one field need not say so (the
    notes, the watch list: a mark there read as if every box on the page had to be filled)."""
    return sum(1 for bound in form.visible_fields()) > 1


def field(bound: forms.BoundField, *, mark_required: bool = True, grid: bool = False) -> str:
    """One field: its label, control, help text and errors; ``grid`` puts the label beside it."""
    before, after = _around_control(bound, mark_required=mark_required, grid=grid)
    return f"{before}{control(bound)}{after}"


def _around_control(bound: forms.BoundField, *, mark_required: bool, grid: bool) -> tuple[str, str]:
    """What field() draws before and after the field's control."""
    if bound.is_hidden:
        return "", ""
    widget = bound.field.widget
    div_id = f"div_{_esc(bound.auto_id)}"
    if isinstance(widget, forms.CheckboxInput):
        before = f'<div id="{div_id}" class="form-check">'
        after = (
            f"{label(bound, 'form-check-label', mark_required=mark_required)}"
            f"{help_and_errors(bound)}</div>"
        )
        if grid:
            column = f"offset-sm-4 {CONTROL_COLUMN}"
            return f'<div class="mb-3 row"><div class="{column}">{before}', f"{after}</div></div>"
        return f'<div class="mb-3">{before}', f"{after}</div>"
    if grid:
        return (
            f'<div id="{div_id}" class="mb-3 row">'
            f"{label(bound, GRID_LABEL_CLASS, mark_required=mark_required)}"
            f'<div class="{CONTROL_COLUMN}">',
            f"{help_and_errors(bound)}</div></div>",
        )
    field_label = label(bound, "form-label", mark_required=mark_required)
    return f'<div id="{div_id}" class="mb-3">{field_label}', f"{help_and_errors(bound)}</div>"


@dataclass(frozen=True)
class FieldFrame:
    """A field as field() draws it, for a form shown unbound (no input, no errors), around
    the part that holds the field's value (``kind``): an input's value attribute ("input"),
    a check box's "checked" ("check"), a text area's text ("text") or a select's options
    ("select"). Such a frame is the same whatever the value: frame_of() makes it once, and
    framed() fills it in for each value."""

    kind: str
    before: str
    after: str
    field: forms.Field


def frame_of(
    bound: forms.BoundField, *, mark_required: bool = True, grid: bool = False
) -> FieldFrame:
    """The frame of field(bound, mark_required=..., grid=...) for a field of an unbound form;
    ValueError for a control only Django draws."""
    if bound.form.is_bound or bound.errors:
        raise ValueError("only a form shown unbound has the same frame for every value")
    widget = bound.field.widget
    before, after = _around_control(bound, mark_required=mark_required, grid=grid)
    attrs = _control_attrs(bound)
    name = _esc(bound.html_name)
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        start, kind, end = (
            f'<select name="{name}"{_attrs({**widget.attrs, **attrs})}>',
            "select",
            "</select>",
        )
    elif isinstance(widget, forms.Textarea):
        context = widget.get_context(bound.html_name, None, attrs)["widget"]
        start, kind, end = (
            f'<textarea name="{name}"{_attrs(context["attrs"])}>\n',
            "text",
            "</textarea>",
        )
    elif isinstance(widget, forms.CheckboxInput):
        context = widget.get_context(bound.html_name, False, attrs)["widget"]
        start = f'<input type="{_esc(context["type"])}" name="{name}"{_attrs(context["attrs"])}'
        kind, end = "check", ">"
    elif isinstance(widget, Input) and not isinstance(widget, forms.FileInput):
        context = widget.get_context(bound.html_name, None, attrs)["widget"]
        start, kind = f'<input type="{_esc(context["type"])}" name="{name}"', "input"
        end = f"{_attrs(context['attrs'])}>"
    else:
        raise ValueError(f"{bound.name}: Django draws this control")
    return FieldFrame(kind, before + start, end + after, bound.field)


def framed(frame: FieldFrame, initial, choices=None) -> str:
    """field() of a field of an unbound form whose initial value is ``initial`` (as
    BoundField.value() and the widget show it); ``choices`` are a select's."""
    field = frame.field
    widget = field.widget
    if isinstance(initial, datetime.datetime | datetime.time) and not widget.supports_microseconds:
        initial = initial.replace(microsecond=0)
    value = field.prepare_value(initial)
    if frame.kind == "select":
        current = widget.format_value(value)
        drawn = options(choices, current[0] if current else None)
        if drawn is None:
            raise ValueError("option groups are drawn by Django")
        middle = drawn
    elif frame.kind == "check":
        middle = " checked" if widget.check_test(value) else ""
    elif frame.kind == "text":
        middle = _esc(widget.format_value(value) or "")
    else:
        shown = widget.format_value(value)
        middle = f' value="{_esc(shown)}"' if shown is not None else ""
    return f"{frame.before}{middle}{frame.after}"


def form_errors(form: forms.BaseForm) -> str:
    """The errors that belong to no visible field, above the form."""
    errors = list(form.non_field_errors())
    for bound in form.hidden_fields():
        errors += [f"{bound.label}: {error}" for error in bound.errors]
    if not errors:
        return ""
    items = "".join(f"<li>{_esc(error)}</li>" for error in errors)
    return f'<div class="alert alert-danger" role="alert"><ul class="m-0">{items}</ul></div>'


def fields(form: forms.BaseForm) -> SafeString:
    """A small form's fields one below the other (the actions' and the tabs' forms)."""
    mark = marks_required(form)
    html = form_errors(form) + "".join(field(bound, mark_required=mark) for bound in form)
    return mark_safe(html)  # every value escaped by _esc()


def grid(form: forms.BaseForm, columns: Iterable[Iterable[str | Markup]]) -> SafeString:
    """A form in columns, each label beside its field (the incident form). A column lists
    field names and ready Markup; hidden fields no column names come last."""
    named = {item for column in columns for item in column if not isinstance(item, Markup)}
    hidden = [control(bound) for bound in form.hidden_fields() if bound.name not in named]
    return columns_html(
        columns, lambda name: field(form[name], grid=True), above=form_errors(form), below=hidden
    )


def columns_html(
    columns: Iterable[Iterable[str | Markup]],
    draw: Callable[[str], str],
    *,
    above: str = "",
    below: Iterable[str] = (),
) -> SafeString:
    """grid()'s columns, each field drawn by ``draw(name)``, between ``above`` and ``below``
    (ready HTML)."""
    html = [above, '<div class="row">']
    for column in columns:
        html.append('<div class="col-lg-6">')
        for item in column:
            html.append(item.html if isinstance(item, Markup) else draw(item))
        html.append("</div>")
    html.append("</div>")
    html += below
    return mark_safe("".join(html))  # every value escaped by _esc() or ready Markup


@dataclass(frozen=True)
class DrawnForm:
    """An empty form's fields, drawn already (drawn_form), with what the templates ask of a
    form: ``kind`` (a note form's)."""

    html: SafeString
    kind: str = ""

    def __html__(self) -> str:
        return self.html


def drawn_form(
    key: Hashable, make_form: Callable[[], forms.BaseForm], *, version: int = 0
) -> DrawnForm:
    """fields(make_form()) of a form shown empty whose markup is the same on every incident
    page: drawn once per language and kept while the reference data its selects show is
    unchanged (accounts/reference.py). A form's hidden ``version``, the one value of the
    ticket's it holds, is drawn apart, first as fields() draws it.
    """

    def draw() -> tuple[str | None, SafeString]:
        form = make_form()
        if "version" not in form.fields:
            return None, fields(form)
        if next(iter(form.fields)) != "version":
            raise ValueError("a drawn form's version must be its first field")
        version_id = form["version"].auto_id
        del form.fields["version"]
        return version_id, fields(form)

    version_id, html = reference.kept(("drawn form", key, get_language()), draw)
    if version_id is not None:
        version_input = (
            f'<input type="hidden" name="version" value="{_esc(version)}" id="{_esc(version_id)}">'
        )
        html = mark_safe(version_input + html)  # every value escaped by _esc()
    return DrawnForm(html)
