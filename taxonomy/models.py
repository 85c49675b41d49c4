"""The four-level category tree: Category > Sub Category > Item Category > Item Name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def roots(self):
        return self.filter(parent__isnull=True)


class CategoryManager(models.Manager.from_queryset(CategoryQuerySet)):
    def get_by_natural_key(self, *path):
        """Find a node by its names from the root, e.g. ("TEKNOLOGI INFORMASI", "SISTEM OSS")."""
        lookup = Q(level=len(path))
        prefix = ""
        for name in reversed(path):
            lookup &= Q(**{f"{prefix}name": name})
            prefix += "parent__"
        lookup &= Q(**{f"{prefix}isnull": True})
        return self.get(lookup)


class Category(models.Model):
    """One node of the taxonomy at one of four levels; the root level is the Category."""

    class Level(models.IntegerChoices):
        CATEGORY = 1, _("Category")
        SUB_CATEGORY = 2, _("Sub Category")
        ITEM_CATEGORY = 3, _("Item Category")
        ITEM_NAME = 4, _("Item Name")

    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, editable=False)
    # Inactive entries are hidden from new tickets but stay valid on old ones.
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CategoryManager()

    class Meta:
        verbose_name = _("taxonomy entry")
        verbose_name_plural = _("taxonomy")
        ordering = ["level", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="taxonomy_unique_name_under_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="taxonomy_unique_root_name",
            ),
            models.CheckConstraint(
                condition=(Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False)),
                name="taxonomy_root_has_no_parent",
            ),
        ]
        indexes = [
            # The cascading selects: children of one parent, in order.
            models.Index(fields=["parent", "is_active", "order"], name="taxonomy_children_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.level = 1 if self.parent_id is None else self.parent.level + 1
        if self.level > Category.Level.ITEM_NAME:
            raise ValidationError(_("The taxonomy has at most four levels."))
        super().save(*args, **kwargs)

    def clean(self):
        if self.parent_id is not None and self.parent.level >= Category.Level.ITEM_NAME:
            raise ValidationError({"parent": _("An Item Name cannot have entries below it.")})

    def natural_key(self):
        return self.path_names()

    natural_key.dependencies = []

    def path_names(self) -> tuple[str, ...]:
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return tuple(reversed(names))

    def full_path(self) -> str:
        return " > ".join(self.path_names())
