"""The words the text search keeps, and the same worked out from the tickets, for tests on
PostgreSQL (tickets/search_words.py)."""

from collections import Counter
from contextlib import contextmanager

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


def kept_words() -> tuple[Counter, set, dict]:
    """The words PostgreSQL keeps: each one's number of tickets, every ticket's words, and
    the tickets of each word that has bitmaps, as its bitmaps tell."""
    numbers = Counter({w.word: w.tickets for w in SearchWord.objects.filter(tickets__gt=0)})
    rows = set(TicketWord.objects.values_list("word__word", "opened_at", "ticket_id"))
    bitmaps = {
        word: set()
        for word in SearchWord.objects.filter(bitmap=True).values_list("word", flat=True)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.word, b.block, b.bits::text FROM tickets_wordbitmap b "
            "JOIN tickets_searchword s ON s.id = b.word_id"
        )
        for word, block, bits in cursor.fetchall():
            bitmaps.setdefault(word, set()).update(
                block * search_words.BLOCK + index for index, bit in enumerate(bits) if bit == "1"
            )
    return numbers, rows, bitmaps


def words_of_the_tickets() -> tuple[Counter, set, dict]:
    """The same, worked out here from the tickets (for the words that have bitmaps)."""
    numbers, rows = Counter(), set()
    for ticket in Ticket.objects.all():
        for word in search_words.words(upper(ticket.short_description)):
            numbers[word] += 1
            rows.add((word, ticket.opened_at, ticket.pk))
    bitmaps = {
        word: {pk for kept, _, pk in rows if kept == word}
        for word in SearchWord.objects.filter(bitmap=True).values_list("word", flat=True)
    }
    return numbers, rows, bitmaps


@contextmanager
def bitmaps_from(tickets: int):
    """Bitmaps for the words in that many tickets (instead of thousands), made now and by the
    triggers meanwhile."""
    search_words.install(connection, tickets)
    search_words.make_bitmaps(connection, tickets)
    try:
        yield
    finally:
        search_words.install(connection)
