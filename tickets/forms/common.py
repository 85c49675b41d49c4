"""What the incident pages' forms share: how a select shows its preloaded options, and how
a form copies its fields."""

import copy
from functools import lru_cache

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.widgets import ChoiceWidget, MultiWidget
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language

from ..validators import parse_id

EMPTY = ("", "---------")


def chosen_id(form: forms.BaseForm, name: str) -> int | None:
    """The id a select currently holds: the submitted one, else the initial one."""
    if form.is_bound:
        raw = form.data.get(form.add_prefix(name))
    else:
        raw = form.initial.get(name)
        raw = getattr(raw, "pk", raw)
    # Not int(): a huge number would overflow the database's integer when it is looked up.
    return parse_id(raw)


class ReadyChoices(BaseChoiceIterator):
    """Choices already in their final form: Django would otherwise walk the few hundred
    options (a group's members, the taxonomy) again on every assignment to check their
    shape.

    The same choices are the same object on every page that shows them (``ready``), so their
    options are drawn once (``html``, kept by forms/render.py).
    """

    def __init__(self, choices: list[tuple[object, str]]):
        self.choices = choices
        self.html: str | None = None

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)


@lru_cache(maxsize=256)
def _ready(language: str | None, choices: tuple) -> ReadyChoices:
    # The language keys the cache too: a translated label is drawn in the page's language.
    return ReadyChoices([(value, label) for value, label, _is_html in choices])


def ready(choices) -> ReadyChoices:
    """These choices as shown before, if they were: equal choices give the same object.

    A label of ready HTML (a SafeString) equals the same text unescaped, so whether it is
    HTML is part of the key."""
    return _ready(
        get_language(),
        tuple((value, label, hasattr(label, "__html__")) for value, label in choices),
    )


def set_choices(field: forms.Field, choices: list[tuple[int, str]], *, blank=True) -> None:
    """Show these options (already loaded), leaving the field's queryset to validate input."""
    field.widget.choices = ready([EMPTY, *choices] if blank else choices)


class PreloadedChoiceField(forms.ModelChoiceField):
    """A choice of a row that the form loads together with its siblings' choices (``rows``),
    instead of one query per field; without ``rows`` it looks the row up as usual."""

    rows: dict | None = None

    def to_python(self, value):
        if self.rows is None or value in self.empty_values:
            return super().to_python(value)
        key = parse_id(str(value))
        if key is None or key not in self.rows:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return self.rows[key]


class LongTextarea(forms.Textarea):
    """A textarea without the browser's maxlength: a browser cuts a long paste there without
    a word, while the server's message beside the field says what is too long and keeps the
    text."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("maxlength", None)
        return attrs


def bound_length(field: forms.CharField, limit: int) -> None:
    """Refuse text longer than ``limit`` (a model TextField gives its form field no limit)."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    if not isinstance(field.widget, LongTextarea):
        field.widget.attrs["maxlength"] = str(limit)


def copy_field(field: forms.Field) -> forms.Field:
    """A copy of a form field as Django's deepcopy makes it, but with its choices copied as a
    list: deepcopy rebuilt every translated label of every choice (a few hundred objects for
    the incident form, a tenth of a millisecond on each page). The choices are replaced,
    never changed in place, so the copy owns what a form may change: its widget and the
    widget's attributes, its validators and error messages, and its queryset."""
    if isinstance(field, forms.MultiValueField) or isinstance(field.widget, MultiWidget):
        return copy.deepcopy(field)  # (their parts are copied too)
    copied = copy.copy(field)
    widget = copied.widget = copy.copy(field.widget)
    widget.attrs = field.widget.attrs.copy()
    if isinstance(widget, ChoiceWidget):
        widget.choices = copy.copy(field.widget.choices)
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    if isinstance(field, forms.ModelChoiceField):
        if field.queryset is not None:
            copied.queryset = field.queryset.all()  # (which points its widget at the copy)
    elif isinstance(field, forms.ChoiceField):
        copied._choices = copy.copy(field._choices)
    return copied


class _FieldCopies(dict):
    def __deepcopy__(self, memo):
        return {name: copy_field(field) for name, field in self.items()}


class CopiesFieldsQuickly:
    """A form that copies its class's fields with copy_field() (Django deep-copies them for
    every form made)."""

    def __init__(self, *args, **kwargs):
        # BaseForm.__init__ deep-copies self.base_fields: for this call, the copies are quick.
        self.base_fields = _FieldCopies(type(self).base_fields)
        try:
            super().__init__(*args, **kwargs)
        finally:
            del self.base_fields
