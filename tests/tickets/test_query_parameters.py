"""Bad query parameters and ids get a clear answer, never a server error: the JSON look-ups,
the lists' pager and filters, and the selects of the incident forms."""

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, TicketFactory
from tickets.filters import TicketFilter
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.mark.parametrize("parent", ["²", "١٢", HUGE, "0", "-1", "1.5", "1e3"])
def test_taxonomy_look_up_refuses_a_parent_that_is_not_an_id(l1_client, parent):
    response = l1_client.get(reverse("tickets:api_taxonomy_children"), {"parent": parent})
    assert response.status_code == 400
    assert response.json() == {"error": "parent must be an id"}


@pytest.mark.parametrize("name", ["tickets:api_group_members", "tickets:api_template"])
def test_look_ups_of_an_id_too_large_are_404(l1_client, name):
    assert l1_client.get(reverse(name, args=[int(HUGE)])).status_code == 404


@pytest.mark.parametrize(
    "name", ["tickets:api_requesters", "tickets:api_incidents", "tickets:api_groups"]
)
@pytest.mark.parametrize("q", ["x" * 5000, "'; DROP TABLE x; --", "%", "_", "😀😀"])
def test_look_ups_answer_any_text(l1_client, name, q):
    TicketFactory(requested_by="Budi", number="INC-2026-000001")
    response = l1_client.get(reverse(name), {"q": q})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"page": "1e9"},
        {"page": HUGE},
        {"per_page": HUGE},
        {"per_page": "²"},
        {"per_page": "-5"},
        {"group": HUGE},
        {"category": HUGE},
        {"assigned_to": "x"},
        {"priority": "99"},
        {"opened_from": "2026-02-30"},
        {"opened_to": "9999-12-31"},
        {"opened_from": "0001-01-01"},
        {"sort": "-password"},
        {"number": "²"},
        {"number": "2026-²"},
        {"number": "١٢٣"},
    ],
    ids=str,
)
def test_queue_and_export_answer_any_parameter(l1_client, params):
    TicketFactory()
    response = l1_client.get(reverse("tickets:queue", args=["all"]), params)
    assert response.status_code == 200
    assert response.context["page"].paginator.per_page <= 200
    export = l1_client.get(reverse("tickets:export_csv", args=["all"]), params)
    assert export.status_code == 200
    b"".join(export.streaming_content)


def test_incident_form_refuses_ids_too_large_beside_the_fields(l1_client):
    category = CategoryFactory()
    data = {
        "category": category.pk,
        "sub_category": HUGE,
        "assignment_group": HUGE,
        "assigned_to": HUGE,
        "template": HUGE,
        "location": HUGE,
        "short_description": "Tidak bisa login",
        "contact_type": "email",
        "impact": "2",
        "urgency": "2",
    }
    response = l1_client.post(reverse("tickets:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"sub_category", "assignment_group", "assigned_to", "template", "location"} <= set(
        errors
    )
    assert not Ticket.objects.exists()


def test_action_form_refuses_a_group_id_too_large_beside_the_field(l1_client, l1_group):
    ticket = TicketFactory(assignment_group=l1_group, status=Ticket.Status.IN_PROGRESS)
    url = reverse("tickets:act", args=[ticket.number, "assign"])
    response = l1_client.post(url, {"group": HUGE, "assignee": HUGE, "version": HUGE})
    assert response.status_code == 200
    assert {"group", "assignee"} <= set(response.context["form"].errors)
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version


def test_each_data_filter_has_filters_of_its_own():
    first = TicketFilter({"number": "INC-2026"}, queryset=Ticket.objects.all())
    second = TicketFilter({"text": "login"}, queryset=Ticket.objects.all())
    for name in ("number", "text", "state", "opened_from"):
        one, other = first.filters[name], second.filters[name]
        assert one is not other and one.extra is not other.extra
        assert (one.parent, other.parent) == (first, second)
    # A filter with a method calls it on its own Data Filter.
    assert first.filters["number"].filter.f is first.filters["number"]
    assert second.filters["text"].filter.f is second.filters["text"]
