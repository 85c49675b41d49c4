"""The state machine of SPEC.md section 3, checked cell by cell from one table."""

from types import SimpleNamespace

import pytest

from tests.factories import CloseCodeFactory, TicketFactory, VendorFactory
from tickets import workflow
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db

S = Ticket.Status
A = TicketEvent.Action
ALL_STATES = list(S)

# SPEC.md section 3, written out independently of tickets/workflow.py:
# action -> {from state: to state}
SPEC_TABLE = {
    A.ASSIGN: {s: S.ASSIGNED for s in (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD, S.REOPENED)},
    A.PICK_UP: {
        S.NEW: S.IN_PROGRESS,
        S.ASSIGNED: S.IN_PROGRESS,
        S.REOPENED: S.IN_PROGRESS,
        S.RESOLVED: S.RESOLVED,
    },
    A.HOLD: {S.IN_PROGRESS: S.ON_HOLD, S.REOPENED: S.ON_HOLD},
    A.THIRD_PARTY: {S.IN_PROGRESS: S.ON_HOLD, S.REOPENED: S.ON_HOLD},
    A.RESUME: {S.ON_HOLD: S.IN_PROGRESS},
    A.RESOLVE: {S.IN_PROGRESS: S.RESOLVED, S.ON_HOLD: S.RESOLVED, S.REOPENED: S.RESOLVED},
    A.REOPEN: {S.RESOLVED: S.REOPENED},
    A.CANCEL: {s: S.CANCELLED for s in (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD, S.REOPENED)},
    A.CLOSE: {S.RESOLVED: S.CLOSED},
}


def perform(action, ticket, user, other_group):
    """Call the workflow function of an action with valid input."""
    calls = {
        A.ASSIGN: lambda: workflow.assign_ticket(ticket, by=user, group=other_group),
        A.PICK_UP: lambda: workflow.pick_up_ticket(ticket, by=user),
        A.HOLD: lambda: workflow.hold_ticket(ticket, by=user, reason="Waiting for requester"),
        A.THIRD_PARTY: lambda: workflow.third_party_ticket(ticket, by=user, vendor=VendorFactory()),
        A.RESUME: lambda: workflow.resume_ticket(ticket, by=user),
        A.RESOLVE: lambda: workflow.resolve_ticket(ticket, by=user, resolution="Reset password"),
        A.REOPEN: lambda: workflow.reopen_ticket(ticket, by=user, reason="Still broken"),
        A.CANCEL: lambda: workflow.cancel_ticket(ticket, by=user, reason="Duplicate"),
        A.CLOSE: lambda: workflow.close_ticket(
            ticket, by=user, close_code=CloseCodeFactory(), close_notes="Confirmed by caller"
        ),
    }
    return calls[action]()


# SPEC.md section 3: New and Assigned are "handled by Helpcenter L1", so an L1 agent may still
# reassign or cancel such a ticket after escalating it to another group.
L1_ON_ANY_GROUP = {A.ASSIGN: {S.NEW, S.ASSIGNED}, A.CANCEL: {S.NEW, S.ASSIGNED}}

CELLS = [(action, state) for action in SPEC_TABLE for state in ALL_STATES]


def _snapshot(ticket):
    ticket.refresh_from_db()
    return {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields}


# What only a first-line agent may do, even as a member of the ticket's group.
L1_ONLY_CELLS = {(A.CLOSE, S.RESOLVED), (A.PICK_UP, S.RESOLVED)}


@pytest.fixture(params=["l1", "l2"])
def member(request, l1_group, l1_agent, l2_group, l2_agent):
    """A member of the group holding the ticket, the group and another group to assign to:
    the first line's, or L2's (whose tickets the first line opened)."""
    if request.param == "l1":
        return SimpleNamespace(role="l1", agent=l1_agent, group=l1_group, other=l2_group)
    return SimpleNamespace(role="l2", agent=l2_agent, group=l2_group, other=l1_group)


@pytest.mark.parametrize(("action", "state"), CELLS, ids=[f"{a}-from-{s}" for a, s in CELLS])
def test_transition_table(action, state, member, l1_group):
    # A member of the group that holds the ticket acts, so the state decides (and, for L2,
    # the actions only the first line may take).
    ticket = TicketFactory(status=state, assignment_group=member.group, opened_by_group=l1_group)
    expected = SPEC_TABLE[action].get(state)
    if member.role == "l2" and (action, state) in L1_ONLY_CELLS:
        expected = None
    if expected is None:
        before = _snapshot(ticket)
        with pytest.raises(workflow.TransitionNotAllowed):
            perform(action, ticket, member.agent, member.other)
        assert _snapshot(ticket) == before
        assert not TicketEvent.objects.filter(ticket=ticket).exists()
        return
    perform(action, ticket, member.agent, member.other)
    ticket.refresh_from_db()
    assert ticket.status == expected
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        action,
        state,
        expected,
        member.agent,
    )
    assert ticket.version == 2


