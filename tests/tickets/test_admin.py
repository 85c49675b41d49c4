"""Django admin for a ticket's notes, watch list and attachments: staff may look them up and
delete them (a malicious file, an address added by mistake), never add or change them; the
history stays view-only."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import NoteFactory, TicketEventFactory, TicketFactory
from tickets import workflow
from tickets.models import Attachment, Note, Ticket, WatchListEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def ticket(l1_group):
    return TicketFactory(assignment_group=l1_group, status=Ticket.Status.IN_PROGRESS)


@pytest.fixture
def attachment(ticket, l1_agent):
    return workflow.add_attachment(
        ticket,
        by=l1_agent,
        file=ContentFile(PDF),
        original_name="tagihan.pdf",
        content_type="application/pdf",
    )


@pytest.fixture
def entries(ticket, l1_agent, attachment):
    """One row of each kind, by model name."""
    return {
        "note": NoteFactory(ticket=ticket, author=l1_agent),
        "watchlistentry": workflow.add_watcher(ticket, by=l1_agent, email="budi@example.co.id"),
        "attachment": attachment,
    }


KINDS = ["note", "watchlistentry", "attachment"]
# Our own apps' admin pages (not those of installed packages such as django-axes).
MODEL_ADMINS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in ("accounts", "taxonomy", "tickets")
]


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=str)
def test_no_admin_offers_a_look_up_for_a_field_it_shows_read_only(model_admin):
    # An autocomplete widget is only drawn for a field that can be edited.
    assert not set(model_admin.autocomplete_fields) & set(model_admin.readonly_fields)


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=str)
def test_no_admin_offers_a_date_both_as_a_filter_and_as_a_date_drill_down(model_admin):
    assert model_admin.date_hierarchy not in model_admin.list_filter


@pytest.mark.parametrize("kind", KINDS)
def test_admin_lists_and_finds_them_by_ticket_number(admin_client, entries, ticket, kind):
    url = reverse(f"admin:tickets_{kind}_changelist")
    assert admin_client.get(url).status_code == 200
    found = admin_client.get(url, {"q": ticket.number})
    assert found.status_code == 200
    assert ticket.number in found.content.decode()
    assert admin_client.get(url, {"q": "INC-1999-000001"}).context["cl"].result_count == 0


@pytest.mark.parametrize("kind", KINDS)
def test_admin_shows_one_read_only_with_a_delete_link(admin_client, entries, kind):
    entry = entries[kind]
    response = admin_client.get(reverse(f"admin:tickets_{kind}_change", args=[entry.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert reverse(f"admin:tickets_{kind}_delete", args=[entry.pk]) in html


@pytest.mark.parametrize("kind", KINDS)
def test_admin_cannot_add_one(admin_client, kind):
    assert admin_client.get(reverse(f"admin:tickets_{kind}_add")).status_code == 403


def test_admin_cannot_change_an_attachment(admin_client, attachment):
    url = reverse("admin:tickets_attachment_change", args=[attachment.pk])
    response = admin_client.post(url, {"original_name": "harmless.pdf", "content_type": "x"})
    assert response.status_code == 403
    attachment.refresh_from_db()
    assert (attachment.original_name, attachment.content_type) == (
        "tagihan.pdf",
        "application/pdf",
    )


def test_admin_deletes_a_malicious_attachment_and_its_stored_file(
    admin_client, attachment, settings, django_capture_on_commit_callbacks
):
    stored = Path(settings.MEDIA_ROOT) / attachment.file.name
    assert stored.read_bytes() == PDF
    url = reverse("admin:tickets_attachment_delete", args=[attachment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not stored.exists()


def test_admin_deletes_attachments_in_bulk_with_their_files(
    admin_client, ticket, l1_agent, settings, django_capture_on_commit_callbacks
):
    files = [
        workflow.add_attachment(
            ticket, by=l1_agent, file=ContentFile(PDF), original_name=f"{n}.pdf", content_type="x"
        ).file.name
        for n in range(2)
    ]
    data = {
        "action": "delete_selected",
        "_selected_action": [*Attachment.objects.values_list("pk", flat=True)],
        "post": "yes",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:tickets_attachment_changelist"), data)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not any((Path(settings.MEDIA_ROOT) / name).exists() for name in files)


def test_admin_deletes_a_note_and_a_watch_list_entry(admin_client, entries):
    for kind in ("note", "watchlistentry"):
        url = reverse(f"admin:tickets_{kind}_delete", args=[entries[kind].pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Note.objects.exists() and not WatchListEntry.objects.exists()


def test_history_stays_view_only(admin_client):
    event = TicketEventFactory()
    url = reverse("admin:tickets_ticketevent_change", args=[event.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"action": "close"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "update"


def test_a_non_staff_user_is_sent_to_the_admin_login(l1_client, attachment):
    for url in (
        reverse("admin:tickets_attachment_changelist"),
        reverse("admin:tickets_attachment_delete", args=[attachment.pk]),
    ):
        response = l1_client.post(url, {"post": "yes"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert Attachment.objects.filter(pk=attachment.pk).exists()
