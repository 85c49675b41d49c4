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
that word's number and the first page is the head of its tickets. A word found in several, or
several words, are counted from bitmaps: each word in many tickets (BITMAP_FROM) also has,
for every block of BLOCK ticket ids, the bits of its tickets there (WordBitmap). Merging the
lists of two words in 50,000 and 70,000 tickets took 15 ms; and-ing their bitmaps, about one.
Where some of the words have bitmaps, the lists of the others are made into bits as they are
read (about 1 ms per thousand tickets); where none has, their lists are merged.

Migration tickets 0012 installs the triggers and fills the tables, 0014 and 0015 add the bitmaps;
every ``migrate`` installs them again, like those of tickets/reference_triggers.py.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

# Separators: every ASCII character but letters and digits.
SEPARATORS = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
SQL_SEPARATORS = r"E'[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+'"
# A query of more words, or a word found in more distinct words (such as "a"), is counted by
# reading the tickets: merging that many lists would take longer.
MAX_WORDS = 6
MAX_MATCHES = 100

# A word gets bitmaps once it is in this many tickets; a bitmap covers this many ticket ids
# (1 KB: a row stays in its table's page, neither compressed nor moved out).
BITMAP_FROM = 1000
BLOCK_BITS = 13
BLOCK = 1 << BLOCK_BITS

TICKETS = "tickets_ticket"
WORDS = "tickets_searchword"
TICKET_WORDS = "tickets_ticketword"
BITMAPS = "tickets_wordbitmap"
# (trigger and function) on the tickets, on their words.
INSERTED = "tickets_ticket_words_inserted"
UPDATED = "tickets_ticket_words_updated"
COUNTED = "tickets_ticketword_counted"
COUNT_TRIGGERS = {"tickets_ticketword_added": "NEW", "tickets_ticketword_removed": "OLD"}
MIGRATION = ("tickets", "0012_search_words")
BITMAPS_MIGRATION = ("tickets", "0015_make_word_bitmaps")
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


def _bits(ticket: str) -> str:
    """SQL for the block of ``ticket`` ids and a bitmap of their bits there, as an aggregate
    to group by the block. (The block and the bit by shifting and masking: they hold for
    every bigint, negative ones too.)"""
    return (
        f"{ticket} >> {BLOCK_BITS} AS block, "
        f"bit_or(set_bit(B'0'::bit({BLOCK}), ({ticket} & {BLOCK - 1})::int, 1)) AS bits"
    )


def _grouped(rows: str) -> str:
    """SQL for the bitmaps of the words and tickets in ``rows`` (``c``), word by word and
    block by block: inserted in that order, a word's bitmaps lie together in the table, and a
    count reads a few pages for them instead of one page per block (three common words were
    counted in 0.6 ms instead of 2.6 ms)."""
    return f"SELECT c.word_id, {_bits('c.ticket_id')} FROM {rows} GROUP BY 1, 2 ORDER BY 1, 2"


def _kept_bitmaps(bitmap_from: int) -> str:
    """SQL in the counting trigger: the bitmaps of the words that have them follow their
    rows; a word that reaches ``bitmap_from`` tickets gets its bitmaps from its list."""
    # Only the words that have bitmaps.
    changed = f"changed c JOIN {WORDS} s ON s.id = c.word_id WHERE s.bitmap"
    return f"""
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {BITMAPS} AS b (word_id, block, bits)
        {_grouped(changed)}
        ON CONFLICT (word_id, block) DO UPDATE SET bits = b.bits | excluded.bits;
        WITH reached AS (
            UPDATE {WORDS} s SET bitmap = true
            WHERE s.id IN (SELECT word_id FROM changed) AND NOT s.bitmap
                AND s.tickets >= {bitmap_from:d}
            RETURNING s.id
        )
        INSERT INTO {BITMAPS} (word_id, block, bits)
        {_grouped(f"{TICKET_WORDS} c WHERE c.word_id IN (SELECT id FROM reached)")};
    ELSE
        UPDATE {BITMAPS} b SET bits = b.bits & ~d.bits FROM ({_grouped(changed)}) d
        WHERE b.word_id = d.word_id AND b.block = d.block;
    END IF;"""


