"""The text search: each word anywhere in the short description, and on PostgreSQL its
total and first pages from the tickets' words, which triggers keep however a ticket is
written."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory
from tests.search_words_checks import bitmaps_from, kept_words, upper, words_of_the_tickets
from tickets import search_words
from tickets.models import SearchWord, Ticket

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the words are kept on PostgreSQL"
)

DESCRIPTIONS = [
    "Pengiriman notifikasi gagal",
    "Gagal kirim EMAIL ke investor",
    "Dikirim ulang: e-mail/notifikasi",
    "Teguh Gunawan (PT Maju Jaya) tidak bisa login",
    "Teguh Santoso (PT Gunawan Abadi) NIB belum terbit",
    "Ayu Lestari (CV Sinar) OSS-123 tidak tampil",
    "Café Ümit: gagal_login",
    "Jalan Straße " + "ß" * 100,  # longer than 160 letters in some upper cases ("SS")
]


def queue_url(**params):
    from urllib.parse import urlencode

    return reverse("tickets:queue", args=["all"]) + "?" + urlencode(params)


def expected(query: str, order=("-opened_at", "-id")) -> list[str]:
    """What a search lists, worked out here from the descriptions: the tickets that contain
    every word of the query, newest first."""
    wanted = [upper(word) for word in search_words.words(query)] or [upper(query)]
    return [
        ticket.number
        for ticket in Ticket.objects.order_by(*order)
        if all(word in upper(ticket.short_description) for word in wanted)
    ]


def listed(response) -> list[str]:
    return [row["number"] for row in response.context["page"].object_list]


@pytest.fixture(params=["lists", "bitmaps"] if connection.vendor == "postgresql" else ["lists"])
def counted_from(request):
    """The words' lists alone, or bitmaps for the words in two tickets or more too (a
    database's are for the words in thousands), which the triggers make as they get there."""
    if request.param == "lists":
        yield request.param
        return
    with bitmaps_from(2):
        yield request.param


@pytest.fixture
def tickets():
    start = timezone.now() - datetime.timedelta(days=1)
    made = [
        TicketFactory(short_description=text, opened_at=start + datetime.timedelta(minutes=i))
        for i, text in enumerate(DESCRIPTIONS)
    ]
    # Two opened at the same moment: the id orders them.
    made += TicketFactory.create_batch(
        2, short_description="Notifikasi dobel", opened_at=start + datetime.timedelta(hours=2)
    )
    return made


def test_words_are_runs_of_letters_and_digits():
    assert search_words.words("Gagal-kirim  e_mail, OSS/123 gagal") == [
        "Gagal",
        "kirim",
        "e",
        "mail",
        "OSS",
        "123",
        "gagal",
    ]
    assert search_words.words("Café Ümit") == ["Café", "Ümit"]
    assert search_words.words(" -/ ") == []


@postgresql_only
def test_the_database_splits_words_as_the_search_does():
    texts = [*DESCRIPTIONS, "a\tb\nc", "x~y{z}|w", "ß straße", "ÉCOLE [ok] @home #1 50%", "ﬁx İz"]
    with connection.cursor() as cursor:
        for text in texts:
            # (the database's upper case: "ß" stays, where Python makes it "SS")
            cursor.execute(
                "SELECT upper(%s), array_agg(w) FROM regexp_split_to_table(upper(%s), "
                f"{search_words.SQL_SEPARATORS}) AS w WHERE w <> ''",
                [text, text],
            )
            upper, split = cursor.fetchone()
            assert list(dict.fromkeys(split)) == search_words.words(upper)


@pytest.mark.parametrize(
    "query",
    [
        "notifikasi",
        "kirim",  # inside "Dikirim" too
        "irim",  # and inside "Pengiriman"
        "email gagal",  # both words, in any order
        "mail",
        "teguh gunawan",  # "Teguh Santoso (PT Gunawan Abadi)" has both words too
        "TEGUH  Gunawan!",
        "oss-123",
        "café",
        "straße",
        "ss",  # not in "Straße" (the database's upper case keeps the "ß")
        "login",
        "i",  # in most words
        "i gagal",
        "zzz",
        "-",  # punctuation alone: as typed
    ],
)
def test_a_text_search_lists_and_counts_the_tickets_with_every_word(
    l1_client, counted_from, tickets, query
):
    response = l1_client.get(queue_url(text=query))
    listed = [row["number"] for row in response.context["page"].object_list]
    assert listed == expected(query)
    assert response.context["page"].paginator.count == len(listed)


