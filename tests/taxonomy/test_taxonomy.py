import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from taxonomy.models import Category
from taxonomy.paths import validate_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    call_command("loaddata", "taxonomy", verbosity=0)
    return Category.objects.get_by_natural_key


def _counts():
    return {level: Category.objects.filter(level=level).count() for level in (1, 2, 3, 4)}


def test_fixture_holds_the_spec_tree(tree):
    assert _counts() == {1: 2, 2: 5, 3: 17, 4: 38}
    login = tree(
        "TEKNOLOGI INFORMASI", "SISTEM OSS", "LOGIN/HAK AKSES INVESTOR", "TIDAK BISA LOGIN"
    )
    assert login.level == Category.Level.ITEM_NAME
    assert tree("TEKNOLOGI INFORMASI", "INTEGRASI", "DUKCAPIL").children.count() == 0


def test_loading_the_fixture_twice_changes_nothing(tree):
    before = list(Category.objects.order_by("pk").values())
    call_command("loaddata", "taxonomy", verbosity=0)
    assert list(Category.objects.order_by("pk").values()) == before


def test_same_name_under_two_parents_is_two_entries(tree):
    a = tree("TEKNOLOGI INFORMASI", "SISTEM OSS", "MENU PERMOHONAN", "PERIZINAN BERUSAHA UMKU")
    b = tree("TEKNOLOGI INFORMASI", "SISTEM OSS", "MENU PERUBAHAN", "PERIZINAN BERUSAHA UMKU")
    assert a.pk != b.pk


def test_a_full_path_is_valid(tree):
    validate_path(
        tree("TEKNOLOGI INFORMASI"),
        tree("TEKNOLOGI INFORMASI", "SISTEM OSS"),
        tree("TEKNOLOGI INFORMASI", "SISTEM OSS", "LOGIN/HAK AKSES INVESTOR"),
        tree("TEKNOLOGI INFORMASI", "SISTEM OSS", "LOGIN/HAK AKSES INVESTOR", "TIDAK BISA LOGIN"),
    )


def test_lower_levels_are_optional(tree):
    validate_path(tree("TEKNOLOGI INFORMASI"), tree("TEKNOLOGI INFORMASI", "INTEGRASI"))


def _error_field(*levels):
    with pytest.raises(ValidationError) as info:
        validate_path(*levels)
    (field,) = info.value.message_dict
    return field, info.value.message_dict[field][0]


def test_category_is_required(tree):
    assert _error_field(None)[0] == "category"


def test_sub_category_from_another_category_names_the_level(tree):
    field, message = _error_field(
        tree("NON TEKNOLOGI INFORMASI"), tree("TEKNOLOGI INFORMASI", "SISTEM OSS")
    )
    assert field == "sub_category"
    assert "SISTEM OSS" in message and "NON TEKNOLOGI INFORMASI" in message


def test_item_name_from_a_sibling_item_category_is_refused(tree):
    oss = ("TEKNOLOGI INFORMASI", "SISTEM OSS")
    field, _ = _error_field(
        tree(oss[0]),
        tree(*oss),
        tree(*oss, "MENU PERMOHONAN"),
        tree(*oss, "MENU PERUBAHAN", "PERIZINAN BERUSAHA UMKU"),
    )
    assert field == "item_name"


def test_a_skipped_level_is_refused(tree):
    oss = ("TEKNOLOGI INFORMASI", "SISTEM OSS")
    field, message = _error_field(tree(oss[0]), None, tree(*oss, "MENU PERMOHONAN"))
    assert field == "item_category" and "Sub Category" in message


def test_an_entry_of_the_wrong_level_is_refused(tree):
    field, _ = _error_field(tree("TEKNOLOGI INFORMASI"), tree("TEKNOLOGI INFORMASI"))
    assert field == "sub_category"


def test_level_follows_the_parent():
    root = Category.objects.create(name="ROOT")
    child = Category.objects.create(name="CHILD", parent=root)
    assert (root.level, child.level) == (1, 2)
