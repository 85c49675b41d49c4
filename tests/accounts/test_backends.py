"""The login backend reads the user of each request with their active groups."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import MemberBackend
from tests.factories import AssignmentGroupFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_active_groups_first_line_first(bkpm, indosat):
    vendor = AssignmentGroupFactory(name="A vendor desk", company=indosat)
    l1 = AssignmentGroupFactory(name="Z first line", company=bkpm, is_l1=True)
    gone = AssignmentGroupFactory(name="B closed desk", company=bkpm, is_active=False)
    user = UserFactory(username="ayu", groups=[vendor, l1, gone], current_group=vendor)

    with CaptureQueriesContext(connection) as queries:
        loaded = MemberBackend().get_user(user.pk)
        groups = loaded.active_groups()
        vendor_flags = [group.company.is_vendor for group in groups]
    assert len(queries) == 1
    assert loaded == user and loaded.username == "ayu"
    assert loaded.current_group_id == vendor.pk
    assert [group.name for group in groups] == ["Z first line", "A vendor desk"]
    assert vendor_flags == [False, True]
    assert loaded.sees_all_incidents() and loaded.is_l1()
    assert loaded.home_group() == vendor


def test_a_vendor_agent_sees_only_their_groups(vendor_agent, vendor_group):
    loaded = MemberBackend().get_user(vendor_agent.pk)
    assert loaded.group_ids() == {vendor_group.pk}
    assert not loaded.sees_all_incidents()


def test_every_column_is_read_as_the_orm_reads_it(l1_agent):
    l1_agent.last_login = l1_agent.date_joined
    l1_agent.save()
    loaded = MemberBackend().get_user(str(l1_agent.pk))
    for field in type(l1_agent)._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(l1_agent, field.attname), field.name
    assert loaded.last_login.tzinfo is not None
    assert loaded.is_active is True and loaded.is_superuser is False


def test_a_user_in_no_group_and_an_unknown_or_inactive_one(admin_user):
    loaded = MemberBackend().get_user(admin_user.pk)
    assert loaded == admin_user and loaded.active_groups() == []
    assert loaded.sees_all_incidents()
    assert MemberBackend().get_user(999_999) is None
    assert MemberBackend().get_user("not a number") is None
    gone = UserFactory(is_active=False, groups=[AssignmentGroupFactory(company=CompanyFactory())])
    assert MemberBackend().get_user(gone.pk) is None


def test_pages_log_in_through_it(l1_client, l1_agent):
    response = l1_client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user == l1_agent
