"""A queue's table at the agents' usual screen width: every column in view, none cut off."""

import pytest
from playwright.sync_api import expect

from accounts.models import AssignmentGroup, User
from taxonomy.models import Category
from tests.factories import TicketFactory, UserFactory
from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_queue_table_fits_1400_pixels_without_scrolling_sideways(open_agent):
    group = AssignmentGroup.objects.get(name="Helpcenter L1 BKPM")
    for words in (3, 30):
        TicketFactory(
            category=Category.objects.get(name="TEKNOLOGI INFORMASI", parent=None),
            short_description=" ".join(["Pelaku usaha tidak bisa login ke OSS"] * words)[:160],
            opened_by=UserFactory(first_name="Raden Ajeng Kartika", last_name="Simanjuntak"),
            assignment_group=group,
            assigned_to=User.objects.get(username="servicedesk"),
            status=Ticket.Status.IN_PROGRESS,
            is_vip=True,
        )
    agent = open_agent("l1.agent")  # a 1400 x 900 window
    page = agent.page
    page.goto("/queues/all/")
    table = page.locator(".table-responsive")
    expect(table.locator("tbody tr")).to_have_count(2)
    agent.shot("queue")
    scroll_width, client_width = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert scroll_width <= client_width
    # The number and the opening time stay on one line each.
    lines = page.locator("tbody tr:first-child td:is(:nth-child(2), :nth-child(8))").evaluate_all(
        """cells => cells.map(cell => {
            const text = document.createRange();
            text.selectNodeContents(cell.querySelector("a") || cell);
            return new Set([...text.getClientRects()].map(rect => rect.top)).size;
        })"""
    )
    assert lines == [1, 1]
