"""Every write that changes an incident: its creation, its edits and the state machine.

Each action is one function. It opens a transaction, re-reads the ticket with a row lock,
checks its guards against that fresh row (state, the actor's groups, required input and,
when given, the version the actor saw), applies the change, writes exactly one history row
and sends mail only after the commit. A refused action raises ``TransitionNotAllowed`` and
changes nothing. No other code writes ``Ticket.status``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AssignmentGroup, User
from taxonomy.paths import LEVEL_FIELDS, validate_path

from . import notifications, prepared, tallies
from .models import (
    Attachment,
    CloseCode,
    GroupHolding,
    Note,
    Ticket,
    TicketCounter,
    TicketEvent,
    Vendor,
    WatchListEntry,
    compute_priority,
)

Status = Ticket.Status
Action = TicketEvent.Action

OPEN_WORK = {Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD, Status.REOPENED}

# For each action: the state it leads to from each state it may start from.
TRANSITIONS: dict[str, dict[str, str]] = {
    Action.ASSIGN: dict.fromkeys(OPEN_WORK, Status.ASSIGNED),
    Action.PICK_UP: {
        **dict.fromkeys((Status.NEW, Status.ASSIGNED, Status.REOPENED), Status.IN_PROGRESS),
        # L1 takes a resolved ticket to verify and close it; the state stays Resolved.
        Status.RESOLVED: Status.RESOLVED,
    },
    Action.HOLD: dict.fromkeys((Status.IN_PROGRESS, Status.REOPENED), Status.ON_HOLD),
    Action.THIRD_PARTY: dict.fromkeys((Status.IN_PROGRESS, Status.REOPENED), Status.ON_HOLD),
    Action.RESUME: {Status.ON_HOLD: Status.IN_PROGRESS},
    Action.RESOLVE: dict.fromkeys(
        (Status.IN_PROGRESS, Status.ON_HOLD, Status.REOPENED), Status.RESOLVED
    ),
    Action.REOPEN: {Status.RESOLVED: Status.REOPENED},
    Action.CANCEL: dict.fromkeys(OPEN_WORK, Status.CANCELLED),
    Action.CLOSE: {Status.RESOLVED: Status.CLOSED},
}

# Actions only a member of a first-line group may take (besides being in the ticket's group).
L1_ONLY = {Action.CLOSE}
# SPEC.md section 3: New and Assigned tickets are handled by the first line wherever they were
# escalated, so until someone picks one up any first-line agent may still reassign or cancel it.
L1_HANDLED = {Status.NEW, Status.ASSIGNED}
L1_WHILE_HANDLED = {Action.ASSIGN, Action.CANCEL}

# The fields an edit (the Save button) may change; state and group change only through actions.
EDITABLE_FIELDS = (
    "requested_by",
    "company_name",
    "phone",
    "nib",
    "nik",
    "email",
    "category",
    "sub_category",
    "item_category",
    "item_name",
    "location",
    "building",
    "location_description",
    "short_description",
    "description",
    "incident_type",
    "back_dated",
    "contact_type",
    "impact",
    "urgency",
    "assigned_to",
    "vendor",
    "is_vip",
    "template",
)


class TransitionNotAllowed(Exception):
    """An action was refused; the message can be shown to the user as it is.

    ``field`` names the input the refusal is about, if any, so a form can show the message
    beside that field.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- who may do what -----------------------------------------------------------------------


def _is_member(user: User, group_id: int | None) -> bool:
    return user.is_superuser or group_id in user.group_ids()


def _may_act(ticket: Ticket, user: User, action: str) -> bool:
    if user.is_superuser:
        return True
    if action in L1_WHILE_HANDLED and ticket.status in L1_HANDLED and user.is_l1():
        return True
    if not _is_member(user, ticket.assignment_group_id):
        return False
    if action in L1_ONLY or (action == Action.PICK_UP and ticket.status == Status.RESOLVED):
        return user.is_l1()
    return True


def allowed_from(action: str, status: str) -> bool:
    return status in TRANSITIONS[action]