ALLOWED = [(action, state) for action, cells in SPEC_TABLE.items() for state in cells]


@pytest.mark.parametrize(("action", "state"), ALLOWED, ids=[f"{a}-{s}" for a, s in ALLOWED])
def test_agent_outside_the_tickets_group_is_refused(action, state, l1_group, l2_group, l2_agent):
    ticket = TicketFactory(status=state, assignment_group=l1_group, opened_by_group=l1_group)
    before = _snapshot(ticket)
    with pytest.raises(workflow.TransitionNotAllowed, match="Only members of"):
        perform(action, ticket, l2_agent, l1_group)
    assert _snapshot(ticket) == before
    assert not TicketEvent.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize(("action", "state"), ALLOWED, ids=[f"{a}-{s}" for a, s in ALLOWED])
def test_l1_agent_on_a_ticket_of_another_group(
    action, state, l1_group, l2_group, vendor_group, l1_agent
):
    # Escalated to the vendor's group: L1 keeps Assign and Cancel until it is picked up.
    ticket = TicketFactory(status=state, assignment_group=vendor_group, opened_by_group=l1_group)
    if state not in L1_ON_ANY_GROUP.get(action, ()):
        before = _snapshot(ticket)
        with pytest.raises(workflow.TransitionNotAllowed, match="Only members of L2 INDOSAT"):
            perform(action, ticket, l1_agent, l2_group)
        assert _snapshot(ticket) == before
        assert not TicketEvent.objects.filter(ticket=ticket).exists()
        return
    perform(action, ticket, l1_agent, l2_group)
    ticket.refresh_from_db()
    assert ticket.status == SPEC_TABLE[action][state]
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.action, event.actor) == (action, l1_agent)


ADMIN_CELLS = [(a, s) for a, s in ALLOWED if a != A.PICK_UP]


@pytest.mark.parametrize(("action", "state"), ADMIN_CELLS, ids=[f"{a}-{s}" for a, s in ADMIN_CELLS])
def test_admin_may_do_every_allowed_action(action, state, l1_group, l2_group, admin_user):
    ticket = TicketFactory(status=state, assignment_group=l1_group, opened_by_group=l1_group)
    perform(action, ticket, admin_user, l2_group)
    ticket.refresh_from_db()
    assert ticket.status == SPEC_TABLE[action][state]
    assert TicketEvent.objects.filter(ticket=ticket, actor=admin_user).count() == 1


@pytest.mark.parametrize(("action", "state"), [(A.CLOSE, S.RESOLVED), (A.PICK_UP, S.RESOLVED)])
def test_l2_member_of_the_tickets_group_may_not_close_or_take_for_closure(
    action, state, l2_group, l2_agent, l1_group
):
    ticket = TicketFactory(status=state, assignment_group=l2_group)
    with pytest.raises(workflow.TransitionNotAllowed, match="L1"):
        perform(action, ticket, l2_agent, l1_group)
    ticket.refresh_from_db()
    assert ticket.status == state
    assert not TicketEvent.objects.filter(ticket=ticket).exists()


def test_admin_outside_the_group_cannot_pick_up_but_a_member_admin_can(l1_group, admin_user):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed, match="not a member"):
        workflow.pick_up_ticket(ticket, by=admin_user)
    admin_user.assignment_groups.add(l1_group)
    del admin_user._active_groups
    workflow.pick_up_ticket(ticket, by=admin_user)
    ticket.refresh_from_db()
    assert ticket.assigned_to == admin_user


def test_available_actions_match_the_table_for_a_member(l1_group, l1_agent):
    for state in ALL_STATES:
        ticket = TicketFactory(status=state, assignment_group=l1_group)
        expected = {a for a, cells in SPEC_TABLE.items() if state in cells}
        assert set(workflow.available_actions(ticket, l1_agent)) == expected, state


def test_available_actions_of_an_l1_agent_on_another_groups_ticket(vendor_group, l1_agent):
    for state in ALL_STATES:
        ticket = TicketFactory(status=state, assignment_group=vendor_group)
        expected = {a for a, states in L1_ON_ANY_GROUP.items() if state in states}
        assert set(workflow.available_actions(ticket, l1_agent)) == expected, state


def test_available_actions_are_empty_for_an_outsider(l1_group, l2_agent):
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group)
    assert workflow.available_actions(ticket, l2_agent) == []


def test_available_actions_are_empty_for_an_l2_outsider_even_while_new(vendor_group, l2_agent):
    for state in (S.NEW, S.ASSIGNED):
        ticket = TicketFactory(status=state, assignment_group=vendor_group)
        assert workflow.available_actions(ticket, l2_agent) == []
