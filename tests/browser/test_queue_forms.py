"""A queue page's forms as the browser parses them: forms cannot nest, so the pager's own
form must not swallow the Pick Up form's check boxes (a test client never sees this)."""

import pytest
from playwright.sync_api import expect

from accounts.models import AssignmentGroup, User
from tests.factories import CategoryFactory, TicketFactory
from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_queue_check_boxes_submit_with_pick_up_and_the_pager_has_its_own_form(open_agent):
    l1 = open_agent("l1.agent")
    ticket = TicketFactory(
        category=CategoryFactory(),
        opened_by=User.objects.get(username="l1.agent2"),
        assignment_group=AssignmentGroup.objects.get(name="Helpcenter L1 BKPM"),
        status=Ticket.Status.NEW,
    )
    page = l1.page
    page.goto("/queues/my-group/")
    checkbox = page.get_by_label(f"Select {ticket.number}")
    assert checkbox.evaluate("box => box.form && box.form.id") == "queue-form"
    pager_forms = page.locator("input[name=page]").evaluate_all(
        "inputs => inputs.map(input => input.form && input.form.method)"
    )
    assert pager_forms == ["get", "get"]
    checkbox.check()
    page.get_by_role("button", name="Pick Up", exact=True).click()
    expect(page.locator(".alert-success")).to_have_text(f"Picked up {ticket.number}.")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_PROGRESS
    assert ticket.assigned_to.username == "l1.agent"