@postgresql_only
def test_the_words_follow_every_way_a_ticket_is_written(counted_from, tickets):
    assert kept_words() == words_of_the_tickets()
    if counted_from == "bitmaps":
        assert {"GAGAL", "NOTIFIKASI", "TEGUH", "GUNAWAN"} <= set(kept_words()[2])
    first, second, third = tickets[:3]
    # save(), a queryset update, and plain SQL
    first.short_description = "Notifikasi terkirim ulang"
    first.save()
    Ticket.objects.filter(pk=second.pk).update(short_description="Baru sama sekali")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticket SET opened_at = opened_at - interval '3 days' WHERE id = %s",
            [third.pk],
        )
    Ticket.objects.filter(pk=tickets[3].pk).update(status=Ticket.Status.ASSIGNED)  # no word
    Ticket.objects.bulk_create(
        [Ticket(**{**_columns(tickets[4]), "number": f"INC-2000-9{i:05d}"}) for i in range(3)]
    )
    tickets[5].delete()
    assert kept_words() == words_of_the_tickets()
    assert SearchWord.objects.get(word="AYU").tickets == 0


def _columns(ticket) -> dict:
    return {
        field.attname: getattr(ticket, field.attname)
        for field in Ticket._meta.concrete_fields
        if not field.primary_key
    }


@postgresql_only
def test_a_refill_reads_every_ticket_again(tickets):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (no check waits for the commit)
        cursor.execute("ALTER TABLE tickets_ticket DISABLE TRIGGER USER")
        try:
            TicketFactory(short_description="Dimuat tanpa pemicu")
            Ticket.objects.filter(pk=tickets[0].pk).update(short_description="Diubah diam-diam")
        finally:
            cursor.execute("ALTER TABLE tickets_ticket ENABLE TRIGGER USER")
    assert kept_words() != words_of_the_tickets()
    with bitmaps_from(2):
        made = set(kept_words()[2])
        call_command("rebuild_search_words", stdout=io.StringIO())
        assert kept_words() == words_of_the_tickets()
        numbers, _, bitmaps = kept_words()
        # A word keeps its bitmaps; those now in two tickets get them.
        assert set(bitmaps) == made | {word for word, n in numbers.items() if n >= 2}


@postgresql_only
def test_the_words_in_many_tickets_get_bitmaps(tickets):
    numbers = kept_words()[0]
    with bitmaps_from(2):
        assert set(kept_words()[2]) == {word for word, n in numbers.items() if n >= 2}
        assert kept_words() == words_of_the_tickets()
        TicketFactory(short_description="Ayu lupa password")  # AYU's second ticket
        assert "AYU" in kept_words()[2]
        assert kept_words() == words_of_the_tickets()


@postgresql_only
def test_bitmaps_hold_tickets_of_any_id_in_their_blocks(l1_client):
    """Bit i of block b is the ticket b * 8192 + i, whatever the id (negative ones too);
    words whose tickets share no block have none in common."""
    block = search_words.BLOCK
    with bitmaps_from(2):
        for pk in (-5, 1, block - 1, block, block + 1, 3 * block + 7, 2**40):
            TicketFactory(id=pk, short_description="Alfa bravo")
        TicketFactory(id=5 * block, short_description="Charlie")
        TicketFactory(id=5 * block + 1, short_description="Charlie delta")
        TicketFactory(id=9 * block, short_description="Delta")
        assert kept_words() == words_of_the_tickets()
        assert set(kept_words()[2]) == {"ALFA", "BRAVO", "CHARLIE", "DELTA"}
        for query, number in (("alfa bravo", 7), ("alfa charlie", 0), ("charlie delta", 1)):
            with CaptureQueriesContext(connection) as queries:
                response = l1_client.get(queue_url(text=query))
            assert response.context["page"].paginator.count == number == len(expected(query))
            assert any("bit_count" in query["sql"] for query in queries.captured_queries)
        Ticket.objects.get(pk=2**40).delete()
        assert kept_words() == words_of_the_tickets()


