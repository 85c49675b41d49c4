import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AssignmentGroup, Company, User

pytestmark = pytest.mark.django_db


def _state():
    return {
        "companies": sorted(Company.objects.values_list("name", "is_vendor")),
        "groups": sorted(
            AssignmentGroup.objects.values_list("name", "company__name", "is_l1", "is_active")
        ),
        "users": sorted(
            User.objects.values_list(
                "username", "email", "is_staff", "is_superuser", "current_group__name", "password"
            )
        ),
        "memberships": sorted(
            AssignmentGroup.members.through.objects.values_list(
                "assignmentgroup__name", "user__username"
            )
        ),
    }


def test_seed_demo_creates_the_guides_groups(capsys):
    call_command("seed_demo")
    groups = {g.name: g for g in AssignmentGroup.objects.select_related("company")}
    assert set(groups) == {"Helpcenter L1 BKPM", "L2 BKPM", "L2 INDOSAT", "Service Desk Pusat"}
    assert [name for name, g in groups.items() if g.is_l1] == ["Helpcenter L1 BKPM"]
    assert groups["L2 INDOSAT"].company.name == "INDOSAT" and groups["L2 INDOSAT"].company.is_vendor
    assert groups["L2 BKPM"].company.name == "BKPM"
    for group in groups.values():
        assert group.members.exists(), group


def test_seed_demo_prints_logins_that_work(capsys, client):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "l1.agent" in out and "l2.indosat" in out and "estim-demo-2026" in out
    response = client.post(
        reverse("login"), {"username": "l1.agent", "password": "estim-demo-2026"}
    )
    assert response.status_code == 302
    assert client.get(reverse("tickets:home")).status_code == 200


def test_seed_demo_twice_gives_the_same_data():
    call_command("seed_demo")
    first = _state()
    call_command("seed_demo")
    assert _state() == first
