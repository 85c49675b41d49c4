"""What the incident pages' forms share: how a select shows its preloaded options."""

from django import forms

EMPTY = ("", "---------")


def chosen_id(form: forms.BaseForm, name: str) -> int | None:
    """The id a select currently holds: the submitted one, else the initial one."""
    if form.is_bound:
        raw = form.data.get(form.add_prefix(name))
    else:
        raw = form.initial.get(name)
        raw = getattr(raw, "pk", raw)
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def set_choices(field: forms.Field, choices: list[tuple[int, str]], *, blank=True) -> None:
    """Show these options (already loaded), leaving the field's queryset to validate input."""
    field.widget.choices = [EMPTY, *choices] if blank else choices
