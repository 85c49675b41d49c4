"""The words the text search keeps, and the same worked out from the tickets, for tests on
PostgreSQL (tickets/search_words.py)."""

from collections import Counter

from django.db import connection

from tickets import search_words
from tickets.models import SearchWord, Ticket, TicketWord


def upper(text: str) -> str:
    """The database's upper case, which the search compares in (PostgreSQL's keeps "ß" where
    Python's makes it "SS"; SQLite's LIKE ignores the case of ASCII letters only)."""
    if connection.vendor != "postgresql":
        return "".join(letter.upper() if letter.isascii() else letter for letter in text)
    with connection.cursor() as cursor:
        cursor.execute("SELECT upper(%s)", [text])
        return cursor.fetchone()[0]


def kept_words() -> tuple[Counter, set]:
    """The words PostgreSQL keeps: each one's number of tickets, and every ticket's words."""
    numbers = Counter({w.word: w.tickets for w in SearchWord.objects.filter(tickets__gt=0)})
    rows = set(TicketWord.objects.values_list("word__word", "opened_at", "ticket_id"))
    return numbers, rows


def words_of_the_tickets() -> tuple[Counter, set]:
    """The same, worked out here from the tickets."""
    numbers, rows = Counter(), set()
    for ticket in Ticket.objects.all():
        for word in search_words.words(upper(ticket.short_description)):
            numbers[word] += 1
            rows.add((word, ticket.opened_at, ticket.pk))
    return numbers, rows
