"""What agents may type about a requester, and the one form each value is stored in.

The incident form (tickets/forms/incident.py) runs these on NIB, NIK/passport and phone; each
function takes what was typed and returns the value to store or raises ``ValidationError``
with a message shown beside the field. The limits of free text live here too.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIB_DIGITS = 13
NIK_DIGITS = 16
PASSPORT_LENGTH = (6, 12)
# Digits after +62 (the national number without its leading 0): landlines have 7 or more,
# mobile numbers up to 12.
PHONE_NATIONAL_DIGITS = (7, 12)

# Room for what people type between groups of digits ("1234 5678 90123", "0812-3456-7890");
# what is stored is never longer than the model field.
ID_INPUT_LENGTH = 30
PHONE_INPUT_LENGTH = 30

# Free text (rich-text descriptions, notes, resolutions, close notes): long enough for any
# real complaint, short enough that no request can fill the database.
MAX_RICH_TEXT = 20_000
MAX_TEXT = 10_000

# Ids that fit the database's 64-bit integer columns.
MAX_ID = 2**63 - 1

_SEPARATORS = re.compile(r"[\s.\-/]+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]+")


def ascii_digits(value: str, count: int, most: int | None = None) -> bool:
    """Whether value is ``count`` digits 0-9 (or ``count`` to ``most`` of them).

    str.isdigit() also accepts other scripts' digits and superscripts ("²"), which int()
    then refuses or reads as another number.
    """
    upper = count if most is None else most
    return re.fullmatch(rf"[0-9]{{{count},{upper}}}", value) is not None


# Line breaks and other control characters (C0, DEL, C1), the Unicode line and paragraph
# separators, and the bidirectional embeddings, overrides and isolates, which can make the
# rest of a list row read backwards.
_LINE_BREAKING = re.compile(r"\s*[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+\s*")


def single_line(value: str) -> str:
    """Text for a one-line field (a short description, a name, a building): each run of line
    breaks and control characters becomes one space, so a pasted line break or an escape
    sequence never reaches lists, e-mail subjects or exports."""
    return _LINE_BREAKING.sub(" ", value or "").strip()


def normalise_nib(value: str) -> str:
    """A NIB (Nomor Induk Berusaha): 13 digits, stored without separators."""
    compact = _SEPARATORS.sub("", value or "")
    if not compact:
        return ""
    if not ascii_digits(compact, NIB_DIGITS):
        raise ValidationError(_("A NIB has 13 digits."), code="nib")
    return compact


def normalise_nik(value: str) -> str:
    """A NIK (16 digits) or a passport number (6 to 12 letters and digits, stored upper case)."""
    compact = _SEPARATORS.sub("", value or "").upper()
    if not compact:
        return ""
    if ascii_digits(compact, NIK_DIGITS):
        return compact
    low, high = PASSPORT_LENGTH
    if re.fullmatch(rf"[A-Z0-9]{{{low},{high}}}", compact):
        return compact
    raise ValidationError(
        _("Enter a 16-digit NIK or a passport number of 6 to 12 letters and digits."),
        code="nik",
    )


def normalise_phone(value: str) -> str:
    """An Indonesian phone number, typed as 0812..., 62812... or +62 812..., stored as
    +62812... (spaces, dots, dashes and brackets dropped)."""
    compact = _PHONE_SEPARATORS.sub("", value or "")
    if not compact:
        return ""
    for prefix in ("+62", "62", "0"):
        if compact.startswith(prefix):
            national = compact[len(prefix) :]
            break
    else:
        national = None
    if national is not None and national.startswith("0"):
        # "+62 (0)812 ...": the trunk 0 written after the country code.
        national = national[1:]
    low, high = PHONE_NATIONAL_DIGITS
    if national is None or not re.fullmatch(rf"[1-9][0-9]{{{low - 1},{high - 1}}}", national):
        raise ValidationError(
            _("Enter an Indonesian phone number starting with 0 or +62, e.g. 0812 3456 7890."),
            code="phone",
        )
    return f"+62{national}"


def parse_id(raw) -> int | None:
    """A database id from a query parameter or a select, or None if it cannot be one."""
    text = str(raw).strip() if raw is not None else ""
    if not re.fullmatch(r"[0-9]{1,19}", text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
