"""What each action sets besides the state, and the rules that are not in the table."""

import pytest

from tests.factories import AssignmentGroupFactory, CloseCodeFactory, TicketFactory, UserFactory
from tickets import workflow
from tickets.models import GroupHolding, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

S = Ticket.Status


@pytest.fixture
def category():
    from tests.factories import CategoryFactory

    return CategoryFactory(name="TEKNOLOGI INFORMASI")


def new_ticket(by, category, **values):
    fields = dict(
        short_description="Tidak bisa login",
        category=category,
        contact_type=Ticket.ContactType.EMAIL,
        impact=Ticket.Impact.HIGH,
        urgency=Ticket.Urgency.LOW,
    )
    return workflow.create_ticket(by=by, **(fields | values))


def test_create_puts_the_ticket_new_in_the_l1_group(l1_agent, l1_group, category):
    ticket = new_ticket(l1_agent, category)
    assert (ticket.status, ticket.assignment_group, ticket.opened_by) == (S.NEW, l1_group, l1_agent)
    assert ticket.priority == Ticket.Priority.MEDIUM
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.action, event.from_status, event.to_status) == ("create", "", S.NEW)
    assert event.data["changes"]["short_description"] == [None, "Tidak bisa login"]


def test_create_for_another_group_is_assigned(l1_agent, l2_group, category):
    ticket = new_ticket(l1_agent, category, assignment_group=l2_group)
    assert ticket.status == S.ASSIGNED
    assert GroupHolding.objects.filter(ticket=ticket, group=l2_group).exists()


def test_create_refuses_an_assignee_outside_the_group(l1_agent, l2_agent, l1_group, category):
    with pytest.raises(workflow.TransitionNotAllowed, match="not a member"):
        new_ticket(l1_agent, category, assignment_group=l1_group, assigned_to=l2_agent)
    assert not Ticket.objects.exists()


def test_create_refuses_a_user_without_group(category, l1_group):
    with pytest.raises(workflow.TransitionNotAllowed):
        new_ticket(UserFactory(), category)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"short_description": "   "}, "short_description"),
        ({"contact_type": "bogus"}, "contact_type"),
        ({"impact": 7}, "impact"),
        ({"urgency": None}, "urgency"),
    ],
    ids=["blank-short-description", "unknown-contact-type", "unknown-impact", "no-urgency"],
)
def test_create_refuses_a_missing_or_unknown_mandatory_value(l1_agent, category, values, field):
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        new_ticket(l1_agent, category, **values)
    assert refusal.value.field == field
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("field", ["short_description", "contact_type", "impact", "urgency"])
def test_create_refuses_a_mandatory_field_left_out(l1_agent, category, field):
    values = dict(
        short_description="Tidak bisa login",
        category=category,
        contact_type=Ticket.ContactType.EMAIL,
        impact=Ticket.Impact.HIGH,
        urgency=Ticket.Urgency.LOW,
    )
    del values[field]
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.create_ticket(by=l1_agent, **values)
    assert refusal.value.field == field
    assert not Ticket.objects.exists()


def test_create_refuses_levels_that_are_not_one_path(l1_agent, category):
    from tests.factories import CategoryFactory

    elsewhere = CategoryFactory(name="INTEGRASI", parent=CategoryFactory(name="NON TI"))
    with pytest.raises(workflow.TransitionNotAllowed, match="is not under") as refusal:
        new_ticket(l1_agent, category, sub_category=elsewhere)
    assert refusal.value.field == "sub_category"
    assert not Ticket.objects.exists()


def test_create_refuses_back_dated_in_the_future(l1_agent, category):
    from django.utils import timezone

    tomorrow = timezone.now() + timezone.timedelta(days=1)
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        new_ticket(l1_agent, category, back_dated=tomorrow)
    assert refusal.value.field == "back_dated"
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"short_description": " "}, "short_description"),
        ({"contact_type": "bogus"}, "contact_type"),
        ({"impact": 0}, "impact"),
        ({"category": None}, "category"),
    ],
    ids=["blank-short-description", "unknown-contact-type", "unknown-impact", "no-category"],
)
def test_update_refuses_a_missing_or_unknown_mandatory_value(l1_agent, l1_group, changes, field):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.update_ticket(ticket, by=l1_agent, changes=changes)
    assert refusal.value.field == field
    ticket.refresh_from_db()
    assert (ticket.version, ticket.contact_type, ticket.impact) == (1, "email", 2)
    assert not TicketEvent.objects.exists()


