"""The small forms of the actions (Assign, Hold, Resolved, Close Ticket, ...): the input each
needs, handed as keyword arguments to its workflow function."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AssignmentGroup, User

from ..models import CloseCode, TicketEvent, Vendor
from ..picklists import PickLists, load_users
from ..validators import MAX_TEXT
from .common import CopiesFieldsQuickly, LongTextarea, chosen_id, set_choices

Action = TicketEvent.Action


class ActionForm(CopiesFieldsQuickly, forms.Form):
    """The input one action needs, plus the version of the ticket the agent saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, pick_lists: PickLists | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        needed = self.pick_list_kinds()
        if needed and pick_lists is None:
            pick_lists = PickLists(active=needed)
        self.setup(pick_lists)

    @classmethod
    def pick_list_kinds(cls) -> list[str]:
        return []

    def setup(self, pick_lists: PickLists | None) -> None:
        """Fill the options of the form's selects."""

    def workflow_kwargs(self) -> dict:
        """The keyword arguments of the workflow function (besides ticket, by, version)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ConfirmForm(ActionForm):
    """Pick Up and Resume need nothing but a click."""


class AssignForm(ActionForm):
    group = forms.ModelChoiceField(
        AssignmentGroup.objects.filter(is_active=True), label=gettext_lazy("Assignment Group")
    )
    assignee = forms.ModelChoiceField(
        User.objects.filter(is_active=True),
        required=False,
        label=gettext_lazy("Assigned To"),
        help_text=gettext_lazy("Leave empty to let the group pick it up."),
    )

    @classmethod
    def pick_list_kinds(cls):
        return ["group"]

    def setup(self, pick_lists):
        set_choices(self.fields["group"], pick_lists.choices("group"))
        self.fields["group"].widget.attrs.update(
            {
                "data-group-picker": reverse("tickets:api_groups"),
                "data-members-url": reverse("tickets:api_group_members", args=[0]),
            }
        )
        self.fields["assignee"].widget.attrs["data-assignee"] = ""
        group_id = chosen_id(self, "group")
        members = load_users(group_id) if group_id else []
        set_choices(self.fields["assignee"], [(u.pk, str(u)) for u in members])

    def clean(self):
        cleaned = super().clean()
        group, assignee = cleaned.get("group"), cleaned.get("assignee")
        if group and assignee and not group.members.filter(pk=assignee.pk).exists():
            self.add_error(
                "assignee",
                _("%(user)s is not a member of %(group)s.") % {"user": assignee, "group": group},
            )
        return cleaned


class ReasonForm(ActionForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255, widget=forms.TextInput())


class ThirdPartyForm(ActionForm):
    vendor = forms.ModelChoiceField(
        Vendor.objects.filter(is_active=True), label=gettext_lazy("Vendor")
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255, required=False)

    @classmethod
    def pick_list_kinds(cls):
        return ["vendor"]

    def setup(self, pick_lists):
        set_choices(self.fields["vendor"], pick_lists.choices("vendor"))


class ResolveForm(ActionForm):
    resolution = forms.CharField(
        label=gettext_lazy("Resolution"),
        widget=LongTextarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
    )


class CloseForm(ActionForm):
    close_code = forms.ModelChoiceField(
        CloseCode.objects.filter(is_active=True), label=gettext_lazy("Close code")
    )
    close_notes = forms.CharField(
        label=gettext_lazy("Close notes"),
        widget=LongTextarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
    )
    is_knowledge = forms.BooleanField(label=gettext_lazy("Knowledge"), required=False)

    @classmethod
    def pick_list_kinds(cls):
        return ["close_code"]

    def setup(self, pick_lists):
        set_choices(self.fields["close_code"], pick_lists.choices("close_code"))


ACTION_FORMS: dict[str, type[ActionForm]] = {
    Action.ASSIGN: AssignForm,
    Action.PICK_UP: ConfirmForm,
    Action.HOLD: ReasonForm,
    Action.THIRD_PARTY: ThirdPartyForm,
    Action.RESUME: ConfirmForm,
    Action.RESOLVE: ResolveForm,
    Action.REOPEN: ReasonForm,
    Action.CANCEL: ReasonForm,
    Action.CLOSE: CloseForm,
}