def bitmaps_in_table_order() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word_id, block FROM {search_words.BITMAPS} ORDER BY ctid")
        return cursor.fetchall()


@postgresql_only
def test_a_word_s_bitmaps_lie_together_in_their_table():
    """Made at once, by a rebuild or for words that reach the threshold in one write, each
    word's bitmaps are written in block order, word after word."""
    block = search_words.BLOCK
    for n in range(12):
        TicketFactory(id=n * block + n, short_description=f"Alfa bravo charlie {n}")
    with bitmaps_from(2):
        made = bitmaps_in_table_order()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (no check waits for the commit)
        call_command("rebuild_search_words", stdout=io.StringIO())
        rebuilt = bitmaps_in_table_order()
    for rows in (made, rebuilt):
        assert len(rows) == 3 * 12 and rows == sorted(rows)


@postgresql_only
def test_migrate_puts_the_triggers_back():
    every = {search_words.INSERTED, search_words.UPDATED, *search_words.COUNT_TRIGGERS}
    assert search_words.installed(connection) == every
    search_words.remove(connection)
    assert search_words.installed(connection) == set()
    search_words.reinstall_after_migrate(None, using="default")
    assert search_words.installed(connection) == every
    # with the bitmaps
    TicketFactory(short_description="Kata pertama")
    search_words.make_bitmaps(connection, 1)
    TicketFactory(short_description="Kata kedua")
    assert set(kept_words()[2]) == {"KATA", "PERTAMA"}
    assert kept_words() == words_of_the_tickets()


