"""Input validation of the incident form: NIB, NIK or passport, phone, e-mail, lengths,
Unicode, Back Dated and the taxonomy path; each refusal is shown beside its field and keeps
everything typed. Checked on the validators, through the form and through the pages."""

import html as html_lib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import CategoryFactory, TicketFactory
from tickets.forms import IncidentForm, NoteForm, ResolveForm
from tickets.models import Note, Ticket
from tickets.validators import (
    MAX_RICH_TEXT,
    MAX_TEXT,
    normalise_nib,
    normalise_nik,
    normalise_phone,
    parse_id,
    single_line,
)

pytestmark = pytest.mark.django_db

EMOJI_NAME = "Budi 😀 Ñandú 👨‍👩‍👧"
EMOJI_COMPANY = "PT Jaya 日本 🚀 — ÄÖÜ"


# --- the validators --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1234567890123", "1234567890123"), (" 1234 5678-90123 ", "1234567890123"), ("", "")],
)
def test_nib_is_13_digits_stored_without_separators(typed, stored):
    assert normalise_nib(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["123456789012", "12345678901234", "12345678901ab", "１２３４５６７８９０１２３", "²" * 13],
)
def test_nib_refuses_anything_but_13_digits(typed):
    with pytest.raises(ValidationError, match="A NIB has 13 digits."):
        normalise_nib(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3171234567890001", "3171234567890001"),
        ("3171 2345 6789 0001", "3171234567890001"),
        ("a1234567", "A1234567"),
        ("C12345", "C12345"),
        ("X12345678901", "X12345678901"),
    ],
)
def test_nik_is_16_digits_or_a_passport_number(typed, stored):
    assert normalise_nik(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["317123456789000", "31712345678900012", "A1234", "A123456789012", "Ä1234567", "A1@3456"],
)
def test_nik_refuses_other_values(typed):
    with pytest.raises(ValidationError, match="16-digit NIK or a passport number"):
        normalise_nik(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(021) 525.2008", "+62215252008"),
        ("+62 (0)21 5252008", "+62215252008"),
        ("0761 12345", "+6276112345"),
    ],
)
def test_phone_is_indonesian_and_stored_as_plus_62(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["+1 555 123 4567", "12345", "0812", "0812345678901234", "0812abc4567", "+62 0"]
)
def test_phone_refuses_other_numbers(typed):
    with pytest.raises(ValidationError, match="Indonesian phone number"):
        normalise_phone(typed)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("9" * 25, None),
        (None, None),
    ],
)
def test_ids_from_requests_are_bounded(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Tidak bisa\r\nlogin", "Tidak bisa login"),
        ("Tidak bisa \n\n login\n", "Tidak bisa login"),
        ("a\tb\x0bc\x0cd", "a b c d"),
        ("\x1b[31mmerah\x07", "[31mmerah"),
        ("baris\u2028dua\u2029tiga\x85empat", "baris dua tiga empat"),
        ("tagihan\u202efdp.exe", "tagihan fdp.exe"),
        ("\x7f\x9f", ""),
        (EMOJI_NAME, EMOJI_NAME),
    ],
)
def test_single_line_text_folds_line_breaks_and_control_characters_to_a_space(typed, stored):
    assert single_line(typed) == stored


# --- through the form ------------------------------------------------------------------------


@pytest.fixture
def category():
    return CategoryFactory(name="TEKNOLOGI INFORMASI")


def form_data(category, **changes):
    data = {
        "category": category.pk,
        "short_description": "Tidak bisa login",
        "contact_type": "phone",
        "impact": "2",
        "urgency": "2",
    }
    return data | changes


def test_the_form_stores_normalised_identifiers(l1_agent, category):
    data = form_data(category, nib="1234 5678 90123", nik="b7654321", phone="0812 3456 7890")
    form = IncidentForm(data, user=l1_agent)
    assert form.is_valid(), form.errors
    values = form.create_values()
    assert (values["nib"], values["nik"], values["phone"]) == (
        "1234567890123",
        "B7654321",
        "+6281234567890",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("nib", "12ab"),
        ("nik", "12345"),
        ("phone", "+44 20 7946 0958"),
        ("email", "budi@"),
        ("short_description", "x" * 161),
        ("requested_by", "x" * 151),
        ("company_name", "x" * 201),
        ("building", "x" * 151),
        ("location_description", "x" * 256),
        ("description", "x" * (MAX_RICH_TEXT + 1)),
        ("nib", "1" * 31),
    ],
)
def test_the_form_refuses_bad_values_beside_the_field(l1_agent, category, name, value):
    form = IncidentForm(form_data(category, **{name: value}), user=l1_agent)
    assert not form.is_valid()
    assert list(form.errors) == [name]


