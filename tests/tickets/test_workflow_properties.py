"""Random sequences of actions by random users on random tickets keep the invariants:
a Closed or Cancelled ticket never changes (its row, notes, watch list, attachments and related
incidents), every state action writes one history row and a tab write none, the assignee is
always a member of the assignment group, and the priority always follows the matrix.

Assignees are drawn from every user (or nobody), members of the group or not; actors from
every user and, more often, from the members of the ticket's group, so that sequences get
far. One ticket starts Closed, so each sequence meets a finished ticket."""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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
    Note,
    Ticket,
    TicketEvent,
    WatchListEntry,
    compute_priority,
)

pytestmark = pytest.mark.django_db

STATE_ACTIONS = [
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
# Writes on the tabs: they leave the state, the version and the history alone.
TAB_ACTIONS = ["note", "comment", "watch", "unwatch", "attach", "link", "unlink"]
# Drawn more often (and first: Hypothesis leans to the first choices), so that sequences
# reach Resolved and Closed.
LIKELY = ["pick_up", "pick_up", "resolve", "resolve", "resolve", "close", "close", "close"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_world_ids = itertools.count()


def _actor(groups, users, ticket, index):
    """Anyone for a low index, else a member of the group that holds the ticket now (the users
    of _world: two first-line agents, one of L2 and one of the vendor, then an admin)."""
    if index < len(users):
        return users[index]
    holder = [group.pk for group in groups].index(ticket.assignment_group_id)
    members = (users[:2], users[2:3], users[3:4])[holder]
    return members[index % len(members)]


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
            assignment_group=group,
        )
        for i, group in enumerate((groups[0], groups[1], groups[0], groups[0]))
    ]
    # The last one is Closed from the start, so every sequence meets a finished ticket.
    closed = workflow.pick_up_ticket(tickets[3], by=users[1])
    closed = workflow.resolve_ticket(closed, by=users[1], resolution="done")
    workflow.close_ticket(closed, by=users[1], close_code=CloseCodeFactory(), close_notes="ok")
    return groups, users, tickets


def _perform(name, ticket, user, group, person, other, value):
    """Take one action; ``person`` is anyone (or nobody), a member of the group or not."""
    calls = {
        "assign": lambda: workflow.assign_ticket(ticket, by=user, group=group, assignee=person),
        "pick_up": lambda: workflow.pick_up_ticket(ticket, by=user),
        "hold": lambda: workflow.hold_ticket(ticket, by=user, reason="waiting"),
        "third_party": lambda: workflow.third_party_ticket(ticket, by=user, vendor=VendorFactory()),
        "resume": lambda: workflow.resume_ticket(ticket, by=user),
        "resolve": lambda: workflow.resolve_ticket(ticket, by=user, resolution="done"),
        "reopen": lambda: workflow.reopen_ticket(ticket, by=user, reason="again"),
        # Mostly without a reason (refused), so that few tickets end cancelled early.
        "cancel": lambda: workflow.cancel_ticket(
            ticket, by=user, reason="dup" if value % 4 == 3 else " "
        ),
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
                **({"assigned_to": person} if value % 2 == 0 else {}),
            },
        ),
        "note": lambda: workflow.add_note(
            ticket, by=user, visibility=Note.Visibility.WORK_NOTE, body="checked"
        ),
        "comment": lambda: workflow.add_note(
            ticket, by=user, visibility=Note.Visibility.COMMENT, body="hello"
        ),
        "watch": lambda: workflow.add_watcher(ticket, by=user, email=f"cc{value % 3}@example.com"),
        "unwatch": lambda: _unwatch(ticket, user, value),
        "attach": lambda: workflow.add_attachment(
            ticket,
            by=user,
            file=SimpleUploadedFile("a.pdf", PDF),
            original_name="a.pdf",
            content_type="application/pdf",
        ),
        "link": lambda: workflow.link_related(ticket, by=user, other=other),
        "unlink": lambda: workflow.unlink_related(ticket, by=user, other=other),
    }
    calls[name]()


def _unwatch(ticket, user, value):
    # Any ticket's entry: one of another ticket must be refused.
    entries = list(WatchListEntry.objects.order_by("pk"))
    if not entries:
        raise workflow.TransitionNotAllowed("nothing to remove")
    workflow.remove_watcher(ticket, by=user, entry=entries[value % len(entries)])


def _state(ticket):
    """Everything a finished ticket must keep: its row and the rows of its tabs."""
    return {
        "row": {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields},
        "notes": list(ticket.notes.order_by("pk").values_list("pk", "body")),
        "watch_list": list(ticket.watch_list.order_by("pk").values_list("pk", "email")),
        "attachments": list(ticket.attachments.order_by("pk").values_list("pk", "file")),
        "related": sorted(ticket.related.values_list("pk", flat=True)),
    }


steps = st.lists(
    st.tuples(
        st.sampled_from(LIKELY + STATE_ACTIONS + TAB_ACTIONS),
        st.integers(0, 9),  # the actor: anyone, or a member of the ticket's group
        st.integers(0, 3),  # ticket (the last one starts Closed)
        st.integers(0, 2),  # target group
        st.integers(0, 5),  # a person for the assignee: any of the five users, or nobody
        st.integers(0, 8),  # a value for the action's input
    ),
    min_size=12,
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
    events = {t.pk: t.events.count() for t in tickets}
    finished = {
        t.pk: _state(t)
        for t in Ticket.objects.filter(pk__in=[x.pk for x in tickets])
        if t.is_read_only
    }
    for action, actor_i, ticket_i, group_i, person_i, value in steps:
        ticket = Ticket.objects.get(pk=tickets[ticket_i].pk)
        actor = _actor(groups, users, ticket, actor_i)
        other = tickets[(ticket_i + 1 + value) % 4]  # now and then the ticket itself
        person = users[person_i] if person_i < len(users) else None
        before = (ticket.status, ticket.version)
        try:
            _perform(action, ticket, actor, groups[group_i], person, other, value)
            succeeded = True
        except workflow.TransitionNotAllowed:
            succeeded = False
        for t in Ticket.objects.filter(pk__in=[x.pk for x in tickets]):
            if t.pk == ticket.pk and succeeded:
                wrote = TicketEvent.objects.filter(ticket=t).count() - events[t.pk]
                if action in TAB_ACTIONS:
                    assert wrote == 0 and (t.status, t.version) == before
                else:
                    # An edit that changes nothing writes nothing; any other success writes one.
                    assert wrote == 1 or (
                        action == "update" and wrote == 0 and t.status == before[0]
                    )
                events[t.pk] += wrote
            assert TicketEvent.objects.filter(ticket=t).count() == events[t.pk]
            last = TicketEvent.objects.filter(ticket=t).order_by("-id").first()
            assert last.to_status == t.status
            if t.pk in finished:
                assert _state(t) == finished[t.pk]
            elif t.is_read_only:
                finished[t.pk] = _state(t)
            if t.assigned_to_id is not None:
                assert t.assignment_group.members.filter(pk=t.assigned_to_id).exists()
            assert t.priority == compute_priority(t.impact, t.urgency)
        assert tallies.stored() == tallies.counted()
