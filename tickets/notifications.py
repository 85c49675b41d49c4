"""E-mail sent about incidents. Called through transaction.on_commit, never before the commit."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .models import Note, Ticket

logger = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """The text on one line: an e-mail header must not carry a line break (CR, LF or any
    other character Python splits lines on), which could add headers such as Bcc."""
    return " ".join(text.split())


def _is_address(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def _addresses(ticket: Ticket, extra: list[str]) -> list[str]:
    """Valid addresses, each once (compared without case), in the order given.

    An address that is not one (written by an import or the admin, say, with a line break
    that would add a header) is skipped, so it can neither add recipients nor stop the mail.
    """
    unique = {}
    for address in extra:
        address = address.strip()
        if not _is_address(address):
            logger.warning("Not e-mailing %r about %s: not an address", address, ticket.number)
            continue
        unique.setdefault(address.lower(), address)
    return list(unique.values())


def requester_recipients(ticket: Ticket) -> list[str]:
    """The requester's address and the watch list."""
    addresses = [entry.email for entry in ticket.watch_list.order_by("created_at", "pk")]
    if ticket.email:
        addresses.insert(0, ticket.email)
    return _addresses(ticket, addresses)


def comment_recipients(note: Note) -> list[str]:
    return requester_recipients(note.ticket)


def _subject(ticket: Ticket, what: str = "") -> str:
    text = f"[{ticket.number}] {what + ': ' if what else ''}{ticket.short_description}"
    return one_line(text)


def _send(ticket: Ticket, subject: str, body: str, addresses: list[str]) -> int:
    """One message per address, so that no recipient sees the others' addresses."""
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses
    ]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except (SMTPException, OSError):
        # The change is saved; a mail server that is down must not turn that into an error.
        logger.exception("Could not e-mail about %s", ticket.number)
        return 0


def send_comment(note_id: int) -> int:
    """E-mail an additional comment (customer visible) to the requester and the watch list.
    Work notes are never sent. Returns the number of messages sent."""
    note = Note.objects.select_related("ticket", "author").get(pk=note_id)
    if note.visibility != Note.Visibility.COMMENT:
        return 0
    ticket = note.ticket
    body = _(
        "%(author)s added a comment to incident %(number)s:\n\n%(body)s\n\n"
        "Please keep %(number)s in the subject when you reply.\n-- ESTIM Helpdesk"
    ) % {"author": note.author, "number": ticket.number, "body": note.body}
    return _send(ticket, _subject(ticket), body, comment_recipients(note))


def send_assignment(ticket_id: int) -> int:
    """Tell the agents who now hold an incident: its assignee, or else every member of its
    assignment group. Returns the number of messages sent."""
    ticket = Ticket.objects.select_related("assignment_group", "assigned_to").get(pk=ticket_id)
    if ticket.assigned_to_id:
        people = [ticket.assigned_to.email]
    else:
        people = list(
            ticket.assignment_group.members.filter(is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    body = _(
        "Incident %(number)s is now with %(group)s%(person)s.\n\n%(short_description)s\n\n"
        "Open it in ESTIM: Assigned To My Group, or search for %(number)s.\n-- ESTIM Helpdesk"
    ) % {
        "number": ticket.number,
        "group": ticket.assignment_group,
        "person": f" ({ticket.assigned_to})" if ticket.assigned_to_id else "",
        "short_description": ticket.short_description,
    }
    subject = _subject(ticket, _("assigned to %(group)s") % {"group": ticket.assignment_group})
    return _send(ticket, subject, body, _addresses(ticket, people))


def send_resolution(ticket: Ticket) -> int:
    """Tell the requester and the watch list that their incident was resolved, and how."""
    body = _(
        "Incident %(number)s was resolved:\n\n%(resolution)s\n\n"
        "If the problem is not solved, reply and keep %(number)s in the subject.\n"
        "-- ESTIM Helpdesk"
    ) % {"number": ticket.number, "resolution": ticket.resolution}
    return _send(ticket, _subject(ticket, _("resolved")), body, requester_recipients(ticket))
