"""The forms of the incident page's tabs: notes, watch list, attachments, related incidents."""

from __future__ import annotations

import os
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from ..models import Note, Ticket
from ..validators import MAX_TEXT
from ..workflow import relation_refusal
from .common import CopiesFieldsQuickly, LongTextarea


class _TabForm(CopiesFieldsQuickly, forms.Form):
    # Its own id prefix, so its fields never share an id with the incident form's.
    id_prefix = "tab"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class NoteForm(_TabForm):
    """A work note or an additional comment; each has its own box on the Notes tab."""

    visibility = forms.ChoiceField(choices=Note.Visibility.choices, widget=forms.HiddenInput)
    body = forms.CharField(widget=LongTextarea(attrs={"rows": 3}), max_length=MAX_TEXT)

    LABELS = {
        Note.Visibility.WORK_NOTE: gettext_lazy("Work notes"),
        Note.Visibility.COMMENT: gettext_lazy("Additional comments (Customer visible)"),
    }

    def __init__(self, *args, visibility: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{visibility}_%s")
        super().__init__(*args, initial={"visibility": visibility}, **kwargs)
        # Not "visibility": templates would find the bound field of that name first.
        self.kind = visibility
        self.fields["body"].label = self.LABELS[visibility]


class WatchForm(_TabForm):
    """An address for the watch list. The page says when it is the requester's own, which
    receives the comments anyway (static/js/incident-page.js compares as it is typed)."""

    id_prefix = "watch"
    email = forms.EmailField(
        label=gettext_lazy("Add to watch list"),
        widget=forms.EmailInput(attrs={"placeholder": "nama@perusahaan.co.id"}),
    )

    def __init__(self, *args, requester_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if requester_email:
            self.fields["email"].widget.attrs.update(
                {"data-requester-email": requester_email, "data-hint": "watch-hint"}
            )


MAX_NAME_LENGTH = 255  # Attachment.original_name


def safe_file_name(name: str, extensions: tuple[str, ...] = ()) -> str:
    """The file name a browser sent, without folders or control and format characters (such as
    the right-to-left override U+202E, which can make "...exe" read as "...pdf"), ending in
    one of the extensions (the first is added if none is there) and short enough for its
    column."""
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    name = name or "attachment"
    if extensions and not name.lower().endswith(extensions):
        name += extensions[0]
    if len(name) > MAX_NAME_LENGTH:
        # Keep the start, which people recognise, and the extension.
        _stem, dot, suffix = name.rpartition(".")
        suffix = f".{suffix}" if dot and len(suffix) < 10 else ""
        name = name[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return name


# How much of a file's end is read to find its end marker: PDF readers look for %%EOF within
# the last 1024 bytes, and both types often carry a few bytes after their marker (trailing
# whitespace in a PDF; padding or a phone's metadata trailer after a JPEG).
TAIL_BYTES = 1024


def _ends_as_pdf(tail: bytes) -> bool:
    return b"%%EOF" in tail


def _ends_as_jpeg(tail: bytes) -> bool:
    return b"\xff\xd9" in tail  # the End Of Image marker


# What an upload must start with and hold in its last TAIL_BYTES to be accepted, the name its
# refusal gives the type, and how it is then stored and served. The markers only recognise the
# type: looking at the end too refuses a file that merely begins with the magic bytes (an HTML
# page behind "%PDF-", say), but nothing here proves there is no other content inside the
# file. What keeps such content from running is that attachments are served as downloads
# with nosniff.
UPLOAD_TYPES = (
    (b"%PDF-", _ends_as_pdf, "PDF", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", _ends_as_jpeg, "JPEG", "image/jpeg", (".jpg", ".jpeg")),
)


def max_upload_bytes() -> int:
    """The largest attachment accepted: ESTIM_MAX_UPLOAD_MB, 10 MB unless set."""
    return settings.ESTIM_MAX_UPLOAD_BYTES


class AttachmentForm(_TabForm):
    """A PDF or JPEG, recognised by the markers its content starts and ends with, not by its
    name."""

    id_prefix = "upload"

    file = forms.FileField(
        label=gettext_lazy("File (PDF or JPG)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,application/pdf,image/jpeg"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s can be attached.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        # Only the first and the last bytes are read, never the whole file into memory.
        upload.seek(0)
        head = upload.read(8)
        upload.seek(max(0, upload.size - TAIL_BYTES))
        tail = upload.read(TAIL_BYTES)
        upload.seek(0)
        for magic, ends_well, kind, content_type, extensions in UPLOAD_TYPES:
            if not head.startswith(magic):
                continue
            if not ends_well(tail):
                raise ValidationError(
                    _(
                        "The file begins like a %(kind)s but does not end like one: it is "
                        "damaged or another kind of file. Only whole PDF and JPEG files can be "
                        "attached."
                    )
                    % {"kind": kind}
                )
            self.cleaned_data["content_type"] = content_type
            self.cleaned_data["original_name"] = safe_file_name(upload.name, extensions)
            return upload
        raise ValidationError(_("Only PDF and JPEG files can be attached."))


class RelatedForm(_TabForm):
    """Another incident, by number, that the user may see and that is neither Closed nor
    Cancelled."""

    id_prefix = "related"

    number = forms.CharField(
        label=gettext_lazy("Incident number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "placeholder": "INC-2026-000123",
                "autocomplete": "off",
                "list": "related-options",
            }
        ),
    )

    def __init__(self, *args, user: User, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.ticket = user, ticket
        self.fields["number"].widget.attrs["data-incident-lookup"] = reverse(
            "tickets:api_incidents"
        )

    def clean_number(self):
        number = self.cleaned_data["number"].strip().upper()
        if number == self.ticket.number:
            raise ValidationError(_("An incident cannot be related to itself."))
        other = Ticket.objects.visible_to(self.user).filter(number=number).first()
        if other is None:
            raise ValidationError(_("There is no incident %(number)s.") % {"number": number})
        refusal = relation_refusal(other)
        if refusal is not None:
            raise ValidationError(refusal)
        self.cleaned_data["other"] = other
        return number