def test_update_refuses_a_sub_category_of_another_category(l1_agent, l1_group):
    from tests.factories import CategoryFactory

    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    elsewhere = CategoryFactory(parent=CategoryFactory())
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.update_ticket(ticket, by=l1_agent, changes={"sub_category": elsewhere})
    assert refusal.value.field == "sub_category"
    ticket.refresh_from_db()
    assert ticket.sub_category is None


def test_assign_refuses_an_assignee_outside_the_target_group(l1_agent, l1_group, l2_group):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed, match="not a member"):
        workflow.assign_ticket(ticket, by=l1_agent, group=l2_group, assignee=l1_agent)
    ticket.refresh_from_db()
    assert ticket.assignment_group == l1_group


def test_assign_records_the_group_change(l1_agent, l1_group, l2_group, l2_agent):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    workflow.assign_ticket(ticket, by=l1_agent, group=l2_group, assignee=l2_agent)
    ticket.refresh_from_db()
    assert (ticket.assignment_group, ticket.assigned_to) == (l2_group, l2_agent)
    event = TicketEvent.objects.get(ticket=ticket)
    assert event.data["changes"]["assignment_group"] == [l1_group.pk, l2_group.pk]


def test_pick_up_assigns_the_ticket_to_the_actor(l2_agent, l2_group):
    ticket = TicketFactory(status=S.ASSIGNED, assignment_group=l2_group)
    workflow.pick_up_ticket(ticket, by=l2_agent)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assigned_to) == (S.IN_PROGRESS, l2_agent)


def test_second_pick_up_is_refused_and_writes_no_event(l2_agent, l2_group):
    other = UserFactory(groups=[l2_group])
    ticket = TicketFactory(status=S.ASSIGNED, assignment_group=l2_group)
    workflow.pick_up_ticket(ticket, by=l2_agent)
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.pick_up_ticket(ticket, by=other)
    assert refusal.value.message == f"{ticket.number} was already picked up by {l2_agent}."
    ticket.refresh_from_db()
    assert ticket.assigned_to == l2_agent
    assert TicketEvent.objects.filter(ticket=ticket, action="pick_up").count() == 1


def test_resolve_returns_the_ticket_to_l1(l1_agent, l1_group, l2_agent, l2_group, category):
    ticket = new_ticket(l1_agent, category, assignment_group=l2_group)
    workflow.pick_up_ticket(ticket, by=l2_agent)
    workflow.resolve_ticket(ticket, by=l2_agent, resolution="Password reset")
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED
    assert (ticket.assignment_group, ticket.assigned_to) == (l1_group, None)
    assert (ticket.resolved_by, ticket.resolved_by_group) == (l2_agent, l2_group)
    assert ticket.resolved_at is not None


def test_double_resolve_is_refused(l2_agent, l2_group, l1_group):
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=l2_group)
    workflow.resolve_ticket(ticket, by=l2_agent, resolution="Done")
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.resolve_ticket(ticket, by=l2_agent, resolution="Done")
    assert TicketEvent.objects.filter(ticket=ticket, action="resolve").count() == 1


def test_reopen_goes_back_to_the_group_that_resolved(l1_agent, l1_group, l2_agent, l2_group):
    ticket = TicketFactory(
        status=S.IN_PROGRESS, assignment_group=l2_group, opened_by_group=l1_group
    )
    workflow.resolve_ticket(ticket, by=l2_agent, resolution="Done")
    workflow.reopen_ticket(ticket, by=l1_agent, reason="Requester still cannot log in")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignment_group, ticket.assigned_to) == (
        S.REOPENED,
        l2_group,
        l2_agent,
    )
    event = TicketEvent.objects.get(ticket=ticket, action="reopen")
    assert event.data["reason"] == "Requester still cannot log in"


def test_l1_picks_up_a_resolved_ticket_once(l1_agent, l1_group):
    ticket = TicketFactory(status=S.RESOLVED, assignment_group=l1_group)
    workflow.pick_up_ticket(ticket, by=l1_agent)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assigned_to) == (S.RESOLVED, l1_agent)
    with pytest.raises(workflow.TransitionNotAllowed, match="already picked up"):
        workflow.pick_up_ticket(ticket, by=l1_agent)


