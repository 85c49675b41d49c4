"""The words of the tickets' short descriptions: exact totals and quick first pages for a
text search of every incident.

A text search keeps the tickets whose short description contains each word of the query,
in any case and anywhere ("kirim" finds "Dikirim"; "email gagal" finds "Gagal kirim
email"). A word is a run of letters and digits; every other ASCII character separates words,
here and in the database alike, whatever the database's locale.

Reading the tickets, a word in one ticket in twelve means 80,000 of them on a million to
count. So on PostgreSQL, triggers keep every distinct word of every short description with
the number of tickets that have it (SearchWord), and which tickets have it, newest first
(TicketWord), however a ticket is written: the workflow, an import, plain SQL. A query's word
is looked up among the distinct words (a few thousand). Where it is one of them, the total is
that word's number and the first page is the head of its tickets; a word found in several, or
several words, are counted by merging their lists of tickets, from the primary key alone.

Migration tickets 0012 installs the triggers and fills the tables; every ``migrate`` installs
them again, like those of tickets/reference_triggers.py.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

# Separators: every ASCII character but letters and digits.
SEPARATORS = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
SQL_SEPARATORS = r"E'[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+'"
# A query of more words, or a word found in more distinct words (such as "a"), is counted by
# reading the tickets: merging that many lists would take longer.
MAX_WORDS = 6
MAX_MATCHES = 100

TICKETS = "tickets_ticket"
WORDS = "tickets_searchword"
TICKET_WORDS = "tickets_ticketword"
# (trigger and function) on the tickets, on their words.
INSERTED = "tickets_ticket_words_inserted"
UPDATED = "tickets_ticket_words_updated"
COUNTED = "tickets_ticketword_counted"
COUNT_TRIGGERS = {"tickets_ticketword_added": "NEW", "tickets_ticketword_removed": "OLD"}
MIGRATION = ("tickets", "0012_search_words")
LATER = "estim.words_later"


def words(text: str) -> list[str]:
    """The words of a query, each once, in their order."""
    return list(dict.fromkeys(word for word in SEPARATORS.split(text) if word))


def _split(ticket: str) -> str:
    return f"regexp_split_to_table(upper({ticket}.short_description), {SQL_SEPARATORS})"


def _lock(source: str) -> str:
    """SQL adding the words of the tickets in ``source`` (a table or a trigger's rows) that
    are new, and locking all of them, in one statement and in the words' order: two writers
    of the same words then wait for each other instead of deadlocking, as every statement
    that locks words (here and in the counting trigger) locks them in that order. (A
    transaction writing several tickets locks each ticket's words in turn, and can still
    deadlock with another; the workflow writes one ticket per transaction.) ``WHERE false``
    locks the words there are without writing them."""
    return f"""
    INSERT INTO {WORDS} AS s (word, tickets)
    SELECT DISTINCT w.word, 0 FROM {source} t, {_split("t")} AS w(word)
    WHERE w.word <> '' ORDER BY 1
    ON CONFLICT (word) DO UPDATE SET tickets = s.tickets WHERE false;
    """


def _add(source: str) -> str:
    """SQL adding which tickets of ``source`` (with their id, short description and opening
    time) have which word, once their words are there (_lock)."""
    return f"""
    INSERT INTO {TICKET_WORDS} (word_id, opened_at, ticket_id)
    SELECT DISTINCT s.id, t.opened_at, t.id FROM {source} t, {_split("t")} AS w(word)
    JOIN {WORDS} s ON s.word = w.word
    ON CONFLICT DO NOTHING;
    """


def _fill(source: str) -> str:
    return _lock(source) + _add(source)


POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION {INSERTED}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A bulk load reads its tickets' words once at its end (later_in_bulk).
    IF current_setting('{LATER}', true) = 'on' THEN
        RETURN NULL;
    END IF;
    {_fill("new_rows")}
    RETURN NULL;
END $$;
-- A ticket's new short description or opening time: the words it no longer has (or all of
-- them, at a new time) go, the new ones come; those it keeps are not touched.
CREATE OR REPLACE FUNCTION {UPDATED}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_lock("(SELECT OLD.short_description UNION ALL SELECT NEW.short_description)")}
    DELETE FROM {TICKET_WORDS} kept WHERE kept.ticket_id = NEW.id AND (
        kept.opened_at <> NEW.opened_at OR NOT EXISTS (
            SELECT 1 FROM {WORDS} s, {_split("NEW")} AS w(word)
            WHERE s.id = kept.word_id AND s.word = w.word
        )
    );
    {_add("(SELECT NEW.id AS id, NEW.short_description, NEW.opened_at)")}
    RETURN NULL;
END $$;
-- Each word's number of tickets follows its rows; the words are locked in their order (a
-- ticket's words are already locked, but not when the ORM deletes a ticket's words).
CREATE OR REPLACE FUNCTION {COUNTED}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM {WORDS} WHERE id IN (SELECT word_id FROM changed) ORDER BY word FOR UPDATE;
    UPDATE {WORDS} s SET tickets = s.tickets + d.n
    FROM (
        SELECT word_id, count(*) * CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END AS n
        FROM changed GROUP BY word_id
    ) d
    WHERE s.id = d.word_id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {INSERTED} ON {TICKETS};
CREATE TRIGGER {INSERTED} AFTER INSERT ON {TICKETS}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {INSERTED}();
DROP TRIGGER IF EXISTS {UPDATED} ON {TICKETS};
CREATE TRIGGER {UPDATED} AFTER UPDATE OF short_description, opened_at ON {TICKETS}
    FOR EACH ROW
    WHEN (OLD.short_description IS DISTINCT FROM NEW.short_description
          OR OLD.opened_at IS DISTINCT FROM NEW.opened_at)
    EXECUTE FUNCTION {UPDATED}();
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS {name} ON {TICKET_WORDS};
CREATE TRIGGER {name} AFTER {"INSERT" if rows == "NEW" else "DELETE"} ON {TICKET_WORDS}
    REFERENCING {rows} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {COUNTED}();
"""
    for name, rows in COUNT_TRIGGERS.items()
)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (PostgreSQL only), replacing those there are."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(POSTGRESQL)


