"""Agents acting on the same tickets at the same moment, on real parallel connections."""

from functools import partial

import pytest
from django.utils import timezone

from tickets import tallies, workflow
from tickets.models import GroupHolding, Ticket, TicketCounter, TicketEvent
from tickets.workflow import TransitionNotAllowed

from .race import errors, run_together, successes

pytestmark = pytest.mark.django_db(transaction=True)

S = Ticket.Status
A = TicketEvent.Action


def test_two_agents_picking_up_one_ticket_only_one_gets_it(
    new_ticket, l1_agent, l1_agent2, slow_guards
):
    outcomes = run_together(
        partial(workflow.pick_up_ticket, new_ticket, by=l1_agent),
        partial(workflow.pick_up_ticket, new_ticket, by=l1_agent2),
    )
    [winner], [refusal] = successes(outcomes), errors(outcomes)
    assert isinstance(refusal, TransitionNotAllowed)
    assert refusal.message == f"{new_ticket.number} was already picked up by {winner.assigned_to}."
    new_ticket.refresh_from_db()
    assert (new_ticket.status, new_ticket.assigned_to_id) == (S.IN_PROGRESS, winner.assigned_to_id)
    assert new_ticket.events.filter(action=A.PICK_UP).count() == 1


def _create(user, category):
    return workflow.create_ticket(
        by=user,
        short_description="Tidak bisa login",
        category=category,
        contact_type=Ticket.ContactType.PHONE,
        impact=Ticket.Impact.LOW,
        urgency=Ticket.Urgency.LOW,
    )


def test_fifty_tickets_created_at_once_get_fifty_distinct_numbers(l1_agent, category):
    outcomes = run_together(*[partial(_create, l1_agent, category) for _ in range(50)])
    assert errors(outcomes) == []
    year = timezone.localtime().year
    numbers = sorted(ticket.number for ticket in successes(outcomes))
    assert numbers == [f"INC-{year}-{n:06d}" for n in range(1, 51)]
    assert Ticket.objects.count() == 50
    assert TicketCounter.objects.get(year=year).last == 50


def test_tickets_created_while_others_move_between_groups_keep_the_tallies_exact(
    l1_agent, l2_group, category
):
    # Both kinds of write add to the first-line group's tally and held tally of New tickets.
    moving = [_create(l1_agent, category) for _ in range(10)]
    outcomes = run_together(
        *[partial(_create, l1_agent, category) for _ in range(10)],
        *[partial(workflow.assign_ticket, t, by=l1_agent, group=l2_group) for t in moving],
    )
    assert errors(outcomes) == []
    assert Ticket.objects.filter(assignment_group=l2_group).count() == 10
    assert GroupHolding.objects.count() == 30
    assert tallies.stored() == tallies.counted()
