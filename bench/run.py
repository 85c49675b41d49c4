"""The benchmark: server time and SQL queries of the agent pages on a large database.

    .venv/bin/python bench/run.py                     # PostgreSQL if DATABASE_URL says so
    .venv/bin/python bench/run.py --incidents 50000   # a smaller database (e.g. SQLite)

It tops the database up to N incidents (seed_demo's generator), logs in as an L1 agent, an L2
agent and a vendor's L2 agent, and times every page in-process (Django's test client: the
whole request through middleware, view, queries and template, without network) over many
requests after a warm-up. A minimal page of ours that renders 50 rows from one indexed query
is timed alone and then before every request of every page, and each page is compared with
the floor of its own minute, so results read as ratios that hold on a noisy machine (whose
speed drifts within a run). Results go to bench/results/ as Markdown and JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "estim.settings")
os.environ.setdefault("ESTIM_DEBUG", "false")
os.environ.setdefault("ESTIM_SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef")
# Django's test client sends "Host: testserver".
os.environ.setdefault("ESTIM_ALLOWED_HOSTS", "testserver")
os.environ["ESTIM_SSL_REDIRECT"] = "false"
os.environ.setdefault("ESTIM_STATIC_MANIFEST", "false")

import django  # noqa: E402

django.setup()

from django.contrib.messages.storage.cookie import CookieStorage  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import AssignmentGroup, User  # noqa: E402
from taxonomy.models import Category  # noqa: E402
from tickets import workflow  # noqa: E402
from tickets.demo_data import generate  # noqa: E402
from tickets.models import CloseCode, Note, Ticket  # noqa: E402
from tickets.queues import queue_tickets  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# The NIBs and requesters of the tickets the bench makes (the incident with a long history,
# Create New): searches look for those of the generated data instead, as the bench's own
# gather more tickets with every run.
BENCH_NIBS = ("1234567890123", "9876543210123")
BENCH_REQUESTERS = ("Budi Santoso", "Siti Rahma")
# Targets of the performance issue, as multiples of the floor page's median.
MEDIAN_LIMIT = 3.0
P95_LIMIT = 6.0
MAX_QUERIES = 12


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def post(client: Client, url: str, data: dict):
    """A form posted as a browser posts it (urlencoded). A browser then follows the redirect,
    whose page shows and drops the message the POST left; the bench does not, so it drops
    the message itself, lest every POST carry all those before it."""
    response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    client.cookies.pop(CookieStorage.cookie_name, None)
    return response


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


class Bench:
    def __init__(self, requests: int, warmup: int):
        self.requests = requests
        self.warmup = warmup
        self.rows: list[dict] = []
        # The floor page's request, timed between the requests of every page (see measure).
        self.floor = None

    def measure(self, name: str, call, *, who: str, per_request=None) -> dict:
        """Time ``call`` (which performs one request and returns the response).

        Each of its requests follows two of the floor page (the second timed), and the page is
        compared with the floor timed in the same minute: this machine's speed drifts by a
        third within a run, and a floor timed once at the start would read such a drift as
        the pages' own."""
        for _ in range(self.warmup):
            call()
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
        ):
            response = call()
        status = response.status_code
        times, floor_times = [], []
        for _ in range(self.requests):
            if self.floor is not None:
                # Twice, the second one timed: the first after the page's last request finds
                # the processor's caches full of that page, which would slow the floor.
                self.floor()
                started = time.perf_counter()
                self.floor()
                floor_times.append((time.perf_counter() - started) * 1000)
            if per_request:
                per_request()
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        row = {
            "page": name,
            "as": who,
            "status": status,
            "queries": len(queries),
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "requests": len(times),
            "floor_ms": round(statistics.median(floor_times or times), 2),
        }
        self.rows.append(row)
        print(
            f"  {name:48s} {who:8s} {status} q={row['queries']:2d} "
            f"median {row['median_ms']:7.2f} ms  p95 {row['p95_ms']:7.2f} ms",
            flush=True,
        )
        return row