def remove(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in (INSERTED, UPDATED):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {TICKETS}")
        for name in COUNT_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {TICKET_WORDS}")
        for name in (INSERTED, UPDATED, COUNTED):
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The names of the triggers there are."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname = ANY(%s)",
            [[INSERTED, UPDATED, *COUNT_TRIGGERS]],
        )
        return {name for (name,) in cursor.fetchall()}


def refill(connection: BaseDatabaseWrapper) -> None:
    """Read the words of every ticket again (after a load with the triggers disabled).

    In a transaction. Ticket writes wait until it ends: they then take their words' locks
    after it, never while it holds the words, and it reads no description an edit changes.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TICKETS} IN SHARE MODE")
        cursor.execute(f"TRUNCATE {TICKET_WORDS}")
        cursor.execute(f"UPDATE {WORDS} SET tickets = 0 WHERE tickets <> 0")
        cursor.execute(_fill(TICKETS))


@contextmanager
def skipped():
    """Inside a transaction: the tickets inserted in the block get no words from the
    triggers; a bulk load reads them all at its end (later_in_bulk)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {LATER} = 'on'")
    yield
    # (On an error the transaction, or its savepoint, is rolled back, and the setting with it.)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {LATER} = 'off'")


@contextmanager
def later_in_bulk():
    """Read the words of the tickets inserted meanwhile in ``skipped`` blocks once, at the
    end: for a million tickets that takes minutes less than batch by batch. Other tickets get
    theirs as usual.

    Until the end, a search's total and first page leave those tickets out.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TICKETS}")
        (last,) = cursor.fetchone()
    try:
        yield
    finally:
        # (ON CONFLICT: a ticket with its words already, from another transaction, stays.)
        # Ticket writes wait meanwhile, as in refill.
        source = f"(SELECT id, short_description, opened_at FROM {TICKETS} WHERE id > {last:d})"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {TICKETS} IN SHARE MODE")
            cursor.execute(_fill(source))


def lock_before_delete(sender, instance, **kwargs) -> None:
    """pre_delete of a ticket: lock its row before its words go. An edit of it, which locks
    the row and then the words, waits for the delete instead of deadlocking with it."""
    if connection.vendor == "postgresql":
        list(sender._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk"))


def reinstall_after_migrate(sender, *, using: str, **kwargs) -> None:
    """post_migrate: install the triggers again once their migration is applied."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    target = connections[using]
    if target.vendor != "postgresql":
        return
    if MIGRATION in MigrationRecorder(target).applied_migrations():
        install(target)


