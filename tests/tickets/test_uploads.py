"""Attachments: PDF and JPEG only, recognised by content; a size limit from settings; stored
under generated names outside the static folders; the original name made safe; downloaded
only through the view that checks access."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import estim.settings as project_settings
from tests.factories import TicketFactory
from tests.html_checks import script_problems
from tests.test_production import _setting
from tickets.forms import AttachmentForm
from tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
HTML = b"<html><script>alert(document.cookie)</script></html>"
# Files that begin with a type's magic bytes and are a web page after them.
PDF_POLYGLOT = b"%PDF-1.4\n" + HTML
JPEG_POLYGLOT = b"\xff\xd8\xff\xe0" + HTML


@pytest.fixture
def ticket(l1_group):
    return TicketFactory(assignment_group=l1_group, status=Ticket.Status.IN_PROGRESS)


def upload(client, ticket, name, content, content_type="application/octet-stream"):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("tickets:upload", args=[ticket.number]), {"file": file})


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def unchanged(ticket) -> bool:
    fresh = Ticket.objects.get(pk=ticket.pk)
    return (fresh.version, fresh.updated_at, fresh.events.count(), fresh.attachments.count()) == (
        ticket.version,
        ticket.updated_at,
        0,
        0,
    )


def error_beside_the_file_field(response) -> str:
    found = re.search(
        r'<div id="id_upload_file_error"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("laporan.pdf", HTML, "application/pdf"),
        ("foto.jpg", b"GIF89a" + b"\x00" * 20, "image/jpeg"),
        ("dokumen.pdf", b"PK\x03\x04 a zip or docx", "application/pdf"),
        ("skrip.jpg", b"MZ\x90\x00 an exe", "image/jpeg"),
    ],
)
def test_a_refused_type_says_why_and_leaves_the_ticket_unchanged(
    l1_client, ticket, settings, name, content, content_type
):
    response = upload(l1_client, ticket, name, content, content_type)
    assert response.status_code == 200
    reason = "Only PDF and JPEG files can be attached."
    assert reason in error_beside_the_file_field(response)
    # Said once, beside the field, not again above the page.
    assert list(get_messages(response.wsgi_request)) == []
    assert response.content.decode().count(reason) == 1
    assert unchanged(ticket) and stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("laporan.pdf", PDF_POLYGLOT, "PDF"),
        ("laporan.pdf", PDF + HTML * 30, "PDF"),
        ("foto.jpg", JPEG_POLYGLOT, "JPEG"),
        ("foto.jpg", JPEG + HTML * 30, "JPEG"),
    ],
    ids=[
        "pdf-polyglot",
        "pdf-end-marker-far-from-the-end",
        "jpeg-polyglot",
        "jpeg-end-marker-far-from-the-end",
    ],
)
def test_a_file_that_only_begins_like_a_pdf_or_jpeg_is_refused_beside_the_field(
    l1_client, ticket, settings, name, content, kind
):
    response = upload(l1_client, ticket, name, content)
    assert response.status_code == 200
    reason = f"The file begins like a {kind} but does not end like one"
    assert reason in error_beside_the_file_field(response)
    assert unchanged(ticket) and stored_files(settings) == []


@pytest.mark.parametrize(
    "content",
    [
        PDF,
        PDF + b"\r\n\n  ",
        PDF + b"\x00" * 100,
        b"%PDF-1.7\n" + b"0" * 50_000 + b"\n%%EOF",
        JPEG,
        JPEG + b"\n",
        JPEG + b"\x00\x00",
    ],
    ids=[
        "pdf",
        "pdf-trailing-whitespace",
        "pdf-trailing-bytes",
        "pdf-large",
        "jpeg",
        "jpeg-trailing-newline",
        "jpeg-trailing-padding",
    ],
)
def test_a_whole_pdf_or_jpeg_is_accepted(l1_client, ticket, content):
    name = "bukti.jpg" if content.startswith(b"\xff") else "bukti.pdf"
    assert upload(l1_client, ticket, name, content).status_code == 302
    assert Attachment.objects.get().size == len(content)


def test_only_the_beginning_and_the_end_of_an_upload_are_read():
    class CountingFile(BytesIO):
        largest = 0

        def read(self, size=-1):
            data = super().read(size)
            CountingFile.largest = max(CountingFile.largest, len(data))
            return data

    content = b"%PDF-1.7\n" + b"0" * 200_000 + b"\n%%EOF\n"
    file = SimpleUploadedFile("besar.pdf", b"")
    file.file, file.size = CountingFile(content), len(content)
    form = AttachmentForm(files={"file": file})
    assert form.is_valid(), form.errors
    assert CountingFile.largest <= 1024


def test_a_file_over_the_limit_says_its_size_and_the_limit(l1_client, ticket, settings):
    settings.ESTIM_MAX_UPLOAD_BYTES = 1024
    response = upload(l1_client, ticket, "besar.pdf", PDF + b"0" * 2048)
    message = error_beside_the_file_field(response)
    assert "2.0\xa0KB" in message and "at most 1.0\xa0KB" in message
    assert unchanged(ticket) and stored_files(settings) == []


def test_a_file_at_the_limit_is_accepted(l1_client, ticket, settings):
    settings.ESTIM_MAX_UPLOAD_BYTES = len(PDF)
    assert upload(l1_client, ticket, "pas.pdf", PDF).status_code == 302
    assert Attachment.objects.count() == 1


def test_the_limit_is_10_mb_unless_set():
    assert project_settings.ESTIM_MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert _setting("ESTIM_MAX_UPLOAD_BYTES", ESTIM_MAX_UPLOAD_MB="3").stdout.strip() == "3145728"
    bad = _setting("ESTIM_MAX_UPLOAD_BYTES", ESTIM_MAX_UPLOAD_MB="ten")
    assert bad.returncode != 0 and "ESTIM_MAX_UPLOAD_MB" in bad.stderr


def test_the_type_comes_from_the_content_not_the_browser(l1_client, ticket):
    upload(l1_client, ticket, "foto", JPEG, content_type="text/html")
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.original_name) == ("image/jpeg", "foto.jpg")


def test_files_are_stored_under_generated_names_outside_the_static_folders(
    l1_client, ticket, settings
):
    upload(l1_client, ticket, "laporan keuangan.pdf", PDF)
    attachment = Attachment.objects.get()
    assert re.fullmatch(rf"attachments/{ticket.pk}/[0-9a-f]{{32}}", attachment.file.name)
    assert [path.read_bytes() for path in stored_files(settings)] == [PDF]
    media = Path(project_settings.MEDIA_ROOT).resolve()
    for static in [project_settings.STATIC_ROOT, *project_settings.STATICFILES_DIRS]:
        static = Path(static).resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)


def test_stored_files_are_not_served_by_address(l1_client, ticket, settings):
    upload(l1_client, ticket, "laporan.pdf", PDF)
    name = Attachment.objects.get().file.name
    for prefix in (settings.MEDIA_URL, "/media/", settings.STATIC_URL):
        assert l1_client.get(f"{prefix.rstrip('/')}/{name}").status_code == 404


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\budi\\laporan.pdf", "laporan.pdf"),
        ("tagihan\u202efdp.exe", "tagihanfdp.exe.pdf"),
        ("laporan 😀 Ñandú 日本.pdf", "laporan 😀 Ñandú 日本.pdf"),
        ("\x00\x1b[31m.pdf", "[31m.pdf"),
    ],
)
def test_the_original_name_is_made_safe(l1_client, ticket, sent, shown):
    upload(l1_client, ticket, sent, PDF)
    assert Attachment.objects.get().original_name == shown


def test_a_very_long_name_is_shortened_keeping_its_extension(l1_client, ticket):
    upload(l1_client, ticket, "ü" * 400 + ".pdf", PDF)
    name = Attachment.objects.get().original_name
    assert len(name) == 255 and name.endswith(".pdf") and name.startswith("üü")


def test_a_hostile_name_is_shown_as_text(l1_client, ticket):
    upload(l1_client, ticket, '<img src=x onerror="alert(1)">.pdf', PDF)
    html = l1_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.pdf" in html
    assert script_problems(html) == []


def test_download_names_the_file_safely_and_is_never_shown_inline(l1_client, ticket):
    upload(l1_client, ticket, 'bukti "transfer" 😀.jpg', JPEG, content_type="text/html")
    attachment = Attachment.objects.get()
    response = l1_client.get(reverse("tickets:download", args=[ticket.number, attachment.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "inline" not in disposition
    assert "filename*=utf-8''bukti%20%22transfer%22%20%F0%9F%98%80.jpg" in disposition
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_is_only_found_through_its_own_ticket(
    vendor_client, vendor_group, l1_group, l1_client
):
    mine = TicketFactory(assignment_group=vendor_group, status=Ticket.Status.IN_PROGRESS)
    hidden = TicketFactory(assignment_group=l1_group, status=Ticket.Status.IN_PROGRESS)
    upload(l1_client, hidden, "rahasia.pdf", PDF)
    secret = Attachment.objects.get()
    assert (
        vendor_client.get(reverse("tickets:download", args=[hidden.number, secret.pk])).status_code
        == 404
    )
    assert (
        vendor_client.get(reverse("tickets:download", args=[mine.number, secret.pk])).status_code
        == 404
    )
