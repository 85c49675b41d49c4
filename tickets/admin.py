"""Django admin for incidents and their lists. State changes only through the workflow, so
incidents and their history are read-only here; the pick lists are editable."""

from django.contrib import admin
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
    fields = ["created_at", "visibility", "author", "body"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["created_at", "original_name", "content_type", "size", "uploaded_by"]
    readonly_fields = fields


class WatchListInline(ReadOnlyInline):
    model = WatchListEntry
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
