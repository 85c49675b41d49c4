"""The taxonomy round-trips through CSV and XLSX with django-import-export."""

import pytest
import tablib
from django.core.management import call_command

from taxonomy.models import Category
from taxonomy.resources import CategoryResource

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("loaddata", "taxonomy", verbosity=0)


def _snapshot():
    return sorted(
        (c.path_names(), c.is_active, c.order)
        for c in Category.objects.select_related("parent__parent__parent")
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database_rebuilds_the_tree(loaded, fmt):
    before = _snapshot()
    exported = CategoryResource().export().export(fmt)
    Category.objects.filter(level=4).delete()
    Category.objects.filter(level=3).delete()
    Category.objects.filter(level=2).delete()
    Category.objects.all().delete()
    dataset = tablib.Dataset().load(exported, format=fmt)
    result = CategoryResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert _snapshot() == before


def test_export_has_the_teams_columns_and_a_row_per_entry(loaded):
    dataset = CategoryResource().export()
    assert dataset.headers == [
        "Category",
        "Sub Category",
        "Item Category",
        "Item Name",
        "Active",
        "Order",
    ]
    assert len(dataset) == 62
    # Depth-first: a parent row precedes its children.
    assert dataset[0][:2] == ("TEKNOLOGI INFORMASI", "")
    assert dataset[1][:3] == ("TEKNOLOGI INFORMASI", "SISTEM OSS", "")


def test_importing_the_same_file_twice_changes_nothing(loaded):
    dataset = CategoryResource().export()
    before = list(Category.objects.order_by("pk").values("pk", "name", "parent", "is_active"))
    result = CategoryResource().import_data(dataset, dry_run=False)
    assert result.totals["skip"] == 62 and result.totals["new"] == 0
    assert (
        list(Category.objects.order_by("pk").values("pk", "name", "parent", "is_active")) == before
    )


def test_import_can_deactivate_and_add_entries(loaded):
    dataset = tablib.Dataset(
        headers=["Category", "Sub Category", "Item Category", "Item Name", "Active", "Order"]
    )
    dataset.append(["TEKNOLOGI INFORMASI", "INTEGRASI", "PAJAK", "", "0", "20"])
    dataset.append(["TEKNOLOGI INFORMASI", "DATA", "", "", "1", "60"])
    dataset.append(["TEKNOLOGI INFORMASI", "DATA", "KOREKSI DATA", "", "1", "10"])
    result = CategoryResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    get = Category.objects.get_by_natural_key
    assert get("TEKNOLOGI INFORMASI", "INTEGRASI", "PAJAK").is_active is False
    assert get("TEKNOLOGI INFORMASI", "DATA", "KOREKSI DATA").level == 3


def test_a_row_whose_parent_is_missing_is_rejected_and_named(loaded):
    dataset = tablib.Dataset(
        headers=["Category", "Sub Category", "Item Category", "Item Name", "Active", "Order"]
    )
    dataset.append(["TEKNOLOGI INFORMASI", "NOWHERE", "ORPHAN", "", "1", "10"])
    result = CategoryResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not Category.objects.filter(name="ORPHAN").exists()


def _import_rows(*rows):
    dataset = tablib.Dataset(
        headers=["Category", "Sub Category", "Item Category", "Item Name", "Active", "Order"]
    )
    for row in rows:
        dataset.append(row)
    return CategoryResource().import_data(dataset, dry_run=False)


@pytest.mark.parametrize(
    ("active", "order", "message"),
    [("maybe", "5", "Active must be 1 or 0"), ("1", "abc", "Order must be a whole number")],
)
def test_bad_active_or_order_is_rejected_with_a_clear_message(loaded, active, order, message):
    result = _import_rows(["TEKNOLOGI INFORMASI", "SISTEM OSS", "NEW ITEM", "", active, order])
    assert result.has_validation_errors()
    errors = str([row.error_dict for row in result.invalid_rows])
    assert message in errors
    assert not Category.objects.filter(name="NEW ITEM").exists()


def test_import_preview_shows_the_path_of_each_row(loaded):
    dataset = tablib.Dataset(
        headers=["Category", "Sub Category", "Item Category", "Item Name", "Active", "Order"]
    )
    dataset.append(["TEKNOLOGI INFORMASI", "SISTEM OSS", "NEW ITEM", "", "1", "5"])
    dataset.append(["TEKNOLOGI INFORMASI", "SISTEM OSS", "", "", "1", "10"])
    result = CategoryResource().import_data(dataset, dry_run=True)
    new, skipped = (" ".join(row.diff) for row in result.rows)
    assert "NEW ITEM" in new and "SISTEM OSS" in new
    assert "TEKNOLOGI INFORMASI" in skipped and "SISTEM OSS" in skipped


def test_whole_numbers_from_a_spreadsheet_are_accepted(loaded):
    result = _import_rows(["TEKNOLOGI INFORMASI", "SISTEM OSS", "NEW ITEM", "", "ya", "10.0"])
    assert not result.has_validation_errors() and not result.has_errors()
    entry = Category.objects.get(name="NEW ITEM")
    assert (entry.order, entry.is_active) == (10, True)
