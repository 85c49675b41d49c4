"""The tallies stay equal to a recount of the tickets, and answer totals exactly."""

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, TicketFactory
from tickets import tallies, workflow
from tickets.models import GroupHolding, Ticket, TicketTally
from tickets.queues import tally_total

pytestmark = pytest.mark.django_db

S = Ticket.Status


def test_workflow_keeps_tallies_equal_to_a_recount(l1_agent, l2_agent, l2_group):
    root = CategoryFactory()
    ticket = workflow.create_ticket(
        by=l1_agent,
        short_description="x",
        category=root,
        contact_type="email",
        impact=1,
        urgency=1,
    )
    assert tallies.stored() == tallies.counted()
    workflow.assign_ticket(ticket, by=l1_agent, group=l2_group)
    workflow.pick_up_ticket(ticket, by=l2_agent)
    sub = CategoryFactory(parent=root)
    workflow.update_ticket(ticket, by=l2_agent, changes={"sub_category": sub, "is_vip": True})
    workflow.resolve_ticket(ticket, by=l2_agent, resolution="done")
    assert tallies.stored() == tallies.counted()


def test_a_new_ticket_is_counted_and_held_by_its_group(l1_agent, l2_group):
    sub = CategoryFactory(parent=CategoryFactory())
    ticket = workflow.create_ticket(
        by=l1_agent,
        short_description="x",
        category=sub.parent,
        sub_category=sub,
        contact_type="email",
        impact=1,
        urgency=1,
        assignment_group=l2_group,
        is_vip=True,
    )
    assert tallies.stored() == tallies.counted()
    assert tallies.stored()[0] == {(l2_group.pk, S.ASSIGNED, sub.pk, True): 1}
    assert list(GroupHolding.objects.filter(ticket=ticket).values_list("group", flat=True)) == [
        l2_group.pk
    ]


def test_rebuild_recounts_from_scratch():
    TicketFactory.create_batch(3, status=S.NEW)
    Ticket.objects.update(status=S.CANCELLED)  # behind the tallies' back
    tallies.rebuild()
    assert tallies.stored() == tallies.counted()


def test_opposite_moves_cancel_out(l1_group, l2_group):
    a = (l1_group.pk, S.NEW, 0, False)
    b = (l2_group.pk, S.ASSIGNED, 0, False)
    tallies.move(None, a)
    tallies.move(a, b)
    tallies.move(b, a)
    assert {(t.assignment_group_id, t.status): t.n for t in TicketTally.objects.all()} == {
        (l1_group.pk, S.NEW): 1,
        (l2_group.pk, S.ASSIGNED): 0,
    }


def test_queue_total_comes_from_the_tallies_and_is_exact(
    l1_client, l1_group, django_assert_num_queries
):
    sub = CategoryFactory(parent=CategoryFactory())
    TicketFactory.create_batch(3, status=S.NEW, sub_category=sub)
    TicketFactory.create_batch(2, status=S.CLOSED, sub_category=sub)
    url = reverse("tickets:queue", args=["all"]) + f"?state=new&sub_category={sub.pk}"
    response = l1_client.get(url)
    assert response.context["page"].paginator.count == 3
    assert "[1 - 3 / 3]" in response.content.decode()


def test_tallies_do_not_answer_for_a_text_filter_or_a_personal_queue(vendor_agent, l1_agent):
    assert tally_total("vip", vendor_agent, {}) is None
    assert tally_total("all", l1_agent, {"text": "login"}) is None
    assert tally_total("assigned-to-me", l1_agent, {}) is None
    assert tally_total("all", l1_agent, {"state": "new"}) == 0


def test_a_vendors_totals_count_what_its_group_holds_or_held(
    vendor_agent, vendor_group, l2_group, l2_agent
):
    held_before = TicketFactory(assignment_group=vendor_group, status=S.IN_PROGRESS)
    vendor_agent_in_group = vendor_agent
    workflow.assign_ticket(held_before, by=vendor_agent_in_group, group=l2_group)
    workflow.pick_up_ticket(held_before, by=l2_agent)
    TicketFactory(assignment_group=vendor_group, status=S.NEW)
    TicketFactory(assignment_group=l2_group, status=S.NEW)  # never held by the vendor
    visible = Ticket.objects.visible_to(vendor_agent)
    assert tally_total("all", vendor_agent, {}) == visible.count() == 2
    assert tally_total("all", vendor_agent, {"state": "in_progress"}) == 1
    assert tallies.stored()[1] == tallies.counted()[1]


def test_rebuild_command_repairs_the_tallies():
    from django.core.management import call_command

    TicketFactory.create_batch(2, status=S.NEW)
    TicketTally.objects.update(n=99)
    call_command("rebuild_tallies", verbosity=0)
    assert tallies.stored() == tallies.counted()