@postgresql_only
@pytest.mark.parametrize(
    "query, rows_from_words",
    [
        ("notifikasi", True),
        ("gagal", True),
        ("teguh gunawan", True),
        ("kirim", False),
        ("i gagal", False),  # "i" is in words with bitmaps and in words without
    ],
)
def test_the_total_and_both_ends_come_from_the_words(
    l1_client, counted_from, tickets, query, rows_from_words
):
    """Never counted from the tickets; the first and last pages read from the words where
    each word of the query is one of the tickets' words ("kirim" is in two). Several words,
    or one found in several, are counted from their bitmaps where they have them."""
    # Four opened at one moment, at the head of the list: the id orders them.
    TicketFactory.create_batch(
        4, short_description="Teguh Gunawan: notifikasi gagal", opened_at=timezone.now()
    )
    every = expected(query)
    pages = -(-len(every) // 2)
    for number, rows in ((1, every[:2]), (pages, every[(pages - 1) * 2 :])):
        with CaptureQueriesContext(connection) as queries:
            response = l1_client.get(queue_url(text=query, per_page=2, page=number))
        assert [row["number"] for row in response.context["page"].object_list] == rows
        assert response.context["page"].paginator.count == len(every)
        sql = [query["sql"] for query in queries.captured_queries]
        assert not any("COUNT(*)" in one and "LIKE UPPER" in one for one in sql)
        listed_by_words = any("ORDER BY w0.opened_at" in one for one in sql)
        assert listed_by_words == rows_from_words
        from_bitmaps = any("bit_count" in one for one in sql)
        several = len(query.split()) > 1
        assert from_bitmaps == (counted_from == "bitmaps" and several)


@postgresql_only
def test_both_ends_of_three_words_come_from_their_lists_in_order(l1_client, counted_from, tickets):
    """Stepping back (or on) through three lists at once, ties on the moment ordered by id."""
    moment = timezone.now()
    TicketFactory.create_batch(3, short_description="Tidak bisa login OSS", opened_at=moment)
    TicketFactory(
        short_description="Login OSS: tidak bisa", opened_at=moment - datetime.timedelta(minutes=1)
    )
    every = expected("tidak bisa login")
    assert len(every) == 5
    for number, rows in ((1, every[:2]), (3, every[4:])):
        with CaptureQueriesContext(connection) as queries:
            response = l1_client.get(queue_url(text="tidak bisa login", per_page=2, page=number))
        assert listed(response) == rows
        assert response.context["page"].paginator.count == 5
        assert any("ORDER BY w0.opened_at" in one["sql"] for one in queries.captured_queries)


def counted_from_the_tickets(client, url) -> tuple[bool, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    sql = [query["sql"] for query in queries.captured_queries]
    return any("COUNT(*)" in one and "LIKE UPPER" in one for one in sql), response


@postgresql_only
def test_too_many_words_are_counted_from_the_tickets(l1_client, tickets, monkeypatch):
    for query in ("kirim", "teguh gunawan"):
        assert counted_from_the_tickets(l1_client, queue_url(text=query))[0] is False
    monkeypatch.setattr(search_words, "MAX_MATCHES", 1)  # "kirim": KIRIM and DIKIRIM
    counted, response = counted_from_the_tickets(l1_client, queue_url(text="kirim"))
    assert counted and listed(response) == expected("kirim")
    assert response.context["page"].paginator.count == len(expected("kirim"))
    monkeypatch.setattr(search_words, "MAX_WORDS", 1)
    counted, response = counted_from_the_tickets(l1_client, queue_url(text="teguh gunawan"))
    assert counted and listed(response) == expected("teguh gunawan")
    assert response.context["page"].paginator.count == len(expected("teguh gunawan"))


def test_another_order_lists_the_matches_in_it(l1_client, tickets):
    """Only the lists' own order (newest first) is read from the words."""
    oldest_first = expected("notifikasi", order=("opened_at", "id"))
    response = l1_client.get(queue_url(text="notifikasi", sort="opened", per_page=2))
    assert listed(response) == oldest_first[:2]
    last = -(-len(oldest_first) // 2)
    response = l1_client.get(queue_url(text="notifikasi", sort="opened", per_page=2, page=last))
    assert listed(response) == oldest_first[(last - 1) * 2 :]


def test_a_query_longer_than_a_short_description_is_refused_next_to_the_field(l1_client):
    response = l1_client.get(queue_url(text="x" * 161, filter=1))
    assert response.context["filter"].form.errors["text"]
    assert 'value="' + "x" * 161 + '"' in response.content.decode()


@postgresql_only
def test_a_bulk_load_reads_its_words_at_its_end(tickets):
    from tickets.demo_data import generate

    call_command("loaddata", "taxonomy", "reference", verbosity=0)
    made_meanwhile = []
    generate(
        90,
        agents=20,
        years=1,
        batch_size=30,
        progress=lambda done: made_meanwhile.append(
            TicketFactory(short_description=f"Dibuat sambil memuat {done}")
        ),
    )
    assert len(made_meanwhile) == 3
    assert kept_words() == words_of_the_tickets()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [search_words.LATER])
        assert cursor.fetchone()[0] != "on"
    TicketFactory(short_description="Sesudahnya")
    assert SearchWord.objects.get(word="SESUDAHNYA").tickets == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_a_text_search_takes_a_fixed_number_of_queries(l1_client, rows, django_assert_num_queries):
    TicketFactory.create_batch(rows, short_description="Notifikasi email gagal")
    TicketFactory.create_batch(rows, short_description="Tidak bisa login")
    l1_client.get(queue_url(text="notifikasi"))  # (the names are kept from then on)
    # session, user with groups, (PostgreSQL: the query's words among the tickets' words),
    # header counters with the total, page rows
    words = 1 if connection.vendor == "postgresql" else 0
    for query in ("notifikasi", "email gagal", "notif"):
        with django_assert_num_queries(4 + words):
            response = l1_client.get(queue_url(text=query))
        assert response.context["page"].paginator.count == rows


def test_a_vendor_s_text_search_counts_only_what_the_group_sees(
    vendor_client, vendor_group, l2_group
):
    TicketFactory(assignment_group=vendor_group, short_description="Notifikasi gagal")
    TicketFactory(assignment_group=l2_group, short_description="Notifikasi gagal")
    response = vendor_client.get(queue_url(text="notifikasi"))
    assert response.context["page"].paginator.count == 1
