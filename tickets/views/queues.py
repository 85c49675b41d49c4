"""My Homepage, the queues with their Data Filter and pager, and Pick Up from a queue."""

from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.expressions import RawSQL
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import dashboard, prepared, workflow
from ..exports import csv_rows
from ..filters import SORTABLE, TicketFilter, ordering_for
from ..models import Priority, Ticket
from ..paging import ReversiblePaginator
from ..picklists import names
from ..querysets import LIST_COLUMNS, stand_in_user
from ..queues import QUEUES_BY_SLUG, header_counters, queue_tickets, tally_query, text_search
from ..templatetags.estim import status_badge_html

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _positive(raw: str | None) -> int | None:
    """A whole number above zero from a query parameter, or None."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _page_size(raw: str | None) -> int:
    return min(_positive(raw) or PAGE_SIZE, MAX_PAGE_SIZE)


@login_required
def home(request):
    data = dashboard.report(request.user)
    chart_data = {
        "subCategory": {
            "labels": [row["name"] or _("(none)") for row in data["by_sub_category"]],
            "counts": [row["n"] for row in data["by_sub_category"]],
        },
        "status": {
            "labels": [row["label"] for row in data["by_status"]],
            "counts": [row["n"] for row in data["by_status"]],
        },
    }
    context = {
        **data,
        "total": sum(row["n"] for row in data["by_status"]),
        "chart_data": chart_data,
    }
    return render(request, "tickets/home.html", context)


@login_required
def queue(request, slug):
    definition = QUEUES_BY_SLUG.get(slug)
    if definition is None:
        raise Http404
    listed = queue_tickets(slug, request.user)
    filterset = TicketFilter(
        request.GET or None,
        queryset=listed,
        show=request.GET.get("filter") == "1",
    )
    sort = request.GET.get("sort", "")
    tickets = filterset.qs.order_by(*ordering_for(sort))
    # The header's counters and the queue's exact total (from the tallies or the tickets'
    # words where they can tell, else counted), in one round trip.
    values = filterset.values()
    text = text_search(slug, request.user, values)
    total = text.total() if text is not None else tally_query(slug, request.user, values)
    counters = header_counters(request.user, total=filterset.qs if total is None else total)
    known = counters.pop("total")
    per_page = _page_size(request.GET.get("per_page"))
    exact = filterset.exact_values() if filterset.is_bound else {}
    paginator = ReversiblePaginator(
        tickets,
        per_page,
        count=known,
        columns=lambda rows: rows.for_list(),
        near_rows=_near_rows(slug, sort, request.user, exact, per_page)
        if exact is not None and per_page == PAGE_SIZE
        else _text_rows(text, slug, request.user, per_page)
        if text is not None and sort in ("", "-opened")
        else None,
    )
    # A page number that is not a whole number above zero shows the first page; one past the
    # end shows the last.
    page = paginator.get_page(_positive(request.GET.get("page")) or 1)
    context = {
        "queue": definition,
        "filter": filterset,
        "page": page,
        "rows": table_rows(page.object_list),
        "sort": sort,
        "is_filtered": filterset.is_filtering(),
        "counters": counters,
    }
    return render(request, "tickets/queue.html", context)


def _ends(per_page: int, fetch):
    """near_rows for the paginator: the first or the last page, whose rows (of LIST_COLUMNS)
    ``fetch(limit, from_end)`` reads by other means, or None where it cannot; None for the
    other pages, which are read as usual."""

    def read(offset: int, limit: int, from_end: bool) -> list[dict] | None:
        if offset:
            return None
        if not limit:
            return []
        # A first page asks for a whole page, so its shape does not change with the list's
        # length, and keeps the rows the total counts (a ticket added since is left out).
        found = fetch(limit if from_end else per_page, from_end)
        if found is None:
            return None
        return [dict(zip(LIST_COLUMNS, row, strict=True)) for row in found[:limit]]

    return read


def _near_rows(slug: str, sort: str, user, exact: dict[str, object], per_page: int):
    """The ends of a queue unfiltered or filtered by exact values (a state, a category: the
    pages most asked for), read with a query compiled once per queue, sort, kind of user,
    filtered columns and page size (tickets/prepared.py)."""
    sees_all = user.sees_all_incidents()
    column = sort.lstrip("-")
    # One name per order ("--number" sorts as "-number"), so the compiled shapes stay few.
    sort = f"{'-' if sort.startswith('-') else ''}{column}" if column in SORTABLE else ""
    columns = tuple(sorted(exact))

    def fetch(limit: int, from_end: bool):
        def build(pk, groups, *values):
            stand_in = stand_in_user(pk, groups, sees_all=sees_all)
            chosen = dict(zip(columns, values, strict=True))
            tickets = queue_tickets(slug, stand_in).filter(**chosen)
            tickets = tickets.order_by(*ordering_for(sort))
            tickets = tickets.reverse() if from_end else tickets
            return tickets.values_list(*LIST_COLUMNS)[:limit]

        key = ("queue page", slug, sort, sees_all, limit, from_end, columns)
        values = [exact[name] for name in columns]
        return prepared.rows(key, build, user.pk, user.group_ids(), *values)

    return _ends(per_page, fetch)


def _text_rows(text, slug: str, user, per_page: int):
    """The ends of a text search in the lists' order, from the tickets' words
    (tickets/search_words.py), where the words can tell that order; read with a query
    compiled once per shape of the words' SQL (tickets/prepared.py)."""
    sees_all = user.sees_all_incidents()

    def fetch(limit: int, from_end: bool):
        newest = text.newest(limit, oldest=from_end)
        if newest is None:
            return None
        words_sql, words_params = newest

        def build(pk, groups, *values):
            stand_in = stand_in_user(pk, groups, sees_all=sees_all)
            tickets = queue_tickets(slug, stand_in).filter(pk__in=RawSQL(words_sql, values))
            tickets = tickets.order_by(*ordering_for(""))
            tickets = tickets.reverse() if from_end else tickets
            return tickets.values_list(*LIST_COLUMNS)

        key = ("text page", slug, sees_all, words_sql, from_end)
        return prepared.rows(key, build, user.pk, user.group_ids(), *words_params)

    return _ends(per_page, fetch)


