"""Nothing is silently overwritten: a save or an action on an old version is refused."""

from functools import partial

import pytest

from tickets import workflow
from tickets.models import Ticket, TicketEvent
from tickets.workflow import TransitionNotAllowed

from .race import errors, run_together, successes

pytestmark = pytest.mark.django_db(transaction=True)

S = Ticket.Status
A = TicketEvent.Action


def _save(ticket, user, text, version):
    changes = {"short_description": text}
    return workflow.update_ticket(ticket, by=user, changes=changes, expected_version=version)


def test_save_made_on_an_old_version_is_refused(in_progress_ticket, l1_agent, l1_agent2):
    ticket, seen = in_progress_ticket, in_progress_ticket.version
    _save(ticket, l1_agent, "Edited by A", seen)
    with pytest.raises(TransitionNotAllowed, match="changed by someone else"):
        _save(ticket, l1_agent2, "Edited by B", seen)
    ticket.refresh_from_db()
    assert (ticket.short_description, ticket.version) == ("Edited by A", seen + 1)
    assert ticket.events.filter(action=A.UPDATE).count() == 1


def test_two_saves_of_the_same_version_at_once_one_wins(
    in_progress_ticket, l1_agent, l1_agent2, slow_guards
):
    ticket, seen = in_progress_ticket, in_progress_ticket.version
    outcomes = run_together(
        partial(_save, ticket, l1_agent, "Edited by A", seen),
        partial(_save, ticket, l1_agent2, "Edited by B", seen),
    )
    [winner], [refusal] = successes(outcomes), errors(outcomes)
    assert isinstance(refusal, TransitionNotAllowed)
    assert "changed by someone else" in refusal.message
    ticket.refresh_from_db()
    assert (ticket.short_description, ticket.version) == (winner.short_description, seen + 1)
    assert ticket.events.filter(action=A.UPDATE).count() == 1


# action -> (the state it leads to, a call with valid input on the version the agent saw)
ACTIONS = {
    A.RESOLVE: (
        S.RESOLVED,
        lambda t, user, v, group: workflow.resolve_ticket(
            t, by=user, resolution="Reset password", expected_version=v
        ),
    ),
    A.ASSIGN: (
        S.ASSIGNED,
        lambda t, user, v, group: workflow.assign_ticket(
            t, by=user, group=group, expected_version=v
        ),
    ),
    A.HOLD: (
        S.ON_HOLD,
        lambda t, user, v, group: workflow.hold_ticket(
            t, by=user, reason="Waiting for requester", expected_version=v
        ),
    ),
}


@pytest.mark.parametrize(
    ("first", "second"), [(A.RESOLVE, A.ASSIGN), (A.RESOLVE, A.HOLD), (A.ASSIGN, A.HOLD)]
)
def test_two_actions_at_once_one_wins_and_the_other_is_refused(
    in_progress_ticket, l1_agent, l1_agent2, l2_group, slow_guards, first, second
):
    ticket, seen = in_progress_ticket, in_progress_ticket.version
    events_before = ticket.events.count()
    outcomes = run_together(
        partial(ACTIONS[first][1], ticket, l1_agent, seen, group=l2_group),
        partial(ACTIONS[second][1], ticket, l1_agent2, seen, group=l2_group),
    )
    [refusal] = errors(outcomes)
    assert isinstance(refusal, TransitionNotAllowed)
    won = first if outcomes[0].error is None else second
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == (ACTIONS[won][0], seen + 1)
    assert ticket.events.count() == events_before + 1
    assert ticket.events.latest("pk").action == won


def test_resolve_and_assign_at_once_are_refused_by_state_without_a_version(
    in_progress_ticket, l1_agent, l1_agent2, l2_group, slow_guards
):
    ticket = in_progress_ticket
    outcomes = run_together(
        partial(workflow.resolve_ticket, ticket, by=l1_agent, resolution="Reset password"),
        partial(workflow.assign_ticket, ticket, by=l1_agent2, group=l2_group),
    )
    [refusal] = errors(outcomes)
    assert isinstance(refusal, TransitionNotAllowed)
    assert "cannot be" in refusal.message
    assert ticket.events.exclude(action__in=[A.CREATE, A.PICK_UP]).count() == 1