SINGLE_LINE_FIELDS = [
    "requested_by",
    "company_name",
    "building",
    "location_description",
    "short_description",
]


@pytest.mark.parametrize("name", SINGLE_LINE_FIELDS)
def test_the_form_folds_line_breaks_of_one_line_fields(l1_agent, category, name):
    form = IncidentForm(form_data(category, **{name: "Lantai 3\r\nruang\x1b 5"}), user=l1_agent)
    assert form.is_valid(), form.errors
    assert form.create_values()[name] == "Lantai 3 ruang 5"


def test_a_short_description_of_only_control_characters_is_missing(l1_agent, category):
    form = IncidentForm(form_data(category, short_description="\x07\x1b"), user=l1_agent)
    assert not form.is_valid()
    assert form.errors["short_description"] == ["This field is required."]


def test_the_form_refuses_taxonomy_levels_that_are_not_one_path(l1_agent, category):
    elsewhere = CategoryFactory(name="INTEGRASI", parent=CategoryFactory(name="NON TI"))
    item = CategoryFactory(name="IMIGRASI", parent=elsewhere)
    form = IncidentForm(form_data(category, item_category=item.pk), user=l1_agent)
    assert not form.is_valid()
    assert "item_category" in form.errors


@pytest.mark.parametrize(
    ("back_dated", "message"),
    [
        (timezone.timedelta(hours=2), "cannot be in the future"),
        (None, "cannot be before 1 January 2000"),
    ],
)
def test_the_form_refuses_back_dated_in_the_future_or_long_ago(
    l1_agent, category, back_dated, message
):
    moment = timezone.localtime() + back_dated if back_dated else timezone.datetime(1999, 12, 31)
    data = form_data(category, back_dated=moment.strftime("%Y-%m-%dT%H:%M"))
    form = IncidentForm(data, user=l1_agent)
    assert not form.is_valid()
    assert message in form.errors["back_dated"][0]


def test_back_dated_of_an_existing_ticket_cannot_follow_its_opening(l1_agent, l1_group):
    ticket = TicketFactory(
        assignment_group=l1_group, opened_at=timezone.now() - timezone.timedelta(days=2)
    )
    later = timezone.localtime() - timezone.timedelta(days=1)
    data = edit_data(ticket, back_dated=later.strftime("%Y-%m-%dT%H:%M"))
    form = IncidentForm(data, instance=ticket, user=l1_agent)
    assert not form.is_valid()
    assert "cannot be after the incident was opened" in form.errors["back_dated"][0]


def test_note_and_resolution_lengths_are_bounded():
    note = NoteForm({"visibility": "comment", "body": "x" * (MAX_TEXT + 1)}, visibility="comment")
    assert "body" in note.errors
    resolve = ResolveForm({"resolution": "x" * (MAX_TEXT + 1)})
    assert "resolution" in resolve.errors


# --- through the pages: the message beside the field, every typed value kept ---------------


def error_beside(html: str, name: str) -> str:
    found = re.search(rf'<div id="id_{name}_error"[^>]*>(.*?)</div>', html, re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def typed_value(html: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*\bname="{name}"[^>]*\bvalue="([^"]*)"', html)
    if found is None:
        found = re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    return html_lib.unescape(found.group(1)).strip() if found else None


BAD_INPUT = {
    "nib": ("123", "A NIB has 13 digits."),
    "nik": (
        "317123456789000",
        "Enter a 16-digit NIK or a passport number of 6 to 12 letters and digits.",
    ),
    "phone": ("+1 555 0100", "Enter an Indonesian phone number starting with 0 or +62"),
    "email": ("budi@@example", "Enter a valid email address."),
}
KEPT_INPUT = {
    "requested_by": EMOJI_NAME,
    "company_name": EMOJI_COMPANY,
    "short_description": "Tidak bisa login 🙏",
    "building": "Menara 𝔸",
    "location_description": "Lantai 3 — ruang 🚪",
    "description": "<p>Mohon bantuan 🙏</p>",
}


def test_create_shows_each_error_beside_its_field_and_keeps_all_input(l1_client, category):
    data = form_data(category, **{name: value for name, (value, _m) in BAD_INPUT.items()})
    data |= KEPT_INPUT
    response = l1_client.post(reverse("tickets:create"), data)
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    html = response.content.decode()
    for name, (value, message) in BAD_INPUT.items():
        assert message in error_beside(html, name), name
        assert typed_value(html, name) == value, name
    for name, value in KEPT_INPUT.items():
        assert typed_value(html, name) == value, name


