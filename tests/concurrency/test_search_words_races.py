"""Agents changing the short descriptions of their tickets at the same moment: the words
the text search keeps are locked in one order, so no write fails on a deadlock."""

from collections import Counter

import pytest
from django.db import transaction

from tests.factories import TicketFactory
from tickets import search_words
from tickets.models import SearchWord, Ticket, TicketWord

from .race import errors, run_together

pytestmark = pytest.mark.django_db(transaction=True)

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


def test_crosswise_description_changes_never_deadlock():
    # Two tickets go from one set of words to the other while two go the other way.
    tickets = [TicketFactory(short_description=TEXTS[index % 2]) for index in range(4)]
    outcomes = run_together(*[_edits(ticket, index, 30) for index, ticket in enumerate(tickets)])
    assert errors(outcomes) == []
    assert [failure for outcome in outcomes for failure in outcome.value] == []
    # And every word's number still matches the tickets.
    numbers = Counter(
        word
        for ticket in Ticket.objects.all()
        for word in search_words.words(ticket.short_description.upper())
    )
    kept = Counter({w.word: w.tickets for w in SearchWord.objects.filter(tickets__gt=0)})
    if search_words.installed(transaction.get_connection()):
        assert kept == numbers
        assert TicketWord.objects.count() == sum(numbers.values())
