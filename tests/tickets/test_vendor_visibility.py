"""A vendor's staff (L2 INDOSAT) see only the incidents their group holds or held: nowhere do
the others show, counted or listed, in lists, totals, counters, dashboard, search, exports,
look-ups or related incidents."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import CategoryFactory, TicketFactory
from tickets import workflow
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

S = Ticket.Status
SECRET_NIB = "9999999999999"


@pytest.fixture
def seen(l1_agent, vendor_agent, vendor_group, l2_group):
    """The vendor's tickets: one its group holds, one it held and handed to L2 BKPM."""
    root = CategoryFactory(name="TEKNOLOGI INFORMASI")
    oss = CategoryFactory(name="SISTEM OSS", parent=root)
    values = {
        "category": root,
        "sub_category": oss,
        "contact_type": Ticket.ContactType.EMAIL,
        "impact": Ticket.Impact.LOW,
        "urgency": Ticket.Urgency.LOW,
    }
    held_now = workflow.create_ticket(
        by=l1_agent,
        assignment_group=vendor_group,
        short_description="Sinyal hilang",
        requested_by="Pak Vendor Terlihat",
        **values,
    )
    held_before = workflow.create_ticket(
        by=l1_agent,
        assignment_group=vendor_group,
        short_description="Integrasi gagal",
        requested_by="Bu Pernah Dipegang",
        **values,
    )
    workflow.assign_ticket(held_before, by=vendor_agent, group=l2_group)
    return [held_now, held_before]


@pytest.fixture
def hidden(l1_group, l2_group, l1_agent, vendor_agent):
    """Incidents the vendor's group never held, in several states, one VIP, one in a sub
    category of their own, one even (wrongly) naming the vendor's agent."""
    secret = CategoryFactory(name="DATA RAHASIA", parent=CategoryFactory(name="NON TI"))
    return [
        TicketFactory(
            assignment_group=l1_group,
            status=S.NEW,
            requested_by="Ibu Rahasia",
            nib=SECRET_NIB,
            short_description="Rahasia perusahaan",
            category=secret.parent,
            sub_category=secret,
        ),
        TicketFactory(assignment_group=l2_group, status=S.IN_PROGRESS, is_vip=True),
        TicketFactory(assignment_group=l2_group, status=S.RESOLVED, opened_by=vendor_agent),
        TicketFactory(assignment_group=l1_group, status=S.CLOSED, assigned_to=vendor_agent),
    ]


def _page(client, slug, **params):
    response = client.get(reverse("tickets:queue", args=[slug]), {"per_page": 200, **params})
    assert response.status_code == 200
    page = response.context["page"]
    return {t["number"] for t in page.object_list}, page.paginator.count


@pytest.mark.parametrize("slug", ["all", "open", "vip", "my-group", "assigned-to-me", "my-open"])
def test_every_queue_lists_and_counts_only_what_the_vendor_sees(vendor_client, seen, hidden, slug):
    numbers, total = _page(vendor_client, slug)
    assert numbers <= {t.number for t in seen}
    assert total == len(numbers)


@pytest.mark.parametrize(
    "params",
    [
        {"state": "new"},
        {"state": "assigned"},
        {"state": "in_progress"},
        {"group": "l1"},
        {"group": "l2"},
        {"sub_category": "secret"},
    ],
    ids=str,
)
def test_filtered_totals_count_only_what_the_vendor_sees(
    vendor_client, seen, hidden, l1_group, l2_group, params
):
    ids = {"l1": l1_group.pk, "l2": l2_group.pk, "secret": hidden[0].sub_category_id}
    params = {name: ids.get(value, value) for name, value in params.items()}
    for slug in ("all", "open"):
        numbers, total = _page(vendor_client, slug, **params)
        assert numbers <= {t.number for t in seen}
        assert total == len(numbers), (slug, params)


def test_queues_show_the_held_tickets(vendor_client, seen, hidden):
    numbers, total = _page(vendor_client, "all")
    assert numbers == {t.number for t in seen} and total == 2


@pytest.mark.parametrize(
    "params", [{"requester": SECRET_NIB}, {"requester": "Rahasia"}, {"text": "Rahasia"}], ids=str
)
def test_search_finds_nothing_the_vendor_may_not_see(
    vendor_client, l1_client, seen, hidden, params
):
    assert _page(vendor_client, "all", **params) == (set(), 0)
    assert _page(l1_client, "all", **params)[0] == {hidden[0].number}


def test_header_counters_count_only_what_the_vendor_sees(vendor_client, seen, hidden):
    counters = vendor_client.get(reverse("tickets:home")).context["counters"]
    # Nothing opened by or assigned to the vendor's agent that it may see; one ticket held.
    assert counters == {"my_ticket": 0, "my_assignment": 0, "my_group": 1}