@dataclass(frozen=True)
class Search:
    """A query's words as found among the tickets' words: for each, the ids of the words that
    contain it and how many tickets have each of those."""

    found: tuple[tuple[tuple[int, int], ...], ...]

    def total(self) -> tuple[str, list, bool]:
        """The number of tickets that have every word, as a part of queues.count_many."""
        if not all(self.found):
            return ("SELECT 0 AS n", [], True)
        if len(self.found) == 1 and len(self.found[0]) == 1:
            return ("SELECT %s AS n", [self.found[0][0][1]], True)
        sources, params = self._lists()
        return (f"SELECT COUNT(*) AS n FROM {sources}", params, True)

    def newest(self, limit: int, *, oldest: bool = False) -> tuple[str, list] | None:
        """SQL for the ids of the newest (or oldest) ``limit`` tickets that have every word, in
        the lists' order (opened_at, then id); None where a word is found in several words,
        whose merged lists are not in that order."""
        if not all(self.found) or any(len(ids) > 1 for ids in self.found):
            return None
        sources, params = self._lists()
        way = "" if oldest else " DESC"
        return (
            f"SELECT w0.ticket_id FROM {sources} "
            f"ORDER BY w0.opened_at{way}, w0.ticket_id{way} LIMIT %s",
            [*params, limit],
        )

    def _lists(self) -> tuple[str, list]:
        """Each query word's tickets in the lists' order, joined: one word's list as it is,
        the lists of several words merged."""
        sources, params = [], []
        for index, ids in enumerate(self.found):
            if len(ids) == 1:
                rows = f"SELECT opened_at, ticket_id FROM {TICKET_WORDS} WHERE word_id = %s"
                params.append(ids[0][0])
            else:
                rows = (
                    f"SELECT DISTINCT opened_at, ticket_id FROM {TICKET_WORDS} "
                    "WHERE word_id = ANY(%s)"
                )
                params.append([pk for pk, _ in ids])
            using = " USING (opened_at, ticket_id)" if index else ""
            sources.append(f"({rows}) w{index}{using}")
        return " JOIN ".join(sources), params


def search(text: str) -> Search | None:
    """The query's words looked up among the tickets' words, in one query; None where the
    tickets are read instead (SQLite, no word, too many words, or a word found in too
    many)."""
    found = words(text)
    if connection.vendor != "postgresql" or not found or len(found) > MAX_WORDS:
        return None
    selects = " UNION ALL ".join(
        f"(SELECT {index}, id, tickets FROM {WORDS} "
        f"WHERE tickets > 0 AND word LIKE '%%' || upper(%s) || '%%' LIMIT {MAX_MATCHES + 1})"
        for index in range(len(found))
    )
    matches: list[list[tuple[int, int]]] = [[] for _ in found]
    with connection.cursor() as cursor:
        cursor.execute(selects, found)
        for index, pk, tickets in cursor.fetchall():
            matches[index].append((pk, tickets))
    if any(len(ids) > MAX_MATCHES for ids in matches):
        return None
    return Search(tuple(tuple(ids) for ids in matches))
