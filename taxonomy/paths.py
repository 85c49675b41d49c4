"""The check that a ticket's chosen taxonomy levels form one path of the tree."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Category

# The ticket fields that hold each level, from the root down.
LEVEL_FIELDS = ("category", "sub_category", "item_category", "item_name")


def validate_path(
    category: Category | None,
    sub_category: Category | None = None,
    item_category: Category | None = None,
    item_name: Category | None = None,
) -> None:
    """Raise ValidationError, keyed by the field that does not fit, unless the levels form a path.

    The category is required; each lower level is optional, but a level may only be given when
    the level above it is, and it must be a child of that level.
    """
    chosen = (category, sub_category, item_category, item_name)
    if category is None:
        raise ValidationError({"category": _("Choose a Category.")})
    labels = dict(zip(LEVEL_FIELDS, Category.Level.labels, strict=True))
    parent = None
    for depth, (field, node) in enumerate(zip(LEVEL_FIELDS, chosen, strict=True), start=1):
        if node is None:
            parent = None
            continue
        if node.level != depth:
            raise ValidationError(
                {
                    field: _("“%(name)s” is not a %(level)s.")
                    % {"name": node, "level": labels[field]}
                }
            )
        if depth > 1:
            if parent is None:
                above = LEVEL_FIELDS[depth - 2]
                raise ValidationError(
                    {
                        field: _("Choose a %(above)s before the %(level)s.")
                        % {"above": labels[above], "level": labels[field]}
                    }
                )
            if node.parent_id != parent.pk:
                raise ValidationError(
                    {
                        field: _("“%(name)s” is not under %(parent)s “%(parent_name)s”.")
                        % {
                            "name": node,
                            "parent": labels[LEVEL_FIELDS[depth - 2]],
                            "parent_name": parent,
                        }
                    }
                )
        parent = node
