"""Hostile content stays inert: rich text keeps safe formatting only, on save and on display;
everything else is shown as text on every page; e-mail headers cannot be injected; CSV cells
cannot run as formulas."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import CategoryFactory, CloseCodeFactory, TicketFactory
from tests.html_checks import script_problems
from tickets import notifications
from tickets.models import Attachment, Note, Ticket, TicketEvent, WatchListEntry

pytestmark = pytest.mark.django_db

S = Ticket.Status
PAYLOADS = (
    "<script>alert('x')</script>",
    '"><img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    "{{ request.user }}{% now 'Y' %}",
)
HOSTILE = "".join(PAYLOADS)
DIRTY_RICH_TEXT = (
    "<p><strong>Penting</strong> <em>sekali</em></p>"
    "<script>alert(1)</script>"
    '<img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">tautan</a>'
    '<p style="display:none" class="d-none">tersembunyi</p>'
    '<a href="https://oss.go.id" onclick="alert(4)">OSS</a>'
)


@pytest.fixture
def hostile_ticket(l1_group, l1_agent):
    """A ticket with hostile text in every field people type, written past the forms (as an
    import or the admin could), with notes, history, a file and a related incident."""
    ticket = TicketFactory(
        assignment_group=l1_group,
        status=S.RESOLVED,
        requested_by=HOSTILE[:150],
        company_name=HOSTILE[:200],
        phone="<b>0812</b>",
        email="a@example.com",
        building=HOSTILE[:150],
        location_description=HOSTILE[:255],
        short_description=HOSTILE[:160],
        description=DIRTY_RICH_TEXT,
        hold_reason=HOSTILE[:255],
        resolution=HOSTILE,
        category=(category := CategoryFactory(name="<script>alert('cat')</script>")),
        sub_category=CategoryFactory(name="<script>alert('sub')</script>", parent=category),
    )
    for visibility in Note.Visibility.values:
        Note.objects.create(ticket=ticket, visibility=visibility, body=HOSTILE, author=l1_agent)
    TicketEvent.objects.create(
        ticket=ticket,
        action=TicketEvent.Action.UPDATE,
        to_status=S.RESOLVED,
        actor=l1_agent,
        data={"changes": {"building": ["", HOSTILE]}, "reason": HOSTILE},
    )
    attachment = Attachment(
        ticket=ticket,
        original_name=HOSTILE[:255],
        content_type="application/pdf",
        size=5,
        uploaded_by=l1_agent,
    )
    attachment.file.save("x", ContentFile(b"%PDF-"), save=True)
    ticket.related.add(TicketFactory(assignment_group=l1_group, short_description=HOSTILE[:160]))
    WatchListEntry.objects.create(ticket=ticket, email="cc@example.com", added_by=l1_agent)
    return ticket


def _pages(ticket):
    return [
        reverse("tickets:detail", args=[ticket.number]),
        reverse("tickets:print", args=[ticket.number]),
        reverse("tickets:act", args=[ticket.number, "close"]),
        reverse("tickets:act", args=[ticket.number, "reopen"]),
        reverse("tickets:queue", args=["all"]),
        reverse("tickets:home"),
    ]


def test_hostile_text_is_shown_as_text_on_every_page(l1_client, hostile_ticket):
    CloseCodeFactory()
    for url in _pages(hostile_ticket):
        response = l1_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert script_problems(html) == [], url
        assert "&lt;script&gt;alert(" in html, url


def test_typed_template_syntax_is_never_run(l1_client, l2_client, hostile_ticket):
    url = reverse("tickets:detail", args=[hostile_ticket.number])
    for client in (l1_client, l2_client):  # the edit form, and the read-only fields
        html = client.get(url).content.decode()
        assert "{{ request.user }}{% now &#x27;Y&#x27; %}" in html


def test_hostile_text_is_shown_as_text_in_django_admin(admin_client, hostile_ticket):
    url = reverse("admin:tickets_ticket_change", args=[hostile_ticket.pk])
    html = admin_client.get(url).content.decode()
    assert script_problems(html) == []
    assert "&lt;script&gt;alert(" in html


def test_rich_text_keeps_safe_formatting_on_display(l1_client, l2_client, hostile_ticket):
    # The print page, and the incident page of an agent who may not edit it (the others see
    # the description in the form's text box).
    for client, url in zip((l1_client, l2_client), _pages(hostile_ticket)[1::-1], strict=True):
        html = client.get(url).content.decode()
        assert "<strong>Penting</strong> <em>sekali</em>" in html
        assert '<a href="https://oss.go.id" rel="noopener noreferrer nofollow">OSS</a>' in html
        assert "tersembunyi" in html and 'style="display:none"' not in html
        assert "<script>alert(1)</script>" not in html and "javascript:alert(3)" not in html


def test_notes_and_comments_are_plain_text(l1_client, hostile_ticket):
    for url in _pages(hostile_ticket)[:2]:
        html = l1_client.get(url).content.decode()
        assert html.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") >= 2


def _incident_data(category, **changes):
    data = {
        "category": category.pk,
        "short_description": "Tidak bisa login",
        "contact_type": "email",
        "impact": "2",
        "urgency": "2",
    }
    return data | changes


CLEAN_RICH_TEXT = (
    "<p><strong>Penting</strong> <em>sekali</em></p>"
    '<a rel="noopener noreferrer nofollow">tautan</a>'
    "<p>tersembunyi</p>"
    '<a href="https://oss.go.id" rel="noopener noreferrer nofollow">OSS</a>'
)


def test_rich_text_is_cleaned_when_created(l1_client):
    category = CategoryFactory()
    l1_client.post(reverse("tickets:create"), _incident_data(category, description=DIRTY_RICH_TEXT))
    assert Ticket.objects.get().description == CLEAN_RICH_TEXT


def test_rich_text_is_cleaned_when_saved(l1_client, l1_group):
    ticket = TicketFactory(assignment_group=l1_group, status=S.NEW)
    data = _incident_data(ticket.category, version=ticket.version, description=DIRTY_RICH_TEXT)
    response = l1_client.post(reverse("tickets:detail", args=[ticket.number]), data)
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).description == CLEAN_RICH_TEXT


# --- e-mail ----------------------------------------------------------------------------------


def test_comment_mail_skips_an_address_that_would_add_headers(
    l1_group, l1_agent, mailoutbox, caplog
):
    ticket = TicketFactory(
        assignment_group=l1_group, email="budi@example.com\nBcc: all@evil.example"
    )
    WatchListEntry.objects.create(ticket=ticket, email="cc@example.com", added_by=l1_agent)
    WatchListEntry.objects.create(
        ticket=ticket, email="x@example.com\r\nBcc: y@evil.example", added_by=l1_agent
    )
    note = Note.objects.create(
        ticket=ticket, visibility=Note.Visibility.COMMENT, body="Halo", author=l1_agent
    )
    assert notifications.send_comment(note.pk) == 1
    [mail] = mailoutbox
    assert mail.to == ["cc@example.com"] and mail.bcc == []
    assert "evil" not in mail.message().as_string()
    assert "not an address" in caplog.text


@pytest.mark.parametrize("breaker", ["\n", "\r", "\r\n", "\u2028", "\x0b", "\x85"])
def test_comment_subject_stays_on_one_line(l1_group, l1_agent, mailoutbox, breaker):
    ticket = TicketFactory(
        assignment_group=l1_group,
        email="budi@example.com",
        short_description=f"Login gagal{breaker}Bcc: x@evil.example",
    )
    note = Note.objects.create(
        ticket=ticket, visibility=Note.Visibility.COMMENT, body="Halo", author=l1_agent
    )
    notifications.send_comment(note.pk)
    [mail] = mailoutbox
    assert mail.subject == f"[{ticket.number}] Login gagal Bcc: x@evil.example"
    headers = mail.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers and mail.bcc == []


def test_comment_mail_is_plain_text(l1_group, l1_agent, mailoutbox):
    ticket = TicketFactory(assignment_group=l1_group, email="budi@example.com")
    note = Note.objects.create(
        ticket=ticket, visibility=Note.Visibility.COMMENT, body=HOSTILE, author=l1_agent
    )
    notifications.send_comment(note.pk)
    [mail] = mailoutbox
    assert mail.content_subtype == "plain" and not getattr(mail, "alternatives", [])


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload", ["=1+1", "+62812", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", '=cmd|" /C calc"!A0']
)
def test_csv_cells_never_start_a_formula(l1_client, payload):
    TicketFactory(
        short_description=payload,
        requested_by=payload,
        company_name=payload,
        nib=payload[:13],
        email=payload,
        phone=payload[:20],
    )
    response = l1_client.get(reverse("tickets:export_csv", args=["all"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [_header, row] = list(csv.reader(io.StringIO(text)))
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_hostile_query_parameters_are_shown_as_text(l1_client):
    TicketFactory()
    params = {
        "text": HOSTILE,
        "requester": HOSTILE,
        "number": '"><script>x()</script>',
        "sort": HOSTILE,
        "state": HOSTILE,
        "per_page": HOSTILE,
    }
    response = l1_client.get(reverse("tickets:queue", args=["all"]), params)
    assert response.status_code == 200
    assert script_problems(response.content.decode()) == []