# An action refused by the state, said with the action's own verb (the history's labels are
# past tense, "Picked up", and read badly in a refusal).
CANNOT = {
    Action.ASSIGN: gettext_lazy("%(number)s cannot be assigned: it is %(state)s."),
    Action.PICK_UP: gettext_lazy("%(number)s cannot be picked up: it is %(state)s."),
    Action.HOLD: gettext_lazy("%(number)s cannot be put on hold: it is %(state)s."),
    Action.THIRD_PARTY: gettext_lazy(
        "%(number)s cannot be handed to a third party: it is %(state)s."
    ),
    Action.RESUME: gettext_lazy("%(number)s cannot be resumed: it is %(state)s."),
    Action.RESOLVE: gettext_lazy("%(number)s cannot be resolved: it is %(state)s."),
    Action.REOPEN: gettext_lazy("%(number)s cannot be re-opened: it is %(state)s."),
    Action.CANCEL: gettext_lazy("%(number)s cannot be cancelled: it is %(state)s."),
    Action.CLOSE: gettext_lazy("%(number)s cannot be closed: it is %(state)s."),
}


def _state_refusal(ticket: Ticket, user: User, action: str) -> str:
    if action == Action.PICK_UP and ticket.status == Status.IN_PROGRESS and ticket.assigned_to_id:
        # The usual loser of two agents picking up at once: say who has it.
        return _taken_refusal(ticket, user)
    return CANNOT[action] % {"number": ticket.number, "state": ticket.status_label}


def _taken_refusal(ticket: Ticket, user: User) -> str:
    if ticket.assigned_to_id == user.pk:
        return _("You have already picked up %(number)s.") % {"number": ticket.number}
    return _("%(number)s was already picked up by %(user)s.") % {
        "number": ticket.number,
        "user": ticket.assigned_to,
    }


def _group_refusal(ticket: Ticket) -> str:
    return _("Only members of %(group)s can do this on %(number)s.") % {
        "group": ticket.assignment_group,
        "number": ticket.number,
    }


def _l1_refusal() -> str:
    return _("Only first-line (L1) agents can do this.")


def _outside_group_refusal(ticket: Ticket) -> str:
    # An admin outside the group may act on the ticket, but the assignee is always a member
    # of the assignment group.
    return _("You are not a member of %(group)s: assign %(number)s to one of its members.") % {
        "group": ticket.assignment_group,
        "number": ticket.number,
    }


def _refusal(ticket: Ticket, user: User, action: str) -> Callable[[], str] | None:
    """The first guard of the action that the ticket as it is now and the user fail, as a
    function giving the message; None when the action may be taken. The message is built only
    when it is shown, since naming a group or a person may take a query and the page asks
    about every action."""
    if not allowed_from(action, ticket.status):
        return partial(_state_refusal, ticket, user, action)
    if not _may_act(ticket, user, action):
        if not _is_member(user, ticket.assignment_group_id):
            return partial(_group_refusal, ticket)
        return _l1_refusal
    if action == Action.PICK_UP:
        if ticket.status == Status.RESOLVED and ticket.assigned_to_id is not None:
            # Two first-line agents clicking at once: the second must not take it silently.
            return partial(_taken_refusal, ticket, user)
        if ticket.assignment_group_id not in user.group_ids():
            return partial(_outside_group_refusal, ticket)
    return None


def refusal_message(ticket: Ticket, user: User, action: str) -> str | None:
    """Why the user may not take the action on the ticket now; None if they may."""
    refusal = _refusal(ticket, user, action)
    return refusal() if refusal is not None else None


def available_actions(ticket: Ticket, user: User) -> list[str]:
    """The actions the user may take on the ticket now; the buttons are drawn from this."""
    return [action for action in TRANSITIONS if _refusal(ticket, user, action) is None]


def can_edit(ticket: Ticket, user: User) -> bool:
    """Whether the user may change the ticket's fields (the Save button)."""
    return not ticket.is_read_only and _may_act(ticket, user, Action.UPDATE)


def can_write_tabs(ticket: Ticket, user: User) -> bool:
    """Whether the user may add to (or remove from) the ticket's tabs: work notes, additional
    comments, the watch list, attachments and related incidents.

    Not on a Closed or Cancelled ticket. Otherwise an admin, a member of the ticket's group,
    or a first-line agent, since the first line owns the conversation with the requester and
    closes the ticket. Anyone else who sees the ticket (a group that held it before, say)
    reads the tabs only.
    """
    if ticket.is_read_only:
        return False
    return user.is_superuser or ticket.assignment_group_id in user.group_ids() or user.is_l1()


