"""Tickets reached through the workflow, and a wider window for races."""

import time

import pytest

from tests.factories import CategoryFactory
from tickets import workflow
from tickets.models import Ticket


@pytest.fixture
def category():
    return CategoryFactory()


@pytest.fixture
def new_ticket(l1_agent, l1_agent2, category):
    """A New ticket in the L1 group, which both L1 agents may work on."""
    return workflow.create_ticket(
        by=l1_agent,
        short_description="Tidak bisa login",
        category=category,
        contact_type=Ticket.ContactType.EMAIL,
        impact=Ticket.Impact.MEDIUM,
        urgency=Ticket.Urgency.MEDIUM,
    )


@pytest.fixture
def in_progress_ticket(new_ticket, l1_agent):
    return workflow.pick_up_ticket(new_ticket, by=l1_agent)


@pytest.fixture
def slow_guards(monkeypatch):
    """Make each action wait a moment between reading the ticket and checking its guards.

    Without the row lock, two racing calls would both read the old row in that moment and both
    write. With it, the second call waits for the first to commit and then reads its result.
    """
    check = workflow._check

    def slow_check(*args, **kwargs):
        time.sleep(0.2)
        return check(*args, **kwargs)

    monkeypatch.setattr(workflow, "_check", slow_check)
