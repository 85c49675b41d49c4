"""E-mail sent about incidents. Called through transaction.on_commit, never before the commit."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .models import Note

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


def comment_recipients(note: Note) -> list[str]:
    """The watch list and the requester's address, each once (compared without case).

    An address that is not one (written by an import or the admin, say, with a line break
    that would add a header) is skipped, so it can neither add recipients nor stop the mail.
    """
    addresses = [entry.email for entry in note.ticket.watch_list.order_by("created_at", "pk")]
    if note.ticket.email:
        addresses.insert(0, note.ticket.email)
    unique = {}
    for address in addresses:
        address = address.strip()
        if not _is_address(address):
            logger.warning("Not e-mailing %r about %s: not an address", address, note.ticket.number)
            continue
        unique.setdefault(address.lower(), address)
    return list(unique.values())


def send_comment(note_id: int) -> int:
    """E-mail an additional comment (customer visible) to its recipients, one message each so
    that no recipient sees the others' addresses. Work notes are never sent. Returns the
    number of messages sent."""
    note = Note.objects.select_related("ticket", "author").get(pk=note_id)
    if note.visibility != Note.Visibility.COMMENT:
        return 0
    ticket = note.ticket
    subject = one_line(
        _("[%(number)s] %(short_description)s")
        % {"number": ticket.number, "short_description": ticket.short_description}
    )
    body = _(
        "%(author)s added a comment to incident %(number)s:\n\n%(body)s\n\n"
        "Please keep %(number)s in the subject when you reply.\n-- ESTIM Helpdesk"
    ) % {"author": note.author, "number": ticket.number, "body": note.body}
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        for address in comment_recipients(note)
    ]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except (SMTPException, OSError):
        # The comment is saved; a mail server that is down must not turn that into an error.
        logger.exception("Could not e-mail the comment %s on %s", note.pk, ticket.number)
        return 0
