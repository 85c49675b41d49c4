"""seed_demo --incidents: realistic incidents in bulk that obey the product's rules."""

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from tests.factories import CategoryFactory
from tickets import workflow
from tickets.demo_data import generate
from tickets.models import (
    GroupHolding,
    Note,
    Ticket,
    TicketCounter,
    TicketEvent,
    compute_priority,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("loaddata", "taxonomy", "reference", verbosity=0)
    call_command("seed_demo", incidents=400, agents=40, verbosity=0)
    return Ticket.objects.all()


def test_generates_the_asked_number_of_incidents_with_unique_valid_numbers(generated):
    numbers = list(generated.values_list("number", flat=True))
    assert len(numbers) == 400 == len(set(numbers))
    assert all(re.fullmatch(r"INC-\d{4}-\d{6}", n) for n in numbers)


def test_most_incidents_are_closed_and_every_state_appears(generated):
    shares = Counter(generated.values_list("status", flat=True))
    assert 0.7 < shares[Ticket.Status.CLOSED] / 400 < 0.9
    assert len(shares) >= 6


def test_each_incident_has_two_to_four_history_rows_and_one_to_three_notes(generated):
    events = Counter(TicketEvent.objects.values_list("ticket_id", flat=True))
    notes = Counter(Note.objects.values_list("ticket_id", flat=True))
    assert set(events.values()) <= {2, 3, 4} and len(events) == 400
    assert set(notes.values()) <= {1, 2, 3} and len(notes) == 400


def test_rows_obey_the_rules(generated):
    for ticket in generated.select_related("sub_category", "item_category", "item_name"):
        assert ticket.priority == compute_priority(ticket.impact, ticket.urgency)
        last = TicketEvent.objects.filter(ticket=ticket).order_by("created_at", "id").last()
        assert last.to_status == ticket.status
        if ticket.assigned_to_id:
            assert ticket.assignment_group.members.filter(pk=ticket.assigned_to_id).exists()
        for child, parent in (
            (ticket.sub_category, ticket.category_id),
            (ticket.item_category, ticket.sub_category_id),
            (ticket.item_name, ticket.item_category_id),
        ):
            assert child is None or child.parent_id == parent
        assert GroupHolding.objects.filter(ticket=ticket, group=ticket.assignment_group).exists()


def test_spread_over_three_years(generated):
    years = generated.values("opened_at__year").annotate(n=Count("id"))
    assert len(years) >= 3


def test_a_new_real_ticket_continues_the_sequence(generated):
    ticket = workflow.create_ticket(
        by=User.objects.get(username="l1.agent"),
        short_description="x",
        category=CategoryFactory(),
        contact_type="email",
        impact=1,
        urgency=1,
    )
    year = ticket.number[4:8]
    same_year = generated.filter(number__startswith=f"INC-{year}-").exclude(pk=ticket.pk)
    assert ticket.number > max(same_year.values_list("number", flat=True))


def _create_ticket(**values):
    return workflow.create_ticket(
        by=User.objects.get(username="l1.agent"),
        short_description="x",
        category=CategoryFactory(),
        contact_type="email",
        impact=1,
        urgency=1,
        **values,
    )


def test_numbers_reserved_for_generated_incidents_are_not_handed_out_twice():
    """Agents create tickets while the generator runs: each batch takes its block of numbers
    when it starts, and its rows' ids as the database hands them out, so neither gets a number
    or an id the other has."""
    call_command("loaddata", "taxonomy", "reference", verbosity=0)
    created = []
    generate(
        200,
        agents=40,
        years=1,
        batch_size=40,
        progress=lambda done: created.append(_create_ticket()),
    )
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == 205 == len(set(numbers))
    year = timezone.localdate().year
    counter = TicketCounter.objects.get(year=year)
    assert counter.last == Ticket.objects.filter(number__startswith=f"INC-{year}-").count()
    assert _create_ticket().number == f"INC-{year}-{counter.last + 1:06d}"


def test_running_it_again_adds_more(generated):
    call_command("seed_demo", incidents=50, agents=40, verbosity=0)
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == 450 == len(set(numbers))
