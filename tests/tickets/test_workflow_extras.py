"""Writes that leave the state alone: notes, watch list, attachments, related incidents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import TicketFactory
from tickets import workflow
from tickets.models import Attachment, Note, Ticket, TicketEvent, WatchListEntry

pytestmark = pytest.mark.django_db

S = Ticket.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def ticket(l1_group):
    return TicketFactory(
        status=S.IN_PROGRESS, assignment_group=l1_group, email="budi@example.com", version=3
    )


@pytest.fixture(params=[S.CLOSED, S.CANCELLED])
def finished(request, l1_group):
    return TicketFactory(status=request.param, assignment_group=l1_group)


def test_add_note_keeps_state_and_version_and_writes_no_event(ticket, l1_agent):
    note = workflow.add_note(ticket, by=l1_agent, visibility=Note.Visibility.WORK_NOTE, body=" x ")
    ticket.refresh_from_db()
    assert (note.body, note.author, note.ticket) == ("x", l1_agent, ticket)
    assert (ticket.status, ticket.version) == (S.IN_PROGRESS, 3)
    assert not TicketEvent.objects.filter(ticket=ticket).exists()


def test_add_note_is_refused_on_a_finished_ticket(finished, l1_agent):
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.add_note(finished, by=l1_agent, visibility=Note.Visibility.COMMENT, body="Hi")
    assert not Note.objects.exists()


def test_add_note_needs_text(ticket, l1_agent):
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.add_note(ticket, by=l1_agent, visibility=Note.Visibility.WORK_NOTE, body="  ")
    assert not Note.objects.exists()


def test_comment_is_mailed_after_the_commit_only(
    ticket, l1_agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.add_note(ticket, by=l1_agent, visibility=Note.Visibility.COMMENT, body="Hi")
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mailoutbox] == [["budi@example.com"]]


def test_work_note_schedules_no_mail(ticket, l1_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.add_note(ticket, by=l1_agent, visibility=Note.Visibility.WORK_NOTE, body="x")
    assert callbacks == []


def test_comment_mail_goes_to_each_address_once(
    ticket, l1_agent, mailoutbox, django_capture_on_commit_callbacks
):
    WatchListEntry.objects.create(ticket=ticket, email="BUDI@example.com", added_by=l1_agent)
    WatchListEntry.objects.create(ticket=ticket, email="cc@example.com", added_by=l1_agent)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_note(ticket, by=l1_agent, visibility=Note.Visibility.COMMENT, body="Hi")
    assert sorted(message.to[0] for message in mailoutbox) == ["budi@example.com", "cc@example.com"]


def test_add_watcher_refuses_an_address_already_on_the_list(ticket, l1_agent):
    workflow.add_watcher(ticket, by=l1_agent, email="cc@example.com")
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.add_watcher(ticket, by=l1_agent, email="CC@example.com ")
    assert WatchListEntry.objects.filter(ticket=ticket).count() == 1


def test_remove_watcher_refuses_an_entry_of_another_ticket(ticket, l1_agent, l1_group):
    other = TicketFactory(status=S.NEW, assignment_group=l1_group)
    entry = workflow.add_watcher(other, by=l1_agent, email="cc@example.com")
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.remove_watcher(ticket, by=l1_agent, entry=entry)
    assert WatchListEntry.objects.filter(pk=entry.pk).exists()


def test_remove_watcher_is_refused_on_a_finished_ticket(finished, l1_agent):
    entry = WatchListEntry.objects.create(ticket=finished, email="a@b.id", added_by=l1_agent)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.remove_watcher(finished, by=l1_agent, entry=entry)
    assert WatchListEntry.objects.filter(pk=entry.pk).exists()


def test_add_attachment_stores_the_file_under_a_generated_name(ticket, l1_agent):
    upload = SimpleUploadedFile("../laporan.pdf", PDF)
    attachment = workflow.add_attachment(
        ticket,
        by=l1_agent,
        file=upload,
        original_name="laporan.pdf",
        content_type="application/pdf",
    )
    assert "laporan" not in attachment.file.name
    assert attachment.file.name.startswith(f"attachments/{ticket.pk}/")
    assert (attachment.size, attachment.uploaded_by) == (len(PDF), l1_agent)
    assert attachment.file.read() == PDF


def test_add_attachment_is_refused_on_a_finished_ticket(finished, l1_agent):
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.add_attachment(
            finished,
            by=l1_agent,
            file=SimpleUploadedFile("a.pdf", PDF),
            original_name="a.pdf",
            content_type="application/pdf",
        )
    assert not Attachment.objects.exists()


def test_link_related_is_symmetrical(ticket, l1_agent, l1_group):
    other = TicketFactory(status=S.RESOLVED, assignment_group=l1_group)
    workflow.link_related(ticket, by=l1_agent, other=other)
    assert list(other.related.all()) == [ticket]


def test_link_related_refuses_a_finished_incident_as_the_other(finished, ticket, l1_agent):
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.link_related(ticket, by=l1_agent, other=finished)
    assert refusal.value.message == (
        f"{finished.number} is {finished.status_label}: it can no longer be related or unlinked."
    )
    assert not finished.related.exists()


def test_unlink_related_refuses_a_finished_incident_as_the_other(finished, ticket, l1_agent):
    ticket.related.add(finished)
    with pytest.raises(workflow.TransitionNotAllowed, match="can no longer be related or unlinked"):
        workflow.unlink_related(ticket, by=l1_agent, other=finished)
    assert list(finished.related.all()) == [ticket]


def test_link_related_refuses_the_ticket_itself(ticket, l1_agent):
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.link_related(ticket, by=l1_agent, other=ticket)
    assert not ticket.related.exists()


def test_link_related_refuses_a_pair_already_linked(ticket, l1_agent, l1_group):
    other = TicketFactory(status=S.NEW, assignment_group=l1_group)
    workflow.link_related(other, by=l1_agent, other=ticket)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.link_related(ticket, by=l1_agent, other=other)


def test_link_related_is_refused_on_a_finished_ticket(finished, ticket, l1_agent):
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.link_related(finished, by=l1_agent, other=ticket)
    assert not finished.related.exists()


def test_unlink_related_removes_both_directions(ticket, l1_agent, l1_group):
    other = TicketFactory(status=S.NEW, assignment_group=l1_group)
    workflow.link_related(ticket, by=l1_agent, other=other)
    workflow.unlink_related(other, by=l1_agent, other=ticket)
    assert not ticket.related.exists() and not other.related.exists()


def test_unlink_related_refuses_a_pair_not_linked(ticket, l1_agent, l1_group):
    other = TicketFactory(status=S.NEW, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.unlink_related(ticket, by=l1_agent, other=other)


# --- who may write the tabs -----------------------------------------------------------------

TAB_WRITES = {
    "work_note": lambda t, u: workflow.add_note(
        t, by=u, visibility=Note.Visibility.WORK_NOTE, body="x"
    ),
    "comment": lambda t, u: workflow.add_note(
        t, by=u, visibility=Note.Visibility.COMMENT, body="x"
    ),
    "watcher": lambda t, u: workflow.add_watcher(t, by=u, email="cc@example.com"),
    "attachment": lambda t, u: workflow.add_attachment(
        t,
        by=u,
        file=SimpleUploadedFile("a.pdf", PDF),
        original_name="a.pdf",
        content_type="application/pdf",
    ),
    "related": lambda t, u: workflow.link_related(
        t, by=u, other=TicketFactory(status=S.NEW, assignment_group=t.assignment_group)
    ),
}


def _tab_rows(ticket):
    return (
        ticket.notes.count(),
        ticket.watch_list.count(),
        ticket.attachments.count(),
        ticket.related.count(),
    )


@pytest.mark.parametrize("write", TAB_WRITES, ids=list(TAB_WRITES))
def test_a_group_that_held_the_ticket_before_cannot_write_its_tabs(
    write, l1_agent, vendor_agent, vendor_group, l2_group
):
    ticket = TicketFactory(status=S.ASSIGNED, assignment_group=vendor_group)
    workflow.assign_ticket(ticket, by=vendor_agent, group=l2_group)
    ticket.refresh_from_db()
    with pytest.raises(workflow.TransitionNotAllowed, match="Only members of L2 BKPM or of"):
        TAB_WRITES[write](ticket, vendor_agent)
    assert _tab_rows(ticket) == (0, 0, 0, 0)


@pytest.mark.parametrize("write", TAB_WRITES, ids=list(TAB_WRITES))
def test_an_agent_outside_the_group_and_the_first_line_cannot_write_the_tabs(
    write, ticket, l2_agent
):
    with pytest.raises(workflow.TransitionNotAllowed, match="Only members of"):
        TAB_WRITES[write](ticket, l2_agent)
    assert _tab_rows(ticket) == (0, 0, 0, 0)


@pytest.mark.parametrize("write", TAB_WRITES, ids=list(TAB_WRITES))
def test_first_line_agents_write_the_tabs_of_any_groups_ticket(write, l1_agent, vendor_group):
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=vendor_group)
    TAB_WRITES[write](ticket, l1_agent)
    assert sum(_tab_rows(ticket)) == 1


def test_who_may_write_the_tabs(ticket, l1_agent, l2_agent, admin_user, vendor_agent, l2_group):
    held_by_l2 = TicketFactory(status=S.IN_PROGRESS, assignment_group=l2_group)
    assert workflow.can_write_tabs(ticket, l1_agent)
    assert workflow.can_write_tabs(ticket, admin_user)
    assert not workflow.can_write_tabs(ticket, l2_agent)
    assert not workflow.can_write_tabs(ticket, vendor_agent)
    assert workflow.can_write_tabs(held_by_l2, l2_agent)
    assert workflow.can_write_tabs(held_by_l2, l1_agent)


def test_no_one_writes_the_tabs_of_a_finished_ticket(finished, l1_agent, admin_user):
    assert not workflow.can_write_tabs(finished, l1_agent)
    assert not workflow.can_write_tabs(finished, admin_user)
