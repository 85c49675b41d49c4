"""The pages of one incident: Create New, the incident page, its actions, tabs and print."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from taxonomy.models import Category
from tests.factories import (
    AssignmentGroupFactory,
    CategoryFactory,
    CloseCodeFactory,
    NoteFactory,
    TicketFactory,
    UserFactory,
    VendorFactory,
)
from tickets import workflow
from tickets.models import Attachment, Note, Template, Ticket, TicketEvent, WatchListEntry

pytestmark = pytest.mark.django_db

S = Ticket.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def detail_url(ticket):
    return reverse("tickets:detail", args=[ticket.number])


def act_url(ticket, slug):
    return reverse("tickets:act", args=[ticket.number, slug])


@pytest.fixture
def category():
    return CategoryFactory(name="TEKNOLOGI INFORMASI")


@pytest.fixture
def sub_category(category):
    return CategoryFactory(name="SISTEM OSS", parent=category)


@pytest.fixture
def ticket(l1_agent, category):
    """A New ticket of the L1 group, created through the workflow (so it has its history)."""
    return workflow.create_ticket(
        by=l1_agent,
        category=category,
        short_description="Tidak bisa login",
        contact_type=Ticket.ContactType.EMAIL,
        impact=Ticket.Impact.MEDIUM,
        urgency=Ticket.Urgency.MEDIUM,
        requested_by="Budi",
        email="budi@example.com",
    )


def incident_data(category, **changes):
    data = {
        "category": category.pk,
        "short_description": "Tidak bisa login ke OSS",
        "contact_type": "email",
        "impact": "1",
        "urgency": "3",
        "requested_by": "Budi Hartono",
        "company_name": "PT Maju Jaya",
        "email": "budi@majujaya.co.id",
        "nib": "1234567890123",
    }
    return data | changes


def edit_data(ticket, **changes):
    """What the page's form posts for the ticket as it is now, plus the changes."""
    data = {
        "version": ticket.version,
        "category": ticket.category_id,
        "short_description": ticket.short_description,
        "contact_type": ticket.contact_type,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "requested_by": ticket.requested_by,
        "email": ticket.email,
    }
    return data | changes


# --- Create New ----------------------------------------------------------------------------