def ticket_with_history(l1: User, l2_group: AssignmentGroup, size: int) -> Ticket:
    """An incident with ``size`` notes and ``size`` history rows."""
    leaf = Category.objects.filter(level=4).select_related("parent__parent__parent").first()
    ticket = workflow.create_ticket(
        by=l1,
        short_description="Benchmark: incident with a long history",
        category=leaf.parent.parent.parent,
        sub_category=leaf.parent.parent,
        item_category=leaf.parent,
        item_name=leaf,
        contact_type="email",
        impact=1,
        urgency=3,
        requested_by=BENCH_REQUESTERS[0],
        company_name="PT Maju Jaya",
        nib=BENCH_NIBS[0],
        email="budi@example.co.id",
    )
    for n in range(size - 1):
        workflow.update_ticket(ticket, by=l1, changes={"building": f"Gedung {n}"})
    for n in range(size):
        workflow.add_note(
            ticket, by=l1, visibility=Note.Visibility.WORK_NOTE, body=f"Catatan kerja {n}"
        )
    return ticket


def fresh_tickets(l1: User, group: AssignmentGroup, count: int) -> list[Ticket]:
    category = Category.objects.filter(level=1).first()
    return [
        workflow.create_ticket(
            by=l1,
            short_description=f"Benchmark ticket {n}",
            category=category,
            contact_type="phone",
            impact=2,
            urgency=2,
            assignment_group=group,
        )
        for n in range(count)
    ]


def settle(first_own: int, by: User) -> None:
    """Close (Resolved) or cancel (the others) the open tickets the run made, so that the next
    run finds the agent's own queues and counters as this one did: a run makes some 170
    tickets, opened by the L1 agent and many of them assigned to them."""
    close_code = CloseCode.objects.filter(is_active=True).first()
    for ticket in Ticket.objects.filter(pk__gte=first_own).open().order_by("pk"):
        if ticket.status == Ticket.Status.RESOLVED:
            workflow.close_ticket(
                ticket, by=by, close_code=close_code, close_notes="Benchmark ticket."
            )
        else:
            workflow.cancel_ticket(ticket, by=by, reason="Benchmark ticket.")


