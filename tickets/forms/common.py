"""What the incident pages' forms share: how a select shows its preloaded options."""

from django import forms
from django.core.validators import MaxLengthValidator

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


def set_choices(field: forms.Field, choices: list[tuple[int, str]], *, blank=True) -> None:
    """Show these options (already loaded), leaving the field's queryset to validate input."""
    field.widget.choices = [EMPTY, *choices] if blank else choices


def bound_length(field: forms.CharField, limit: int) -> None:
    """Refuse text longer than ``limit`` (a model TextField gives its form field no limit)."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)
