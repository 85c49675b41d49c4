"""Production: the database's indexes, the health check, check --deploy, and bin/serve."""

import gzip
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse

from tickets.models import Ticket

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production process: none of the test run's ESTIM_ variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ESTIM_") and name != "DATABASE_URL"
    }
    env |= {
        "ESTIM_DEBUG": "false",
        "ESTIM_SECRET_KEY": secrets.token_urlsafe(50),
        "ESTIM_ALLOWED_HOSTS": "helpdesk.example.id",
        "DATABASE_URL": "postgres://estim:secret@db.example.id:5432/estim",
    }
    return env | overrides


# --- indexes ---------------------------------------------------------------------------------

# The queue indexes, written out independently of tickets/models.py: name -> (columns, orders).
QUEUE_INDEXES = {
    "ticket_group_queue_idx": (["assignment_group_id", "status", "opened_at"], "ASC ASC DESC"),
    "ticket_assignee_queue_idx": (
        ["assigned_to_id", "status", "opened_at", "assignment_group_id", "id"],
        "ASC ASC DESC ASC ASC",
    ),
    "ticket_opener_queue_idx": (
        ["opened_by_id", "status", "opened_at", "assignment_group_id", "id"],
        "ASC ASC DESC ASC ASC",
    ),
    "ticket_status_opened_idx": (["status", "opened_at"], "ASC DESC"),
    "ticket_opened_idx": (["opened_at"], "DESC"),
    "ticket_subcat_status_idx": (
        ["sub_category_id", "status", "opened_at", "id"],
        "ASC ASC DESC DESC",
    ),
    "ticket_vip_opened_idx": (["opened_at"], "DESC"),
}


def _ticket_indexes():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Ticket._meta.db_table)
    return {name: info for name, info in constraints.items() if info["index"]}


@pytest.mark.parametrize("name", QUEUE_INDEXES)
def test_queue_index_exists_in_the_database(name):
    columns, orders = QUEUE_INDEXES[name]
    index = _ticket_indexes()[name]
    assert (index["columns"], index["orders"]) == (columns, orders.split())


def test_no_single_column_index_duplicates_a_queue_index_or_serves_no_list():
    """Each index of the ticket table is planned for every query on it and updated on every
    write: a foreign key that a queue index begins with, or that no list filters by, has none
    of its own."""
    single = {
        info["columns"][0] for info in _ticket_indexes().values() if len(info["columns"]) == 1
    }
    unwanted = {
        "assigned_to_id",
        "assignment_group_id",
        "opened_by_id",
        "sub_category_id",
        "opened_by_group_id",
        "resolved_by_id",
        "resolved_by_group_id",
        "closed_by_id",
        "close_code_id",
        "incident_type_id",
        "location_id",
        "template_id",
        "vendor_id",
        "created_at",
    }
    assert not single & unwanted
    # What the Data Filter and the number and requester searches use stays.
    assert {"category_id", "item_category_id", "item_name_id", "nib", "nik"} <= single


def test_vip_index_covers_only_vip_tickets():
    if connection.vendor == "postgresql":
        sql = "SELECT indexdef FROM pg_indexes WHERE indexname = %s"
    else:
        sql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, ["ticket_vip_opened_idx"])
        [definition] = cursor.fetchone()
    assert re.search(r"WHERE \(?\"?is_vip\"?\)?", definition), definition


def test_number_prefix_search_has_a_pattern_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's LIKE is case-insensitive and uses no index for startswith")
    like = [info["columns"] for name, info in _ticket_indexes().items() if name.endswith("_like")]
    assert ["number"] in like and ["nib"] in like and ["nik"] in like


def test_the_ticket_tables_are_vacuumed_after_a_hundredth_changes():
    if connection.vendor != "postgresql":
        pytest.skip("autovacuum is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
            [["tickets_ticket", "tickets_ticketword"]],
        )
        options = dict(cursor.fetchall())
    for table in ("tickets_ticket", "tickets_ticketword"):
        assert "autovacuum_vacuum_scale_factor=0.01" in options[table]
        assert "autovacuum_vacuum_insert_scale_factor=0.01" in options[table]
        assert "autovacuum_analyze_scale_factor=0.02" in options[table]


def test_migrations_match_the_models():
    # Exits with status 1 if a model change (an index, say) has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# --- health check ------------------------------------------------------------------------------


def test_health_answers_ok_without_a_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("login")).status_code == 301
    assert client.get(reverse("health")).status_code == 200