def edit_refusal(ticket: Ticket, user: User, *, seen_version: int | None = None) -> str | None:
    """Why the user may not change the ticket's fields now (the Save button); None if they
    may. ``seen_version`` is the version the user's form was loaded at: if the ticket went to
    another group since, the refusal says it is now held there."""
    if ticket.is_read_only:
        return _("%(number)s is %(state)s and can no longer be changed.") % {
            "number": ticket.number,
            "state": ticket.status_label,
        }
    if not _may_act(ticket, user, Action.UPDATE):
        if _is_member(user, ticket.assignment_group_id):
            return _l1_refusal()
        if seen_version is not None and seen_version != ticket.version:
            return _("%(number)s is now held by %(group)s; you can no longer change it.") % {
                "number": ticket.number,
                "group": ticket.assignment_group,
            }
        return _group_refusal(ticket)
    return None


def _check(ticket: Ticket, user: User, action: str, expected_version: int | None) -> str:
    """Refuse the action unless the fresh row allows it; return the state it leads to.

    The state and the actor's rights are checked before the version: when someone else
    resolved the ticket meanwhile, "it is Resolved" says what happened, where "changed by
    someone else, try again" would ask for a retry that cannot succeed.
    """
    if action == Action.UPDATE:
        refusal = edit_refusal(ticket, user, seen_version=expected_version)
    else:
        refused = _refusal(ticket, user, action)
        refusal = refused() if refused is not None else None
    if refusal is not None:
        raise TransitionNotAllowed(refusal)
    if expected_version is not None and ticket.version != expected_version:
        raise TransitionNotAllowed(
            _(
                "%(number)s was changed by someone else since you opened it. "
                "Reload it to see the changes, then try again."
            )
            % {"number": ticket.number}
        )
    return ticket.status if action == Action.UPDATE else TRANSITIONS[action][ticket.status]


def _require(value: Any, message: str, *, field: str | None = None) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise TransitionNotAllowed(message, field=field)


def _check_assignee(assignee: User | None, group: AssignmentGroup, *, field: str) -> None:
    if assignee is not None and not group.members.filter(pk=assignee.pk).exists():
        raise TransitionNotAllowed(
            _("%(user)s is not a member of %(group)s.") % {"user": assignee, "group": group},
            field=field,
        )


def l1_group_for(ticket: Ticket) -> AssignmentGroup | None:
    """The first-line group a resolved ticket returns to: the one that opened it, if it is an
    active first-line group, else the first active first-line group; None if there is none.
    One query, none when the ticket is still with the active first-line group that opened it.
    """
    current = ticket._state.fields_cache.get("assignment_group")
    if (
        current is not None
        and current.pk == ticket.opened_by_group_id
        and current.is_l1
        and current.is_active
    ):
        return current
    return _first_l1_group(preferring=ticket.opened_by_group_id)


def _first_l1_group(*, preferring: int | None = None) -> AssignmentGroup | None:
    """The active first-line group with the id preferred, if there is one, else the first
    active first-line group by name; None if none is active. One query."""
    order: list[Any] = ["name"]
    if preferring is not None:
        order.insert(0, Case(When(pk=preferring, then=0), default=1))
    return AssignmentGroup.objects.filter(is_l1=True, is_active=True).order_by(*order).first()


def _check_group_active(group: AssignmentGroup, *, field: str) -> None:
    if not group.is_active:
        raise TransitionNotAllowed(
            _("%(group)s is no longer active; choose another group.") % {"group": group},
            field=field,
        )


# --- writing -------------------------------------------------------------------------------