def test_close_records_code_notes_and_closer(l1_agent, l1_group):
    ticket = TicketFactory(status=S.RESOLVED, assignment_group=l1_group)
    code = CloseCodeFactory()
    workflow.close_ticket(ticket, by=l1_agent, close_code=code, close_notes="OK", is_knowledge=True)
    ticket.refresh_from_db()
    assert (ticket.close_code, ticket.close_notes, ticket.closed_by) == (code, "OK", l1_agent)
    assert ticket.is_knowledge and ticket.closed_at is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"close_code": None, "close_notes": "OK"}, "close code"),
        ({"close_notes": "   "}, "close notes"),
    ],
)
def test_close_needs_code_and_notes(l1_agent, l1_group, kwargs, message):
    ticket = TicketFactory(status=S.RESOLVED, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed, match=message):
        workflow.close_ticket(ticket, by=l1_agent, **({"close_code": CloseCodeFactory()} | kwargs))
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED


@pytest.mark.parametrize(
    "call",
    [
        lambda t, u: workflow.hold_ticket(t, by=u, reason=""),
        lambda t, u: workflow.third_party_ticket(t, by=u, vendor=None),
        lambda t, u: workflow.resolve_ticket(t, by=u, resolution=" "),
        lambda t, u: workflow.cancel_ticket(t, by=u, reason=""),
    ],
    ids=["hold", "third-party", "resolve", "cancel"],
)
def test_actions_refuse_missing_input(call, l1_agent, l1_group):
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed):
        call(ticket, l1_agent)
    ticket.refresh_from_db()
    assert ticket.status == S.IN_PROGRESS
    assert not TicketEvent.objects.exists()


def test_stale_version_is_refused(l1_agent, l1_group):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    seen = ticket.version
    workflow.update_ticket(ticket, by=l1_agent, changes={"building": "Gedung A"})
    with pytest.raises(workflow.TransitionNotAllowed, match="changed by someone else"):
        workflow.update_ticket(
            ticket, by=l1_agent, changes={"building": "Gedung B"}, expected_version=seen
        )
    ticket.refresh_from_db()
    assert ticket.building == "Gedung A"


def test_a_stale_action_says_what_the_ticket_became_since(l2_agent, l2_group, l1_group):
    ticket = TicketFactory(
        status=S.IN_PROGRESS, assignment_group=l2_group, opened_by_group=l1_group
    )
    seen = ticket.version
    colleague = UserFactory(groups=[l2_group])
    workflow.hold_ticket(ticket, by=colleague, reason="Menunggu pelapor")
    workflow.resolve_ticket(ticket, by=colleague, resolution="Password direset")
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.resolve_ticket(ticket, by=l2_agent, resolution="x", expected_version=seen)
    assert refusal.value.message == f"{ticket.number} cannot be resolved: it is Resolved."


def test_a_stale_save_of_a_ticket_closed_since_says_it_is_closed(l1_agent, l1_group):
    ticket = TicketFactory(status=S.RESOLVED, assignment_group=l1_group)
    seen = ticket.version
    workflow.close_ticket(ticket, by=l1_agent, close_code=CloseCodeFactory(), close_notes="OK")
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.update_ticket(
            ticket, by=l1_agent, changes={"building": "X"}, expected_version=seen
        )
    assert refusal.value.message == f"{ticket.number} is Closed and can no longer be changed."


def test_a_stale_save_of_a_ticket_another_group_took_says_who_holds_it(
    l1_agent, l1_agent2, l1_group, l2_group
):
    ticket = TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group)
    seen = ticket.version
    workflow.assign_ticket(ticket, by=l1_agent2, group=l2_group)
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.update_ticket(
            ticket, by=l1_agent, changes={"building": "X"}, expected_version=seen
        )
    assert refusal.value.message == (
        f"{ticket.number} is now held by L2 BKPM; you can no longer change it."
    )


def test_update_records_changed_fields_and_recomputes_priority(l1_agent, l1_group):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group, impact=3, urgency=3)
    workflow.update_ticket(ticket, by=l1_agent, changes={"impact": 1, "urgency": 1})
    ticket.refresh_from_db()
    assert ticket.priority == Ticket.Priority.CRITICAL
    event = TicketEvent.objects.get(ticket=ticket)
    assert event.action == "update" and event.from_status == event.to_status == S.NEW
    assert event.data["changes"]["priority"] == [Ticket.Priority.LOW, Ticket.Priority.CRITICAL]


def test_update_that_changes_nothing_writes_no_event(l1_agent, l1_group):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group, building="A")
    workflow.update_ticket(ticket, by=l1_agent, changes={"building": "A"})
    assert not TicketEvent.objects.exists()


def test_closed_ticket_cannot_be_edited(l1_agent, l1_group):
    ticket = TicketFactory(status=S.CLOSED, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed, match="can no longer be changed"):
        workflow.update_ticket(ticket, by=l1_agent, changes={"building": "X"})