def test_create_stores_unicode_and_emoji_intact_and_shows_them(l1_client, category):
    data = form_data(category, phone="0812 3456 7890", nik="3171 2345 6789 0001") | KEPT_INPUT
    response = l1_client.post(reverse("tickets:create"), data)
    ticket = Ticket.objects.get()
    for name, value in KEPT_INPUT.items():
        assert getattr(ticket, name) == value, name
    assert (ticket.phone, ticket.nik) == ("+6281234567890", "3171234567890001")
    page = l1_client.get(response.url).content.decode()
    assert EMOJI_NAME in page and EMOJI_COMPANY in page and "Mohon bantuan 🙏" in page


def test_create_stores_a_pasted_line_break_as_a_space(l1_client, category):
    data = form_data(category, short_description="Tidak bisa\r\nlogin", building="Menara\nA")
    assert l1_client.post(reverse("tickets:create"), data).status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.short_description, ticket.building) == ("Tidak bisa login", "Menara A")


def edit_data(ticket, **changes):
    data = {
        "version": ticket.version,
        "category": ticket.category_id,
        "short_description": ticket.short_description,
        "contact_type": ticket.contact_type,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "phone": ticket.phone,
        "nib": ticket.nib,
        "nik": ticket.nik,
    }
    return data | changes


def test_save_shows_the_error_beside_the_field_and_changes_nothing(l1_client, l1_group):
    ticket = TicketFactory(assignment_group=l1_group, status=Ticket.Status.IN_PROGRESS)
    url = reverse("tickets:detail", args=[ticket.number])
    response = l1_client.post(
        url, edit_data(ticket, phone="555-0100", requested_by=EMOJI_NAME, nib="1234567890123")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indonesian phone number" in error_beside(html, "phone")
    assert typed_value(html, "phone") == "555-0100"
    assert typed_value(html, "requested_by") == EMOJI_NAME
    assert typed_value(html, "nib") == "1234567890123"
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert (fresh.version, fresh.requested_by, fresh.nib) == (ticket.version, "", "")


def test_save_accepts_a_stored_value_written_before_the_checks(l1_client, l1_group):
    # An imported ticket may hold a phone number these checks refuse: it does not block a Save.
    ticket = TicketFactory(assignment_group=l1_group, status=Ticket.Status.NEW, phone="555-0100")
    url = reverse("tickets:detail", args=[ticket.number])
    response = l1_client.post(url, edit_data(ticket, building="Gedung B"))
    assert response.status_code == 302
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert (fresh.phone, fresh.building) == ("555-0100", "Gedung B")


def test_the_same_number_typed_differently_is_no_change(l1_client, l1_group):
    ticket = TicketFactory(
        assignment_group=l1_group, status=Ticket.Status.NEW, phone="+6281234567890"
    )
    url = reverse("tickets:detail", args=[ticket.number])
    l1_client.post(url, edit_data(ticket, phone="0812-3456-7890"))
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version


def test_a_note_too_long_is_refused_beside_the_field_and_kept(l1_client, l1_group):
    ticket = TicketFactory(assignment_group=l1_group, status=Ticket.Status.NEW)
    body = "😀" * (MAX_TEXT + 1)
    response = l1_client.post(
        reverse("tickets:add_note", args=[ticket.number]), {"visibility": "comment", "body": body}
    )
    assert response.status_code == 200
    assert not Note.objects.exists()
    html = response.content.decode()
    assert "at most 10000 characters" in error_beside(html, "comment_body")
    assert body in html


def test_a_note_keeps_unicode_and_emoji(l1_client, l1_group):
    ticket = TicketFactory(assignment_group=l1_group, status=Ticket.Status.NEW)
    l1_client.post(
        reverse("tickets:add_note", args=[ticket.number]),
        {"visibility": "work_note", "body": "Sudah 👍 — ÄÖÜ 日本"},
    )
    assert Note.objects.get().body == "Sudah 👍 — ÄÖÜ 日本"


def test_long_text_areas_carry_no_maxlength_so_a_paste_is_never_cut(l1_client):
    import re

    from django.urls import reverse

    html = l1_client.get(reverse("tickets:create")).content.decode()
    textareas = re.findall(r"<textarea[^>]*>", html)
    assert textareas and not [t for t in textareas if "maxlength" in t]


def test_the_state_constraints_are_checked_unless_their_fields_are_left_out():
    from django.core.exceptions import ValidationError

    from tests.factories import TicketFactory

    ticket = TicketFactory.build(status="closed", close_code=None, closed_at=None)
    with pytest.raises(ValidationError):
        ticket.validate_constraints()
    with pytest.raises(ValidationError):
        ticket.validate_constraints(exclude={"short_description"})
    ticket.validate_constraints(exclude={"status", "resolution"})  # as the incident form does