def _raw(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _write(
    ticket: Ticket,
    *,
    by: User,
    action: str,
    to_status: str,
    changes: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> TicketEvent | None:
    """Apply the changes to the locked ticket, save it and record one history row.

    ``changes`` maps field names (foreign keys as model instances or None) to new values.
    An edit that changes nothing writes nothing and returns None.
    """
    from_status = ticket.status
    tally_before = tallies.key_of(ticket)
    diff: dict[str, list[Any]] = {}
    for name, value in changes.items():
        field = ticket._meta.get_field(name)
        new_raw = value.pk if hasattr(value, "pk") else value
        old_raw = getattr(ticket, field.attname)
        if old_raw != new_raw:
            diff[name] = [_raw(old_raw), _raw(new_raw)]
            # A relation may be given as a row or as its id.
            setattr(ticket, name if hasattr(value, "pk") else field.attname, value)
    if from_status != to_status:
        diff["status"] = [from_status, to_status]
        ticket.status = to_status
    if not diff and action == Action.UPDATE:
        return None
    if "impact" in diff or "urgency" in diff:
        priority = compute_priority(ticket.impact, ticket.urgency)
        if priority != ticket.priority:
            diff["priority"] = [ticket.priority, int(priority)]
            ticket.priority = priority
    update_fields = [ticket._meta.get_field(n).attname for n in diff if n != "status"]
    # The row is locked, so this increment cannot race.
    ticket.version += 1
    ticket.save(update_fields=[*update_fields, "status", "priority", "version", "updated_at"])
    tally_after = tallies.key_of(ticket)
    tallies.move(tally_before, tally_after)
    new_holder = None
    if "assignment_group" in diff:
        _holding, is_new = GroupHolding.objects.get_or_create(
            ticket=ticket, group_id=ticket.assignment_group_id
        )
        new_holder = ticket.assignment_group_id if is_new else None
    tallies.move_held(ticket, tally_before, tally_after, new_holder=new_holder)
    return TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=by,
        # The version the write produced, so a refused stale save can list what came since.
        data={"changes": diff, "version": ticket.version, **(extra or {})},
    )


def _locked(ticket: Ticket) -> Ticket:
    # No joins (select_related) in the locking query: PostgreSQL, having waited for a racing
    # action that moved the ticket to another group, re-checks a join against the group row it
    # read before the wait and then returns no row at all. The group the caller already read
    # serves when the ticket is still in it (a group's name and L1 flag are settings, not
    # ticket state); otherwise it loads when needed.
    found = prepared.instances(
        "locked ticket",
        Ticket,
        lambda pk: Ticket.objects.select_for_update().filter(pk=pk),
        ticket.pk,
    )
    if not found:
        raise Ticket.DoesNotExist(f"ticket {ticket.pk} no longer exists")
    fresh = found[0]
    group = ticket._state.fields_cache.get("assignment_group")
    if group is not None and group.pk == fresh.assignment_group_id:
        fresh.assignment_group = group
    return fresh


def _next_number(opened_at: datetime.datetime) -> str:
    """Take the next number of the year under a row lock; safe when two saves race."""
    year = timezone.localtime(opened_at).year
    table = TicketCounter._meta.db_table
    # One statement: the first ticket of a year creates the row, every other one raises it;
    # the row stays locked until the transaction ends, so a racing save waits its turn.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        (last,) = cursor.fetchone()
    return f"INC-{year}-{last:06d}"


# The fields a ticket must always have, with the values each may take.
CHOICE_FIELDS = {
    "contact_type": Ticket.ContactType.values,
    "impact": Ticket.Impact.values,
    "urgency": Ticket.Urgency.values,
}


def _validate_fields(values: dict[str, Any], now: datetime.datetime) -> None:
    """Refuse missing mandatory fields, values outside their choices, taxonomy levels that do
    not form one path and a Back Dated in the future. The forms check the same first and
    show it beside the field; this is the guard behind them."""
    if "short_description" in values:
        _require(
            values["short_description"],
            _("Write the Short Description."),
            field="short_description",
        )
    messages = {
        "contact_type": _("Choose a Contact Type."),
        "impact": _("Choose an Impact."),
        "urgency": _("Choose an Urgency."),
    }
    for name, allowed in CHOICE_FIELDS.items():
        if name in values and values[name] not in allowed:
            raise TransitionNotAllowed(messages[name], field=name)
    try:
        validate_path(
            values.get("category"),
            values.get("sub_category"),
            values.get("item_category"),
            values.get("item_name"),
        )
    except ValidationError as error:
        name, errors = next(iter(error.message_dict.items()))
        raise TransitionNotAllowed(errors[0], field=name) from None
    back_dated = values.get("back_dated")
    if back_dated is not None and back_dated > now:
        raise TransitionNotAllowed(_("Back Dated cannot be in the future."), field="back_dated")


def create_ticket(*, by: User, **values: Any) -> Ticket:
    """Record a new incident and give it its number.

    Guards: the actor belongs to a group (or is an admin); Short Description, Contact Type,
    Impact and Urgency are given and Contact Type, Impact and Urgency are among their choices;
    the taxonomy levels form one path; Back Dated is not in the future; the assignee, if any,
    is a member of the assignment group.
    The chosen group is active. Without a group the ticket goes to the actor's first-line
    group, else to the first active first-line group. It starts New in a first-line group and
    Assigned in any other.
    """
    if not by.is_superuser and not by.group_ids():
        raise TransitionNotAllowed(_("Only members of an assignment group can create incidents."))
    unknown = set(values) - set(EDITABLE_FIELDS) - {"assignment_group"}
    if unknown:
        raise TypeError(f"create_ticket() got unexpected fields: {sorted(unknown)}")
    now = timezone.now()
    # A mandatory field left out is refused like one left empty.
    _validate_fields({"short_description": None, **dict.fromkeys(CHOICE_FIELDS), **values}, now)
    home = by.home_group()
    # The actor's groups are active ones (User.active_groups).
    group = values.pop("assignment_group", None) or (
        home if home and home.is_l1 else _first_l1_group()
    )
    if group is None:
        raise TransitionNotAllowed(_("Choose an Assignment Group."), field="assignment_group")
    _check_group_active(group, field="assignment_group")
    _check_assignee(values.get("assigned_to"), group, field="assigned_to")
    with transaction.atomic():
        ticket = Ticket(
            **values,
            assignment_group=group,
            opened_at=now,
            opened_by=by,
            opened_by_group=home,
            status=Status.NEW if group.is_l1 else Status.ASSIGNED,
            priority=compute_priority(values["impact"], values["urgency"]),
        )
        ticket.number = _next_number(now)
        ticket.save()
        initial = {
            name: [None, _raw(getattr(ticket, ticket._meta.get_field(name).attname))]
            for name in (*EDITABLE_FIELDS, "assignment_group", "priority")
            if getattr(ticket, ticket._meta.get_field(name).attname) not in (None, "", False)
        }
        event = TicketEvent(
            ticket=ticket,
            action=Action.CREATE,
            from_status="",
            to_status=ticket.status,
            actor=by,
            data={"changes": initial, "version": ticket.version},
        )
        # Written with the counting: one statement on PostgreSQL.
        tallies.count_new(ticket, event=event)
        if ticket.status == Status.ASSIGNED or ticket.assigned_to_id:
            transaction.on_commit(partial(notifications.send_assignment, ticket.pk))
    return ticket


def update_ticket(
    ticket: Ticket, *, by: User, changes: dict[str, Any], expected_version: int | None = None
) -> Ticket:
    """Change the ticket's fields (the Save button); its state and group stay as they are.

    Guards: the ticket is neither Closed nor Cancelled; the actor is in its group; the version
    the actor saw is current; a changed mandatory field is not emptied and stays among its
    choices; the taxonomy levels form one path; the assignee is in the group.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_ticket() cannot change: {sorted(unknown)}")
    with transaction.atomic():
        fresh = _locked(ticket)
        _check(fresh, by, Action.UPDATE, expected_version)
        # The levels are checked as a whole path, the other fields as they are changed.
        path = {name: changes.get(name, getattr(fresh, name)) for name in LEVEL_FIELDS}
        _validate_fields({**changes, **path}, timezone.now())
        if "assigned_to" in changes:
            _check_assignee(changes["assigned_to"], fresh.assignment_group, field="assigned_to")
        _write(fresh, by=by, action=Action.UPDATE, to_status=fresh.status, changes=changes)
    return fresh


def _act(
    ticket: Ticket,
    action: str,
    *,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    prepare=None,
) -> Ticket:
    """The steps every state action shares: lock, check, apply, record."""
    with transaction.atomic():
        fresh = _locked(ticket)
        target = _check(fresh, by, action, expected_version)
        all_changes = dict(changes or {})
        if prepare is not None:
            all_changes |= prepare(fresh)
        _write(fresh, by=by, action=action, to_status=target, changes=all_changes, extra=extra)
    return fresh


def assign_ticket(
    ticket: Ticket,
    *,
    by: User,
    group: AssignmentGroup | None,
    assignee: User | None = None,
    expected_version: int | None = None,
) -> Ticket:
    """Escalate or reassign the ticket to a group (and optionally one of its members).

    Guards: state New, Assigned, In Progress, On Hold or Re-open; the actor is in the ticket's
    current group, or in a first-line group while the ticket is New or Assigned; an active
    target group is given and the assignee, if any, is a member of it.
    """
    _require(group, _("Choose the Assignment Group to assign to."), field="group")
    _check_group_active(group, field="group")
    _check_assignee(assignee, group, field="assignee")
    fresh = _act(
        ticket,
        Action.ASSIGN,
        by=by,
        expected_version=expected_version,
        changes={"assignment_group": group, "assigned_to": assignee, "hold_reason": ""},
    )
    transaction.on_commit(partial(notifications.send_assignment, fresh.pk))
    return fresh


def pick_up_ticket(ticket: Ticket, *, by: User, expected_version: int | None = None) -> Ticket:
    """Take the ticket from the group queue: it becomes In Progress and assigned to the actor.

    A Resolved ticket is picked up by a first-line agent to verify and close it; it stays
    Resolved. Guards: the state allows it; the actor is a member of the ticket's group (an
    admin too: the assignee is always a member), and L1 for a Resolved ticket; a Resolved
    ticket that someone (the actor or another agent) already picked up is not taken again.
    """
    return _act(
        ticket,
        Action.PICK_UP,
        by=by,
        expected_version=expected_version,
        changes={"assigned_to": by},
    )


def hold_ticket(
    ticket: Ticket, *, by: User, reason: str, expected_version: int | None = None
) -> Ticket:
    """Pause work for a stated reason. Guards: In Progress or Re-open; actor in the group;
    a reason is given."""
    _require(reason, _("Give the reason for putting the incident on hold."), field="reason")
    return _act(
        ticket,
        Action.HOLD,
        by=by,
        expected_version=expected_version,
        changes={"hold_reason": reason.strip()},
    )


def third_party_ticket(
    ticket: Ticket,
    *,
    by: User,
    vendor: Vendor | None,
    reason: str = "",
    expected_version: int | None = None,
) -> Ticket:
    """Put the ticket on hold while a vendor works on it. Guards: In Progress or Re-open;
    actor in the group; a vendor is chosen."""
    _require(vendor, _("Choose the vendor the incident waits on."), field="vendor")
    return _act(
        ticket,
        Action.THIRD_PARTY,
        by=by,
        expected_version=expected_version,
        changes={"vendor": vendor, "hold_reason": (reason or "").strip()},
    )


def resume_ticket(ticket: Ticket, *, by: User, expected_version: int | None = None) -> Ticket:
    """Take a ticket off hold. Guards: On Hold; actor in the group. An unassigned ticket
    becomes the actor's, if the actor is a member of its group."""
    return _act(
        ticket,
        Action.RESUME,
        by=by,
        expected_version=expected_version,
        prepare=lambda fresh: {
            "hold_reason": "",
            "assigned_to": fresh.assigned_to
            if fresh.assigned_to_id or fresh.assignment_group_id not in by.group_ids()
            else by,
        },
    )


