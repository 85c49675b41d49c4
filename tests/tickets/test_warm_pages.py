"""The pages drawn before the server starts: every agent's kind, nothing written."""

import logging

import pytest
from django.contrib.sessions.models import Session

from accounts import reference
from accounts.models import User
from tests.factories import TicketFactory
from tickets import prepared
from tickets.models import Ticket, TicketEvent
from tickets.queues import QUEUES
from tickets.warm_pages import draw_pages

pytestmark = pytest.mark.django_db


def test_each_kind_of_agent_s_pages_are_drawn_and_nothing_is_written(
    l1_agent, l2_agent, vendor_agent, l1_group, monkeypatch
):
    TicketFactory(assignment_group=l1_group, status=Ticket.Status.NEW)
    monkeypatch.setattr(reference, "_kept", type(reference._kept)())
    monkeypatch.setattr(prepared, "_compiled", type(prepared._compiled)())
    logins = dict(User.objects.values_list("pk", "last_login"))
    events = TicketEvent.objects.count()
    # home, create, each queue, the Data Filter; the first-line agent's group also has a
    # ticket to open
    assert draw_pages() == 3 * (len(QUEUES) + 3) + 1
    assert {"pick lists", "people", "filter choices"} <= set(reference._kept)
    assert any(key[0][0] == "incident page rows" for key in prepared._compiled)
    assert dict(User.objects.values_list("pk", "last_login")) == logins
    assert (Session.objects.count(), TicketEvent.objects.count()) == (0, events)
    assert reference._version.get() is None  # the request scope ended


def test_a_page_that_fails_is_logged_and_passed_over(l1_agent, monkeypatch, caplog):
    from tickets import dashboard

    def broken(user):
        raise RuntimeError("broken")

    monkeypatch.setattr(dashboard, "report", broken)
    with caplog.at_level(logging.WARNING, logger="tickets.warm_pages"):
        drawn = draw_pages()
    assert drawn == len(QUEUES) + 2  # all but the homepage
    assert "could not draw /" in caplog.text


def test_an_error_outside_the_pages_does_not_stop_the_server(l1_agent, monkeypatch, caplog):
    from estim import warmup
    from tickets import warm_pages

    def broken():
        raise RuntimeError("broken")

    monkeypatch.setattr(warm_pages, "draw_pages", broken)
    # (the test's own connection stays open, and its objects unfrozen)
    monkeypatch.setattr(warmup.connections, "close_all", lambda: None)
    monkeypatch.setattr(warmup.gc, "freeze", lambda: None)
    with caplog.at_level(logging.WARNING, logger="estim.warmup"):
        warmup.warm_up()
    assert "could not be drawn" in caplog.text
