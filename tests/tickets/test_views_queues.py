"""My Homepage, the queues, their Data Filter, pager and sorting, and Pick Up from a queue."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import CategoryFactory, TicketFactory, UserFactory
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db

S = Ticket.Status


def numbers(response):
    return [t["number"] for t in response.context["page"].object_list]


def queue_url(slug, **params):
    url = reverse("tickets:queue", args=[slug])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def test_assigned_to_my_group_lists_open_tickets_of_my_groups(l1_client, l1_group, l2_group):
    mine = TicketFactory(assignment_group=l1_group, status=S.NEW)
    TicketFactory(assignment_group=l1_group, status=S.CLOSED)
    TicketFactory(assignment_group=l2_group, status=S.NEW)
    assert numbers(l1_client.get(queue_url("my-group"))) == [mine.number]


def test_assigned_to_me_and_my_open_ticket(l1_client, l1_agent, l1_group):
    assigned = TicketFactory(assignment_group=l1_group, status=S.IN_PROGRESS, assigned_to=l1_agent)
    opened = TicketFactory(opened_by=l1_agent, status=S.ASSIGNED)
    TicketFactory(opened_by=l1_agent, status=S.CLOSED)
    assert numbers(l1_client.get(queue_url("assigned-to-me"))) == [assigned.number]
    assert numbers(l1_client.get(queue_url("my-open"))) == [opened.number]


def test_incident_ticket_vip_and_all(l1_client):
    open_ = TicketFactory(status=S.NEW)
    vip = TicketFactory(status=S.CLOSED, is_vip=True)
    assert numbers(l1_client.get(queue_url("open"))) == [open_.number]
    assert numbers(l1_client.get(queue_url("vip"))) == [vip.number]
    assert set(numbers(l1_client.get(queue_url("all")))) == {open_.number, vip.number}


def test_unknown_queue_is_404(l1_client):
    assert l1_client.get(queue_url("nope")).status_code == 404


def test_queue_needs_login(client):
    assert client.get(queue_url("all")).status_code == 302


def test_pager_shows_pages_and_range(l1_client):
    TicketFactory.create_batch(51)
    first = l1_client.get(queue_url("all")).content.decode()
    assert "[1 - 50 / 51]" in first and "/ 2" in first
    last = l1_client.get(queue_url("all", page=2)).content.decode()
    assert "[51 - 51 / 51]" in last


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999"])
def test_invalid_page_numbers_give_a_page_not_an_error(l1_client, page):
    TicketFactory.create_batch(3)
    response = l1_client.get(queue_url("all", page=page))
    assert response.status_code == 200
    assert len(numbers(response)) == 3


@pytest.mark.parametrize(
    ("per_page", "expected"), [("5", 5), ("x", 50), ("100000", 200), ("-5", 50), ("0", 50)]
)
def test_page_size_is_bounded(l1_client, per_page, expected):
    TicketFactory.create_batch(3)
    response = l1_client.get(queue_url("all", per_page=per_page))
    assert response.context["page"].paginator.per_page == expected


def test_invalid_filter_value_is_reported_and_ignored(l1_client):
    TicketFactory.create_batch(2)
    response = l1_client.get(queue_url("all", state="bogus", opened_from="not-a-date"))
    assert response.status_code == 200
    assert len(numbers(response)) == 2
    assert "state" in response.context["filter"].errors
    assert b"not valid" in response.content


def test_filter_by_number_prefix_and_text(l1_client):
    a = TicketFactory(number="INC-2026-000123", short_description="Email tidak terkirim")
    TicketFactory(number="INC-2025-000124", short_description="Login gagal")
    assert numbers(l1_client.get(queue_url("all", number="inc-2026"))) == [a.number]
    assert numbers(l1_client.get(queue_url("all", number="INC-2026-000123"))) == [a.number]
    assert numbers(l1_client.get(queue_url("all", text="EMAIL"))) == [a.number]


def test_filter_by_state_priority_group_assignee_contact(l1_client, l1_group, l2_group, l1_agent):
    hit = TicketFactory(
        status=S.IN_PROGRESS,
        impact=1,
        urgency=1,
        priority=1,
        assignment_group=l2_group,
        assigned_to=l1_agent,
        contact_type="phone",
    )
    TicketFactory(status=S.IN_PROGRESS, assignment_group=l1_group)
    params = dict(
        state="in_progress",
        priority=1,
        group=l2_group.pk,
        assigned_to=l1_agent.pk,
        contact_type="phone",
    )
    assert numbers(l1_client.get(queue_url("all", **params))) == [hit.number]


def test_filter_by_taxonomy_levels(l1_client):
    root = CategoryFactory(name="TI")
    sub = CategoryFactory(name="OSS", parent=root)
    other = CategoryFactory(name="NON TI")
    hit = TicketFactory(category=root, sub_category=sub)
    TicketFactory(category=other)
    assert numbers(l1_client.get(queue_url("all", category=root.pk))) == [hit.number]
    assert numbers(l1_client.get(queue_url("all", sub_category=sub.pk))) == [hit.number]


def test_filter_by_opened_date_range(l1_client):
    now = timezone.now()
    old = TicketFactory(opened_at=now - datetime.timedelta(days=40))
    TicketFactory(opened_at=now)
    day = timezone.localtime(old.opened_at).date()
    response = l1_client.get(
        queue_url("all", opened_from=day.isoformat(), opened_to=day.isoformat())
    )
    assert numbers(response) == [old.number]


@pytest.mark.parametrize("term", ["maju jaya", "1234567890123", "3171234567890001", "Budi"])
def test_filter_by_requester_company_nib_nik(l1_client, term):
    hit = TicketFactory(
        requested_by="Budi Hartono",
        company_name="PT Maju Jaya",
        nib="1234567890123",
        nik="3171234567890001",
    )
    TicketFactory(requested_by="Someone else")
    assert numbers(l1_client.get(queue_url("all", requester=term))) == [hit.number]


# Ascending (▲) reads Low to Critical, the stored values (Critical 1 ... Low 4) the other way.
@pytest.mark.parametrize(("sort", "expected"), [("priority", [4, 3, 1]), ("-priority", [1, 3, 4])])
def test_sorting_by_column(l1_client, sort, expected):
    for impact, urgency in ((1, 1), (2, 2), (3, 3)):
        TicketFactory(impact=impact, urgency=urgency, priority=[1, 3, 4][impact - 1])
    response = l1_client.get(queue_url("all", sort=sort))
    assert [t["priority"] for t in response.context["page"].object_list] == expected


def test_sort_marks_priority_ascending_with_low_first(l1_client):
    TicketFactory(impact=1, urgency=1, priority=1)
    TicketFactory(impact=3, urgency=3, priority=4)
    response = l1_client.get(queue_url("all", sort="priority"))
    assert [t["priority"] for t in response.context["page"].object_list] == [4, 1]
    assert "Priority</a> ▲" in response.content.decode()


def test_sorting_by_opened_by_follows_the_shown_name(l1_client):
    for first, last, username in (
        ("Budi", "Santoso", "a.budi"),
        ("Ayu", "Santoso", "z.ayu"),
        ("Ayu", "Santoso", "b.ayu"),
        ("Citra", "Lestari", "y.citra"),
    ):
        TicketFactory(opened_by=UserFactory(first_name=first, last_name=last, username=username))

    def openers(sort):
        rows = l1_client.get(queue_url("all", sort=sort)).context["page"].object_list
        usernames = dict(User.objects.values_list("pk", "username"))
        return [usernames[row["opened_by_id"]] for row in rows]

    assert openers("opened_by") == ["y.citra", "b.ayu", "z.ayu", "a.budi"]
    assert openers("-opened_by") == ["a.budi", "z.ayu", "b.ayu", "y.citra"]


def test_sorting_by_state_follows_the_workflow(l1_client):
    for status in reversed(S):
        TicketFactory(status=status)

    def states(sort):
        return [
            t["status"]
            for t in l1_client.get(queue_url("all", sort=sort)).context["page"].object_list
        ]

    workflow_order = [
        S.NEW,
        S.ASSIGNED,
        S.IN_PROGRESS,
        S.ON_HOLD,
        S.RESOLVED,
        S.REOPENED,
        S.CANCELLED,
        S.CLOSED,
    ]
    assert states("state") == workflow_order
    assert states("-state") == workflow_order[::-1]


@pytest.mark.parametrize("sort", ["state", "-state", "opened_by", "-opened_by", "priority"])
def test_a_sorted_queue_pages_through_every_ticket_once(l1_client, sort, monkeypatch):
    from tickets.paging import ReversiblePaginator

    # Pages past the middle are read from the end, and deep ones by their ids first.
    monkeypatch.setattr(ReversiblePaginator, "NEAR", 2)
    opener = UserFactory(first_name="Ayu", last_name="Lestari")
    tickets = [TicketFactory(status=S.NEW, opened_by=opener, priority=4) for _ in range(7)]
    pages = [
        numbers(l1_client.get(queue_url("all", sort=sort, per_page=2, page=page)))
        for page in (1, 2, 3, 4)
    ]
    listed = [number for page in pages for number in page]
    assert sorted(listed) == sorted(t.number for t in tickets)


@pytest.mark.parametrize("sort", ["state", "opened_by", "-priority"])
def test_a_sorted_queue_takes_as_many_queries_as_the_default_order(
    l1_client, l1_group, sort, django_assert_num_queries
):
    TicketFactory.create_batch(3, assignment_group=l1_group, status=S.ASSIGNED)
    # session, user with groups, header counters with the total (tallies), page rows
    # (the first time also everyone's names and the pick lists, for the people and groups)
    with django_assert_num_queries(6):
        response = l1_client.get(queue_url("my-group", sort=sort))
    assert len(numbers(response)) == 3
    with django_assert_num_queries(4):
        l1_client.get(queue_url("my-group", sort=sort))


def test_unknown_sort_falls_back_to_newest_first(l1_client):
    older = TicketFactory(opened_at=timezone.now() - datetime.timedelta(hours=1))
    newer = TicketFactory()
    assert numbers(l1_client.get(queue_url("all", sort="password"))) == [newer.number, older.number]


def test_bulk_pick_up_takes_several_tickets(l1_client, l1_agent, l1_group):
    a, b = TicketFactory.create_batch(2, assignment_group=l1_group, status=S.NEW)
    response = l1_client.post(
        reverse("tickets:bulk_pick_up", args=["my-group"]),
        {"numbers": [a.number, b.number], "action": "pick_up"},
    )
    assert response.status_code == 302
    for ticket in (a, b):
        ticket.refresh_from_db()
        assert (ticket.status, ticket.assigned_to) == (S.IN_PROGRESS, l1_agent)


def test_bulk_pick_up_reports_refusals_and_changes_nothing_for_them(l1_client, l2_group):
    ticket = TicketFactory(assignment_group=l2_group, status=S.ASSIGNED)
    response = l1_client.post(
        reverse("tickets:bulk_pick_up", args=["all"]),
        {"numbers": [ticket.number], "action": "pick_up"},
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Only members of" in m for m in messages)
    ticket.refresh_from_db()
    assert ticket.status == S.ASSIGNED and not TicketEvent.objects.exists()


def test_bulk_pick_up_without_selection_says_so(l1_client):
    response = l1_client.post(reverse("tickets:bulk_pick_up", args=["all"]), {"action": "pick_up"})
    assert "Select at least one" in str(list(get_messages(response.wsgi_request))[0])


def test_edit_opens_the_selected_ticket(l1_client):
    ticket = TicketFactory()
    response = l1_client.post(
        reverse("tickets:bulk_pick_up", args=["all"]),
        {"numbers": [ticket.number], "action": "edit"},
    )
    assert response.url == reverse("tickets:detail", args=[ticket.number])


def test_edit_with_several_ticked_opens_the_first_and_says_the_others_were_not(l1_client):
    first, second, third = TicketFactory.create_batch(3)
    response = l1_client.post(
        reverse("tickets:bulk_pick_up", args=["all"]),
        {"numbers": [second.number, first.number, third.number], "action": "edit"},
    )
    # The first ticked in the list's order, not the lowest number.
    assert response.url == reverse("tickets:detail", args=[second.number])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Opened {second.number}; 2 other selected incidents were not opened."
    ]


def test_edit_with_one_ticked_opens_it_without_a_message(l1_client):
    ticket = TicketFactory()
    response = l1_client.post(
        reverse("tickets:bulk_pick_up", args=["all"]),
        {"numbers": [ticket.number, ticket.number], "action": "edit"},
    )
    assert response.url == reverse("tickets:detail", args=[ticket.number])
    assert list(get_messages(response.wsgi_request)) == []


def test_bulk_pick_up_is_post_only(l1_client):
    assert l1_client.get(reverse("tickets:bulk_pick_up", args=["all"])).status_code == 405


def test_bulk_pick_up_ignores_an_outside_redirect(l1_client):
    ticket = TicketFactory()
    response = l1_client.post(
        reverse("tickets:bulk_pick_up", args=["all"]),
        {"numbers": [ticket.number], "action": "pick_up", "next": "https://evil.example/"},
    )
    assert response.url == reverse("tickets:queue", args=["all"])


def test_header_counters(l1_client, l1_agent, l1_group, l2_group):
    TicketFactory(opened_by=l1_agent, assignment_group=l2_group, status=S.ASSIGNED)
    TicketFactory(assignment_group=l1_group, status=S.IN_PROGRESS, assigned_to=l1_agent)
    TicketFactory(assignment_group=l1_group, status=S.NEW)
    TicketFactory(assignment_group=l1_group, status=S.CLOSED, assigned_to=l1_agent)
    counters = l1_client.get(reverse("tickets:home")).context["counters"]
    assert counters == {"my_ticket": 1, "my_assignment": 1, "my_group": 2}


def test_homepage_counts_by_sub_category_and_status(l1_client):
    root = CategoryFactory(name="TI")
    oss = CategoryFactory(name="SISTEM OSS", parent=root)
    TicketFactory.create_batch(3, category=root, sub_category=oss, status=S.NEW)
    TicketFactory(category=root, status=S.CLOSED)
    response = l1_client.get(reverse("tickets:home"))
    rows = {r["name"]: r["n"] for r in response.context["by_sub_category"]}
    assert rows == {"SISTEM OSS": 3, None: 1}
    data = response.context["chart_data"]
    by_status = dict(zip(data["status"]["labels"], data["status"]["counts"], strict=True))
    assert by_status == {"New": 3, "Closed": 1}
    assert b'id="chart-data"' in response.content and b"chart.umd.min.js" in response.content


def test_vendor_sees_only_its_groups_tickets(vendor_client, vendor_group, l2_group, l1_agent):
    held = TicketFactory(assignment_group=vendor_group, status=S.ASSIGNED)
    TicketFactory(assignment_group=l2_group, status=S.ASSIGNED)
    assert numbers(vendor_client.get(queue_url("all"))) == [held.number]
    home = vendor_client.get(reverse("tickets:home"))
    assert home.context["total"] == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_queue_query_count_is_flat(l1_client, l1_group, rows, django_assert_num_queries):
    TicketFactory.create_batch(rows, assignment_group=l1_group, status=S.ASSIGNED)
    # session, user with groups, header counters with the total (tallies), page rows
    # (the first time also everyone's names and the pick lists, for the people and groups)
    with django_assert_num_queries(6):
        response = l1_client.get(queue_url("my-group"))
    assert response.status_code == 200
    with django_assert_num_queries(4):
        again = l1_client.get(queue_url("my-group"))
    assert numbers(again) == numbers(response)


@pytest.mark.parametrize("rows", [1, 20])
def test_a_counted_queue_takes_as_few_queries(
    l1_client, l1_agent, l1_group, rows, django_assert_num_queries
):
    TicketFactory.create_batch(
        rows, assignment_group=l1_group, assigned_to=l1_agent, status=S.IN_PROGRESS
    )
    # session, user with groups, header counters with the queue's count, page rows
    # (the first time also everyone's names and the pick lists, for the people and groups)
    with django_assert_num_queries(6):
        response = l1_client.get(queue_url("assigned-to-me"))
    assert response.context["page"].paginator.count == rows
    assert len(numbers(response)) == rows


@pytest.mark.parametrize("rows", [12, 40])
def test_a_page_deep_in_a_queue_takes_one_more_query(
    l1_client, l1_group, rows, django_assert_num_queries, monkeypatch
):
    from tickets.paging import ReversiblePaginator

    monkeypatch.setattr(ReversiblePaginator, "NEAR", 2)
    TicketFactory.create_batch(rows, assignment_group=l1_group, status=S.ASSIGNED)
    # ... the page's ids, then their rows
    l1_client.get(queue_url("my-group"))  # (the names are kept from then on)
    with django_assert_num_queries(5):
        response = l1_client.get(queue_url("my-group", per_page=3, page=2))
    assert len(numbers(response)) == 3


@pytest.mark.parametrize("rows", [1, 20])
def test_queue_with_the_filter_panel_query_count_is_flat(
    l1_client, l1_group, rows, django_assert_num_queries
):
    TicketFactory.create_batch(rows, assignment_group=l1_group, status=S.ASSIGNED)
    # session, user with groups, filter choices (taxonomy, groups and agents in one),
    # header counters with the total (tallies), page rows
    # (the first time also everyone's names and the pick lists, for the people and groups)
    with django_assert_num_queries(7):
        response = l1_client.get(queue_url("my-group", filter=1))
    assert b'id="data-filter"' in response.content
    # the choices are kept while the reference data is unchanged
    with django_assert_num_queries(4):
        l1_client.get(queue_url("my-group", filter=1))


def test_an_unknown_group_in_the_filter_is_reported(l1_client):
    TicketFactory()
    response = l1_client.get(queue_url("all", group=999999))
    assert response.status_code == 200
    assert "group" in response.context["filter"].errors
    assert len(numbers(response)) == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_homepage_query_count_is_flat(l1_client, rows, django_assert_num_queries):
    TicketFactory.create_batch(rows)
    # session, user with groups, tallies by sub category and state with the names,
    # header counters
    with django_assert_num_queries(4):
        l1_client.get(reverse("tickets:home"))


def test_agent_in_no_group_sees_nothing(client):
    TicketFactory()
    user = UserFactory()
    client.force_login(user)
    assert numbers(client.get(queue_url("all"))) == []


def _csv(response):
    import csv
    import io

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_streams_the_filtered_queue(l1_client):
    hit = TicketFactory(short_description="Email tidak terkirim", status=S.NEW)
    TicketFactory(short_description="Login", status=S.NEW)
    response = l1_client.get(reverse("tickets:export_csv", args=["all"]) + "?text=email")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:3] == ["Number", "Opened", "State"]
    assert [row[0] for row in rows[1:]] == [hit.number]
    assert rows[1][2] == "New"


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)"])
def test_csv_export_neutralises_formulas(l1_client, payload):
    TicketFactory(short_description=payload, requested_by=payload)
    rows = _csv(l1_client.get(reverse("tickets:export_csv", args=["all"])))
    assert rows[1][4] == "'" + payload
    assert rows[1][9] == "'" + payload


def test_csv_export_shows_a_vendor_only_its_tickets(vendor_client, vendor_group, l2_group):
    held = TicketFactory(assignment_group=vendor_group)
    TicketFactory(assignment_group=l2_group)
    rows = _csv(vendor_client.get(reverse("tickets:export_csv", args=["all"])))
    assert [row[0] for row in rows[1:]] == [held.number]


@pytest.mark.parametrize("near", [500, 0], ids=["one-query", "ids-first"])
@pytest.mark.parametrize("page", [1, 2, 3, 4, 5])
def test_every_page_holds_the_right_rows_in_order(l1_client, page, near, monkeypatch):
    from tickets.models import Ticket as T
    from tickets.paging import ReversiblePaginator

    # Pages near an end of the list are read in one query, pages further in ids first.
    monkeypatch.setattr(ReversiblePaginator, "NEAR", near)
    TicketFactory.create_batch(23)
    expected = list(T.objects.order_by("-opened_at", "-id").values_list("number", flat=True))
    response = l1_client.get(queue_url("all", per_page=5, page=page))
    assert numbers(response) == expected[(page - 1) * 5 : page * 5]


def test_filter_by_email(l1_client):
    hit = TicketFactory(email="Budi@Example.com")
    TicketFactory(email="other@example.com")
    assert numbers(l1_client.get(queue_url("all", requester="budi@example.com"))) == [hit.number]


@pytest.mark.parametrize(
    "params", [{"opened_to": "9999-12-31"}, {"opened_from": "0001-01-01"}, {"page": "1e9"}]
)
def test_extreme_dates_and_pages_are_handled(l1_client, params):
    TicketFactory()
    response = l1_client.get(queue_url("all", **params))
    assert response.status_code == 200
    assert len(numbers(response)) == 1


@pytest.mark.parametrize(("page", "expected"), [("0", 1), ("-1", 1), ("abc", 1), ("99", 3)])
def test_odd_page_numbers_show_the_first_page_and_past_the_end_the_last(l1_client, page, expected):
    TicketFactory.create_batch(5)
    response = l1_client.get(queue_url("all", per_page=2, page=page))
    assert response.context["page"].number == expected


@pytest.mark.parametrize("typed", ["135018", "2026-135018", "inc-2026-135018", " 135018 "])
def test_number_filter_takes_the_number_as_agents_say_it(l1_client, typed):
    from django.utils import timezone as tz

    year = tz.localdate().year
    hit = TicketFactory(number=f"INC-{year}-135018")
    TicketFactory(number=f"INC-{year}-135019")
    typed = typed.replace("2026", str(year))
    assert numbers(l1_client.get(queue_url("all", number=typed))) == [hit.number]


def test_csv_export_shows_names_like_the_pages(l1_client, l1_agent):
    l1_agent.first_name, l1_agent.last_name = "Ayu", "Lestari"
    l1_agent.save()
    TicketFactory(opened_by=l1_agent, assigned_to=None)
    rows = _csv(l1_client.get(reverse("tickets:export_csv", args=["all"])))
    header = rows[0]
    assert rows[1][header.index("Opened By")] == "Ayu Lestari"
    assert rows[1][header.index("Assigned To")] == ""


def test_the_filter_choices_follow_the_database_order(l1_client, l1_group):
    """Groups, agents and categories are listed as the database sorts them (its collation),
    as every other list of names is."""
    from accounts.models import AssignmentGroup, User
    from taxonomy.models import Category
    from tests.factories import AssignmentGroupFactory

    for name in ("beta", "Alpha", "Zeta", "alpha two"):
        AssignmentGroupFactory(name=name)
    for first, username in (("amy", "amy1"), ("Bob", "bob1"), ("", "zed"), ("", "Carl")):
        UserFactory(first_name=first, last_name="", username=username, groups=[l1_group])
    root = CategoryFactory(name="ROOT")
    for name, order in (("b sub", 1), ("A sub", 1), ("c sub", 0)):
        CategoryFactory(name=name, parent=root, order=order)
    form = l1_client.get(queue_url("all", filter=1)).context["filter"].form

    def shown(field):
        return [pk for pk, _label in form.fields[field].choices if pk != ""]

    assert shown("group") == list(
        AssignmentGroup.objects.order_by("name").values_list("pk", flat=True)
    )
    agents = User.objects.filter(assignment_groups__isnull=False, is_active=True).distinct()
    assert shown("assigned_to") == list(
        agents.order_by("first_name", "username").values_list("pk", flat=True)
    )
    assert shown("sub_category") == list(
        Category.objects.filter(level=2).order_by("order", "name").values_list("pk", flat=True)
    )


def menu(response) -> list[str]:
    """The menu's headings and links, in order."""
    html = response.content.decode()
    start = html.index('<nav class="estim-menu')
    nav = html[start : html.index("</nav>", start)]
    return [
        text.strip()
        for text in re.findall(
            r'<(?:div class="small[^"]*"|a class="nav-link[^"]*"[^>]*)>([^<]+)<', nav
        )
    ]