def resolve_ticket(
    ticket: Ticket, *, by: User, resolution: str, expected_version: int | None = None
) -> Ticket:
    """Record the resolution; the ticket goes back to the first-line queue to be verified
    (l1_group_for: the active first-line group that opened it, else the first active one).

    Guards: In Progress, On Hold or Re-open; actor in the group; a resolution is given.
    """
    _require(resolution, _("Describe the resolution."), field="resolution")

    def prepare(fresh: Ticket) -> dict[str, Any]:
        return {
            "resolution": resolution.strip(),
            "resolved_by": by,
            "resolved_at": timezone.now(),
            "resolved_by_group": fresh.assignment_group_id,
            "assignment_group": l1_group_for(fresh) or fresh.assignment_group_id,
            "assigned_to": None,
            "hold_reason": "",
        }

    fresh = _act(ticket, Action.RESOLVE, by=by, expected_version=expected_version, prepare=prepare)
    transaction.on_commit(partial(notifications.send_resolution, fresh))
    return fresh


def reopen_ticket(
    ticket: Ticket, *, by: User, reason: str, expected_version: int | None = None
) -> Ticket:
    """Send a resolved ticket back to the group that resolved it (to the first-line group if
    that group is no longer active), and to the agent who resolved it if still a member.

    Guards: Resolved; actor in the ticket's group; a reason is given.
    """
    _require(reason, _("Give the reason for re-opening the incident."), field="reason")

    def prepare(fresh: Ticket) -> dict[str, Any]:
        group = fresh.resolved_by_group or fresh.assignment_group
        if not group.is_active:
            # The group that resolved it was retired since: the first line takes it back.
            group = l1_group_for(fresh) or group
        assignee = fresh.resolved_by
        if assignee is not None and not group.members.filter(pk=assignee.pk).exists():
            assignee = None
        return {"assignment_group": group, "assigned_to": assignee}

    return _act(
        ticket,
        Action.REOPEN,
        by=by,
        expected_version=expected_version,
        prepare=prepare,
        extra={"reason": reason.strip()},
    )


