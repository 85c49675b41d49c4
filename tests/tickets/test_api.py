"""The small JSON answers behind the incident form's selects and look-ups."""

import pytest
from django.urls import reverse

from tests.factories import AssignmentGroupFactory, CategoryFactory, TicketFactory, UserFactory
from tickets.models import Template, Ticket

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200
    return response.json()["results"]


@pytest.fixture
def tree():
    root = CategoryFactory(name="TEKNOLOGI INFORMASI")
    CategoryFactory(name="NON TEKNOLOGI INFORMASI", order=2)
    CategoryFactory(name="RETIRED", is_active=False)
    CategoryFactory(name="SISTEM OSS", parent=root, order=1)
    CategoryFactory(name="INTEGRASI", parent=root, order=2)
    CategoryFactory(name="OLD", parent=root, is_active=False)
    return root


def test_taxonomy_children_lists_active_children_in_order(l1_client, tree):
    url = reverse("tickets:api_taxonomy_children")
    rows = results(l1_client.get(url, {"parent": tree.pk}))
    assert [row["name"] for row in rows] == ["SISTEM OSS", "INTEGRASI"]


def test_taxonomy_children_without_parent_lists_the_active_roots(l1_client, tree):
    rows = results(l1_client.get(reverse("tickets:api_taxonomy_children")))
    assert [row["name"] for row in rows] == ["TEKNOLOGI INFORMASI", "NON TEKNOLOGI INFORMASI"]


def test_taxonomy_children_refuses_a_parent_that_is_not_an_id(l1_client):
    response = l1_client.get(reverse("tickets:api_taxonomy_children"), {"parent": "1 or 1=1"})
    assert response.status_code == 400


@pytest.fixture
def requesters(l1_group):
    def make(**values):
        return TicketFactory(assignment_group=l1_group, **values)

    make(requested_by="Budi Hartono", company_name="PT Maju Jaya", nib="1234567890123")
    make(requested_by="Budi Hartono", company_name="PT Maju Jaya", nib="1234567890123")
    make(requested_by="Siti Aminah", company_name="CV Budi Luhur", email="siti@luhur.id")
    make(requested_by="Andi", company_name="PT Lain", email="andi@lain.id", nib="9990000000000")


def test_requesters_match_name_or_company_once_each(l1_client, requesters):
    rows = results(l1_client.get(reverse("tickets:api_requesters"), {"q": "budi"}))
    assert sorted(row["requested_by"] for row in rows) == ["Budi Hartono", "Siti Aminah"]
    assert set(rows[0]) == {"requested_by", "company_name", "phone", "nib", "nik", "email"}


@pytest.mark.parametrize(
    ("q", "name"), [("andi@l", "Andi"), ("999", "Andi"), ("12345", "Budi Hartono")]
)
def test_requesters_match_email_or_nib_by_prefix(l1_client, requesters, q, name):
    rows = results(l1_client.get(reverse("tickets:api_requesters"), {"q": q}))
    assert [row["requested_by"] for row in rows] == [name]


def test_requesters_need_two_characters(l1_client, requesters):
    assert results(l1_client.get(reverse("tickets:api_requesters"), {"q": "b"})) == []


def test_requesters_come_only_from_tickets_the_user_may_see(vendor_client, requesters):
    assert results(vendor_client.get(reverse("tickets:api_requesters"), {"q": "budi"})) == []


def test_requesters_are_at_most_ten(l1_client, l1_group):
    for index in range(12):
        TicketFactory(assignment_group=l1_group, requested_by=f"Pelaku {index}")
    assert len(results(l1_client.get(reverse("tickets:api_requesters"), {"q": "pelaku"}))) == 10


def test_groups_match_name_or_company(l1_client, l1_group, l2_group, vendor_group):
    rows = results(l1_client.get(reverse("tickets:api_groups"), {"q": "indosat"}))
    assert rows == [{"id": vendor_group.pk, "name": "L2 INDOSAT", "company": "INDOSAT"}]
    rows = results(l1_client.get(reverse("tickets:api_groups"), {"q": "bkpm"}))
    assert [row["name"] for row in rows] == ["Helpcenter L1 BKPM", "L2 BKPM"]


def test_groups_sort_descending_and_skip_inactive(l1_client, l1_group, l2_group, vendor_group):
    AssignmentGroupFactory(name="Old team", is_active=False)
    rows = results(l1_client.get(reverse("tickets:api_groups"), {"sort": "desc"}))
    assert [row["name"] for row in rows] == ["L2 INDOSAT", "L2 BKPM", "Helpcenter L1 BKPM"]


def test_group_members_are_the_active_members(l1_client, l1_group, l1_agent):
    UserFactory(username="gone", groups=[l1_group], is_active=False)
    rows = results(l1_client.get(reverse("tickets:api_group_members", args=[l1_group.pk])))
    assert rows == [{"id": l1_agent.pk, "name": str(l1_agent)}]


def test_group_members_of_an_unknown_group_is_404(l1_client):
    assert l1_client.get(reverse("tickets:api_group_members", args=[999])).status_code == 404


def test_template_gives_its_field_values(l1_client, l2_group):
    category = CategoryFactory(name="TI")
    template = Template.objects.create(
        name="Login",
        short_description="Tidak bisa login",
        category=category,
        impact=Ticket.Impact.HIGH,
        contact_type="email",
        assignment_group=l2_group,
    )
    response = l1_client.get(reverse("tickets:api_template", args=[template.pk]))
    values = response.json()["values"]
    assert values["short_description"] == "Tidak bisa login"
    assert (values["category"], values["sub_category"], values["impact"]) == (category.pk, None, 1)
    assert values["assignment_group"] == l2_group.pk


def test_inactive_template_is_404(l1_client):
    template = Template.objects.create(name="Old", is_active=False)
    assert l1_client.get(reverse("tickets:api_template", args=[template.pk])).status_code == 404


def test_incidents_by_number_prefix_visible_only(vendor_client, vendor_group, l1_group):
    mine = TicketFactory(number="INC-2026-000101", assignment_group=vendor_group)
    TicketFactory(number="INC-2026-000102", assignment_group=l1_group)
    rows = results(vendor_client.get(reverse("tickets:api_incidents"), {"q": "inc-2026-0001"}))
    assert rows == [
        {"number": mine.number, "short_description": mine.short_description, "state": "New"}
    ]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("tickets:api_taxonomy_children", []),
        ("tickets:api_requesters", []),
        ("tickets:api_groups", []),
        ("tickets:api_group_members", [1]),
        ("tickets:api_template", [1]),
        ("tickets:api_incidents", []),
    ],
)
def test_answers_need_a_login_and_a_get(client, l1_client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert l1_client.post(url).status_code == 405