def test_menu_follows_the_guide(l1_client):
    assert menu(l1_client.get(reverse("tickets:home"))) == [
        "Menu",
        "My Homepage",
        "My Open Ticket",
        "Assigned To My Group",
        "Assigned To Me",
        "Incident Management",
        "Create New",
        "Incident Ticket",
        "Incident VIP",
        "All Incident",
    ]


def test_menu_shows_platform_to_staff_only(client, admin_user):
    client.force_login(admin_user)
    assert menu(client.get(reverse("tickets:home")))[-2:] == ["Platform", "Administration"]


def active_item(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<a class="nav-link active"[^>]*>([^<]+)<', html)


def test_menu_marks_the_page_shown_whoever_saw_it_before(client, admin_user, l1_client):
    client.force_login(admin_user)
    client.get(reverse("tickets:queue", args=["my-group"]))  # drawn for staff first
    assert active_item(l1_client.get(reverse("tickets:queue", args=["my-group"]))) == [
        "Assigned To My Group"
    ]
    assert "Platform" not in menu(l1_client.get(reverse("tickets:queue", args=["my-group"])))
    assert active_item(l1_client.get(reverse("tickets:queue", args=["all"]))) == ["All Incident"]
    assert active_item(l1_client.get(reverse("tickets:home"))) == ["My Homepage"]
    assert active_item(l1_client.get(reverse("tickets:create"))) == ["Create New"]


def test_homepage_without_incidents_says_so_instead_of_blank_charts(l1_client):
    html = l1_client.get(reverse("tickets:home")).content.decode()
    assert html.count("No incidents yet.") == 2  # the sub category table and the status card
    assert 'id="chart-status"' not in html and 'id="chart-sub-category"' not in html


def test_sorts_spelled_many_ways_share_one_compiled_query(l1_client, l1_group):
    from tickets import prepared

    TicketFactory.create_batch(3, assignment_group=l1_group)
    url = reverse("tickets:queue", args=["all"])
    newest_number_first = numbers(l1_client.get(f"{url}?sort=-number"))
    assert newest_number_first == sorted(newest_number_first, reverse=True)

    def page_shapes():
        return {key for key in prepared._compiled if key[0][0] == "queue page"}

    before = page_shapes()
    for dashes in range(2, 12):
        assert numbers(l1_client.get(f"{url}?sort={'-' * dashes}number")) == newest_number_first
    assert page_shapes() == before


def selected_options(html: str, name: str) -> list[str]:
    """The values of a select's selected options."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)" selected>', select)


def test_the_filter_options_drawn_once_mark_each_page_s_own_choice(l1_client, l1_group):
    """The Data Filter's options are drawn once and shared: each page still marks only its
    own choice, and a new group shows up at once."""
    from tests.factories import AssignmentGroupFactory

    first, second = AssignmentGroupFactory(name="First & co"), AssignmentGroupFactory(name="2nd")
    html = l1_client.get(queue_url("all", group=first.pk)).content.decode()
    assert selected_options(html, "group") == [str(first.pk)]
    assert "First &amp; co</option>" in html
    html = l1_client.get(queue_url("all", group=second.pk)).content.decode()
    assert selected_options(html, "group") == [str(second.pk)]
    html = l1_client.get(queue_url("all", filter=1)).content.decode()
    assert selected_options(html, "group") == [""]
    AssignmentGroupFactory(name="Added since")
    html = l1_client.get(queue_url("all", filter=1)).content.decode()
    assert "Added since</option>" in html


def test_equal_choices_are_one_object_per_language():
    from django.utils import translation

    from tickets.forms.common import ready

    choices = [(1, "Satu"), (2, "Dua")]
    assert ready(choices) is ready(list(choices))
    assert ready(choices) is not ready([(1, "Satu"), (2, "Dua"), (3, "Tiga")])
    with translation.override("en"):
        english = ready(choices)
    with translation.override("id"):
        assert ready(choices) is not english
        assert ready(choices) is ready(choices)


def test_shared_options_keep_their_escaping_and_mark_one_choice():
    from django.utils.safestring import mark_safe

    from tickets.forms.common import ready
    from tickets.forms.render import options

    choices = ready([("", "---------"), (1, "A <b>"), (2, mark_safe("<i>B</i>")), (11, "C")])
    assert options(choices, "1") == (
        '<option value="">---------</option><option value="1" selected>A &lt;b&gt;</option>'
        '<option value="2"><i>B</i></option><option value="11">C</option>'
    )
    assert options(choices, None).count(" selected") == 0
    assert options(choices, "11").count(" selected") == 1
    assert '<option value="11" selected>' in options(choices, "11")
    assert options([(1, "x"), ("Group", [(2, "y")])], "1") is None


def test_ready_html_and_the_same_text_are_different_choices():
    from django.utils.safestring import mark_safe

    from tickets.forms.common import ready
    from tickets.forms.render import options

    assert (
        options(ready([(1, mark_safe("<b>x</b>"))]), None) == '<option value="1"><b>x</b></option>'
    )
    assert options(ready([(1, "<b>x</b>")]), None) == (
        '<option value="1">&lt;b&gt;x&lt;/b&gt;</option>'
    )


@pytest.mark.parametrize("who", ["l1_client", "vendor_client"])
def test_a_queue_filtered_by_exact_values_reads_each_end_with_one_compiled_query(
    request, who, l1_group, vendor_group
):
    """A state, a category or a group filters by an exact value: the first and the last
    page are read with a query compiled once for those filters, whatever their values, and
    list what the ORM lists."""
    from tickets import prepared

    client = request.getfixturevalue(who)
    root = CategoryFactory()
    subs = [CategoryFactory(parent=root), CategoryFactory(parent=root)]
    for index in range(14):
        TicketFactory(
            assignment_group=vendor_group if index % 3 else l1_group,
            status=(S.ASSIGNED, S.IN_PROGRESS)[index % 2],
            category=root,
            sub_category=subs[index % 4 // 2],
        )
    visible = Ticket.objects.visible_to(request.getfixturevalue(who.replace("client", "agent")))

    def shapes():
        return {key for key in prepared._compiled if key[0][0] in ("queue page", "tally total")}

    seen = None
    for state in (S.ASSIGNED, S.IN_PROGRESS):
        for sub in subs:
            expected = list(
                visible.filter(status=state, sub_category=sub)
                .order_by("-opened_at", "-id")
                .values_list("number", flat=True)
            )
            url = queue_url("all", state=state, sub_category=sub.pk, per_page=50)
            response = client.get(url)
            assert numbers(response) == expected
            assert response.context["page"].paginator.count == len(expected)  # (the tallies)
            seen = shapes() if seen is None else seen
            assert shapes() == seen
    # Another filter (a text) is read as before, with its own query.
    assert numbers(client.get(queue_url("all", state=S.ASSIGNED, text="zzz"))) == []


def test_a_first_page_lists_no_more_rows_than_its_total(l1_client, l1_group):
    """A ticket added between the count and the rows waits for the next page view."""
    from tickets.models import TicketTally

    TicketFactory.create_batch(3, assignment_group=l1_group, status=S.ASSIGNED)
    TicketTally.objects.filter(assignment_group_id=l1_group.pk).update(n=2)  # (as if it lags)
    response = l1_client.get(queue_url("my-group"))
    assert response.context["page"].paginator.count == 2
    assert len(numbers(response)) == 2


def test_rows_show_when_a_ticket_was_opened_in_jakarta_time(l1_client, l1_group):
    opened = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)  # 03:30 the next day
    TicketFactory(assignment_group=l1_group, status=Ticket.Status.ASSIGNED, opened_at=opened)
    html = l1_client.get(reverse("tickets:queue", args=["my-group"])).text
    assert "<td>02-03-2026 03:30</td>" in html