def cancel_ticket(
    ticket: Ticket, *, by: User, reason: str, expected_version: int | None = None
) -> Ticket:
    """Cancel a ticket (duplicate, spam, withdrawn). Guards: New, Assigned, In Progress,
    On Hold or Re-open; actor in the group, or in a first-line group while the ticket is New
    or Assigned; a reason is given."""
    _require(reason, _("Give the reason for cancelling the incident."), field="reason")
    return _act(
        ticket,
        Action.CANCEL,
        by=by,
        expected_version=expected_version,
        changes={"cancel_reason": reason.strip()},
    )


def close_ticket(
    ticket: Ticket,
    *,
    by: User,
    close_code: CloseCode | None,
    close_notes: str,
    is_knowledge: bool = False,
    expected_version: int | None = None,
) -> Ticket:
    """Close a resolved ticket; it is read-only from then on.

    Guards: Resolved; the actor is a first-line agent in the ticket's group; a close code and
    close notes are given.
    """
    _require(close_code, _("Choose a close code."), field="close_code")
    _require(close_notes, _("Write the close notes."), field="close_notes")
    return _act(
        ticket,
        Action.CLOSE,
        by=by,
        expected_version=expected_version,
        prepare=lambda fresh: {
            "close_code": close_code,
            "close_notes": close_notes.strip(),
            "is_knowledge": is_knowledge,
            "closed_by": by,
            "closed_at": timezone.now(),
        },
    )


