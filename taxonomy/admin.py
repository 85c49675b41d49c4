from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from .models import Category
from .resources import CategoryResource


@admin.register(Category)
class CategoryAdmin(ImportExportModelAdmin):
    resource_classes = [CategoryResource]
    formats = [CSV, XLSX]
    list_display = ["name", "level", "parent_path", "is_active", "order"]
    list_filter = ["level", "is_active"]
    list_editable = ["is_active", "order"]
    list_select_related = ["parent__parent__parent"]
    search_fields = ["name", "parent__name"]
    autocomplete_fields = ["parent"]
    ordering = ["level", "parent__name", "order", "name"]

    @admin.display(description=_("under"))
    def parent_path(self, obj):
        return obj.parent.full_path() if obj.parent_id else ""
