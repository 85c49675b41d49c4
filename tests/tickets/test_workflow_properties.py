"""Random sequences of actions by random users on random tickets keep the invariants:
a Closed ticket never changes, every change writes one history row, the assignee is always a
member of the assignment group, and the priority always follows the matrix."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    AssignmentGroupFactory,
    CategoryFactory,
    CloseCodeFactory,
    CompanyFactory,
    UserFactory,
    VendorFactory,
)
from tickets import tallies, workflow
from tickets.models import (
    Ticket,
    TicketEvent,
    compute_priority,
)

pytestmark = pytest.mark.django_db

ACTIONS = [
    "assign",
    "pick_up",
    "hold",
    "third_party",
    "resume",
    "resolve",
    "reopen",
    "cancel",
    "close",
    "update",
]
_world_ids = itertools.count()


def _world():
    n = next(_world_ids)
    bkpm = CompanyFactory(name="BKPM")
    vendor = CompanyFactory(name="INDOSAT", is_vendor=True)
    groups = [
        AssignmentGroupFactory(name=f"L1 {n}", company=bkpm, is_l1=True),
        AssignmentGroupFactory(name=f"L2 {n}", company=bkpm),
        AssignmentGroupFactory(name=f"Vendor {n}", company=vendor),
    ]
    users = [
        UserFactory(groups=[groups[0]]),
        UserFactory(groups=[groups[0]]),
        UserFactory(groups=[groups[1]]),
        UserFactory(groups=[groups[2]]),
        UserFactory(is_superuser=True, is_staff=True),
    ]
    category = CategoryFactory()
    tickets = [
        workflow.create_ticket(
            by=users[0],
            short_description=f"t{i}",
            category=category,
            contact_type="email",
            impact=1 + i % 3,
            urgency=1 + (i + 1) % 3,
            assignment_group=groups[i % 2],
        )
        for i in range(3)
    ]
    return groups, users, tickets


def _perform(name, ticket, user, group, member, value):
    calls = {
        "assign": lambda: workflow.assign_ticket(
            ticket, by=user, group=group, assignee=member if value % 2 else None
        ),
        "pick_up": lambda: workflow.pick_up_ticket(ticket, by=user),
        "hold": lambda: workflow.hold_ticket(ticket, by=user, reason="waiting"),
        "third_party": lambda: workflow.third_party_ticket(ticket, by=user, vendor=VendorFactory()),
        "resume": lambda: workflow.resume_ticket(ticket, by=user),
        "resolve": lambda: workflow.resolve_ticket(ticket, by=user, resolution="done"),
        "reopen": lambda: workflow.reopen_ticket(ticket, by=user, reason="again"),
        "cancel": lambda: workflow.cancel_ticket(ticket, by=user, reason="dup"),
        "close": lambda: workflow.close_ticket(
            ticket, by=user, close_code=CloseCodeFactory(), close_notes="ok"
        ),
        "update": lambda: workflow.update_ticket(
            ticket,
            by=user,
            changes={
                "impact": 1 + value % 3,
                "urgency": 1 + value // 3 % 3,
                "is_vip": value % 2 == 1,
            },
        ),
    }
    calls[name]()


def _row(ticket):
    return {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields}


steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, 4),  # user
        st.integers(0, 2),  # ticket
        st.integers(0, 2),  # target group
        st.integers(0, 8),  # a value for the action's input
    ),
    max_size=30,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_random_actions_keep_the_invariants(steps):
    groups, users, tickets = _world()
    events = {t.pk: 1 for t in tickets}
    closed = {}
    for action, user_i, ticket_i, group_i, value in steps:
        ticket = Ticket.objects.get(pk=tickets[ticket_i].pk)
        group = groups[group_i]
        member = group.members.first()
        before = ticket.status
        try:
            _perform(action, ticket, users[user_i], group, member, value)
            succeeded = True
        except workflow.TransitionNotAllowed:
            succeeded = False
        for t in Ticket.objects.filter(pk__in=[x.pk for x in tickets]):
            if t.pk == ticket.pk and succeeded:
                wrote = TicketEvent.objects.filter(ticket=t).count() - events[t.pk]
                # An edit that changes nothing writes nothing; any other success writes one.
                assert wrote == 1 or (action == "update" and wrote == 0 and t.status == before)
                events[t.pk] += wrote
            assert TicketEvent.objects.filter(ticket=t).count() == events[t.pk]
            last = TicketEvent.objects.filter(ticket=t).order_by("-id").first()
            assert last.to_status == t.status
            if t.pk in closed:
                assert _row(t) == closed[t.pk]
            elif t.status == Ticket.Status.CLOSED:
                closed[t.pk] = _row(t)
            if t.assigned_to_id is not None:
                assert t.assignment_group.members.filter(pk=t.assigned_to_id).exists()
            assert t.priority == compute_priority(t.impact, t.urgency)
        assert tallies.stored() == tallies.counted()