def test_update_cannot_touch_state_or_group(l1_agent, l1_group, l2_group):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    with pytest.raises(TypeError):
        workflow.update_ticket(ticket, by=l1_agent, changes={"status": S.CLOSED})
    with pytest.raises(TypeError):
        workflow.update_ticket(ticket, by=l1_agent, changes={"assignment_group": l2_group})


def test_second_l1_agent_cannot_take_a_picked_up_resolved_ticket(l1_agent, l1_agent2, l1_group):
    ticket = TicketFactory(status=S.RESOLVED, assignment_group=l1_group)
    workflow.pick_up_ticket(ticket, by=l1_agent)
    with pytest.raises(workflow.TransitionNotAllowed, match="already picked up by"):
        workflow.pick_up_ticket(ticket, by=l1_agent2)
    ticket.refresh_from_db()
    assert ticket.assigned_to == l1_agent
    assert TicketEvent.objects.filter(ticket=ticket, action="pick_up").count() == 1
    assert "pick_up" not in workflow.available_actions(ticket, l1_agent2)


# --- inactive groups never hold a ticket -------------------------------------------------


@pytest.fixture
def retired_l1(bkpm):
    """A first-line group that is no longer active, named to sort before the active one."""
    return AssignmentGroupFactory(
        name="A Helpcenter lama", company=bkpm, is_l1=True, is_active=False
    )


def test_create_without_a_group_goes_to_the_first_active_l1_group(
    l2_agent, l1_group, retired_l1, category
):
    ticket = new_ticket(l2_agent, category)
    assert (ticket.status, ticket.assignment_group) == (S.NEW, l1_group)


def test_create_without_a_group_is_refused_when_no_l1_group_is_active(
    l2_agent, retired_l1, category
):
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        new_ticket(l2_agent, category)
    assert refusal.value.field == "assignment_group"
    assert not Ticket.objects.exists()


def test_create_refuses_an_inactive_group(l1_agent, category, bkpm):
    retired = AssignmentGroupFactory(company=bkpm, is_active=False)
    with pytest.raises(workflow.TransitionNotAllowed, match="no longer active"):
        new_ticket(l1_agent, category, assignment_group=retired)
    assert not Ticket.objects.exists()


def test_assign_refuses_an_inactive_group(l1_agent, l1_group, bkpm):
    retired = AssignmentGroupFactory(company=bkpm, is_active=False)
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed, match="no longer active"):
        workflow.assign_ticket(ticket, by=l1_agent, group=retired)
    ticket.refresh_from_db()
    assert ticket.assignment_group == l1_group


def test_resolve_skips_the_opening_l1_group_once_it_is_inactive(
    l1_group, retired_l1, l2_agent, l2_group
):
    ticket = TicketFactory(
        status=S.IN_PROGRESS, assignment_group=l2_group, opened_by_group=retired_l1
    )
    workflow.resolve_ticket(ticket, by=l2_agent, resolution="Password reset")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignment_group) == (S.RESOLVED, l1_group)


def test_resolve_returns_to_the_opening_l1_group_before_one_sorting_first(
    l1_group, l2_agent, l2_group, bkpm
):
    AssignmentGroupFactory(name="A Helpcenter baru", company=bkpm, is_l1=True)
    ticket = TicketFactory(
        status=S.IN_PROGRESS, assignment_group=l2_group, opened_by_group=l1_group
    )
    workflow.resolve_ticket(ticket, by=l2_agent, resolution="Password reset")
    ticket.refresh_from_db()
    assert ticket.assignment_group == l1_group


def test_resolve_in_a_retired_l1_group_goes_to_an_active_one(l1_group, retired_l1, admin_user):
    # Still held by the group that opened it and is now retired (the page loaded that group).
    ticket = TicketFactory(
        status=S.IN_PROGRESS, assignment_group=retired_l1, opened_by_group=retired_l1
    )
    ticket = Ticket.objects.select_related("assignment_group").get(pk=ticket.pk)
    workflow.resolve_ticket(ticket, by=admin_user, resolution="Done")
    ticket.refresh_from_db()
    assert ticket.assignment_group == l1_group