def _postgresql(bitmap_from: int | None) -> str:
    """SQL creating the triggers; the counting one keeps the bitmaps too, unless
    ``bitmap_from`` is None (before migration 0015)."""
    return f"""
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
-- Each word's number of tickets follows its rows, and so do its bitmaps; the words are
-- locked in their order (a ticket's words are already locked, but not when the ORM deletes
-- a ticket's words).
CREATE OR REPLACE FUNCTION {COUNTED}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM {WORDS} WHERE id IN (SELECT word_id FROM changed) ORDER BY word FOR UPDATE;
    UPDATE {WORDS} s SET tickets = s.tickets + d.n
    FROM (
        SELECT word_id, count(*) * CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END AS n
        FROM changed GROUP BY word_id
    ) d
    WHERE s.id = d.word_id;
    {"" if bitmap_from is None else _kept_bitmaps(bitmap_from)}
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


def install(connection: BaseDatabaseWrapper, bitmap_from: int | None = BITMAP_FROM) -> None:
    """Create the triggers (PostgreSQL only), replacing those there are; with bitmaps for
    the words that reach ``bitmap_from`` tickets, none if it is None (before migration
    0015)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_postgresql(bitmap_from))


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


def refill(connection: BaseDatabaseWrapper, *, bitmaps: bool = True) -> None:
    """Read the words of every ticket again (after a load with the triggers disabled), and
    make the bitmaps again (not before migration 0014, which adds their table:
    ``bitmaps=False``).

    In a transaction. Ticket writes wait until it ends: they then take their words' locks
    after it, never while it holds the words, and it reads no description an edit changes.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TICKETS} IN SHARE MODE")
        # (A word that has bitmaps keeps its flag: the triggers make its bitmaps again as
        # they add its rows.)
        cursor.execute(f"TRUNCATE {TICKET_WORDS}" + (f", {BITMAPS}" if bitmaps else ""))
        cursor.execute(f"UPDATE {WORDS} SET tickets = 0 WHERE tickets <> 0")
        cursor.execute(_fill(TICKETS))


def make_bitmaps(connection: BaseDatabaseWrapper, bitmap_from: int = BITMAP_FROM) -> None:
    """The bitmaps of the words in ``bitmap_from`` tickets or more that have none yet
    (migration 0015; the triggers make those of the words that reach it later)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # The words first, in their order; then their lists, read after their writers end.
        cursor.execute(
            f"UPDATE {WORDS} s SET bitmap = true FROM (SELECT id FROM {WORDS} "
            "WHERE tickets >= %s AND NOT bitmap ORDER BY word FOR UPDATE) AS l "
            "WHERE s.id = l.id",
            [bitmap_from],
        )
        cursor.execute(
            f"INSERT INTO {BITMAPS} (word_id, block, bits) "
            + _grouped(
                f"{TICKET_WORDS} c WHERE c.word_id IN (SELECT id FROM {WORDS} WHERE bitmap) "
                f"AND NOT EXISTS (SELECT 1 FROM {BITMAPS} b WHERE b.word_id = c.word_id)"
            )
        )


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
    """pre_delete of a ticket: lock the table as a write does, and its row, before its words
    go. An edit of it, which locks the row and then the words, waits for the delete instead
    of deadlocking with it; so does a rebuild (refill, later_in_bulk), which waits for the
    ticket writes under way before it touches the words."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {TICKETS} IN ROW EXCLUSIVE MODE")
        list(sender._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk"))


def reinstall_after_migrate(sender, *, using: str, **kwargs) -> None:
    """post_migrate: install the triggers again once their migration is applied."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    target = connections[using]
    if target.vendor != "postgresql":
        return
    applied = MigrationRecorder(target).applied_migrations()
    if MIGRATION in applied:
        install(target, BITMAP_FROM if BITMAPS_MIGRATION in applied else None)


class Found(NamedTuple):
    """One of the tickets' words, as a query's word was found in it."""

    pk: int
    tickets: int
    # Whether it has bitmaps. (Once it has, it keeps them.)
    bitmap: bool


