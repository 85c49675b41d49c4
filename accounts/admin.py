from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import AssignmentGroup, Company, User


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "is_vendor"]
    list_filter = ["is_vendor"]
    search_fields = ["name"]


@admin.register(AssignmentGroup)
class AssignmentGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "is_l1", "is_active", "member_count"]
    list_filter = ["is_l1", "is_active", "company"]
    list_select_related = ["company"]
    search_fields = ["name", "company__name"]
    autocomplete_fields = ["company", "members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_members=Count("members"))

    @admin.display(description=_("members"), ordering="n_members")
    def member_count(self, obj):
        return obj.n_members


class MembershipInline(admin.TabularInline):
    model = AssignmentGroup.members.through
    extra = 0
    autocomplete_fields = ["assignmentgroup"]
    verbose_name = _("group membership")
    verbose_name_plural = _("group memberships")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
    list_select_related = ["current_group"]
    autocomplete_fields = ["current_group"]
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Helpdesk"), {"fields": ["current_group"]}),)
