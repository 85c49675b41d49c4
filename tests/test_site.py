"""The site answers: login page, login required, and Django admin for the main models."""

import functools
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import TicketEventFactory, TicketFactory
from tests.html_checks import (
    inline_styles,
    post_forms_without_csrf,
    script_problems,
    strict_script_policy,
)
from tests.test_production import _run, _setting, production_env

pytestmark = pytest.mark.django_db


def test_login_page_is_served(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'name="password"' in response.content


def test_pages_need_a_login(client):
    response = client.get(reverse("tickets:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_agent_logs_in_with_the_form(client, l1_agent):
    response = client.post(
        reverse("login"), {"username": l1_agent.username, "password": "secret-pass-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("tickets:home")).status_code == 200


def test_wrong_password_shows_an_error_and_keeps_the_username(client, l1_agent):
    response = client.post(reverse("login"), {"username": l1_agent.username, "password": "nope"})
    assert response.status_code == 200
    assert b"alert-danger" in response.content
    assert f'value="{l1_agent.username}"'.encode() in response.content


@pytest.mark.parametrize(
    "name",
    [
        "admin:taxonomy_category_changelist",
        "admin:accounts_assignmentgroup_changelist",
        "admin:accounts_company_changelist",
        "admin:accounts_user_changelist",
        "admin:tickets_ticket_changelist",
        "admin:tickets_ticketevent_changelist",
        "admin:tickets_closecode_changelist",
        "admin:tickets_template_changelist",
        "admin:taxonomy_category_export",
        "admin:taxonomy_category_import",
    ],
)
def test_admin_lists_are_served(admin_client, name):
    call_command("loaddata", "taxonomy", "reference", verbosity=0)
    TicketEventFactory()
    assert admin_client.get(reverse(name)).status_code == 200


def test_admin_shows_an_incident_with_its_history_read_only(admin_client, l1_agent):
    ticket = TicketFactory(short_description="Cannot log in")
    TicketEventFactory(ticket=ticket, action="create", actor=l1_agent)
    response = admin_client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    assert response.status_code == 200
    assert b"Cannot log in" in response.content
    assert b"Created" in response.content
    assert b'name="_save"' not in response.content


def test_admin_cannot_add_or_delete_history(admin_client):
    event = TicketEventFactory()
    assert admin_client.get(reverse("admin:tickets_ticketevent_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:tickets_ticketevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_admin_is_for_staff_only(l1_client):
    response = l1_client.get(reverse("admin:index"))
    assert response.status_code == 302


def _fail_login(client, username, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address
    )


def test_repeated_failed_logins_lock_the_account(client, l1_agent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail_login(client, l1_agent.username).status_code == 200
    locked = _fail_login(client, l1_agent.username)
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    # Even the right password is refused now, from another address too.
    response = client.post(
        reverse("login"),
        {"username": l1_agent.username, "password": "secret-pass-123"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429


def test_repeated_failed_logins_lock_the_address(client, l1_agent, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail_login(client, f"nobody{n}", address="10.9.9.9")
    response = client.post(
        reverse("login"),
        {"username": l1_agent.username, "password": "secret-pass-123"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 429


# What the login throttling reads the client's address with (django-axes, django-ipware).
ADDRESS_SETTINGS = (
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "AXES_IPWARE_PROXY_COUNT",
    "AXES_IPWARE_PROXY_ORDER",
    "AXES_IPWARE_PROXY_TRUSTED_IPS",
    "IPWARE_STRICT",
)
PROXY = "127.0.0.1"


@functools.cache
def address_settings(proxy_count: str) -> dict:
    """The address settings of a production process started with ESTIM_PROXY_COUNT."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {ADDRESS_SETTINGS!r}}}))"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="estim.settings", ESTIM_PROXY_COUNT=proxy_count)
    result = _run("-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def behind_one_proxy(settings):
    for name, value in address_settings("1").items():
        setattr(settings, name, value)


def _login_through_proxy(client, username, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(
    client, l1_agent, settings, behind_one_proxy
):
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _login_through_proxy(client, f"nobody{n}", "wrong", "10.0.0.1")
    assert response.status_code == 429
    response = _login_through_proxy(client, l1_agent.username, "secret-pass-123", "10.0.0.2")
    assert response.status_code == 302


def test_behind_a_proxy_an_address_a_client_writes_into_the_header_is_skipped(
    client, l1_agent, settings, behind_one_proxy
):
    # The proxy appends the address it sees to whatever the client sent.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login_through_proxy(client, f"nobody{n}", "wrong", f"10.5.5.{n}, 10.0.0.1")
    response = _login_through_proxy(client, "nobody", "wrong", "10.5.5.99, 10.0.0.1")
    assert response.status_code == 429
    response = _login_through_proxy(client, l1_agent.username, "secret-pass-123", "10.0.0.2")
    assert response.status_code == 302


def test_behind_two_proxies_the_client_is_the_second_address_from_the_end(
    client, l1_agent, settings
):
    for name, value in address_settings("2").items():
        setattr(settings, name, value)
    load_balancer = "10.20.0.1"
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login_through_proxy(
            client, f"nobody{n}", "wrong", f"10.5.5.{n}, 10.0.0.1, {load_balancer}"
        )
    response = _login_through_proxy(client, "nobody", "wrong", f"10.0.0.1, {load_balancer}")
    assert response.status_code == 429
    response = _login_through_proxy(
        client, l1_agent.username, "secret-pass-123", f"10.0.0.2, {load_balancer}"
    )
    assert response.status_code == 302


def test_without_a_proxy_setting_x_forwarded_for_is_ignored(client, l1_agent, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login_through_proxy(client, f"nobody{n}", "wrong", f"10.0.0.{n}")
    response = _login_through_proxy(client, l1_agent.username, "secret-pass-123", "10.0.0.99")
    assert response.status_code == 429


@pytest.mark.parametrize("count", ["-1", "one"])
def test_a_malformed_proxy_count_stops_startup_naming_the_variable(count):
    result = _setting("AXES_IPWARE_PROXY_COUNT", ESTIM_PROXY_COUNT=count)
    assert result.returncode != 0
    assert "ImproperlyConfigured: ESTIM_PROXY_COUNT must be" in result.stderr


def test_pages_carry_a_content_security_policy_without_inline_scripts(l1_client):
    response = l1_client.get(reverse("tickets:home"))
    assert strict_script_policy(response)
    assert script_problems(response.content.decode()) == []


# --- every page under the Content-Security-Policy ------------------------------------------


@pytest.fixture
def every_kind_of_ticket(l1_agent, l1_group):
    """Incidents in the states whose pages differ: editable, resolved (closure form), closed."""
    call_command("loaddata", "taxonomy", "reference", verbosity=0)
    from taxonomy.models import Category
    from tickets import workflow
    from tickets.models import Ticket

    new = workflow.create_ticket(
        by=l1_agent,
        category=Category.objects.filter(level=1).first(),
        short_description="Tidak bisa login",
        contact_type=Ticket.ContactType.EMAIL,
        impact=Ticket.Impact.LOW,
        urgency=Ticket.Urgency.LOW,
    )
    resolved = TicketFactory(assignment_group=l1_group, status=Ticket.Status.RESOLVED)
    on_hold = TicketFactory(assignment_group=l1_group, status=Ticket.Status.ON_HOLD)
    closed = TicketFactory(assignment_group=l1_group, status=Ticket.Status.CLOSED)
    return {"new": new, "resolved": resolved, "on_hold": on_hold, "closed": closed}


def _our_pages(tickets):
    urls = [reverse("tickets:home"), reverse("tickets:create")]
    urls += [
        reverse("tickets:queue", args=[slug])
        for slug in ("my-group", "assigned-to-me", "my-open", "open", "vip", "all")
    ]
    for ticket in tickets.values():
        urls += [
            reverse("tickets:detail", args=[ticket.number]),
            reverse("tickets:print", args=[ticket.number]),
        ]
    actions = {
        "new": ["pick-up", "assign", "cancel"],
        "resolved": ["close", "reopen", "pick-up"],
        "on_hold": ["resume", "resolve"],
    }
    for state, slugs in actions.items():
        urls += [reverse("tickets:act", args=[tickets[state].number, slug]) for slug in slugs]
    return urls


def _check_our_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert strict_script_policy(response), url
    assert script_problems(html) == [], url
    assert inline_styles(html) == [], url


def test_every_agent_page_runs_only_our_own_scripts(l1_client, every_kind_of_ticket):
    for url in _our_pages(every_kind_of_ticket):
        _check_our_page(l1_client, url)


def test_read_only_incident_pages_run_only_our_own_scripts(l2_client, every_kind_of_ticket):
    for ticket in every_kind_of_ticket.values():
        _check_our_page(l2_client, reverse("tickets:detail", args=[ticket.number]))


def test_login_and_lockout_pages_run_only_our_own_scripts(client, l1_agent, settings):
    pages = [client.get(reverse("login"))]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        pages.append(_fail_login(client, l1_agent.username))
    assert pages[-1].status_code == 429
    for response in (pages[0], pages[-1]):
        assert strict_script_policy(response)
        assert script_problems(response.content.decode()) == []
        assert inline_styles(response.content.decode()) == []


ADMIN_PAGES = [
    ("admin:index", []),
    ("admin:password_change", []),
    ("admin:taxonomy_category_changelist", []),
    ("admin:taxonomy_category_add", []),
    ("admin:taxonomy_category_import", []),
    ("admin:taxonomy_category_export", []),
    ("admin:accounts_user_changelist", []),
    ("admin:accounts_user_add", []),
    ("admin:accounts_assignmentgroup_changelist", []),
    ("admin:accounts_assignmentgroup_add", []),
    ("admin:accounts_company_add", []),
    ("admin:tickets_ticket_changelist", []),
    ("admin:tickets_ticketevent_changelist", []),
    ("admin:tickets_template_add", []),
    ("admin:tickets_closecode_changelist", []),
    ("admin:tickets_vendor_add", []),
]


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES)
def test_django_admin_pages_run_only_their_own_scripts(admin_client, name, args):
    call_command("loaddata", "taxonomy", "reference", verbosity=0)
    TicketEventFactory()
    response = admin_client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert strict_script_policy(response)
    assert script_problems(response.content.decode()) == []


def test_django_admin_change_pages_run_only_their_own_scripts(admin_client, admin_user):
    event = TicketEventFactory()
    from taxonomy.models import Category

    call_command("loaddata", "taxonomy", verbosity=0)
    urls = [
        reverse("admin:tickets_ticket_change", args=[event.ticket.pk]),
        reverse("admin:accounts_user_change", args=[admin_user.pk]),
        reverse("admin:auth_user_password_change", args=[admin_user.pk]),
        reverse("admin:taxonomy_category_change", args=[Category.objects.first().pk]),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert script_problems(response.content.decode()) == [], url


def test_the_import_preview_runs_only_its_own_scripts(admin_client):
    from taxonomy.resources import CategoryResource

    call_command("loaddata", "taxonomy", verbosity=0)
    exported = CategoryResource().export().csv.encode()
    upload = SimpleUploadedFile("taxonomy.csv", exported, content_type="text/csv")
    response = admin_client.post(
        reverse("admin:taxonomy_category_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "process_import" in html
    assert script_problems(html) == []


def test_the_export_page_binds_select_all_from_a_static_file(admin_client):
    html = admin_client.get(reverse("admin:taxonomy_category_export")).content.decode()
    assert 'class="select-toggle"' in html and "js/admin-export.js" in html


# --- CSRF on every form ---------------------------------------------------------------------


def test_every_post_form_carries_a_csrf_token(l1_client, every_kind_of_ticket):
    for url in _our_pages(every_kind_of_ticket):
        html = l1_client.get(url).content.decode()
        assert post_forms_without_csrf(html) == 0, url


def test_posts_without_a_csrf_token_are_refused(l1_agent, every_kind_of_ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(l1_agent)
    number = every_kind_of_ticket["new"].number
    urls = [
        reverse("tickets:create"),
        reverse("tickets:detail", args=[number]),
        reverse("tickets:act", args=[number, "pick-up"]),
        reverse("tickets:add_note", args=[number]),
        reverse("tickets:add_watcher", args=[number]),
        reverse("tickets:upload", args=[number]),
        reverse("tickets:link_related", args=[number]),
        reverse("tickets:bulk_pick_up", args=["all"]),
        reverse("logout"),
    ]
    for url in urls:
        assert client.post(url, {"body": "x", "numbers": [number]}).status_code == 403, url
    assert client.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403


# --- sessions, passwords and crafted requests -----------------------------------------------


def test_production_cookies_are_secure_and_http_only():
    from tests.test_production import _setting

    names = "SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.CSRF_COOKIE_SECURE"
    assert _setting(names).stdout.split() == ["True", "True", "True"]


@pytest.mark.parametrize("password", ["12345678", "password", "boss", "Ab1!"])
def test_weak_passwords_are_refused(admin_user, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, admin_user)


def test_a_strong_password_is_accepted(admin_user):
    from django.contrib.auth.password_validation import validate_password

    validate_password("Lapor-Keluhan-2026!", admin_user)


@pytest.mark.parametrize(
    "url",
    [
        "/incidents/INC%00/",
        "/incidents/INC-2026-000001/related/INC%00/unlink/",
        "/queues/all/?number=%00",
        "/api/requesters/?q=ab%00",
        "/api/incidents/?q=INC%00",
        "/api/groups/?q=%00",
        "/admin/tickets/ticket/?q=%00",
    ],
)
def test_a_nul_character_in_an_address_is_a_bad_request(admin_client, url):
    assert admin_client.get(url).status_code == 400
    assert admin_client.post(url).status_code == 400


def test_a_nul_character_in_posted_values_is_a_bad_request(l1_client):
    TicketFactory(number="INC-2026-000001")
    response = l1_client.post(
        reverse("tickets:bulk_pick_up", args=["all"]), {"numbers": ["INC-2026-000001\x00"]}
    )
    assert response.status_code == 400
    assert (
        l1_client.post(reverse("login"), {"username": "a\x00", "password": "x"}).status_code == 400
    )


def test_favicon_ico_points_at_the_shipped_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("favicon.svg")


def test_pages_name_their_static_files_under_the_static_url_in_force(l1_client, settings):
    assert 'href="/static/css/estim.css"' in l1_client.get(reverse("tickets:home")).text
    settings.STATIC_URL = "/assets/"
    html = l1_client.get(reverse("tickets:home")).text
    assert 'href="/assets/css/estim.css"' in html and "/static/" not in html


def test_the_header_links_to_the_queues_and_logs_out(l1_client):
    html = l1_client.get(reverse("tickets:home")).text
    for url in (
        reverse("tickets:queue", args=["my-open"]),
        reverse("tickets:queue", args=["assigned-to-me"]),
        reverse("tickets:queue", args=["my-group"]),
    ):
        assert f'href="{url}"' in html
    assert f'action="{reverse("logout")}"' in html
