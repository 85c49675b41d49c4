"""Agents changing the short descriptions of their tickets at the same moment: the words
the text search keeps are locked in one order, so no write fails on a deadlock."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.factories import TicketFactory
from tests.search_words_checks import bitmaps_from, kept_words, words_of_the_tickets
from tickets import search_words
from tickets.models import Ticket

from .race import errors, run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def bitmaps():
    """The words of these tickets get bitmaps, which the same locks keep."""
    if connection.vendor != "postgresql":
        yield
        return
    with bitmaps_from(2):
        yield


TEXTS = ["Gagal login portal", "Email notifikasi terlambat"]


def _edits(ticket: Ticket, first: int, times: int):
    """Give the ticket each description in turn, one transaction each; return the errors."""

    def call():
        failed = []
        for n in range(times):
            try:
                with transaction.atomic():
                    Ticket.objects.filter(pk=ticket.pk).update(
                        short_description=TEXTS[(first + n + 1) % 2]
                    )
            except Exception as error:  # noqa: BLE001 - each one is reported by the test
                failed.append(str(error).splitlines()[0])
        return failed

    return call


def _words_match_the_tickets():
    if search_words.installed(connection):
        assert kept_words() == words_of_the_tickets()


def test_crosswise_description_changes_never_deadlock():
    # Two tickets go from one set of words to the other while two go the other way.
    tickets = [TicketFactory(short_description=TEXTS[index % 2]) for index in range(4)]
    outcomes = run_together(*[_edits(ticket, index, 30) for index, ticket in enumerate(tickets)])
    assert errors(outcomes) == []
    assert [failure for outcome in outcomes for failure in outcome.value] == []
    _words_match_the_tickets()


@pytest.mark.parametrize("meanwhile", ["edit", "rebuild"])
def test_a_ticket_deleted_while_it_is_edited_or_the_words_rebuilt(meanwhile):
    """The delete removes the ticket's words, then the ticket. The edit locks the ticket,
    then its words; the rebuild waits for the ticket writes under way, then takes every
    word. The delete locks the ticket, and the table as a write does, before its words go:
    the other waits for it instead of deadlocking with it."""
    ticket = TicketFactory(short_description="Alpha beta")
    TicketFactory(short_description="Alpha gamma")
    words_gone = threading.Event()

    def pause_once_the_words_are_gone(execute, sql, params, many, context):
        if sql.startswith('DELETE FROM "tickets_ticket" '):
            words_gone.set()
            time.sleep(0.5)  # (the other comes meanwhile)
        return execute(sql, params, many, context)

    def delete():
        with transaction.atomic(), connection.execute_wrapper(pause_once_the_words_are_gone):
            Ticket.objects.get(pk=ticket.pk).delete()

    def other():
        words_gone.wait(10)
        if meanwhile == "rebuild":
            call_command("rebuild_search_words", verbosity=0)
            return
        with transaction.atomic():
            Ticket.objects.filter(pk=ticket.pk).update(short_description="Alpha delta")

    assert errors(run_together(delete, other)) == []
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    _words_match_the_tickets()


def test_rebuilding_the_words_while_agents_edit():
    """The rebuild waits for the edits under way and the edits after it wait for it."""
    holder, edited = TicketFactory(short_description="Satu"), TicketFactory(short_description="Dua")
    holding = threading.Event()

    def hold():  # an edit that keeps its words for a moment
        with transaction.atomic():
            Ticket.objects.filter(pk=holder.pk).update(short_description="Xray")
            holding.set()
            time.sleep(1.0)

    def edit():  # waits for the word XRAY
        holding.wait(10)
        time.sleep(0.2)
        with transaction.atomic():
            Ticket.objects.filter(pk=edited.pk).update(short_description="Alpha xray")

    def rebuild():
        holding.wait(10)
        time.sleep(0.4)
        call_command("rebuild_search_words", verbosity=0)

    assert errors(run_together(hold, edit, rebuild)) == []
    _words_match_the_tickets()
