"""An action that fails halfway leaves the ticket and its history exactly as they were."""

import pytest
from django.db import DatabaseError

from tickets import tallies, workflow
from tickets.models import GroupHolding, Ticket, TicketCounter, TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def failing_history(monkeypatch):
    """Writing the history row fails, after the ticket itself has been saved."""

    def fail(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(TicketEvent.objects, "create", fail)


def _state(ticket):
    """The ticket's row, its history and the groups that hold it, as stored."""
    row = Ticket.objects.filter(pk=ticket.pk).values().get()
    events = list(TicketEvent.objects.filter(ticket=ticket).values().order_by("pk"))
    holdings = sorted(GroupHolding.objects.filter(ticket=ticket).values_list("group_id", flat=True))
    return row, events, holdings


ACTIONS = {
    "assign": lambda t, user, group: workflow.assign_ticket(t, by=user, group=group),
    "resolve": lambda t, user, group: workflow.resolve_ticket(t, by=user, resolution="Fixed"),
    "update": lambda t, user, group: workflow.update_ticket(
        t, by=user, changes={"short_description": "Changed"}
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_action_failing_halfway_changes_nothing(
    in_progress_ticket, l1_agent, l2_group, failing_history, action
):
    before = _state(in_progress_ticket)
    with pytest.raises(DatabaseError, match="disk full"):
        ACTIONS[action](in_progress_ticket, l1_agent, l2_group)
    assert _state(in_progress_ticket) == before


def _create(user, category):
    return workflow.create_ticket(
        by=user,
        short_description="Tidak bisa login",
        category=category,
        contact_type=Ticket.ContactType.EMAIL,
        impact=Ticket.Impact.HIGH,
        urgency=Ticket.Urgency.HIGH,
    )


@pytest.fixture
def failing_last_write(monkeypatch):
    """A new ticket's last write (its counting and history) is made, then the transaction
    fails."""
    count_new = tallies.count_new

    def fail(ticket, **kwargs):
        count_new(ticket, **kwargs)
        raise DatabaseError("disk full")

    monkeypatch.setattr(tallies, "count_new", fail)


def test_create_failing_halfway_leaves_no_ticket_and_uses_no_number(
    l1_agent, category, monkeypatch, failing_last_write
):
    with pytest.raises(DatabaseError, match="disk full"):
        _create(l1_agent, category)
    assert not Ticket.objects.exists() and not GroupHolding.objects.exists()
    assert not TicketEvent.objects.exists()
    assert tallies.stored() == ({}, {})
    assert not TicketCounter.objects.filter(last__gt=0).exists()
    monkeypatch.undo()  # the last write succeeds again
    assert _create(l1_agent, category).number.endswith("-000001")
