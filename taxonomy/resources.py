"""Import and export of the whole taxonomy: one row per entry, its path in four columns."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Category

PATH_COLUMNS = ("Category", "Sub Category", "Item Category", "Item Name")


class PathLevel(fields.Field):
    """One level of an entry's path (Category, Sub Category, ...), shown on export and in the
    import preview; on import the whole path identifies the entry."""

    def __init__(self, depth: int, column_name: str):
        super().__init__(column_name=column_name, attribute=None)
        self.depth = depth

    def export(self, instance, **kwargs):
        names = instance.path_names()
        return names[self.depth] if self.depth < len(names) else ""


class StrictBooleanWidget(widgets.BooleanWidget):
    """Active must say yes or no: a typo must not quietly hide an entry."""

    def clean(self, value, row=None, **kwargs):
        if value in self.NULL_VALUES or value == "":
            return True
        if value in self.TRUE_VALUES or str(value).strip().lower() in ("true", "yes", "ya"):
            return True
        if value in self.FALSE_VALUES or str(value).strip().lower() in ("false", "no", "tidak"):
            return False
        raise ValueError(
            _("Active must be 1 or 0 (yes or no), not “%(value)s”.") % {"value": value}
        )


class OrderWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return 0
        text = str(value).strip()
        if text.endswith(".0"):  # spreadsheets hand whole numbers over as 10.0
            text = text[:-2]
        try:
            number = int(text)
        except ValueError:
            raise ValueError(
                _("Order must be a whole number, not “%(value)s”.") % {"value": value}
            ) from None
        if number < 0:
            raise ValueError(_("Order cannot be negative."))
        return number


def row_path(row) -> tuple[str, ...]:
    """The names of a row's path columns, from the root down to the first empty one."""
    names = []
    for column in PATH_COLUMNS:
        value = (row.get(column) or "").strip() if isinstance(row.get(column), str) else ""
        if not value:
            break
        names.append(value)
    return tuple(names)


class CategoryResource(resources.ModelResource):
    """An entry is identified by its full path, so importing a file twice changes nothing."""

    category = PathLevel(0, "Category")
    sub_category = PathLevel(1, "Sub Category")
    item_category = PathLevel(2, "Item Category")
    item_name = PathLevel(3, "Item Name")
    is_active = fields.Field(
        column_name="Active", attribute="is_active", widget=StrictBooleanWidget(), default=True
    )
    order = fields.Field(column_name="Order", attribute="order", widget=OrderWidget(), default=0)

    class Meta:
        model = Category
        fields = ("category", "sub_category", "item_category", "item_name", "is_active", "order")
        import_id_fields = ("category",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        path = row_path(row)
        if not path:
            raise ValidationError(_("The Category column is empty."))
        try:
            return Category.objects.get_by_natural_key(*path)
        except Category.DoesNotExist:
            return None

    def init_instance(self, row=None):
        path = row_path(row)
        parent = None
        if len(path) > 1:
            try:
                parent = Category.objects.get_by_natural_key(*path[:-1])
            except Category.DoesNotExist:
                raise ValidationError(
                    _("“%(path)s” is not in the taxonomy; list it on a row above this one.")
                    % {"path": " > ".join(path[:-1])}
                ) from None
        return Category(name=path[-1], parent=parent)

    def get_export_queryset(self, request=None, **kwargs):
        return Category.objects.select_related("parent__parent__parent")

    def export(self, queryset=None, **kwargs):
        # Depth-first, so a parent always comes before its children and the file re-imports.
        if queryset is None:
            queryset = self.get_export_queryset()
        nodes = list(queryset.select_related("parent__parent__parent"))
        order_of = {node.pk: (node.order, node.name) for node in nodes}

        def sort_key(node):
            chain = []
            while node is not None:
                chain.append(order_of.get(node.pk, (node.order, node.name)))
                node = node.parent
            return tuple(reversed(chain))

        nodes.sort(key=sort_key)
        return super().export(queryset=nodes, **kwargs)
