"""seed_demo --incidents and agents at the same time: the generator's block of numbers is
reserved under the counter's row lock, so a ticket created meanwhile waits and continues after
the block."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from tests.concurrency.race import errors, run_together
from tickets import workflow
from tickets.demo_data import _reserve_numbers
from tickets.models import Ticket, TicketCounter

pytestmark = pytest.mark.django_db(transaction=True)

BLOCK = 5


def test_a_ticket_created_while_a_block_is_reserved_gets_the_number_after_it(l1_agent, category):
    year = timezone.localtime().year

    def reserve_and_hold():
        with transaction.atomic():
            before = _reserve_numbers([timezone.now()] * BLOCK)
            # The generator writes its rows now; the agent's create must wait for the commit.
            time.sleep(0.5)
        return before

    def create_meanwhile():
        time.sleep(0.1)
        return workflow.create_ticket(
            by=l1_agent,
            short_description="Tidak bisa login",
            category=category,
            contact_type=Ticket.ContactType.PHONE,
            impact=Ticket.Impact.LOW,
            urgency=Ticket.Urgency.LOW,
        )

    reserved, created = run_together(reserve_and_hold, create_meanwhile)
    assert errors([reserved, created]) == []
    assert reserved.value == {year: 0}
    assert created.value.number == f"INC-{year}-{BLOCK + 1:06d}"
    assert TicketCounter.objects.get(year=year).last == BLOCK + 1