def resident_mb() -> float:
    """This process's resident memory (Linux), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def csv_export(client: Client, url: str) -> dict:
    """Stream a CSV export: time to the first bytes, total time, memory growth."""
    rss_before = peak_rss = resident_mb()
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url)
    stream = iter(response.streaming_content)
    first = next(stream)
    first_ms = (time.perf_counter() - started) * 1000
    size, lines = len(first), first.count(b"\n")
    for chunk in stream:
        size += len(chunk)
        lines += chunk.count(b"\n")
        if lines % 5000 == 0:
            peak_rss = max(peak_rss, resident_mb())
    total_ms = (time.perf_counter() - started) * 1000
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_rss = max(peak_rss, resident_mb())
    return {
        "rows": lines - 1,
        "first_bytes_ms": round(first_ms, 1),
        "total_ms": round(total_ms),
        "megabytes": round(size / 1e6, 1),
        "peak_python_memory_mb": round(peak / 1e6, 1),
        "resident_growth_mb": round(peak_rss - rss_before, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor = connection.vendor
    parser.add_argument(
        "--incidents", type=int, default=1_000_000 if vendor == "postgresql" else 50_000
    )
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    have = Ticket.objects.count()
    if have < args.incidents:
        print(f"Adding {args.incidents - have:,} incidents to {have:,} ...", flush=True)
        started = time.monotonic()
        generate(args.incidents - have)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    total = Ticket.objects.count()
    # Tickets after this one are the run's own; they are closed or cancelled at the end.
    first_own = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    l1 = User.objects.get(username="l1.agent")
    l2_group = AssignmentGroup.objects.get(name="L2 BKPM")
    l1_group = AssignmentGroup.objects.get(name="Helpcenter L1 BKPM")
    print(f"{total:,} incidents on {vendor}; preparing tickets ...", flush=True)
    long_ticket = ticket_with_history(l1, l2_group, 50)
    to_pick = iter(fresh_tickets(l1, l1_group, args.requests + args.warmup + 2))
    to_resolve = fresh_tickets(l1, l1_group, args.requests + args.warmup + 2)
    for ticket in to_resolve:
        workflow.pick_up_ticket(ticket, by=l1)
    # Numbers and versions read here, so the timed requests count only their own queries.
    to_resolve_iter = iter(
        Ticket.objects.filter(pk__in=[t.pk for t in to_resolve])
        .order_by("pk")
        .values_list("number", "version")
    )
    sub = Category.objects.get_by_natural_key("TEKNOLOGI INFORMASI", "SISTEM OSS")
    sample = (
        Ticket.objects.exclude(nib__in=["", *BENCH_NIBS])
        .order_by("-opened_at")
        .values_list("nib", flat=True)[1000]
    )
    leaf = Category.objects.get_by_natural_key(
        "TEKNOLOGI INFORMASI", "SISTEM OSS", "LOGIN/HAK AKSES INVESTOR", "TIDAK BISA LOGIN"
    )
    person = (
        Ticket.objects.exclude(requested_by__in=["", *BENCH_REQUESTERS])
        .order_by("-opened_at")
        .values_list("requested_by", flat=True)[2000]
    )

    bench = Bench(args.requests, args.warmup)
    clients = {who: client_for(who) for who in ("l1.agent", "l2.bkpm", "l2.indosat")}
    l1c = clients["l1.agent"]
    my_group = reverse("tickets:queue", args=["my-group"])
    my_group_size = queue_tickets("my-group", l1).count()
    my_group_pages = max(1, -(-my_group_size // 50))

    print("Pages:", flush=True)
    # E-mails of the timed actions (resolution notices) are kept in memory, not printed.
    with override_settings(
        ROOT_URLCONF="bench.urls", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    ):
        floor = bench.measure(
            "floor: 50 rows, one indexed query", lambda: l1c.get("/bench/floor/"), who="l1.agent"
        )
        bench.floor = lambda: l1c.get("/bench/floor/")
        for who, client in clients.items():
            bench.measure("My Homepage", lambda c=client: c.get(reverse("tickets:home")), who=who)
            bench.measure("Assigned To My Group, page 1", lambda c=client: c.get(my_group), who=who)
        bench.measure(
            f"Assigned To My Group, last page ({my_group_pages} of {my_group_size:,} rows)",
            lambda: l1c.get(f"{my_group}?page={my_group_pages}"),
            who="l1.agent",
        )
        bench.measure(
            "Assigned To Me",
            lambda: l1c.get(reverse("tickets:queue", args=["assigned-to-me"])),
            who="l1.agent",
        )
        all_url = reverse("tickets:queue", args=["all"])
        for who in ("l1.agent", "l2.indosat"):
            bench.measure(
                "All Incident by state and sub category",
                lambda c=clients[who]: c.get(f"{all_url}?state=in_progress&sub_category={sub.pk}"),
                who=who,
            )
        bench.measure(
            "Search by NIB", lambda: l1c.get(f"{all_url}?requester={sample}"), who="l1.agent"
        )
        bench.measure(
            "Search by text: a word in 1 of 12 tickets",
            lambda: l1c.get(f"{all_url}?text=notifikasi"),
            who="l1.agent",
        )
        bench.measure(
            "Search by text: three common words",
            lambda: l1c.get(f"{all_url}?text={quote('tidak bisa login')}"),
            who="l1.agent",
        )
        bench.measure(
            "Search by text: a person's name",
            lambda: l1c.get(f"{all_url}?text={quote(person)}"),
            who="l1.agent",
        )
        detail = reverse("tickets:detail", args=[long_ticket.number])
        bench.measure(
            "Incident page (50 notes, 50 history rows)", lambda: l1c.get(detail), who="l1.agent"
        )
        create_url = reverse("tickets:create")
        bench.measure("Create New (GET)", lambda: l1c.get(create_url), who="l1.agent")
        form = {
            "short_description": "Tidak bisa login OSS",
            "category": leaf.parent.parent.parent_id,
            "sub_category": leaf.parent.parent_id,
            "item_category": leaf.parent_id,
            "item_name": leaf.pk,
            "contact_type": "email",
            "impact": 1,
            "urgency": 3,
            "requested_by": BENCH_REQUESTERS[1],
            "company_name": "PT Sinar Abadi",
            "nib": BENCH_NIBS[1],
            "email": "siti@example.co.id",
        }
        bench.measure("Create New (POST)", lambda: post(l1c, create_url, form), who="l1.agent")

        def pick_up():
            ticket = next(to_pick)
            return post(
                l1c,
                reverse("tickets:act", args=[ticket.number, "pick-up"]),
                {"version": ticket.version},
            )

        bench.measure("Pick Up (POST)", pick_up, who="l1.agent")

        def resolve():
            number, version = next(to_resolve_iter)
            return post(
                l1c,
                reverse("tickets:act", args=[number, "resolve"]),
                {"version": version, "resolution": "Password direset."},
            )

        bench.measure("Resolve (POST)", resolve, who="l1.agent")

    settle(first_own, l1)

    # A date range holding about the asked number of rows, newest first.
    edge = Ticket.objects.order_by("-opened_at").values_list("opened_at", flat=True)[
        min(args.export_rows, total) - 1
    ]
    since = timezone.localtime(edge).date().isoformat()
    export = csv_export(l1c, reverse("tickets:export_csv", args=["all"]) + f"?opened_from={since}")
    print(f"  CSV export: {export}", flush=True)

    floor_median = floor["median_ms"]
    for row in bench.rows:
        row["median_x_floor"] = round(row["median_ms"] / row["floor_ms"], 2)
        row["p95_x_floor"] = round(row["p95_ms"] / row["floor_ms"], 2)
        row["ok"] = (
            row["median_x_floor"] <= MEDIAN_LIMIT
            and row["p95_x_floor"] <= P95_LIMIT
            and row["queries"] <= MAX_QUERIES
        ) or row["page"].startswith("floor")
    first = next(r for r in bench.rows if r["page"] == "Assigned To My Group, page 1")
    last = next(r for r in bench.rows if r["page"].startswith("Assigned To My Group, last"))
    report = {
        "when": timezone.localtime().isoformat(timespec="seconds"),
        "label": args.label,
        "database": vendor,
        "incidents": total,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "requests_per_page": args.requests,
        "floor_median_ms": floor_median,
        "floor_range_ms": [
            min(row["floor_ms"] for row in bench.rows),
            max(row["floor_ms"] for row in bench.rows),
        ],
        "last_page_x_first": round(last["median_ms"] / first["median_ms"], 2),
        "pages": bench.rows,
        "csv_export": export,
    }
    write(report)
    return 0


def write(report: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M")
    name = f"{stamp}-{report['database']}-{report['incidents']}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=1))
    lines = [
        f"# Benchmark {report['when']} {report['label']}".rstrip(),
        "",
        f"{report['incidents']:,} incidents on {report['database']}; {report['machine']}; "
        f"{report['requests_per_page']} timed requests per page after a warm-up; server time "
        "in-process. Targets: median <= 3x the floor's median, p95 <= 6x, at most 12 queries.",
        "",
        f"Floor (50 rows from one indexed query): median {report['floor_median_ms']} ms alone; "
        f"timed between each page's requests, {report['floor_range_ms'][0]} to "
        f"{report['floor_range_ms'][1]} ms (column floor ms, which the ratios divide by). "
        f"Last page of Assigned To My Group / first page: {report['last_page_x_first']}x.",
        "",
        "| page | as | status | queries | median ms | p95 ms | floor ms | median / floor "
        "| p95 / floor | ok |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in report["pages"]:
        lines.append(
            f"| {row['page']} | {row['as']} | {row['status']} | {row['queries']} | "
            f"{row['median_ms']} | {row['p95_ms']} | {row['floor_ms']} | "
            f"{row['median_x_floor']} | {row['p95_x_floor']} | {'yes' if row['ok'] else 'NO'} |"
        )
    export = report["csv_export"]
    lines += [
        "",
        f"CSV export: {export['rows']:,} rows ({export['megabytes']} MB) streamed; first bytes "
        f"after {export['first_bytes_ms']} ms, all after {export['total_ms']} ms; the process's "
        f"resident memory grew by {export['resident_growth_mb']} MB (Python's own allocations "
        f"peaked at {export['peak_python_memory_mb']} MB).",
        "",
    ]
    text = "\n".join(lines)
    (RESULTS / f"{name}.md").write_text(text)
    (RESULTS / f"latest-{report['database']}.md").write_text(text)
    print(f"\nWrote bench/results/{name}.md and .json")


if __name__ == "__main__":
    sys.exit(main())
