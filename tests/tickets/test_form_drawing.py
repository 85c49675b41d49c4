"""How the incident page's forms are made and drawn: quick copies of their fields, the
empty forms drawn once and kept, and the incident form drawn from its ticket's values
(tickets/forms/common.py, tickets/forms/render.py, tickets/forms/incident_grid.py)."""

import copy
import datetime
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation

from accounts import reference
from taxonomy.paths import LEVEL_FIELDS
from tests.factories import CategoryFactory, TicketFactory, UserFactory, VendorFactory
from tickets.forms import ACTION_FORMS, IncidentForm, NoteForm, RelatedForm, ThirdPartyForm
from tickets.forms import common as form_common
from tickets.forms.incident_grid import incident_grid
from tickets.forms.render import drawn_form, fields, frame_of, grid
from tickets.models import Note, Ticket, TicketEvent
from tickets.picklists import PickLists, load_names, load_users

pytestmark = pytest.mark.django_db

S = Ticket.Status
Action = TicketEvent.Action


def test_copied_field_owns_what_a_form_changes():
    field = IncidentForm.base_fields["location"]
    copied = form_common.copy_field(field)
    assert copied.widget is not field.widget
    assert copied.widget.attrs == field.widget.attrs
    assert copied.widget.attrs is not field.widget.attrs
    assert copied.validators == field.validators
    assert copied.validators is not field.validators
    assert copied.error_messages is not field.error_messages
    assert copied.queryset is not field.queryset
    assert copied.widget.choices.field is copied


def test_copied_choice_field_keeps_its_choices():
    field = IncidentForm.base_fields["impact"]
    copied = form_common.copy_field(field)
    assert list(copied.choices) == list(field.choices)
    assert list(copied.widget.choices) == list(field.widget.choices)
    copied.widget.attrs["class"] = "changed"
    assert field.widget.attrs.get("class") != "changed"


def test_incident_form_draws_as_with_deep_copies(monkeypatch, l1_agent):
    ticket = TicketFactory(status=S.IN_PROGRESS, phone="081234567890", is_vip=True)
    quick = IncidentForm(instance=ticket, user=l1_agent)
    monkeypatch.setattr(
        form_common._FieldCopies,
        "__deepcopy__",
        lambda self, memo: {name: copy.deepcopy(field, memo) for name, field in self.items()},
    )
    deep = IncidentForm(instance=ticket, user=l1_agent)
    assert grid(quick, quick.columns) == grid(deep, deep.columns)


def test_bound_incident_form_keeps_what_was_typed(l1_agent):
    ticket = TicketFactory(status=S.IN_PROGRESS)
    form = IncidentForm(
        {"email": "not an e-mail", "version": ticket.version}, instance=ticket, user=l1_agent
    )
    assert not form.is_valid()
    assert 'value="not an e-mail"' in grid(form, form.columns)
    assert IncidentForm.base_fields["email"].widget.attrs.get("class") is None


@pytest.fixture
def in_request():
    """Code run as a request at reference data version 1 (what kept() keeps needs one)."""
    with reference.request_scope():
        reference.read_in_request(1)
        yield


def test_drawn_form_is_kept_per_language(in_request):
    made = []

    def make():
        made.append(translation.get_language())
        return NoteForm(visibility=Note.Visibility.COMMENT)

    for language in ("en", "id", "en"):
        with translation.override(language):
            drawn = drawn_form("test note", make)
    assert made == ["en", "id"]
    assert drawn.html == fields(NoteForm(visibility=Note.Visibility.COMMENT))


def test_drawn_form_carries_the_version_it_is_given(in_request):
    pick_lists = PickLists(active=["vendor"])

    def make(**initial):
        return ThirdPartyForm(initial=initial, pick_lists=pick_lists, auto_id="id_third-party_%s")

    for version in (3, 17):
        drawn = drawn_form("test third party", make, version=version)
        assert drawn.html == fields(make(version=version))


def test_drawn_form_refuses_a_version_that_is_not_first(in_request):
    with pytest.raises(ValueError):
        drawn_form("test related", lambda: _VersionLast(user=None, ticket=None), version=1)


class _VersionLast(RelatedForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _modal(page: str, slug: str) -> str:
    """The fields of an action's modal on the page."""
    found = re.search(
        rf'id="act-{slug}".*?<div class="modal-body">(.*?)</div>\s*<div class="modal-footer">',
        page,
        re.S,
    )
    return found.group(1)


@pytest.mark.parametrize("slug, code", [("hold", Action.HOLD), ("third-party", Action.THIRD_PARTY)])
def test_page_shows_the_action_forms_as_drawn_fresh(l1_client, l1_group, slug, code):
    VendorFactory(name="INDOSAT")
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group)
    for _ in range(2):  # drawn, then kept
        page = l1_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
        form_class = ACTION_FORMS[code]
        fresh = form_class(
            initial={"version": ticket.version},
            pick_lists=PickLists(active=form_class.pick_list_kinds()),
            auto_id=f"id_{slug}_%s",
        )
        assert _modal(page, slug) == fields(fresh)


