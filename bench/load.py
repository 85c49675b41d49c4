"""A bounded load test: 20 simulated agents working the queues through gunicorn.

    .venv/bin/python bench/load.py --seconds 60      # at most 120 seconds, on 127.0.0.1 only

It starts the production server (bin/serve) on a free port of 127.0.0.1 against the database
in DATABASE_URL, measures the floor page through it unloaded, then lets the agents loop over
their queues, pages of them, filters and incident pages until the time is up, measures the
floor again once they are gone, and stops the server. It reports failures and latency
(median, p95) against the floor's median over both.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("ESTIM_SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef")
os.environ.setdefault("ESTIM_DEBUG", "false")
os.environ["ESTIM_SSL_REDIRECT"] = "false"
os.environ["ESTIM_SECURE_COOKIES"] = "false"
os.environ["ESTIM_ALLOWED_HOSTS"] = "127.0.0.1"
os.environ.setdefault("ESTIM_STATIC_MANIFEST", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from accounts.models import User  # noqa: E402
from tickets.models import Ticket  # noqa: E402
from tickets.queues import queue_tickets  # noqa: E402

MAX_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def agent_paths(user: User) -> list[str]:
    """The pages one agent keeps opening: its queues, deeper pages, filters, incidents."""
    paths = [
        "/",
        "/queues/my-group/",
        "/queues/assigned-to-me/",
        "/queues/my-open/",
        "/queues/all/?state=in_progress",
        "/queues/open/?sort=priority",
    ]
    size = queue_tickets("my-group", user).count()
    pages = max(1, -(-size // 50))
    paths += [f"/queues/my-group/?page={random.randint(1, pages)}" for _ in range(3)]
    paths.append(f"/queues/my-group/?page={pages}")
    numbers = list(
        queue_tickets("my-group", user).order_by("-opened_at").values_list("number", flat=True)[:20]
    )
    paths += [f"/incidents/{number}/" for number in numbers[:6]]
    return paths


class Agent(threading.Thread):
    def __init__(self, port, cookie, paths, until, results, think: tuple[float, float]):
        super().__init__(daemon=True)
        self.port, self.cookie, self.paths, self.until, self.results = (
            port,
            cookie,
            paths,
            until,
            results,
        )
        self.think = think

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        rng = random.Random(id(self))
        # Agents start one think time apart, as they come to their desks, not all at once.
        time.sleep(rng.uniform(*self.think))
        while time.monotonic() < self.until:
            path = rng.choice(self.paths)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": self.cookie})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = f"error: {error.__class__.__name__}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.results.append((path, status, (time.perf_counter() - started) * 1000))
            time.sleep(rng.uniform(*self.think))  # an agent reads before clicking again
        conn.close()


def timed_get(port: int, cookie: str, path: str, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return times


def _slowest(results: list, count: int = 5) -> list[dict]:
    """The pages with the highest p95, to see where the time goes."""
    by_path: dict[str, list[float]] = {}
    for path, _status, ms in results:
        by_path.setdefault(path.split("?page=")[0], []).append(ms)
    rows = [
        {
            "page": path,
            "requests": len(times),
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))], 1),
        }
        for path, times in by_path.items()
    ]
    return sorted(rows, key=lambda row: -row["p95_ms"])[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: default)")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds an agent reads a page before the next click (default 1 to 3)",
    )
    args = parser.parse_args()
    seconds = min(args.seconds, MAX_SECONDS)

    agents = list(
        User.objects.filter(assignment_groups__isnull=False, is_active=True)
        .distinct()
        .order_by("username")[: args.agents]
    )
    print(f"{Ticket.objects.count():,} incidents; {len(agents)} agents; preparing ...", flush=True)
    sessions = [(session_cookie(user), agent_paths(user)) for user in agents]

    port = free_port()
    env = dict(
        os.environ,
        ESTIM_BIND=f"127.0.0.1:{port}",
        ESTIM_STATIC_ROOT=tempfile.mkdtemp(prefix="estim-static-"),
    )
    if args.workers:
        env["ESTIM_WEB_WORKERS"] = str(args.workers)
    server = subprocess.Popen(
        ["bash", str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            print(server.stderr.read().decode() if server.stderr else "", file=sys.stderr)
            raise SystemExit("gunicorn did not start")
        cookie = sessions[0][0]
        timed_get(port, cookie, "/bench/floor/", 10)
        before = timed_get(port, cookie, "/bench/floor/", 50)
        print(f"floor through gunicorn, unloaded: median {statistics.median(before):.2f} ms")
        results: list = []
        until = time.monotonic() + seconds
        threads = [Agent(port, c, p, until, results, tuple(args.think)) for c, p in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 60)
        # Timed again once the agents are gone: the machine's speed drifts within a run.
        after = timed_get(port, cookie, "/bench/floor/", 50)
        print(f"floor again, unloaded: median {statistics.median(after):.2f} ms", flush=True)
        floor = statistics.median(before + after)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    times = [ms for _path, status, ms in results]
    failures = [(p, s) for p, s, _ms in results if s != 200]
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    report = {
        "incidents": Ticket.objects.count(),
        "agents": len(threads),
        "seconds": seconds,
        "think_seconds": list(args.think),
        "requests": len(results),
        "requests_per_second": round(len(results) / seconds, 1),
        "failures": len(failures),
        "failure_examples": failures[:5],
        "floor_median_ms": round(floor, 2),
        "floor_before_after_ms": [
            round(statistics.median(before), 2),
            round(statistics.median(after), 2),
        ],
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(p95, 2),
        "p95_x_floor": round(p95 / floor, 2),
        "target_met": not failures and p95 <= 5 * floor,
        "slowest_pages": _slowest(results),
    }
    print(json.dumps(report, indent=1))
    out = ROOT / "bench" / "results" / f"load-{time.strftime('%Y%m%d-%H%M')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