def test_homepage_counts_only_what_the_vendor_sees(vendor_client, seen, hidden):
    response = vendor_client.get(reverse("tickets:home"))
    assert response.context["total"] == 2
    by_status = {row["status"]: row["n"] for row in response.context["by_status"]}
    assert by_status == {"assigned": 2}
    assert [row["name"] for row in response.context["by_sub_category"]] == ["SISTEM OSS"]
    assert "DATA RAHASIA" not in response.content.decode()


def test_csv_export_holds_only_what_the_vendor_sees(vendor_client, seen, hidden):
    response = vendor_client.get(reverse("tickets:export_csv", args=["all"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    for ticket in seen:
        assert ticket.number in text
    for ticket in hidden:
        assert ticket.number not in text
    assert SECRET_NIB not in text and "Rahasia" not in text


def test_requester_look_up_finds_only_requesters_of_seen_tickets(vendor_client, seen, hidden):
    url = reverse("tickets:api_requesters")
    assert vendor_client.get(url, {"q": "Rahasia"}).json()["results"] == []
    assert vendor_client.get(url, {"q": SECRET_NIB[:6]}).json()["results"] == []
    found = vendor_client.get(url, {"q": "Pernah"}).json()["results"]
    assert [row["requested_by"] for row in found] == ["Bu Pernah Dipegang"]


def test_related_picker_offers_only_seen_incidents(vendor_client, seen, hidden):
    rows = vendor_client.get(reverse("tickets:api_incidents"), {"q": "INC-"}).json()["results"]
    assert {row["number"] for row in rows} == {t.number for t in seen}


def test_related_tab_leaves_out_incidents_the_vendor_may_not_see(
    vendor_client, l1_client, seen, hidden
):
    mine, secret = seen[0], hidden[0]
    mine.related.add(secret)
    html = vendor_client.get(reverse("tickets:detail", args=[mine.number])).content.decode()
    assert secret.number not in html and secret.short_description not in html
    # Who sees both sees the relation.
    html = l1_client.get(reverse("tickets:detail", args=[mine.number])).content.decode()
    assert secret.number in html


def test_vendor_cannot_unlink_an_incident_it_may_not_see(vendor_client, seen, hidden):
    mine, secret = seen[0], hidden[0]
    mine.related.add(secret)
    url = reverse("tickets:unlink_related", args=[mine.number, secret.number])
    assert vendor_client.post(url).status_code == 404
    assert list(mine.related.all()) == [secret]


def test_vendor_may_list_the_members_of_a_bkpm_group(vendor_client, l2_group, l2_agent):
    # Decided: agents' names are not the businesses' personal data; a vendor assigning a
    # ticket back to L2 BKPM picks one of its members.
    url = reverse("tickets:api_group_members", args=[l2_group.pk])
    assert vendor_client.get(url).json()["results"] == [{"id": l2_agent.pk, "name": str(l2_agent)}]


def test_a_vendor_creating_an_incident_for_another_group_is_told_it_cannot_open_it(
    vendor_client, l2_group
):
    category = CategoryFactory()
    data = {
        "category": category.pk,
        "short_description": "Sinyal hilang",
        "contact_type": "phone",
        "impact": "2",
        "urgency": "2",
        "assignment_group": l2_group.pk,
    }
    response = vendor_client.post(reverse("tickets:create"), data)
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == reverse("tickets:home")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        f"Incident {ticket.number} was created.",
        f"{ticket.number} is held by L2 BKPM; your group cannot open it.",
    ]
    assert vendor_client.get(reverse("tickets:detail", args=[ticket.number])).status_code == 404


@pytest.mark.parametrize("few", [False, True])
def test_the_check_for_a_few_tickets_sees_what_the_full_check_sees(
    few, vendor_agent, vendor_group, l2_group
):
    """visible_to(few=True), for the tickets opened by or assigned to one agent, answers as
    visible_to() does: held now, held before, or never held."""
    held_now = TicketFactory(assignment_group=vendor_group, assigned_to=vendor_agent)
    held_before = TicketFactory(assignment_group=vendor_group, assigned_to=vendor_agent)
    held_before.assignment_group = l2_group
    held_before.save()
    never_held = TicketFactory(assignment_group=l2_group, assigned_to=vendor_agent)
    seen = set(Ticket.objects.visible_to(vendor_agent, few=few).values_list("pk", flat=True))
    assert held_now.pk in seen and held_before.pk in seen
    assert never_held.pk not in seen
