"""Import and export of the whole taxonomy: one row per entry, its path in four columns."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Category

PATH_COLUMNS = ("Category", "Sub Category", "Item Category", "Item Name")


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

    category = fields.Field(column_name="Category", attribute=None)
    sub_category = fields.Field(column_name="Sub Category", attribute=None)
    item_category = fields.Field(column_name="Item Category", attribute=None)
    item_name = fields.Field(column_name="Item Name", attribute=None)
    is_active = fields.Field(
        column_name="Active", attribute="is_active", widget=widgets.BooleanWidget(), default=True
    )
    order = fields.Field(
        column_name="Order", attribute="order", widget=widgets.IntegerWidget(), default=0
    )

    class Meta:
        model = Category
        fields = ("category", "sub_category", "item_category", "item_name", "is_active", "order")
        import_id_fields = ("category",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def _dehydrate_level(self, obj, depth):
        names = obj.path_names()
        return names[depth] if depth < len(names) else ""

    def dehydrate_category(self, obj):
        return self._dehydrate_level(obj, 0)

    def dehydrate_sub_category(self, obj):
        return self._dehydrate_level(obj, 1)

    def dehydrate_item_category(self, obj):
        return self._dehydrate_level(obj, 2)

    def dehydrate_item_name(self, obj):
        return self._dehydrate_level(obj, 3)

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