def test_reopen_goes_to_l1_when_the_group_that_resolved_is_inactive(
    l1_agent, l1_group, l2_agent, l2_group
):
    ticket = TicketFactory(
        status=S.IN_PROGRESS, assignment_group=l2_group, opened_by_group=l1_group
    )
    workflow.resolve_ticket(ticket, by=l2_agent, resolution="Done")
    l2_group.is_active = False
    l2_group.save()
    workflow.reopen_ticket(ticket, by=l1_agent, reason="Still broken")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignment_group, ticket.assigned_to) == (
        S.REOPENED,
        l1_group,
        None,
    )


# --- what a refusal says -----------------------------------------------------------------


def test_a_second_pick_up_by_the_same_agent_says_so(l2_agent, l2_group):
    ticket = TicketFactory(status=S.ASSIGNED, assignment_group=l2_group)
    workflow.pick_up_ticket(ticket, by=l2_agent)
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        workflow.pick_up_ticket(ticket, by=l2_agent)
    assert refusal.value.message == f"You have already picked up {ticket.number}."


@pytest.mark.parametrize(
    ("call", "state", "message"),
    [
        (lambda t, u: workflow.pick_up_ticket(t, by=u), S.ON_HOLD, "cannot be picked up"),
        (lambda t, u: workflow.hold_ticket(t, by=u, reason="x"), S.NEW, "cannot be put on hold"),
        (lambda t, u: workflow.resume_ticket(t, by=u), S.NEW, "cannot be resumed"),
        (
            lambda t, u: workflow.resolve_ticket(t, by=u, resolution="x"),
            S.NEW,
            "cannot be resolved",
        ),
        (lambda t, u: workflow.reopen_ticket(t, by=u, reason="x"), S.NEW, "cannot be re-opened"),
        (
            lambda t, u: workflow.cancel_ticket(t, by=u, reason="x"),
            S.RESOLVED,
            "cannot be cancelled",
        ),
    ],
    ids=["pick-up", "hold", "resume", "resolve", "reopen", "cancel"],
)
def test_a_refusal_by_state_names_the_action_with_its_verb(
    l1_agent, l1_group, call, state, message
):
    ticket = TicketFactory(status=state, assignment_group=l1_group)
    with pytest.raises(workflow.TransitionNotAllowed) as refusal:
        call(ticket, l1_agent)
    label = Ticket.Status(state).label
    assert refusal.value.message == f"{ticket.number} {message}: it is {label}."


def test_refusal_message_is_none_for_an_available_action(l1_agent, l1_group):
    ticket = TicketFactory(status=S.NEW, assignment_group=l1_group)
    assert workflow.refusal_message(ticket, l1_agent, "pick_up") is None
    assert workflow.refusal_message(ticket, l1_agent, "close") == (
        f"{ticket.number} cannot be closed: it is New."
    )


# --- where Resolve and Re-Open send the ticket -------------------------------------------


def test_resolve_of_a_ticket_opened_by_a_group_that_is_not_l1_goes_to_the_first_active_l1(
    bkpm, l1_group, retired_l1, l2_agent, l2_group, category
):
    AssignmentGroupFactory(name="Z Helpcenter cadangan", company=bkpm, is_l1=True)
    service_desk = AssignmentGroupFactory(name="Service Desk Pusat", company=bkpm)
    opener = UserFactory(groups=[service_desk], current_group=service_desk)
    ticket = new_ticket(opener, category, assignment_group=l2_group)
    assert ticket.opened_by_group == service_desk
    workflow.pick_up_ticket(ticket, by=l2_agent)
    workflow.resolve_ticket(ticket, by=l2_agent, resolution="Akun dibuka")
    ticket.refresh_from_db()
    # The first by name of the active first-line groups; the retired one sorts before it.
    assert (ticket.status, ticket.assignment_group, ticket.assigned_to) == (
        S.RESOLVED,
        l1_group,
        None,
    )


def test_reopen_of_a_ticket_l1_resolved_itself_goes_back_to_the_l1_resolver(
    l1_agent, l1_agent2, l1_group, category
):
    ticket = new_ticket(l1_agent, category)
    workflow.pick_up_ticket(ticket, by=l1_agent)
    workflow.resolve_ticket(ticket, by=l1_agent, resolution="Password direset")
    ticket.refresh_from_db()
    assert (ticket.assignment_group, ticket.resolved_by_group) == (l1_group, l1_group)
    workflow.reopen_ticket(ticket, by=l1_agent2, reason="Masih tidak bisa login")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignment_group, ticket.assigned_to) == (
        S.REOPENED,
        l1_group,
        l1_agent,
    )
    event = ticket.events.get(action="reopen")
    assert (event.from_status, event.to_status, event.actor) == (S.RESOLVED, S.REOPENED, l1_agent2)
