"""Shared fixtures: the guide's groups, a user per role and logged-in clients."""

import pytest
from django.test import Client

from tests.factories import AssignmentGroupFactory, CompanyFactory, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def bkpm():
    return CompanyFactory(name="BKPM", is_vendor=False)


@pytest.fixture
def indosat():
    return CompanyFactory(name="INDOSAT", is_vendor=True)


@pytest.fixture
def l1_group(bkpm):
    return AssignmentGroupFactory(name="Helpcenter L1 BKPM", company=bkpm, is_l1=True)


@pytest.fixture
def l2_group(bkpm):
    return AssignmentGroupFactory(name="L2 BKPM", company=bkpm)


@pytest.fixture
def vendor_group(indosat):
    return AssignmentGroupFactory(name="L2 INDOSAT", company=indosat)


@pytest.fixture
def l1_agent(l1_group):
    return UserFactory(username="l1", groups=[l1_group], current_group=l1_group)


@pytest.fixture
def l1_agent2(l1_group):
    return UserFactory(username="l1b", groups=[l1_group], current_group=l1_group)


@pytest.fixture
def l2_agent(l2_group):
    return UserFactory(username="l2", groups=[l2_group], current_group=l2_group)


@pytest.fixture
def vendor_agent(vendor_group):
    return UserFactory(username="vendor", groups=[vendor_group], current_group=vendor_group)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def l1_client(l1_agent):
    return _client_for(l1_agent)


@pytest.fixture
def l2_client(l2_agent):
    return _client_for(l2_agent)


@pytest.fixture
def vendor_client(vendor_agent):
    return _client_for(vendor_agent)