def test_an_inactive_vendor_of_the_ticket_is_offered_on_its_page_only(l1_client, l1_group):
    VendorFactory(name="INDOSAT")
    retired = VendorFactory(name="VENDOR LAMA", is_active=False)
    own = TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group, vendor=retired)
    other = TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group)
    for ticket, offered in ((other, False), (own, True), (other, False)):
        page = l1_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
        assert ("VENDOR LAMA</option>" in _modal(page, "third-party")) is offered
        assert f'name="version" value="{ticket.version}" id="id_third-party_version"' in page


def _shown_both_ways(ticket, user, assign_url=None):
    """The incident form of an existing ticket drawn by incident_grid and by render.grid."""
    kept = {name: getattr(ticket, f"{name}_id") for name in LEVEL_FIELDS}
    pick_lists = PickLists(
        active=["taxonomy", "incident_type", "location", "vendor"],
        keep={"taxonomy": set(kept.values()), "vendor": {ticket.vendor_id}},
    )
    members = load_users(ticket.assignment_group_id, extra=[ticket.assigned_to_id])
    drawn = incident_grid(
        ticket, user=user, pick_lists=pick_lists, members=members, assign_url=assign_url
    )
    form = IncidentForm(
        instance=ticket, user=user, pick_lists=pick_lists, members=members, assign_url=assign_url
    )
    return drawn.html, grid(form, form.columns)


def _taxonomy_path(*, inactive_level: int | None = None) -> dict:
    path, parent = {}, None
    for depth, name in enumerate(LEVEL_FIELDS, start=1):
        parent = CategoryFactory(
            name=f"LEVEL {depth} <&>", parent=parent, is_active=depth != inactive_level
        )
        path[name] = parent
    return path


@pytest.mark.parametrize("language", ["en", "id"])
def test_incident_grid_draws_the_form_of_a_plain_ticket(l1_agent, language):
    ticket = TicketFactory(status=S.IN_PROGRESS, impact=Ticket.Impact.HIGH)
    with translation.override(language):
        drawn, from_form = _shown_both_ways(ticket, l1_agent)
    assert drawn == from_form


def test_incident_grid_draws_every_kind_of_value(l1_agent, l1_group):
    assignee = UserFactory(first_name='Ana "<b>', groups=[l1_group])
    ticket = TicketFactory(
        status=S.IN_PROGRESS,
        assignment_group=l1_group,
        assigned_to=assignee,
        vendor=VendorFactory(name="VENDOR LAMA", is_active=False),
        back_dated=timezone.now().replace(second=31, microsecond=12) - datetime.timedelta(days=3),
        is_vip=True,
        requested_by='Budi "<script>" & {{ x }}',
        description="\nfirst line <b>bold</b> & more",
        phone="081234567890",
        **_taxonomy_path(inactive_level=2),
    )
    for assign_url in (None, "/incidents/x/act/assign/"):
        drawn, from_form = _shown_both_ways(ticket, l1_agent, assign_url)
        assert drawn == from_form
    assert "checked" in drawn and "VENDOR LAMA</option>" in drawn


def test_incident_grid_frames_are_kept_per_language(in_request, l1_agent):
    ticket = TicketFactory(status=S.IN_PROGRESS)
    for language in ("id", "en", "id"):
        with translation.override(language):
            drawn, from_form = _shown_both_ways(ticket, l1_agent)
            assert drawn == from_form
    assert reference.kept(("incident form frames", "en"), dict)
    assert reference.kept(("incident form frames", "id"), dict)


def test_frame_of_refuses_a_bound_form(l1_agent):
    ticket = TicketFactory(status=S.IN_PROGRESS)
    form = IncidentForm({"version": ticket.version}, instance=ticket, user=l1_agent)
    with pytest.raises(ValueError):
        frame_of(form["building"], grid=True)


def test_page_draws_the_incident_form_as_the_form_does(l1_client, l1_agent, l1_group):
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group, building="A & B")
    page = l1_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    load_names([ticket], active={"taxonomy", "incident_type", "location", "vendor"})
    _drawn, from_form = _shown_both_ways(ticket, l1_agent, act_url(ticket))
    assert from_form in page


def act_url(ticket):
    return reverse("tickets:act", args=[ticket.number, "assign"])