# --- settings ----------------------------------------------------------------------------------


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_with_production_settings_reports_nothing():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("System check identified no issues"), result.stdout
    assert result.stderr == ""


def _setting(name: str, *, unset: tuple[str, ...] = (), **env: str) -> subprocess.CompletedProcess:
    """``settings.<name>`` as a production process started with ``env`` (and without the
    variables in ``unset``) sees it."""
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    environment = production_env(DJANGO_SETTINGS_MODULE="estim.settings", **env)
    for variable in unset:
        environment.pop(variable, None)
    return _run("-c", code, env=environment)


def test_debug_is_off_unless_set():
    assert _setting("DEBUG", unset=("ESTIM_DEBUG",)).stdout.strip() == "False"


@pytest.mark.parametrize(
    "key", [None, "", "insecure-development-key-change-me"], ids=["unset", "empty", "placeholder"]
)
def test_debug_off_refuses_a_missing_or_placeholder_secret_key(key):
    if key is None:
        result = _setting("SECRET_KEY", unset=("ESTIM_SECRET_KEY", "ESTIM_DEBUG"))
    else:
        result = _setting("SECRET_KEY", unset=("ESTIM_DEBUG",), ESTIM_SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: ESTIM_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("hosts", [None, "", " , "], ids=["unset", "empty", "only-commas"])
def test_debug_off_refuses_empty_allowed_hosts_naming_the_variable(hosts):
    if hosts is None:
        result = _setting("ALLOWED_HOSTS", unset=("ESTIM_ALLOWED_HOSTS", "ESTIM_DEBUG"))
    else:
        result = _setting("ALLOWED_HOSTS", unset=("ESTIM_DEBUG",), ESTIM_ALLOWED_HOSTS=hosts)
    assert result.returncode != 0
    assert "ImproperlyConfigured: ESTIM_ALLOWED_HOSTS must list the host names" in result.stderr


def test_allowed_hosts_come_from_the_environment():
    result = _setting("ALLOWED_HOSTS", ESTIM_ALLOWED_HOSTS="helpdesk.example.id, 10.1.2.3")
    assert result.stdout.strip() == "['helpdesk.example.id', '10.1.2.3']", result.stderr


def test_debug_on_needs_no_secret_key_and_serves_loopback_names():
    # make run: ESTIM_DEBUG=true and nothing else.
    result = _setting(
        "ALLOWED_HOSTS", unset=("ESTIM_SECRET_KEY", "ESTIM_ALLOWED_HOSTS"), ESTIM_DEBUG="true"
    )
    assert result.stdout.strip() == "['127.0.0.1', 'localhost', '[::1]', 'testserver']", (
        result.stderr
    )


@pytest.mark.parametrize(
    "workers, url_options, expected",
    [
        (None, "", "'options': '-c max_parallel_workers_per_gather=0'"),
        ("2", "", "'options': '-c max_parallel_workers_per_gather=2'"),
        (
            None,
            "?options=-c%20statement_timeout%3D5000",
            "'options': '-c statement_timeout=5000 -c max_parallel_workers_per_gather=0'",
        ),
        ("", "", "{}"),
    ],
    ids=["default", "set", "beside-url-options", "empty"],
)
def test_postgresql_connections_start_no_parallel_workers_unless_set(
    workers, url_options, expected
):
    env = {"DATABASE_URL": f"postgres://estim@127.0.0.1:5432/estim{url_options}"}
    if workers is not None:
        env["ESTIM_DB_PARALLEL_WORKERS"] = workers
    result = _setting("DATABASES['default']['OPTIONS']", **env)
    assert expected in result.stdout, result.stderr


def test_negative_parallel_workers_stop_startup_naming_the_variable():
    result = _setting(
        "DATABASES",
        DATABASE_URL="postgres://estim@127.0.0.1:5432/estim",
        ESTIM_DB_PARALLEL_WORKERS="-1",
    )
    assert "ImproperlyConfigured: ESTIM_DB_PARALLEL_WORKERS must be 0 or more" in result.stderr


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's setting")
def test_the_database_connection_runs_queries_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_the_default_database_is_sqlite_beside_manage_py():
    result = _setting("DATABASES['default']", unset=("DATABASE_URL",))
    database = result.stdout.strip()
    assert "'ENGINE': 'django.db.backends.sqlite3'" in database, result.stderr
    assert f"'NAME': '{BASE_DIR / 'db.sqlite3'}'" in database
    assert "'transaction_mode': 'IMMEDIATE'" in database


def test_a_login_lasts_12_hours_unless_set(client, l1_agent):
    response = client.post(
        reverse("login"), {"username": l1_agent.username, "password": "secret-pass-123"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 60 * 60
    assert client.session.get_expiry_age() == 12 * 60 * 60
    assert _setting("SESSION_COOKIE_AGE", ESTIM_SESSION_HOURS="8").stdout.strip() == "28800"


@pytest.mark.parametrize("hours", ["0", "half a day"])
def test_a_session_length_that_is_not_a_positive_whole_number_stops_startup(hours):
    result = _setting("SESSION_COOKIE_AGE", ESTIM_SESSION_HOURS=hours)
    assert result.returncode != 0
    assert "ImproperlyConfigured: ESTIM_SESSION_HOURS must be" in result.stderr


def test_times_are_shown_in_jakarta_unless_set():
    result = _setting("TIME_ZONE, settings.USE_TZ", unset=("ESTIM_TIME_ZONE",))
    assert result.stdout.strip() == "Asia/Jakarta True", result.stderr
    assert _setting("TIME_ZONE", ESTIM_TIME_ZONE="Asia/Makassar").stdout.strip() == "Asia/Makassar"


def test_proxy_ssl_header_is_read_from_the_environment():
    result = _setting(
        "SECURE_PROXY_SSL_HEADER", ESTIM_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https"
    )
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


def test_malformed_proxy_ssl_header_stops_startup_naming_the_variable():
    result = _setting("SECURE_PROXY_SSL_HEADER", ESTIM_SECURE_PROXY_SSL_HEADER="https")
    assert result.returncode != 0
    assert "ESTIM_SECURE_PROXY_SSL_HEADER must look like" in result.stderr


def test_https_redirect_can_be_turned_off_behind_a_proxy_that_redirects():
    assert _setting("SECURE_SSL_REDIRECT").stdout.strip() == "True"
    assert _setting("SECURE_SSL_REDIRECT", ESTIM_SSL_REDIRECT="off").stdout.strip() == "False"


# --- the production server -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """bin/serve running in the background on a port of 127.0.0.1."""

    def __init__(self, port: int, static_root: Path):
        self.port = port
        self.static_root = static_root

    def get(self, path: str, **headers: str):
        """One request, redirects not followed: (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def get_https(self, path: str, **headers: str):
        """A request as a TLS proxy on this host forwards it (gunicorn trusts 127.0.0.1)."""
        return self.get(path, **{"X-Forwarded-Proto": "https", **headers})


@pytest.fixture(scope="module")
def serve_database_url(tmp_path_factory, django_db_setup, django_db_blocker):
    """A new, empty database for bin/serve to migrate: PostgreSQL when the suite runs there."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('serve') / 'db.sqlite3'}"
        return
    name = f"estim_serve_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    login = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield f"postgres://{login}@{db['HOST']}:{db['PORT']}/{name}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, serve_database_url):
    """bin/serve with production settings: migrate, collectstatic, gunicorn with two workers."""
    folder = tmp_path_factory.mktemp("production")
    server = Server(_free_port(), folder / "static")
    env = production_env(
        DATABASE_URL=serve_database_url,
        ESTIM_ALLOWED_HOSTS="127.0.0.1",
        ESTIM_STATIC_ROOT=str(server.static_root),
        ESTIM_BIND=f"127.0.0.1:{server.port}",
        ESTIM_WEB_WORKERS="2",
    )
    log_path = folder / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BASE_DIR / "bin" / "serve")],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(server, process, log_path)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_up(server: Server, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"bin/serve stopped with {process.returncode}:\n{log_path.read_text()}")
        try:
            if server.get("/health/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"bin/serve did not answer within 60 s:\n{log_path.read_text()}")


def test_production_server_answers_the_health_check_over_plain_http(production_server):
    status, _, body = production_server.get("/health/")
    assert (status, json.loads(body)) == (200, {"status": "ok"})


def test_production_server_redirects_plain_http_to_https(production_server):
    status, headers, _ = production_server.get("/login/")
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{production_server.port}/login/"


def test_production_server_serves_the_login_page_with_hashed_static_files(production_server):
    status, headers, body = production_server.get_https("/login/")
    assert status == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert re.search(rb'href="/static/css/estim\.[0-9a-f]{12}\.css"', body)


def test_production_server_serves_static_files_compressed_and_cached(production_server):
    manifest = json.loads((production_server.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/estim.css"]
    status, headers, body = production_server.get_https(
        f"/static/{hashed}", **{"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert gzip.decompress(body) == (production_server.static_root / hashed).read_bytes()
