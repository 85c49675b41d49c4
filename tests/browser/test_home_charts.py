"""My Homepage's charts (static/js/home-charts.js) as Chart.js draws them."""

import pytest
from playwright.sync_api import expect

from accounts.models import AssignmentGroup, User
from taxonomy.models import Category
from tests.factories import TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_count_axis_steps_by_whole_incidents(open_agent):
    sub_category = Category.objects.get(name="SISTEM OSS")
    for _ in range(2):
        TicketFactory(
            category=sub_category.parent,
            sub_category=sub_category,
            opened_by=User.objects.get(username="l1.agent2"),
            assignment_group=AssignmentGroup.objects.get(name="Helpcenter L1 BKPM"),
        )
    agent = open_agent("l1.agent")
    page = agent.page
    expect(page.locator("#chart-status")).to_be_visible()
    page.wait_for_load_state("load")
    ticks = page.evaluate(
        "() => Chart.getChart('chart-sub-category').scales.x.ticks.map(tick => tick.value)"
    )
    assert ticks[0] == 0 and len(ticks) > 1
    assert all(value == int(value) for value in ticks), ticks
    assert agent.errors == []