# --- writes that do not change the state ---------------------------------------------------
#
# Notes, the watch list, attachments and related incidents: who may write them is
# can_write_tabs(); a Closed or Cancelled ticket refuses them. They leave the state and the
# version alone, so a note never makes an open edit form stale.


def _writable(ticket: Ticket, by: User) -> Ticket:
    """Lock the ticket and refuse unless the user may still write its tabs."""
    fresh = _locked(ticket)
    if can_write_tabs(fresh, by):
        return fresh
    if fresh.is_read_only:
        raise TransitionNotAllowed(
            _("%(number)s is %(state)s and can no longer be changed.")
            % {"number": fresh.number, "state": fresh.status_label}
        )
    raise TransitionNotAllowed(
        _(
            "Only members of %(group)s or of a first-line group can add to or change the "
            "notes, watch list, attachments and related incidents of %(number)s."
        )
        % {"group": fresh.assignment_group, "number": fresh.number}
    )


def add_note(ticket: Ticket, *, by: User, visibility: str, body: str) -> Note:
    """Add a work note (internal) or an additional comment (customer visible).

    An additional comment is e-mailed to the watch list and the requester after the commit;
    a work note is never e-mailed. Guards: the ticket is neither Closed nor Cancelled; the
    actor may write its tabs (can_write_tabs); the text is not empty.
    """
    if visibility not in Note.Visibility.values:
        raise ValueError(f"Unknown note visibility: {visibility!r}")
    _require(body, _("Write the text of the note."), field="body")
    with transaction.atomic():
        fresh = _writable(ticket, by)
        note = Note.objects.create(
            ticket=fresh, visibility=visibility, body=body.strip(), author=by
        )
        if visibility == Note.Visibility.COMMENT:
            transaction.on_commit(partial(notifications.send_comment, note.pk))
    return note


