"""E-mail about assignments and resolutions (comments are tested with the incident pages)."""

import pytest

from tests.factories import CategoryFactory, TicketFactory, UserFactory
from tickets import workflow
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

S = Ticket.Status


def test_escalation_e_mails_the_members_of_the_new_group(
    l1_agent, l1_group, l2_group, mailoutbox, django_capture_on_commit_callbacks
):
    members = [UserFactory(groups=[l2_group], email=f"l2-{n}@example.com") for n in range(2)]
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group, short_description="A\nB")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign_ticket(ticket, by=l1_agent, group=l2_group)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in members)
    assert ticket.number in mailoutbox[0].subject and "\n" not in mailoutbox[0].subject
    assert "L2 BKPM" in mailoutbox[0].subject


def test_assignment_to_a_person_e_mails_only_that_person(
    l1_agent, l1_group, l2_group, l2_agent, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(groups=[l2_group], email="other@example.com")
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign_ticket(ticket, by=l1_agent, group=l2_group, assignee=l2_agent)
    assert [m.to for m in mailoutbox] == [[l2_agent.email]]


def test_creating_for_another_group_e_mails_it(
    l1_agent, l2_group, l2_agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.create_ticket(
            by=l1_agent,
            short_description="x",
            category=CategoryFactory(),
            contact_type="email",
            impact=1,
            urgency=1,
            assignment_group=l2_group,
        )
    assert [m.to for m in mailoutbox] == [[l2_agent.email]]


def test_creating_in_the_own_l1_queue_sends_nothing(
    l1_agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.create_ticket(
            by=l1_agent,
            short_description="x",
            category=CategoryFactory(),
            contact_type="email",
            impact=1,
            urgency=1,
        )
    assert mailoutbox == []


def test_resolution_e_mails_the_requester_with_the_resolution(
    l2_agent, l2_group, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(
        status=S.IN_PROGRESS, assignment_group=l2_group, email="budi@example.co.id"
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.resolve_ticket(ticket, by=l2_agent, resolution="Password direset.")
    assert [m.to for m in mailoutbox] == [["budi@example.co.id"]]
    assert "Password direset." in mailoutbox[0].body
