"""The taxonomy's Import / Export in Django admin, as an administrator uses it: export a file,
then import it through the preview and the confirmation."""

import csv
import io

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from taxonomy.models import Category

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]
CHANGED = ("TEKNOLOGI INFORMASI", "SISTEM OSS")


@pytest.fixture
def loaded():
    call_command("loaddata", "taxonomy", verbosity=0)


def _rows() -> dict:
    return {row["id"]: row for row in Category.objects.values()}


def _format_choice(form, fmt: str) -> str:
    return next(value for value, title in form.fields["format"].choices if title == fmt)


def admin_export(admin_client, fmt: str) -> bytes:
    url = reverse("admin:taxonomy_category_export")
    form = admin_client.get(url).context["form"]
    data = {"resource": "0", "format": _format_choice(form, fmt)}
    # Every column, as the page offers them ticked.
    data |= {n: "on" for n, f in form.fields.items() if isinstance(f, forms.BooleanField)}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def admin_import(admin_client, fmt: str, content: bytes) -> None:
    url = reverse("admin:taxonomy_category_import")
    form = admin_client.get(url).context["form"]
    upload = SimpleUploadedFile(f"taxonomy.{fmt}", content)
    preview = admin_client.post(
        url, {"resource": "0", "format": _format_choice(form, fmt), "import_file": upload}
    )
    assert preview.status_code == 200
    confirm = preview.context.get("confirm_form")
    assert confirm is not None, preview.context["result"].base_errors
    done = admin_client.post(reverse("admin:taxonomy_category_process_import"), confirm.initial)
    assert done.status_code == 302


def _with_order_changed(fmt: str, content: bytes, order: int) -> bytes:
    """The exported file with the Order of the CHANGED entry set to ``order``."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        header = rows[0]
        for row in rows[1:]:
            if tuple(row[:3]) == (*CHANGED, ""):
                row[header.index("Order")] = str(order)
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode()
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if tuple(cell.value or "" for cell in row[:3]) == (*CHANGED, ""):
            row[header.index("Order")].value = order
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_exported_file_through_the_admin_changes_nothing(admin_client, loaded, fmt):
    before = _rows()
    admin_import(admin_client, fmt, admin_export(admin_client, fmt))
    assert _rows() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_an_edited_file_through_the_admin_changes_only_that_entry(
    admin_client, loaded, fmt
):
    before = _rows()
    changed = Category.objects.get_by_natural_key(*CHANGED)
    assert changed.order != 99
    admin_import(admin_client, fmt, _with_order_changed(fmt, admin_export(admin_client, fmt), 99))
    after = _rows()
    assert after.keys() == before.keys()
    assert {pk for pk in before if after[pk] != before[pk]} == {changed.pk}
    assert after[changed.pk] == before[changed.pk] | {
        "order": 99,
        "updated_at": after[changed.pk]["updated_at"],
    }