def add_watcher(ticket: Ticket, *, by: User, email: str) -> WatchListEntry:
    """Put an e-mail address on the watch list. Guards: the ticket is neither Closed nor
    Cancelled; the actor may write its tabs; the address is not on the list yet."""
    _require(email, _("Enter an e-mail address."), field="email")
    email = email.strip()
    with transaction.atomic():
        fresh = _writable(ticket, by)
        if fresh.watch_list.filter(email__iexact=email).exists():
            raise TransitionNotAllowed(
                _("%(email)s is already on the watch list.") % {"email": email}
            )
        return WatchListEntry.objects.create(ticket=fresh, email=email, added_by=by)


def remove_watcher(ticket: Ticket, *, by: User, entry: WatchListEntry) -> None:
    """Take an address off the watch list. Guards: the ticket is neither Closed nor
    Cancelled; the actor may write its tabs; the entry belongs to this ticket."""
    with transaction.atomic():
        fresh = _writable(ticket, by)
        deleted, _rows = WatchListEntry.objects.filter(pk=entry.pk, ticket=fresh).delete()
        if not deleted:
            raise TransitionNotAllowed(
                _("%(email)s is not on the watch list.") % {"email": entry.email}
            )


def add_attachment(
    ticket: Ticket, *, by: User, file: File, original_name: str, content_type: str
) -> Attachment:
    """Store a file (already checked by the upload form) under a generated name.

    Guards: the ticket is neither Closed nor Cancelled; the actor may write its tabs.
    """
    with transaction.atomic():
        fresh = _writable(ticket, by)
        attachment = Attachment(
            ticket=fresh,
            original_name=original_name,
            content_type=content_type,
            size=file.size,
            uploaded_by=by,
        )
        attachment.file.save(original_name, file, save=False)
        try:
            attachment.save()
        except BaseException:
            # The row was not written, so the stored file would be an orphan.
            attachment.file.delete(save=False)
            raise
    return attachment


def _writable_pair(ticket: Ticket, other: Ticket, by: User) -> tuple[Ticket, Ticket]:
    """Lock both incidents and refuse unless the user may write the ticket's tabs and the
    other incident can still change (a Closed or Cancelled one keeps its relations as they
    are). The rows are locked in id order, so two relations made at once in opposite
    directions cannot deadlock."""
    if other.pk == ticket.pk:
        raise TransitionNotAllowed(_("An incident cannot be related to itself."))
    if other.pk < ticket.pk:
        fresh_other = Ticket.objects.select_for_update().get(pk=other.pk)
        fresh = _writable(ticket, by)
    else:
        fresh = _writable(ticket, by)
        fresh_other = Ticket.objects.select_for_update().get(pk=other.pk)
    refusal = relation_refusal(fresh_other)
    if refusal is not None:
        raise TransitionNotAllowed(refusal)
    return fresh, fresh_other


def relation_refusal(other: Ticket) -> str | None:
    """Why an incident can no longer be related to another or unlinked from one (it is
    Closed or Cancelled); None if it can. The related form says it beside the number."""
    if other.is_read_only:
        return _("%(number)s is %(state)s: it can no longer be related or unlinked.") % {
            "number": other.number,
            "state": other.status_label,
        }
    return None


def link_related(ticket: Ticket, *, by: User, other: Ticket) -> None:
    """Mark two incidents as related (both ways). Guards: neither incident is Closed or
    Cancelled; the actor may write the ticket's tabs; the other incident is a different one
    and not related yet."""
    with transaction.atomic():
        fresh, other = _writable_pair(ticket, other, by)
        if fresh.related.filter(pk=other.pk).exists():
            raise TransitionNotAllowed(
                _("%(other)s is already related to %(number)s.")
                % {"other": other.number, "number": fresh.number}
            )
        fresh.related.add(other)


def unlink_related(ticket: Ticket, *, by: User, other: Ticket) -> None:
    """Remove the relation between two incidents. Guards: neither incident is Closed or
    Cancelled; the actor may write the ticket's tabs; the two are related."""
    with transaction.atomic():
        fresh, other = _writable_pair(ticket, other, by)
        if not fresh.related.filter(pk=other.pk).exists():
            raise TransitionNotAllowed(
                _("%(other)s is not related to %(number)s.")
                % {"other": other.number, "number": fresh.number}
            )
        fresh.related.remove(other)
