"""The site answers: login page, login required, and Django admin for the main models."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import TicketEventFactory, TicketFactory

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


def test_pages_carry_a_content_security_policy_without_inline_scripts(l1_client):
    response = l1_client.get(reverse("tickets:home"))
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    html = response.content.decode()
    import re

    inline = [
        m
        for m in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        if "application/json" not in m
    ]
    assert inline == []
    assert not re.search(r"\son[a-z]+=", html)