def test_create_page_shows_the_two_columns_without_inline_script(l1_client, category):
    response = l1_client.get(reverse("tickets:create"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("requested_by", "category", "sub_category", "impact", "assignment_group"):
        assert f'name="{name}"' in html
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html


@pytest.mark.parametrize("rows", [1, 20])
def test_create_page_query_count_is_flat(l1_client, l1_group, rows, django_assert_num_queries):
    for index in range(rows):
        CategoryFactory(parent=CategoryFactory())
        AssignmentGroupFactory()
        UserFactory(groups=[l1_group])
        Template.objects.create(name=f"Template {index}")
    # session, user with groups, header counters, pick lists (one UNION), the members of
    # the agent's group (Assigned To)
    with django_assert_num_queries(5):
        response = l1_client.get(reverse("tickets:create"))
    assert response.status_code == 200
    # ... and the last two are kept while the reference data is unchanged
    with django_assert_num_queries(3):
        l1_client.get(reverse("tickets:create"))


def test_create_offers_only_active_categories(l1_client, category):
    CategoryFactory(name="RETIRED", is_active=False)
    response = l1_client.get(reverse("tickets:create"))
    assert category.name in response.content.decode()
    assert "RETIRED" not in response.content.decode()


def test_create_saves_and_shows_the_new_number(l1_client, category, l1_group):
    response = l1_client.post(reverse("tickets:create"), incident_data(category))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(ticket)
    assert messages_of(response) == [f"Incident {ticket.number} was created."]
    assert (ticket.status, ticket.assignment_group, ticket.priority) == (
        S.NEW,
        l1_group,
        Ticket.Priority.MEDIUM,
    )


def test_create_for_another_group_starts_assigned(l1_client, category, l2_group):
    data = incident_data(category, assignment_group=l2_group.pk)
    l1_client.post(reverse("tickets:create"), data)
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.assignment_group) == (S.ASSIGNED, l2_group)


def test_create_with_missing_fields_keeps_what_was_typed(l1_client, category):
    data = incident_data(category, short_description="")
    response = l1_client.post(reverse("tickets:create"), data)
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert response.context["form"].errors["short_description"]
    assert 'value="PT Maju Jaya"' in response.content.decode()


def test_create_refuses_a_sub_category_of_another_category(l1_client, category):
    elsewhere = CategoryFactory(name="INTEGRASI", parent=CategoryFactory(name="NON TI"))
    data = incident_data(category, sub_category=elsewhere.pk)
    response = l1_client.post(reverse("tickets:create"), data)
    assert response.status_code == 200
    assert "is not under" in response.context["form"].errors["sub_category"][0]
    assert not Ticket.objects.exists()


def test_create_refuses_back_dated_in_the_future(l1_client, category):
    future = (timezone.localtime() + timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = l1_client.post(reverse("tickets:create"), incident_data(category, back_dated=future))
    assert response.context["form"].errors["back_dated"] == ["Back Dated cannot be in the future."]
    assert not Ticket.objects.exists()


def test_create_refuses_an_assignee_outside_the_group(l1_client, category, l2_group, l1_agent):
    data = incident_data(category, assignment_group=l2_group.pk, assigned_to=l1_agent.pk)
    response = l1_client.post(reverse("tickets:create"), data)
    assert "is not a member of L2 BKPM" in response.context["form"].errors["assigned_to"][0]
    assert not Ticket.objects.exists()


def test_create_says_beside_the_group_when_no_first_line_group_is_active(
    l2_client, l1_group, category
):
    l1_group.is_active = False
    l1_group.save()
    response = l2_client.post(reverse("tickets:create"), incident_data(category))
    assert response.status_code == 200
    assert response.context["form"].errors["assignment_group"] == ["Choose an Assignment Group."]
    assert 'value="PT Maju Jaya"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_refusal_beside_its_field_is_not_said_again_above_the_page(l2_client, l1_group, category):
    l1_group.is_active = False
    l1_group.save()
    response = l2_client.post(reverse("tickets:create"), incident_data(category))
    assert response.context["form"].errors["assignment_group"]
    assert messages_of(response) == []


def test_create_checks_nib_digits(l1_client, category):
    response = l1_client.post(reverse("tickets:create"), incident_data(category, nib="12ab"))
    assert response.context["form"].errors["nib"] == ["A NIB has 13 digits."]


def test_create_cleans_html_in_the_description(l1_client, category):
    data = incident_data(category, description="<p>OK</p><script>alert(1)</script>")
    l1_client.post(reverse("tickets:create"), data)
    assert Ticket.objects.get().description == "<p>OK</p>"


def test_create_is_refused_for_a_user_without_group(client, category):
    client.force_login(UserFactory())
    response = client.post(reverse("tickets:create"), incident_data(category))
    assert response.status_code == 200
    assert messages_of(response) == ["Only members of an assignment group can create incidents."]
    assert not Ticket.objects.exists()


# --- the incident page ---------------------------------------------------------------------


def test_page_shows_the_incident_and_its_buttons(l1_client, ticket):
    response = l1_client.get(detail_url(ticket))
    assert response.status_code == 200
    html = response.content.decode()
    assert ticket.number in html and 'data-state="new"' in html
    shown = [action.slug for action, _form, _url in response.context["buttons"]]
    assert shown == ["pick-up", "assign", "cancel"]
    assert 'data-action="save"' in html and 'data-action="resolve"' not in html


@pytest.mark.parametrize("number", ["INC-2020-000007", "LAMA 12#b", ".."])
def test_page_forms_post_to_the_ticket_s_own_addresses(l1_client, ticket, number):
    """Also for an imported number that an address must escape."""
    Ticket.objects.filter(pk=ticket.pk).update(number=number)
    response = l1_client.get(reverse("tickets:detail", args=[number]))
    urls = response.context["urls"]
    assert urls["detail"] == reverse("tickets:detail", args=[number])
    assert urls["add_note"] == reverse("tickets:add_note", args=[number])
    assert urls["act"] == {
        slug: reverse("tickets:act", args=[number, slug])
        for slug in ("pick-up", "assign", "cancel")
    }
    assert f'action="{urls["add_note"]}"' in response.content.decode()


def test_page_of_an_unknown_number_is_404(l1_client):
    assert l1_client.get(reverse("tickets:detail", args=["INC-2026-999999"])).status_code == 404


def test_page_of_a_ticket_the_vendor_never_held_is_404(vendor_client, ticket):
    assert vendor_client.get(detail_url(ticket)).status_code == 404


def test_pages_need_a_login(client, ticket):
    for url in (reverse("tickets:create"), detail_url(ticket), act_url(ticket, "hold")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def add_page_rows(ticket, by, count):
    """Notes by different people, history, related incidents of other groups, watch-list
    entries and attachments: each kind of row the incident page lists."""
    for index in range(count):
        NoteFactory(ticket=ticket, author=UserFactory())
        workflow.update_ticket(ticket, by=by, changes={"building": f"Gedung {index}"})
        other = TicketFactory(status=S.NEW, assignment_group=AssignmentGroupFactory())
        workflow.link_related(ticket, by=by, other=other)
        WatchListEntry.objects.create(ticket=ticket, email=f"cc{index}@example.com", added_by=by)
        Attachment.objects.create(
            ticket=ticket,
            file=f"attachments/{index}",
            original_name=f"laporan-{index}.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=UserFactory(),
        )


@pytest.mark.parametrize("rows", [1, 20])
def test_page_query_count_is_flat(l1_client, l1_agent, ticket, rows, django_assert_num_queries):
    add_page_rows(ticket, l1_agent, rows)
    # session, user with groups, ticket with the header counters, the tabs' rows (notes,
    # history, watch list, attachments and related incidents: one UNION), pick lists (one
    # UNION: also every name the page shows), users (the group's members and everyone the
    # page names)
    with django_assert_num_queries(6):
        response = l1_client.get(detail_url(ticket))
    assert response.status_code == 200
    assert response.content.decode().count('data-entry="work_note"') == rows
    # Seen again with the reference data unchanged: the pick lists and the users are kept.
    with django_assert_num_queries(4):
        again = l1_client.get(detail_url(ticket))
    assert again.content == response.content.replace(
        response.context["csrf_token"].encode(), again.context["csrf_token"].encode()
    )


@pytest.mark.parametrize("rows", [1, 20])
def test_read_only_page_query_count_is_flat(
    l2_client, l1_agent, ticket, rows, django_assert_num_queries
):
    add_page_rows(ticket, l1_agent, rows)
    # the same queries for an agent outside the group, who sees the fields read-only
    with django_assert_num_queries(6):
        response = l2_client.get(detail_url(ticket))
    assert response.status_code == 200
    assert response.context["edit_form"] is None
    with django_assert_num_queries(4):
        l2_client.get(detail_url(ticket))


def test_history_shows_labels_and_names(l1_client, l1_agent, ticket):
    workflow.update_ticket(ticket, by=l1_agent, changes={"impact": Ticket.Impact.HIGH})
    workflow.pick_up_ticket(ticket, by=l1_agent)
    response = l1_client.get(detail_url(ticket))
    stream = response.context["stream"]
    assert ("Impact", "Medium", "High") in stream[1]["changes"]
    assert ("Assigned to", "", str(l1_agent)) in stream[0]["changes"]
    assert "In Progress" in response.content.decode()


def test_notes_and_history_form_one_stream_newest_first(l1_client, l1_agent, ticket):
    workflow.add_note(ticket, by=l1_agent, visibility=Note.Visibility.WORK_NOTE, body="first")
    workflow.pick_up_ticket(ticket, by=l1_agent)
    response = l1_client.get(detail_url(ticket))
    kinds = [entry["kind"] for entry in response.context["stream"]]
    assert kinds == ["event", "work_note", "event"]


def test_notes_tab_counts_the_notes_not_the_history(l1_client, l1_agent, ticket):
    workflow.add_note(ticket, by=l1_agent, visibility=Note.Visibility.COMMENT, body="Halo")
    workflow.pick_up_ticket(ticket, by=l1_agent)
    html = l1_client.get(detail_url(ticket)).content.decode()
    tab = html.split('id="tab-notes"')[1].split("</button>")[0]
    assert re.search(r">\s*1\s*</span>", tab)


def test_mandatory_fields_are_marked_apart_from_their_labels(l1_client, ticket):
    html = l1_client.get(detail_url(ticket)).content.decode()
    label = re.search(r'<label for="id_short_description"[^>]*>(.*?)</label>', html).group(1)
    assert label == (
        'Short Description<span class="text-danger" aria-hidden="true">*</span>'
        '<span class="visually-hidden"> (required)</span>'
    )
    assert re.search(r'<label for="id_building"[^>]*>Building</label>', html)


def test_the_small_forms_of_the_notes_tab_mark_nothing_mandatory(l1_client, ticket):
    html = l1_client.get(detail_url(ticket)).content.decode()
    for field_id in ("id_work_note_body", "id_comment_body", "id_watch_email"):
        label = re.search(rf'<label for="{field_id}"[^>]*>(.*?)</label>', html).group(1)
        assert "*" not in label and "required" not in label
    # Still required by the browser, only not marked.
    assert " required" in re.search(r'<input[^>]*id="id_watch_email"[^>]*>', html).group(0)


def test_every_state_has_its_own_readable_badge():
    colours = Ticket.STATUS_COLOURS
    assert set(colours) == set(Ticket.Status)
    assert len(set(colours.values())) == len(colours)
    assert "light" not in colours.values()
    assert colours[S.CLOSED] == "secondary"


def test_tabs_with_nothing_behind_them_are_not_shown(l1_client, ticket):
    response = l1_client.get(detail_url(ticket))
    html = response.content.decode()
    assert 'data-tab="notes"' in html and 'data-tab="attachments"' in html
    assert 'data-tab="resolved"' not in html and 'data-tab="closure"' not in html


def test_closed_ticket_page_is_read_only(l1_client, l1_group):
    closed = TicketFactory(status=S.CLOSED, assignment_group=l1_group)
    response = l1_client.get(detail_url(closed))
    html = response.content.decode()
    assert response.context["buttons"] == [] and response.context["edit_form"] is None
    assert "<textarea" not in html and "<select" not in html and 'type="file"' not in html
    assert 'data-action="print"' in html and 'data-tab="closure"' in html
    assert 'data-tab="attachments"' not in html


def test_agent_outside_the_group_sees_the_fields_read_only(l2_client, ticket):
    response = l2_client.get(detail_url(ticket))
    assert response.context["edit_form"] is None and response.context["buttons"] == []
    assert 'name="short_description"' not in response.content.decode()


def test_existing_ticket_keeps_an_inactive_category(l1_client, ticket, category):
    category.is_active = False
    category.save()
    page = l1_client.get(detail_url(ticket)).content.decode()
    select = re.search(r'<select name="category".*?</select>', page, re.S).group(0)
    assert f'<option value="{category.pk}" selected>{category.name}</option>' in select


# --- Save ----------------------------------------------------------------------------------


def test_save_changes_the_fields(l1_client, ticket):
    response = l1_client.post(detail_url(ticket), edit_data(ticket, company_name="PT Baru"))
    assert response.status_code == 302 and response.url == detail_url(ticket)
    assert messages_of(response) == [f"{ticket.number} was saved."]
    ticket.refresh_from_db()
    assert (ticket.company_name, ticket.version) == ("PT Baru", 2)
    assert ticket.events.latest("pk").data["changes"] == {"company_name": ["", "PT Baru"]}


def test_save_without_changes_writes_nothing(l1_client, ticket):
    response = l1_client.post(detail_url(ticket), edit_data(ticket))
    assert messages_of(response) == ["Nothing to save: no field was changed."]
    ticket.refresh_from_db()
    assert ticket.version == 1 and ticket.events.count() == 1


def test_save_with_invalid_input_keeps_it_and_shows_the_error(l1_client, ticket):
    response = l1_client.post(
        detail_url(ticket), edit_data(ticket, short_description="", company_name="PT Baru")
    )
    assert response.status_code == 200
    assert response.context["edit_form"].errors["short_description"]
    assert 'value="PT Baru"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.company_name == ""


def test_save_after_someone_else_keeps_input_and_lists_their_change(l1_client, l1_agent2, ticket):
    loaded = edit_data(ticket, company_name="PT Saya")
    workflow.update_ticket(ticket, by=l1_agent2, changes={"short_description": "Akun terkunci"})
    response = l1_client.post(detail_url(ticket), loaded)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="PT Saya"' in html
    assert "Short description</strong>: Tidak bisa login → Akun terkunci" in html
    assert "changed by someone else" in messages_of(response)[0]
    assert response.context["edit_form"]["version"].value() == "2"
    ticket.refresh_from_db()
    assert (ticket.company_name, ticket.short_description) == ("", "Akun terkunci")


def test_saving_again_after_a_lost_update_keeps_the_other_agents_change(
    l1_client, l1_agent2, ticket
):
    loaded = edit_data(ticket, building="Gedung A")
    workflow.update_ticket(
        ticket, by=l1_agent2, changes={"company_name": "PT Lain", "impact": Ticket.Impact.LOW}
    )
    refused = l1_client.post(detail_url(ticket), loaded)
    retry = refused.context["edit_form"].data
    assert (retry["company_name"], retry["impact"], retry["building"]) == (
        "PT Lain",
        "3",
        "Gedung A",
    )
    l1_client.post(detail_url(ticket), retry)
    ticket.refresh_from_db()
    assert (ticket.company_name, ticket.impact, ticket.building) == ("PT Lain", 3, "Gedung A")


def test_a_field_both_agents_changed_keeps_the_typed_value_for_review(l1_client, l1_agent2, ticket):
    loaded = edit_data(ticket, company_name="PT Saya")
    workflow.update_ticket(ticket, by=l1_agent2, changes={"company_name": "PT Lain"})
    refused = l1_client.post(detail_url(ticket), loaded)
    assert refused.context["edit_form"].data["company_name"] == "PT Saya"


def test_save_is_refused_for_an_agent_outside_the_group(l2_client, ticket):
    response = l2_client.post(detail_url(ticket), edit_data(ticket, company_name="PT X"))
    assert response.status_code == 409
    assert messages_of(response) == [
        f"Only members of Helpcenter L1 BKPM can do this on {ticket.number}."
    ]
    assert 'value="PT X"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.company_name == ""


def test_a_save_refused_since_another_group_took_the_ticket_says_so_and_keeps_the_input(
    l1_client, l1_agent2, ticket, l2_group
):
    loaded = edit_data(ticket, company_name="PT Saya")
    workflow.assign_ticket(ticket, by=l1_agent2, group=l2_group)
    response = l1_client.post(detail_url(ticket), loaded)
    assert response.status_code == 409
    assert messages_of(response) == [
        f"{ticket.number} is now held by L2 BKPM; you can no longer change it."
    ]
    assert response.context["edit_form"]["company_name"].value() == "PT Saya"
    ticket.refresh_from_db()
    assert ticket.company_name == ""


def test_a_save_refused_since_another_group_took_the_ticket_is_shown_read_only(
    l1_client, l1_agent2, ticket, l2_group
):
    loaded = edit_data(ticket, company_name="PT Saya")
    workflow.assign_ticket(ticket, by=l1_agent2, group=l2_group)
    html = l1_client.post(detail_url(ticket), loaded).content.decode()
    assert re.search(r'<input type="text" name="company_name" value="PT Saya"[^>]* readonly', html)
    assert "data-kept-input" in html and 'data-action="save"' not in html
    # What the other agent did is listed, as after any lost update.
    assert "data-conflict" in html


def test_a_save_refused_since_the_ticket_was_closed_says_so_and_keeps_the_input(
    l1_client, l1_agent2, l1_group, category
):
    resolved = TicketFactory(status=S.RESOLVED, assignment_group=l1_group, category=category)
    loaded = edit_data(resolved, company_name="PT Saya")
    workflow.close_ticket(resolved, by=l1_agent2, close_code=CloseCodeFactory(), close_notes="OK")
    response = l1_client.post(detail_url(resolved), loaded)
    assert response.status_code == 409
    assert messages_of(response) == [f"{resolved.number} is Closed and can no longer be changed."]
    assert 'value="PT Saya"' in response.content.decode()


def test_an_invalid_save_on_a_ticket_another_group_took_keeps_the_input_and_says_why(
    l1_client, l1_agent2, ticket, l2_group
):
    loaded = edit_data(ticket, short_description="", company_name="PT Saya")
    workflow.assign_ticket(ticket, by=l1_agent2, group=l2_group)
    response = l1_client.post(detail_url(ticket), loaded)
    assert response.status_code == 409
    assert messages_of(response) == [
        f"{ticket.number} is now held by L2 BKPM; you can no longer change it."
    ]
    assert 'value="PT Saya"' in response.content.decode()


def test_save_refuses_an_assignee_outside_the_group(l1_client, ticket, l2_agent):
    response = l1_client.post(detail_url(ticket), edit_data(ticket, assigned_to=l2_agent.pk))
    assert response.status_code == 200
    assert response.context["edit_form"].errors["assigned_to"]
    ticket.refresh_from_db()
    assert ticket.assigned_to is None


# --- actions -------------------------------------------------------------------------------


def test_action_page_asks_for_its_input(l1_client, ticket):
    response = l1_client.get(act_url(ticket, "cancel"))
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


def test_unknown_action_is_404(l1_client, ticket):
    assert l1_client.get(act_url(ticket, "explode")).status_code == 404


def test_action_page_in_the_wrong_state_redirects_with_a_message(l1_client, ticket):
    response = l1_client.get(act_url(ticket, "resolve"))
    assert response.status_code == 302 and response.url == detail_url(ticket)
    assert messages_of(response) == [f"{ticket.number} cannot be resolved: it is New."]


@pytest.mark.parametrize(
    ("slug", "start", "data", "end", "message"),
    [
        ("pick-up", S.NEW, {}, S.IN_PROGRESS, "You picked up {number}."),
        ("assign", S.IN_PROGRESS, {"group": "l2"}, S.ASSIGNED, "{number} was assigned to L2 BKPM."),
        ("hold", S.IN_PROGRESS, {"reason": "Menunggu dokumen"}, S.ON_HOLD, "{number} is on hold."),
        (
            "third-party",
            S.REOPENED,
            {"vendor": "vendor"},
            S.ON_HOLD,
            "{number} is on hold, waiting on INDOSAT.",
        ),
        ("resume", S.ON_HOLD, {}, S.IN_PROGRESS, "{number} is in progress again."),
        (
            "resolve",
            S.IN_PROGRESS,
            {"resolution": "Reset password"},
            S.RESOLVED,
            "{number} was resolved; Helpcenter L1 BKPM verifies and closes it.",
        ),
        (
            "reopen",
            S.RESOLVED,
            {"reason": "Masih gagal"},
            S.REOPENED,
            "{number} was re-opened and sent back to Helpcenter L1 BKPM.",
        ),
        ("cancel", S.ASSIGNED, {"reason": "Duplikat"}, S.CANCELLED, "{number} was cancelled."),
        (
            "close",
            S.RESOLVED,
            {"close_code": "code", "close_notes": "OK"},
            S.CLOSED,
            "{number} was closed.",
        ),
    ],
)
def test_each_action_moves_the_ticket_and_says_what_it_did(
    l1_client, l1_group, l2_group, slug, start, data, end, message
):
    ticket = TicketFactory(status=start, assignment_group=l1_group, opened_by_group=l1_group)
    ids = {"l2": l2_group.pk, "vendor": VendorFactory().pk, "code": CloseCodeFactory().pk}
    post = {name: ids.get(value, value) for name, value in data.items()}
    response = l1_client.post(act_url(ticket, slug), {**post, "version": ticket.version})
    assert response.status_code == 302
    assert response.url.startswith(detail_url(ticket))
    ticket.refresh_from_db()
    assert ticket.status == end
    assert messages_of(response) == [message.format(number=ticket.number)]
    assert TicketEvent.objects.get(ticket=ticket).actor.username == "l1"


def test_assign_to_a_person_names_the_person_and_the_group(l1_client, ticket, l2_group, l2_agent):
    data = {"group": l2_group.pk, "assignee": l2_agent.pk, "version": ticket.version}
    response = l1_client.post(act_url(ticket, "assign"), data)
    assert messages_of(response) == [f"{ticket.number} was assigned to {l2_agent} (L2 BKPM)."]


def test_reopen_button_is_readable(l1_client, l1_group):
    resolved = TicketFactory(status=S.RESOLVED, assignment_group=l1_group)
    html = l1_client.get(detail_url(resolved)).content.decode()
    assert 'data-action="reopen"' in html
    assert "btn-outline-warning" not in html and "btn-warning" not in html


def test_action_in_the_wrong_state_is_refused_and_changes_nothing(l1_client, ticket):
    response = l1_client.post(act_url(ticket, "resolve"), {"resolution": "x", "version": 1})
    assert response.status_code == 409
    assert messages_of(response) == [f"{ticket.number} cannot be resolved: it is New."]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolution, ticket.events.count()) == (S.NEW, "", 1)


def test_a_refused_resolve_keeps_the_typed_resolution(l1_client, ticket):
    typed = "Password direset lewat menu Lupa Password; pelapor sudah bisa login."
    response = l1_client.post(act_url(ticket, "resolve"), {"resolution": typed, "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert typed in html and "cannot be resolved: it is New." in html
    # The action cannot be taken now: no button to press again, the text stays to copy.
    assert "data-not-available" in html and 'class="btn btn-success"' not in html


def test_a_resolve_on_an_old_version_keeps_the_text_and_may_be_sent_again(
    l1_client, l1_agent, l1_agent2, ticket
):
    workflow.pick_up_ticket(ticket, by=l1_agent)
    seen = Ticket.objects.get(pk=ticket.pk).version
    workflow.update_ticket(ticket, by=l1_agent2, changes={"building": "Gedung A"})
    typed = "Akun dibuka kembali."
    response = l1_client.post(act_url(ticket, "resolve"), {"resolution": typed, "version": seen})
    assert response.status_code == 409
    assert typed in response.content.decode()
    assert "changed by someone else" in messages_of(response)[0]
    form = response.context["form"]
    assert form["version"].value() == str(seen + 1)
    again = l1_client.post(act_url(ticket, "resolve"), form.data)
    assert again.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolution) == (S.RESOLVED, typed)


def test_a_stale_resolve_says_the_ticket_was_resolved_meanwhile(l2_client, l2_group, l1_group):
    ticket = TicketFactory(
        status=S.IN_PROGRESS, assignment_group=l2_group, opened_by_group=l1_group
    )
    seen = ticket.version
    colleague = UserFactory(groups=[l2_group])
    workflow.hold_ticket(ticket, by=colleague, reason="Menunggu pelapor")
    workflow.resolve_ticket(ticket, by=colleague, resolution="Password direset")
    typed = "Akun dibuka kembali."
    response = l2_client.post(act_url(ticket, "resolve"), {"resolution": typed, "version": seen})
    assert response.status_code == 409
    assert messages_of(response) == [f"{ticket.number} cannot be resolved: it is Resolved."]
    assert typed in response.content.decode()


def test_close_notes_typed_without_a_close_code_are_kept(l1_client, l1_group):
    resolved = TicketFactory(status=S.RESOLVED, assignment_group=l1_group)
    data = {"close_notes": "Pelapor mengonfirmasi.", "version": resolved.version}
    response = l1_client.post(act_url(resolved, "close"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["close_code"]
    assert "Pelapor mengonfirmasi." in response.content.decode()


def test_an_invalid_form_for_an_action_not_available_keeps_the_input_and_says_why(
    l1_client, ticket
):
    response = l1_client.post(act_url(ticket, "hold"), {"reason": "x" * 300, "version": 1})
    assert response.status_code == 200
    assert messages_of(response) == [f"{ticket.number} cannot be put on hold: it is New."]
    assert "x" * 300 in response.content.decode()


def test_action_outside_the_group_is_refused(l2_client, l1_group):
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group)
    response = l2_client.post(act_url(ticket, "hold"), {"reason": "x", "version": 1})
    assert messages_of(response) == [
        f"Only members of Helpcenter L1 BKPM can do this on {ticket.number}."
    ]
    ticket.refresh_from_db()
    assert ticket.status == S.IN_PROGRESS


def test_close_is_refused_for_an_l2_agent(l2_client, l2_group):
    ticket = TicketFactory(status=S.RESOLVED, assignment_group=l2_group)
    data = {"close_code": CloseCodeFactory().pk, "close_notes": "OK", "version": 1}
    response = l2_client.post(act_url(ticket, "close"), data)
    assert messages_of(response) == ["Only first-line (L1) agents can do this."]
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED


def test_action_on_an_old_version_is_refused(l1_client, l1_agent2, ticket):
    workflow.update_ticket(ticket, by=l1_agent2, changes={"building": "Gedung A"})
    response = l1_client.post(act_url(ticket, "pick-up"), {"version": 1})
    assert "changed by someone else" in messages_of(response)[0]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assigned_to) == (S.NEW, None)


def test_action_with_missing_input_shows_the_error_beside_the_field(l1_client, ticket):
    response = l1_client.post(act_url(ticket, "cancel"), {"reason": "", "version": 1})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    ticket.refresh_from_db()
    assert ticket.status == S.NEW


def test_assign_refuses_an_assignee_outside_the_target_group(l1_client, ticket, l2_group, l1_agent):
    data = {"group": l2_group.pk, "assignee": l1_agent.pk, "version": 1}
    response = l1_client.post(act_url(ticket, "assign"), data)
    assert "is not a member of L2 BKPM" in response.context["form"].errors["assignee"][0]
    ticket.refresh_from_db()
    assert ticket.assignment_group.name == "Helpcenter L1 BKPM"


# --- notes and the watch list --------------------------------------------------------------


def post_note(client, ticket, visibility, body, capture):
    with capture(execute=True):
        return client.post(
            reverse("tickets:add_note", args=[ticket.number]),
            {"visibility": visibility, "body": body},
        )


def test_comment_is_emailed_to_the_watch_list_and_requester(
    l1_client, l1_agent, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    WatchListEntry.objects.create(ticket=ticket, email="cc@example.com", added_by=l1_agent)
    response = post_note(
        l1_client, ticket, "comment", "Silakan reset password.", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302 and response.url == detail_url(ticket) + "#notes"
    assert sorted(m.to[0] for m in mailoutbox) == ["budi@example.com", "cc@example.com"]
    assert "Silakan reset password." in mailoutbox[0].body
    assert Note.objects.get().visibility == Note.Visibility.COMMENT


def test_work_note_is_never_emailed(
    l1_client, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    response = post_note(
        l1_client, ticket, "work_note", "Akun terkunci.", django_capture_on_commit_callbacks
    )
    assert messages_of(response) == ["Work note added."]
    assert mailoutbox == []
    assert Note.objects.get().body == "Akun terkunci."


def test_comment_subject_has_no_line_break(
    l1_client, l1_group, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(
        status=S.NEW,
        assignment_group=l1_group,
        email="a@example.com",
        short_description="Baris satu\r\nBcc: x@evil.example",
    )
    post_note(l1_client, ticket, "comment", "Hi", django_capture_on_commit_callbacks)
    assert mailoutbox[0].subject == f"[{ticket.number}] Baris satu Bcc: x@evil.example"
    assert mailoutbox[0].bcc == []


def test_empty_note_shows_the_error_beside_the_field(l1_client, ticket):
    response = l1_client.post(
        reverse("tickets:add_note", args=[ticket.number]), {"visibility": "comment", "body": ""}
    )
    assert response.status_code == 200
    assert response.context["note_forms"][1].errors["body"]
    assert not Note.objects.exists()


def test_note_on_a_closed_ticket_is_refused_beside_the_text(l1_client, l1_group):
    closed = TicketFactory(status=S.CLOSED, assignment_group=l1_group)
    response = l1_client.post(
        reverse("tickets:add_note", args=[closed.number]), {"visibility": "work_note", "body": "x"}
    )
    assert response.status_code == 409
    [kept] = response.context["note_forms"]
    assert kept.errors["body"] == [f"{closed.number} is Closed and can no longer be changed."]
    assert messages_of(response) == []
    assert not Note.objects.exists()


@pytest.fixture
def taken_from_vendor(l1_agent, vendor_group, l2_group):
    """A ticket the vendor's group held, which the first line then gave to L2 BKPM."""
    ticket = TicketFactory(status=S.ASSIGNED, assignment_group=vendor_group)
    return workflow.assign_ticket(ticket, by=l1_agent, group=l2_group)


def test_a_comment_refused_since_another_group_took_the_ticket_keeps_the_text(
    vendor_client, taken_from_vendor, django_capture_on_commit_callbacks
):
    typed = "Mohon kirim tangkapan layar saat login."
    response = post_note(
        vendor_client, taken_from_vendor, "comment", typed, django_capture_on_commit_callbacks
    )
    assert response.status_code == 409
    [kept] = response.context["note_forms"]
    assert kept.kind == "comment" and kept.errors["body"] == [
        "Only members of L2 BKPM or of a first-line group can add to or change the notes, "
        f"watch list, attachments and related incidents of {taken_from_vendor.number}."
    ]
    assert messages_of(response) == []
    assert not Note.objects.exists()


def test_a_refused_comment_is_shown_read_only_without_its_button(
    vendor_client, taken_from_vendor, django_capture_on_commit_callbacks
):
    typed = "Mohon kirim tangkapan layar saat login."
    response = post_note(
        vendor_client, taken_from_vendor, "comment", typed, django_capture_on_commit_callbacks
    )
    html = response.content.decode()
    assert re.search(r"<textarea [^>]*readonly[^>]*>\s*" + re.escape(typed), html)
    assert "data-kept-input" in html and "Post comment" not in html


def test_watch_list_add_and_remove(l1_client, ticket):
    url = reverse("tickets:add_watcher", args=[ticket.number])
    response = l1_client.post(url, {"email": "cc@example.com"})
    assert messages_of(response) == ["cc@example.com was added to the watch list."]
    entry = WatchListEntry.objects.get(ticket=ticket)
    remove = reverse("tickets:remove_watcher", args=[ticket.number, entry.pk])
    assert l1_client.post(remove).status_code == 302
    assert not WatchListEntry.objects.exists()


def test_watch_list_box_knows_the_requesters_address(l1_client, ticket):
    html = l1_client.get(detail_url(ticket)).content.decode()
    assert 'data-requester-email="budi@example.com"' in html
    assert 'id="watch-hint"' in html and "data-requester-hint=" in html


def test_watch_list_adds_the_requester_and_says_comments_reach_them_anyway(l1_client, ticket):
    url = reverse("tickets:add_watcher", args=[ticket.number])
    response = l1_client.post(url, {"email": "Budi@Example.com"})
    assert messages_of(response) == [
        "Budi@Example.com was added to the watch list. It is the requester's e-mail, which "
        "receives the additional comments anyway."
    ]
    assert WatchListEntry.objects.filter(ticket=ticket).count() == 1


def test_watch_list_refuses_a_duplicate(l1_client, l1_agent, ticket):
    WatchListEntry.objects.create(ticket=ticket, email="cc@example.com", added_by=l1_agent)
    url = reverse("tickets:add_watcher", args=[ticket.number])
    response = l1_client.post(url, {"email": "cc@example.com"})
    assert response.status_code == 409
    assert response.context["watch_form"].errors["email"] == [
        "cc@example.com is already on the watch list."
    ]
    assert messages_of(response) == []
    assert WatchListEntry.objects.count() == 1


def test_an_address_refused_since_another_group_took_the_ticket_is_kept(
    vendor_client, taken_from_vendor
):
    url = reverse("tickets:add_watcher", args=[taken_from_vendor.number])
    response = vendor_client.post(url, {"email": "cc@example.com"})
    assert response.status_code == 409
    assert response.context["watch_form"].errors["email"]
    assert 'value="cc@example.com"' in response.content.decode()
    assert not WatchListEntry.objects.exists()


def test_watch_list_refuses_an_invalid_address_beside_the_field(l1_client, ticket):
    url = reverse("tickets:add_watcher", args=[ticket.number])
    response = l1_client.post(url, {"email": "not-an-address"})
    assert response.status_code == 200
    assert response.context["watch_form"].errors["email"]
    assert 'value="not-an-address"' in response.content.decode()


def test_an_agent_outside_the_group_sees_the_tabs_without_post_forms(l2_client, ticket):
    response = l2_client.get(detail_url(ticket))
    html = response.content.decode()
    assert response.context["is_writable"] is False
    assert "data-note-form" not in html and 'name="email"' not in html
    assert 'type="file"' not in html and 'name="number"' not in html
    assert "data-tabs-read-only" in html


def test_a_note_from_an_agent_outside_the_group_is_refused(
    l2_client, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    response = post_note(l2_client, ticket, "comment", "Halo", django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert response.context["note_forms"][0].errors["body"] == [
        "Only members of Helpcenter L1 BKPM or of a first-line group can add to or change the "
        f"notes, watch list, attachments and related incidents of {ticket.number}."
    ]
    assert not Note.objects.exists() and mailoutbox == []


def test_a_first_line_agent_posts_on_a_ticket_the_vendor_holds(
    l1_client, vendor_group, django_capture_on_commit_callbacks
):
    held = TicketFactory(status=S.IN_PROGRESS, assignment_group=vendor_group)
    assert "data-note-form" in l1_client.get(detail_url(held)).content.decode()
    response = post_note(l1_client, held, "work_note", "Cek", django_capture_on_commit_callbacks)
    assert messages_of(response) == ["Work note added."]
    assert Note.objects.get().ticket == held


# --- attachments ---------------------------------------------------------------------------


def upload(client, ticket, name, content):
    url = reverse("tickets:upload", args=[ticket.number])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("laporan.pdf", PDF, "application/pdf"), ("foto.jpg", JPEG, "image/jpeg")],
)
def test_upload_accepts_pdf_and_jpeg(l1_client, ticket, name, content, content_type):
    response = upload(l1_client, ticket, name, content)
    assert response.status_code == 302 and response.url.endswith("#attachments")
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == (name, content_type)
    assert name not in attachment.file.name


def test_upload_recognises_the_type_by_content_not_name(l1_client, ticket):
    response = upload(l1_client, ticket, "virus.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 200
    assert response.context["upload_form"].errors["file"] == [
        "Only PDF and JPEG files can be attached."
    ]
    assert messages_of(response) == []
    assert not Attachment.objects.exists()


def test_upload_refuses_a_file_over_the_limit(l1_client, ticket, settings):
    settings.ESTIM_MAX_UPLOAD_BYTES = 20
    response = upload(l1_client, ticket, "big.pdf", PDF)
    assert (
        "at most 20\xa0bytes can be attached" in response.context["upload_form"].errors["file"][0]
    )
    assert not Attachment.objects.exists()


def test_upload_makes_the_file_name_safe(l1_client, ticket):
    upload(l1_client, ticket, "..\\..\\evil\x07name.html", PDF)
    assert Attachment.objects.get().original_name == "evilname.html.pdf"


def test_upload_on_a_closed_ticket_is_refused_beside_the_file_saying_it_was_not_kept(
    l1_client, l1_group
):
    closed = TicketFactory(status=S.CLOSED, assignment_group=l1_group)
    response = upload(l1_client, closed, "a.pdf", PDF)
    assert response.status_code == 409
    assert response.context["upload_form"].errors["file"] == [
        f"{closed.number} is Closed and can no longer be changed.",
        "a.pdf was not attached; the page cannot keep a chosen file, so it must be chosen again.",
    ]
    assert messages_of(response) == []
    assert not Attachment.objects.exists()


def test_a_file_refused_since_another_group_took_the_ticket_says_why_in_its_tab(
    vendor_client, taken_from_vendor
):
    response = upload(vendor_client, taken_from_vendor, "bukti.pdf", PDF)
    assert response.status_code == 409
    assert response.context["tabs"]["attachments"] and response.context["tab"] == "attachments"
    assert "bukti.pdf was not attached" in response.context["upload_form"].errors["file"][1]
    assert not Attachment.objects.exists()


def test_download_is_an_attachment_that_is_not_sniffed(l1_client, ticket):
    upload(l1_client, ticket, "laporan.pdf", PDF)
    attachment = Attachment.objects.get()
    response = l1_client.get(reverse("tickets:download", args=[ticket.number, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="laporan.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_download_is_404_for_who_may_not_see_the_ticket(l1_client, vendor_client, ticket):
    upload(l1_client, ticket, "laporan.pdf", PDF)
    url = reverse("tickets:download", args=[ticket.number, Attachment.objects.get().pk])
    assert vendor_client.get(url).status_code == 404


def test_attachments_are_listed_with_uploader_and_time(l1_client, l1_agent, ticket):
    upload(l1_client, ticket, "laporan.pdf", PDF)
    html = l1_client.get(detail_url(ticket)).content.decode()
    assert "laporan.pdf" in html and str(l1_agent) in html
    assert reverse("tickets:download", args=[ticket.number, Attachment.objects.get().pk]) in html


# --- related incidents ---------------------------------------------------------------------


def test_link_and_unlink_a_related_incident(l1_client, ticket, l1_group):
    other = TicketFactory(status=S.NEW, assignment_group=l1_group)
    url = reverse("tickets:link_related", args=[ticket.number])
    response = l1_client.post(url, {"number": other.number.lower()})
    assert messages_of(response) == [f"{other.number} is now related."]
    assert list(other.related.all()) == [ticket]
    unlink = reverse("tickets:unlink_related", args=[ticket.number, other.number])
    l1_client.post(unlink)
    assert not ticket.related.exists()


def test_link_refuses_an_incident_already_related_beside_the_number(
    l1_client, l1_agent, ticket, l1_group
):
    other = TicketFactory(status=S.NEW, assignment_group=l1_group)
    workflow.link_related(other, by=l1_agent, other=ticket)
    url = reverse("tickets:link_related", args=[ticket.number])
    response = l1_client.post(url, {"number": other.number})
    assert response.status_code == 409
    assert response.context["related_form"].errors["number"] == [
        f"{other.number} is already related to {ticket.number}."
    ]
    assert f'value="{other.number}"' in response.content.decode()
    assert messages_of(response) == []


def test_a_link_refused_since_another_group_took_the_ticket_keeps_the_number(
    vendor_client, taken_from_vendor, vendor_group
):
    other = TicketFactory(status=S.IN_PROGRESS, assignment_group=vendor_group)
    url = reverse("tickets:link_related", args=[taken_from_vendor.number])
    response = vendor_client.post(url, {"number": other.number})
    assert response.status_code == 409
    assert response.context["related_form"].errors["number"]
    assert f'value="{other.number}"' in response.content.decode()
    assert not other.related.exists()


def test_link_refuses_the_incident_itself_beside_the_field(l1_client, ticket):
    url = reverse("tickets:link_related", args=[ticket.number])
    response = l1_client.post(url, {"number": ticket.number})
    assert response.status_code == 200
    assert response.context["related_form"].errors["number"] == [
        "An incident cannot be related to itself."
    ]


@pytest.mark.parametrize("state", [S.CLOSED, S.CANCELLED])
def test_link_refuses_a_finished_incident_beside_the_field_keeping_the_number(
    l1_client, ticket, l1_group, state
):
    finished = TicketFactory(status=state, assignment_group=l1_group)
    url = reverse("tickets:link_related", args=[ticket.number])
    response = l1_client.post(url, {"number": finished.number})
    assert response.status_code == 200
    assert response.context["related_form"].errors["number"] == [
        f"{finished.number} is {finished.status_label}: it can no longer be related or unlinked."
    ]
    assert f'value="{finished.number}"' in response.content.decode()
    assert messages_of(response) == []
    assert not ticket.related.exists()


def test_link_refuses_an_incident_the_user_may_not_see(vendor_client, vendor_agent, l1_group):
    vendor_group = vendor_agent.assignment_groups.get()
    mine = TicketFactory(status=S.IN_PROGRESS, assignment_group=vendor_group)
    hidden = TicketFactory(status=S.NEW, assignment_group=l1_group)
    url = reverse("tickets:link_related", args=[mine.number])
    response = vendor_client.post(url, {"number": hidden.number})
    assert response.context["related_form"].errors["number"] == [
        f"There is no incident {hidden.number}."
    ]
    assert not mine.related.exists()


# --- print, and POST-only addresses --------------------------------------------------------


def test_print_page_shows_the_incident_and_its_notes(l1_client, l1_agent, ticket):
    workflow.add_note(ticket, by=l1_agent, visibility=Note.Visibility.WORK_NOTE, body="Cek log")
    response = l1_client.get(reverse("tickets:print", args=[ticket.number]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ticket.number in html and "Cek log" in html and "data-print" in html
    assert "<form" not in html.split('class="estim-print')[1]


@pytest.mark.parametrize("rows", [1, 20])
def test_print_query_count_is_flat(l1_client, l1_agent, ticket, rows, django_assert_num_queries):
    add_page_rows(ticket, l1_agent, rows)
    # session, user with groups, header counters, ticket, pick lists and users (the names
    # the ticket shows), notes, attachments
    with django_assert_num_queries(8):
        response = l1_client.get(reverse("tickets:print", args=[ticket.number]))
    assert response.status_code == 200


def test_print_of_an_unknown_number_is_404(l1_client):
    assert l1_client.get(reverse("tickets:print", args=["INC-2026-000404"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("tickets:add_note", []),
        ("tickets:add_watcher", []),
        ("tickets:remove_watcher", [1]),
        ("tickets:upload", []),
        ("tickets:link_related", []),
        ("tickets:unlink_related", ["INC-2026-000001"]),
    ],
)
def test_post_only_addresses_answer_get_with_405(l1_client, ticket, name, extra):
    response = l1_client.get(reverse(name, args=[ticket.number, *extra]))
    assert response.status_code == 405


def test_action_buttons_of_another_group_member(client, ticket):
    # A second first-line agent may act; a member of an unrelated group may not.
    other = UserFactory(groups=[AssignmentGroupFactory(name="Service Desk Pusat")])
    client.force_login(other)
    response = client.get(detail_url(ticket))
    assert response.context["buttons"] == []


def test_l1_agent_keeps_assign_and_cancel_on_a_ticket_escalated_but_not_picked_up(
    l1_client, l2_client, vendor_group
):
    ticket = TicketFactory(status=S.ASSIGNED, assignment_group=vendor_group)
    response = l1_client.get(detail_url(ticket))
    assert [action.slug for action, _form, _url in response.context["buttons"]] == [
        "assign",
        "cancel",
    ]
    assert 'data-action="assign"' in response.content.decode()
    assert response.context["edit_form"] is None
    assert l2_client.get(detail_url(ticket)).context["buttons"] == []


def test_l1_agent_reassigns_a_ticket_escalated_to_the_vendor(l1_client, vendor_group, l2_group):
    ticket = TicketFactory(status=S.ASSIGNED, assignment_group=vendor_group)
    data = {"group": l2_group.pk, "version": ticket.version}
    response = l1_client.post(act_url(ticket, "assign"), data)
    assert messages_of(response) == [f"{ticket.number} was assigned to L2 BKPM."]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignment_group) == (S.ASSIGNED, l2_group)


def test_l1_agent_has_no_buttons_once_the_vendor_picked_the_ticket_up(l1_client, vendor_group):
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=vendor_group)
    assert l1_client.get(detail_url(ticket)).context["buttons"] == []


def test_pick_up_and_resolve_take_as_many_queries_on_a_small_and_a_large_ticket(
    l1_client, l1_agent, category
):
    """Each action's query count stays the same whatever the ticket holds, and within 12."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def create():
        return workflow.create_ticket(
            by=l1_agent,
            category=category,
            short_description="Tidak bisa login",
            contact_type=Ticket.ContactType.EMAIL,
            impact=Ticket.Impact.MEDIUM,
            urgency=Ticket.Urgency.MEDIUM,
            requested_by="Budi",
            email="budi@example.com",
        )

    counts = {}
    for rows in (1, 20):
        ticket = create()
        add_page_rows(ticket, l1_agent, rows)
        ticket.refresh_from_db()
        for slug, data in (("pick-up", {}), ("resolve", {"resolution": "Password direset."})):
            version = Ticket.objects.get(pk=ticket.pk).version
            with CaptureQueriesContext(connection) as queries:
                response = l1_client.post(act_url(ticket, slug), {"version": version, **data})
            assert response.status_code == 302
            counts[slug, rows] = len(queries)
    assert Ticket.objects.get(pk=ticket.pk).status == S.RESOLVED
    for slug in ("pick-up", "resolve"):
        assert counts[slug, 1] == counts[slug, 20] <= 12, counts


def test_pick_lists_accept_active_entries_and_a_ticket_keeps_its_retired_one(
    l1_client, l1_agent, category
):
    from tickets.models import Location

    office = Location.objects.create(name="Kantor Pusat")
    retired = Location.objects.create(name="Gedung Lama", is_active=False)
    url = reverse("tickets:create")
    response = l1_client.post(url, incident_data(category, location=retired.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["location"]
    assert 'value="Budi Hartono"' in response.content.decode()  # what was typed is kept
    response = l1_client.post(url, incident_data(category, location="99999"))
    assert response.context["form"].errors["location"]
    response = l1_client.post(url, incident_data(category, location=office.pk))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.location == office
    # Retired after it was chosen: the ticket keeps it, and saves other changes with it.
    Ticket.objects.filter(pk=ticket.pk).update(location=retired)
    ticket.refresh_from_db()
    data = edit_data(ticket, short_description="Masih tidak bisa login", location=retired.pk)
    response = l1_client.post(detail_url(ticket), data)
    assert response.status_code == 302, response.context["edit_form"].errors
    ticket.refresh_from_db()
    assert (ticket.location, ticket.short_description) == (retired, "Masih tidak bisa login")


@pytest.mark.parametrize("rows", [1, 20])
def test_create_takes_as_many_queries_whatever_the_lists_hold(
    l1_client, l1_group, category, rows, django_assert_num_queries
):
    for index in range(rows):
        CategoryFactory(parent=category)
        UserFactory(groups=[l1_group])
        Template.objects.create(name=f"Template {index}")
    url = reverse("tickets:create")
    # The tally, the holding, the held tally and the history: one statement on PostgreSQL,
    # four elsewhere.
    counting = 1 if connection.vendor == "postgresql" else 4
    # session, user with groups, pick lists (every entry, one UNION), users (Assigned To),
    # then the writes in a savepoint (the test's transaction holds the request): number,
    # ticket, the counting
    with django_assert_num_queries(8 + counting):
        assert l1_client.post(url, incident_data(category)).status_code == 302
    # ... and neither lists nor users while the reference data is unchanged
    with django_assert_num_queries(6 + counting):
        assert l1_client.post(url, incident_data(category)).status_code == 302


def test_a_retired_category_is_refused_on_a_new_ticket_and_kept_on_an_old_one(l1_client, category):
    sub = CategoryFactory(name="LOGIN", parent=category)
    url = reverse("tickets:create")
    assert l1_client.post(url, incident_data(category, sub_category=sub.pk)).status_code == 302
    ticket = Ticket.objects.get()
    Category.objects.filter(pk=sub.pk).update(is_active=False)
    response = l1_client.post(url, incident_data(category, sub_category=sub.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["sub_category"]
    other = CategoryFactory(name="SERVER")
    response = l1_client.post(url, incident_data(other, sub_category=sub.pk))
    assert response.context["form"].errors["sub_category"]
    data = edit_data(ticket, short_description="Masih gagal", sub_category=sub.pk)
    response = l1_client.post(detail_url(ticket), data)
    assert response.status_code == 302, response.context["edit_form"].errors
    ticket.refresh_from_db()
    assert (ticket.sub_category, ticket.short_description) == (sub, "Masih gagal")


def test_page_reads_the_header_counters_with_its_ticket(l1_client, l1_agent, l1_group, l2_group):
    """As every other page counts them (tickets.queues.header_counters)."""
    TicketFactory(opened_by=l1_agent, assignment_group=l2_group, status=S.ASSIGNED)
    TicketFactory(assignment_group=l1_group, status=S.IN_PROGRESS, assigned_to=l1_agent)
    TicketFactory(assignment_group=l1_group, status=S.CLOSED, assigned_to=l1_agent)
    shown = TicketFactory(assignment_group=l1_group, status=S.NEW)
    on_home = l1_client.get(reverse("tickets:home")).context["counters"]
    response = l1_client.get(detail_url(shown))
    assert response.context["counters"] == on_home
    assert on_home == {"my_ticket": 1, "my_assignment": 1, "my_group": 2}
    assert 'data-counter="my-assignment">1</span>' in response.text


def test_a_vendor_s_page_counts_only_what_the_group_sees(
    vendor_client, vendor_agent, vendor_group, l2_group
):
    held = TicketFactory(
        assignment_group=vendor_group, status=S.IN_PROGRESS, assigned_to=vendor_agent
    )
    TicketFactory(opened_by=vendor_agent, assignment_group=vendor_group, status=S.NEW)
    # Opened by the vendor's agent for a group the vendor never was: not theirs to count.
    TicketFactory(opened_by=vendor_agent, assignment_group=l2_group, status=S.ASSIGNED)
    on_home = vendor_client.get(reverse("tickets:home")).context["counters"]
    assert on_home == {"my_ticket": 1, "my_assignment": 1, "my_group": 2}
    assert vendor_client.get(detail_url(held)).context["counters"] == on_home


def test_an_administrator_without_a_group_sees_the_page_with_counters(admin_client, ticket):
    response = admin_client.get(detail_url(ticket))
    assert response.status_code == 200
    assert response.context["counters"]["my_group"] == 0
