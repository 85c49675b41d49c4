"""The reference data kept between requests: its version moves on every change to it, however
made, and a page shows a change on the next request."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from accounts import reference
from accounts.models import AssignmentGroup, ReferenceVersion, User
from taxonomy.models import Category
from tests.factories import (
    AssignmentGroupFactory,
    CategoryFactory,
    CloseCodeFactory,
    TicketFactory,
    UserFactory,
    VendorFactory,
)
from tickets.models import IncidentType, Location, Template
from tickets.picklists import PickLists, load_users

pytestmark = pytest.mark.django_db


def version() -> int:
    return ReferenceVersion.objects.get(pk=1).number


def run_sql(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


CHANGES = {
    "a new category": lambda: CategoryFactory(name="BARU"),
    "a category renamed by update()": lambda: Category.objects.update(name="LAIN"),
    "a location retired in SQL": lambda: run_sql(
        f"UPDATE {Location._meta.db_table} SET is_active = %s", [False]
    ),
    "an incident type deleted": lambda: IncidentType.objects.all().delete(),
    "a template added": lambda: Template.objects.create(name="Reset password"),
    "a close code added": lambda: CloseCodeFactory(),
    "a vendor added": lambda: VendorFactory(),
    "a group added": lambda: AssignmentGroupFactory(),
    "a group renamed": lambda: AssignmentGroup.objects.update(name="Renamed"),
    "a member added": lambda: AssignmentGroup.objects.first().members.add(UserFactory()),
    "a member removed": lambda: AssignmentGroup.objects.first().members.clear(),
    "a person renamed": lambda: User.objects.update(first_name="Rina"),
    "a person deactivated": lambda: User.objects.update(is_active=False),
    "a person added": lambda: UserFactory(),
}


@pytest.fixture
def reference_data(l1_agent):
    CategoryFactory(name="ROOT")
    Location.objects.create(name="Lantai 1")
    IncidentType.objects.create(name="Gangguan")


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_to_the_reference_data_moves_the_version(reference_data, change):
    before = version()
    CHANGES[change]()
    assert version() != before


def test_logins_tickets_and_other_columns_leave_the_version(reference_data, l1_agent):
    ticket = TicketFactory()
    before = version()
    l1_agent.last_login = None
    l1_agent.save(update_fields=["last_login"])
    User.objects.update(email="other@example.com")
    type(ticket).objects.update(short_description="Tidak bisa login")
    assert version() == before


def test_a_rolled_back_change_never_gives_its_number_again(reference_data):
    before = version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Category.objects.update(name="DIBATALKAN")
        rolled_back = version()
        raise RuntimeError
    assert version() == before
    Category.objects.update(name="LAGI")
    assert version() not in (before, rolled_back)


def test_an_emptied_version_row_comes_back_with_a_new_number(reference_data):
    before = version()
    ReferenceVersion.objects.all().delete()
    CategoryFactory(name="SESUDAH")
    assert version() != before


def create_page(client) -> str:
    return client.get(reverse("tickets:create")).content.decode()


def test_a_page_shows_a_change_made_behind_the_orm_s_back(l1_client, l1_group, l1_agent):
    root = CategoryFactory(name="JARINGAN")
    assert ">JARINGAN</option>" in create_page(l1_client)
    assert ">JARINGAN</option>" in create_page(l1_client)  # now kept
    run_sql(f"UPDATE {Category._meta.db_table} SET name = %s WHERE id = %s", ["SERVER", root.pk])
    html = create_page(l1_client)
    assert ">SERVER</option>" in html and "JARINGAN" not in html
    newcomer = UserFactory(first_name="Dewi", last_name="Anggraini")
    l1_group.members.add(newcomer)
    assert ">Dewi Anggraini</option>" in create_page(l1_client)
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    assert "Dewi Anggraini" not in create_page(l1_client)


def test_the_data_filter_shows_a_new_group_and_agent_at_once(l1_client):
    url = reverse("tickets:queue", args=["all"]) + "?filter=1"
    l1_client.get(url)
    AssignmentGroupFactory(name="L2 BARU").members.add(
        UserFactory(first_name="Budi", last_name="Hartono")
    )
    html = l1_client.get(url).content.decode()
    assert ">L2 BARU</option>" in html
    assert ">Budi Hartono</option>" in html


def test_nothing_is_kept_outside_a_request(l1_client, l1_group, django_assert_num_queries):
    CategoryFactory(name="ROOT")
    l1_client.get(reverse("tickets:create"))
    with django_assert_num_queries(1):
        assert PickLists(active=["taxonomy"]).choices("taxonomy")[0][1] == "ROOT"
    Category.objects.update(name="AKAR")
    with django_assert_num_queries(1):
        assert PickLists(active=["taxonomy"]).choices("taxonomy")[0][1] == "AKAR"
    with django_assert_num_queries(1):
        load_users(l1_group.pk)


def test_what_is_kept_is_bounded_and_each_key_keeps_its_own(monkeypatch):
    monkeypatch.setattr(reference, "KEEP_AT_MOST", 3)
    monkeypatch.setattr(reference, "_kept", type(reference._kept)())
    calls = []

    def load(key):
        calls.append(key)
        return f"value of {key}"

    reference._request_started()
    reference.read_in_request(7)
    try:
        for key in ("a", "b", "a", "c", "d", "a"):
            assert reference.kept(key, lambda key=key: load(key)) == f"value of {key}"
        assert calls == ["a", "b", "c", "d"]  # "a" stayed, being used; "b" went first
        assert list(reference._kept) == ["c", "d", "a"]
        reference.read_in_request(8)
        reference.kept("a", lambda: load("a"))
        assert calls[-1] == "a"
    finally:
        reference._request_finished()


def test_a_user_read_outside_a_request_keeps_nothing(l1_agent, django_assert_num_queries):
    from accounts.backends import MemberBackend

    CategoryFactory(name="LAMA")
    MemberBackend().get_user(l1_agent.pk)
    assert PickLists(active=["taxonomy"]).choices("taxonomy")[0][1] == "LAMA"
    Category.objects.update(name="BARU")
    with django_assert_num_queries(1):
        assert PickLists(active=["taxonomy"]).choices("taxonomy")[0][1] == "BARU"


def test_inside_its_own_transaction_a_request_keeps_and_uses_nothing(l1_agent):
    from accounts.backends import MemberBackend

    CategoryFactory(name="LAMA")
    reference._request_started()
    try:
        MemberBackend().get_user(l1_agent.pk)
        assert PickLists(active=["taxonomy"]).choices("taxonomy")[0][1] == "LAMA"  # kept
        with pytest.raises(RuntimeError), transaction.atomic():
            Category.objects.update(name="DIBATALKAN")
            # The change it made itself is seen, and what it loads is not kept ...
            assert PickLists(active=["taxonomy"]).choices("taxonomy")[0][1] == "DIBATALKAN"
            raise RuntimeError
        # ... so once rolled back, the request sees what is in the database.
        assert PickLists(active=["taxonomy"]).choices("taxonomy")[0][1] == "LAMA"
    finally:
        reference._request_finished()


def test_every_watched_table_has_its_triggers():
    from django.apps import apps

    from tickets import reference_triggers

    tables = set(reference_triggers.watched_tables(apps))
    assert len(tables) == 9
    assert tables <= reference_triggers.installed(connection)


def test_triggers_a_rebuilt_table_lost_come_back_with_the_next_migrate(reference_data):
    from django.apps import apps
    from django.core.management import call_command

    from tickets import reference_triggers

    table = Category._meta.db_table
    reference_triggers.remove(connection, [table])
    assert table not in reference_triggers.installed(connection)
    call_command("migrate", verbosity=0)
    assert table in reference_triggers.installed(connection)
    before = version()
    Category.objects.update(name="LAGI")
    assert version() != before
    assert set(reference_triggers.watched_tables(apps)) <= reference_triggers.installed(connection)


def test_a_request_scope_inside_a_request_gives_the_request_back_its_version():
    reference._request_started()
    reference.read_in_request(5)
    try:
        with reference.request_scope():
            reference.read_in_request(6)
            assert reference._version.get() == 6
        assert (reference._in_request.get(), reference._version.get()) == (True, 5)
    finally:
        reference._request_finished()