def table_rows(tickets) -> SafeString:
    """The table rows of a list page, drawn in Python: a page of 50 rows of nine cells costs a
    template some 650 lookups and escapes, here one escape per value."""
    detail = reverse("tickets:detail", args=["NUMBER"])
    people, groups = names()
    priorities = {value: escape(str(label)) for value, label in Priority.choices}
    select = escape(_("Select"))
    vip = ' <span class="badge text-bg-warning">VIP</span>'
    zone = timezone.get_current_timezone()  # (looked up once, not once a row)
    html = []
    for row in tickets:
        number = escape(row["number"])
        html.append(
            f'<tr data-number="{number}">'
            f'<td><input class="form-check-input" type="checkbox" form="queue-form" name="numbers"'
            f' value="{number}" aria-label="{select} {number}"></td>'
            f'<td><a href="{escape(detail.replace("NUMBER", row["number"]))}">{number}</a>'
            f"{vip if row['is_vip'] else ''}</td>"
            f'<td class="estim-wrap">{escape(row["short_description"])}</td>'
            f"<td>{status_badge_html(row['status'])}</td>"
            f"<td>{escape(groups.get(row['assignment_group_id'], ''))}</td>"
            f"<td>{escape(people.get(row['opened_by_id'], ''))}</td>"
            f"<td>{priorities[row['priority']]}</td>"
            f"<td>{row['opened_at'].astimezone(zone):%d-%m-%Y %H:%M}</td>"
            f"<td>{escape(people.get(row['assigned_to_id'], ''))}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped (html.escape)


@login_required
def export_csv(request, slug):
    """The queue as CSV, with the filter and sort the page shows, streamed."""
    definition = QUEUES_BY_SLUG.get(slug)
    if definition is None:
        raise Http404
    filterset = TicketFilter(request.GET or None, queryset=queue_tickets(slug, request.user))
    tickets = filterset.qs.order_by(*ordering_for(request.GET.get("sort", "")))
    response = StreamingHttpResponse(csv_rows(tickets), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="incidents-{slug}-{stamp}.csv"'
    return response


@login_required
@require_POST
def bulk_pick_up(request, slug):
    if slug not in QUEUES_BY_SLUG:
        raise Http404
    numbers = request.POST.getlist("numbers")[:MAX_PAGE_SIZE]
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("tickets:queue", args=[slug])
    if not numbers:
        messages.error(request, _("Select at least one incident first."))
        return redirect(back)
    tickets = Ticket.objects.visible_to(request.user).filter(number__in=numbers)
    if request.POST.get("action") == "edit":
        # Edit opens one incident: the first ticked, in the list's order; the others are named
        # in a count, so that no one thinks they were all opened.
        visible = set(tickets.values_list("number", flat=True))
        chosen = [number for number in dict.fromkeys(numbers) if number in visible]
        if not chosen:
            raise Http404
        others = len(chosen) - 1
        if others:
            messages.info(
                request,
                ngettext(
                    "Opened %(number)s; the other selected incident was not opened.",
                    "Opened %(number)s; %(count)d other selected incidents were not opened.",
                    others,
                )
                % {"number": chosen[0], "count": others},
            )
        return redirect("tickets:detail", number=chosen[0])
    picked, refused = [], []
    for ticket in tickets.order_by("number"):
        try:
            workflow.pick_up_ticket(ticket, by=request.user)
            picked.append(ticket.number)
        except workflow.TransitionNotAllowed as refusal:
            refused.append(refusal.message)
    if picked:
        messages.success(
            request,
            ngettext(
                "Picked up %(numbers)s.", "Picked up %(count)d incidents: %(numbers)s.", len(picked)
            )
            % {"count": len(picked), "numbers": ", ".join(picked)},
        )
    for message in refused:
        messages.error(request, message)
    return redirect(back)