@dataclass(frozen=True)
class Search:
    """A query's words as found among the tickets' words: for each, the words that contain
    it."""

    found: tuple[tuple[Found, ...], ...]

    def total(self) -> tuple[str, list, bool]:
        """The number of tickets that have every word, as a part of queues.count_many."""
        if not all(self.found):
            return ("SELECT 0 AS n", [], True)
        if len(self.found) == 1 and len(self.found[0]) == 1:
            return ("SELECT %s AS n", [self.found[0][0].tickets], True)
        if not any(word.bitmap for found in self.found for word in found):
            # Words in few tickets each: their lists merged.
            sources, params = self._lists()
            return (f"SELECT COUNT(*) AS n FROM {sources}", params, True)
        # Each query word's bitmaps, block by block, and-ed.
        sources, params = [], []
        for index, found in enumerate(self.found):
            source, source_params = self._blocks(found)
            using = " USING (block)" if index else ""
            sources.append(f"({source}) w{index}{using}")
            params.extend(source_params)
        bits = " & ".join(f"w{index}.bits" for index in range(len(self.found)))
        return (
            f"SELECT COALESCE(SUM(bit_count({bits})), 0)::bigint AS n "
            f"FROM {' JOIN '.join(sources)}",
            params,
            True,
        )

    @staticmethod
    def _blocks(found: tuple[Found, ...]) -> tuple[str, list]:
        """SQL for the blocks of the tickets that have any of ``found`` words: their bitmaps
        or-ed, with the lists of those without bitmaps made into bits."""
        kept = [word.pk for word in found if word.bitmap]
        if len(kept) == len(found) == 1:
            return (f"SELECT block, bits FROM {BITMAPS} WHERE word_id = %s", kept)
        listed = [word.pk for word in found if not word.bitmap]
        parts, params = [], []
        if kept:
            parts.append(f"SELECT block, bits FROM {BITMAPS} WHERE word_id = ANY(%s)")
            params.append(kept)
        if listed:
            parts.append(
                f"SELECT {_bits('ticket_id')} FROM {TICKET_WORDS} "
                "WHERE word_id = ANY(%s) GROUP BY 1"
            )
            params.append(listed)
        rows = " UNION ALL ".join(parts)
        return (f"SELECT block, bit_or(bits) AS bits FROM ({rows}) AS p GROUP BY block", params)

    def newest(self, limit: int, *, oldest: bool = False) -> tuple[str, list] | None:
        """SQL for the ids of the newest (or oldest) ``limit`` tickets that have every word, in
        the lists' order (opened_at, then id); None where a word is found in several words,
        whose merged lists are not in that order."""
        if not all(self.found) or any(len(ids) > 1 for ids in self.found):
            return None
        sources, params = self._lists(stepped=True)
        way = "" if oldest else " DESC"
        return (
            f"SELECT w0.ticket_id FROM {sources} "
            f"ORDER BY w0.opened_at{way}, w0.ticket_id{way} LIMIT %s",
            [*params, limit],
        )

    def _lists(self, *, stepped: bool = False) -> tuple[str, list]:
        """Each query word's tickets in the lists' order, joined: one word's list as it is,
        the lists of several words merged.

        ``stepped`` writes the join so that a page of the newest (or oldest) is read by
        stepping through the lists from their end and stopping there. The equal ticket_id
        is then written as a range: PostgreSQL multiplies the estimates of the two equalities
        as if they were independent (a ticket has one opened_at), finds one row, and reads
        every list whole for it (a name of two common words: 60 ms, where stepping takes
        0.3 ms); each bound of a range it estimates at a third."""
        sources, params = [], []
        for index, found in enumerate(self.found):
            if len(found) == 1:
                rows = f"SELECT opened_at, ticket_id FROM {TICKET_WORDS} WHERE word_id = %s"
                params.append(found[0].pk)
            else:
                rows = (
                    f"SELECT DISTINCT opened_at, ticket_id FROM {TICKET_WORDS} "
                    "WHERE word_id = ANY(%s)"
                )
                params.append([word.pk for word in found])
            if not index:
                sources.append(f"({rows}) w0")
            elif stepped:
                sources.append(
                    f"({rows}) w{index} ON w{index}.opened_at = w0.opened_at "
                    f"AND w{index}.ticket_id >= w0.ticket_id "
                    f"AND w{index}.ticket_id <= w0.ticket_id"
                )
            else:
                sources.append(f"({rows}) w{index} USING (opened_at, ticket_id)")
        return " JOIN ".join(sources), params


def search(text: str) -> Search | None:
    """The query's words looked up among the tickets' words, in one query; None where the
    tickets are read instead (SQLite, no word, too many words, or a word found in too
    many)."""
    found = words(text)
    if connection.vendor != "postgresql" or not found or len(found) > MAX_WORDS:
        return None
    selects = " UNION ALL ".join(
        f"(SELECT {index}, id, tickets, bitmap FROM {WORDS} "
        f"WHERE tickets > 0 AND word LIKE '%%' || upper(%s) || '%%' LIMIT {MAX_MATCHES + 1})"
        for index in range(len(found))
    )
    matches: list[list[Found]] = [[] for _ in found]
    with connection.cursor() as cursor:
        cursor.execute(selects, found)
        for index, *word in cursor.fetchall():
            matches[index].append(Found(*word))
    if any(len(ids) > MAX_MATCHES for ids in matches):
        return None
    return Search(tuple(tuple(ids) for ids in matches))
