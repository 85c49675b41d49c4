"""Django admin for incidents and their lists. State changes only through the workflow, so
incidents and their history are read-only here; the pick lists are editable. Notes, watch-list
entries and attachments can be looked up and removed (a malicious file, say), never added or
edited: agents add them on the incident page."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import (
    Attachment,
    CloseCode,
    IncidentType,
    Location,
    Note,
    Template,
    Ticket,
    TicketEvent,
    Vendor,
    WatchListEntry,
)


@admin.register(CloseCode, IncidentType, Location, Vendor)
class NamedItemAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "short_description", "category", "sub_category", "is_active"]
    list_filter = ["is_active", "contact_type"]
    list_select_related = ["category", "sub_category"]
    search_fields = ["name", "short_description"]
    autocomplete_fields = [
        "category",
        "sub_category",
        "item_category",
        "item_name",
        "assignment_group",
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = TicketEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "data"]
    readonly_fields = fields
    ordering = ["created_at", "id"]


class NoteInline(ReadOnlyInline):
    model = Note
    show_change_link = True  # its own page, where it can be removed
    fields = ["created_at", "visibility", "author", "body"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    show_change_link = True
    fields = ["created_at", "original_name", "content_type", "size", "uploaded_by"]
    readonly_fields = fields


class WatchListInline(ReadOnlyInline):
    model = WatchListEntry
    show_change_link = True
    fields = ["email", "added_by", "created_at"]
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "short_description",
        "status",
        "priority",
        "assignment_group",
        "assigned_to",
        "opened_by",
        "opened_at",
    ]
    list_filter = ["status", "priority", "contact_type", "is_vip", "assignment_group"]
    list_select_related = ["assignment_group", "assigned_to", "opened_by"]
    search_fields = ["=number", "=nib", "=nik", "requested_by", "company_name", "email"]
    date_hierarchy = "opened_at"
    show_full_result_count = False
    inlines = [EventInline, NoteInline, WatchListInline, AttachmentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status",
                    "priority",
                    "opened_at",
                    "opened_by",
                    "opened_by_group",
                    "back_dated",
                ]
            },
        ),
        (
            _("Requester"),
            {"fields": ["requested_by", "company_name", "phone", "nib", "nik", "email", "is_vip"]},
        ),
        (
            _("Classification"),
            {
                "fields": [
                    "category",
                    "sub_category",
                    "item_category",
                    "item_name",
                    "incident_type",
                    "template",
                    "contact_type",
                    "impact",
                    "urgency",
                ]
            },
        ),
        (_("Location"), {"fields": ["location", "building", "location_description"]}),
        (_("Description"), {"fields": ["short_description", "description"]}),
        (
            _("Assignment"),
            {
                "fields": [
                    "assignment_group",
                    "assigned_to",
                    "vendor",
                    "hold_reason",
                    "cancel_reason",
                ]
            },
        ),
        (
            _("Resolution"),
            {"fields": ["resolution", "resolved_by", "resolved_by_group", "resolved_at"]},
        ),
        (
            _("Closure"),
            {"fields": ["close_code", "close_notes", "closed_by", "closed_at", "is_knowledge"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin):
    list_display = ["ticket", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["action", "to_status"]
    list_select_related = ["ticket", "actor"]
    search_fields = ["=ticket__number"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TicketContentAdmin(admin.ModelAdmin):
    """A ticket's notes, watch list or attachments: viewed and deleted here, never added or
    changed (the incident page does that, through the workflow)."""

    show_full_result_count = False
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Note)
class NoteAdmin(TicketContentAdmin):
    list_display = ["ticket", "visibility", "author", "created_at"]
    list_filter = ["visibility"]
    list_select_related = ["ticket", "author"]
    search_fields = ["=ticket__number", "author__username"]
    fields = ["ticket", "visibility", "author", "created_at", "body"]
    readonly_fields = fields


@admin.register(WatchListEntry)
class WatchListEntryAdmin(TicketContentAdmin):
    list_display = ["ticket", "email", "added_by", "created_at"]
    list_select_related = ["ticket", "added_by"]
    search_fields = ["=ticket__number", "email"]
    fields = ["ticket", "email", "added_by", "created_at"]
    readonly_fields = fields


@admin.register(Attachment)
class AttachmentAdmin(TicketContentAdmin):
    list_display = ["ticket", "original_name", "content_type", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type"]
    list_select_related = ["ticket", "uploaded_by"]
    search_fields = ["=ticket__number", "original_name", "uploaded_by__username"]
    # The stored name is not shown: the admin must not link to the file itself.
    fields = ["ticket", "original_name", "content_type", "size", "uploaded_by", "created_at"]
    readonly_fields = fields

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _delete_stored_files([obj.file.name])

    def delete_queryset(self, request, queryset):
        names = list(queryset.values_list("file", flat=True))
        super().delete_queryset(request, queryset)
        _delete_stored_files(names)


def _delete_stored_files(names: list[str]) -> None:
    """Remove deleted attachments' files once the rows are gone for good."""
    storage = Attachment._meta.get_field("file").storage

    def delete():
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)
