"""Realistic demo incidents in bulk, for trying the product at scale and for the benchmark.

Rows are generated in batches and written with COPY on PostgreSQL and multi-row inserts on
SQLite; the workflow is bypassed on purpose (like an import of history), but every row obeys
its rules: states, history, the priority matrix, and numbers that later tickets continue.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import AssignmentGroup, Company, User
from taxonomy.models import Category

from . import search_words, tallies
from .models import (
    PRIORITY_MATRIX,
    Attachment,
    CloseCode,
    ContactType,
    GroupHolding,
    IncidentType,
    Location,
    Note,
    Ticket,
    TicketCounter,
    TicketEvent,
    WatchListEntry,
)

S = Ticket.Status
A = TicketEvent.Action

# Shares of the states among generated incidents: most are long closed.
STATE_SHARES = [
    (S.CLOSED, 80.0),
    (S.NEW, 2.5),
    (S.ASSIGNED, 4.0),
    (S.IN_PROGRESS, 5.0),
    (S.ON_HOLD, 2.0),
    (S.RESOLVED, 3.5),
    (S.REOPENED, 1.0),
    (S.CANCELLED, 2.0),
]

EXTRA_GROUPS = {
    # name: (company, is_vendor)
    "L2 Aplikasi OSS": ("BKPM", False),
    "L2 Jaringan & Infrastruktur": ("BKPM", False),
    "L2 Data": ("BKPM", False),
    "L2 Integrasi": ("BKPM", False),
    "Helpcenter Daerah": ("BKPM", False),
    "L2 TELKOM": ("TELKOM", True),
}

FIRST_NAMES = [
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gilang",
    "Hendra",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Oktavia",
    "Putri",
    "Rizky",
    "Sari",
    "Teguh",
    "Wahyu",
]
LAST_NAMES = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Pratama",
    "Kusuma",
    "Siregar",
    "Nasution",
    "Harahap",
    "Simanjuntak",
    "Gunawan",
    "Setiawan",
    "Rahmawati",
    "Lubis",
    "Sinaga",
]
COMPANY_WORDS = [
    "Maju",
    "Jaya",
    "Sentosa",
    "Abadi",
    "Makmur",
    "Sejahtera",
    "Nusantara",
    "Mandiri",
    "Karya",
    "Prima",
    "Sinar",
    "Mulia",
    "Bumi",
    "Indah",
    "Persada",
    "Utama",
]
PROBLEMS = [
    "tidak bisa login ke OSS",
    "tidak menerima email notifikasi",
    "NIB belum terbit",
    "gagal cek NIK di Dukcapil",
    "status izin tidak berubah",
    "lupa password akun OSS",
    "data LKPM tidak tersimpan",
    "permohonan fasilitas tax allowance",
    "hak akses DPMPTSP",
    "perubahan profil perusahaan",
    "integrasi pajak gagal",
    "dokumen tidak bisa diunggah",
]
WORK_NOTES = [
    "Sudah dicek di sistem, akun aktif.",
    "Menunggu konfirmasi dari pelaku usaha.",
    "Diteruskan ke tim aplikasi.",
    "Log error sudah dilampirkan.",
    "Sudah dicoba ulang, berhasil.",
]
COMMENTS = [
    "Mohon dicoba kembali login ke OSS.",
    "Hak akses telah dikirim ulang ke alamat email.",
    "Silakan lengkapi dokumen persyaratan.",
    "Permohonan Bapak/Ibu sedang kami proses.",
]
RESOLUTIONS = [
    "Password direset dan dikirim ulang.",
    "Data disinkronkan ulang dengan Dukcapil.",
    "Hak akses diperbaiki.",
    "Panduan dikirim ke pelaku usaha.",
]


@dataclass
class Setup:
    """The reference rows the generator picks from."""

    l1_groups: list[AssignmentGroup]
    l2_groups: list[AssignmentGroup]
    members: dict[int, list[int]]
    paths: list[tuple[int, int | None, int | None, int | None]]
    close_codes: list[int]
    incident_types: list[int]
    locations: list[int]


def ensure_setup(agents: int, rng: random.Random) -> Setup:
    """Create the extra groups and agents (idempotent), and read the lists to pick from."""
    from accounts.demo import seed_organisation

    seed_organisation()
    if not Category.objects.exists():
        from django.core.management import call_command

        call_command("loaddata", "taxonomy", "reference", verbosity=0)
    for name, (company, is_vendor) in EXTRA_GROUPS.items():
        company_row, _ = Company.objects.get_or_create(
            name=company, defaults={"is_vendor": is_vendor}
        )
        AssignmentGroup.objects.get_or_create(name=name, defaults={"company": company_row})
    groups = list(AssignmentGroup.objects.filter(is_active=True).order_by("name"))
    existing = User.objects.filter(username__startswith="agent").count()
    if existing < agents:
        password = make_password(DEMO_PASSWORD)
        users = [
            User(
                username=f"agent{n:04d}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"agent{n:04d}@estim.localhost",
                password=password,
            )
            for n in range(existing + 1, agents + 1)
        ]
        User.objects.bulk_create(users, batch_size=1000)
        created = User.objects.filter(username__in=[u.username for u in users])
        through = AssignmentGroup.members.through
        # Half the agents in the first-line groups, the rest spread over the others.
        l1 = [g for g in groups if g.is_l1]
        rows = []
        for i, user in enumerate(created.order_by("username")):
            group = l1[i % len(l1)] if i % 2 == 0 else groups[i % len(groups)]
            rows.append(through(assignmentgroup_id=group.pk, user_id=user.pk))
        through.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    members: dict[int, list[int]] = {g.pk: [] for g in groups}
    for group_id, user_id in AssignmentGroup.members.through.objects.values_list(
        "assignmentgroup_id", "user_id"
    ):
        members.setdefault(group_id, []).append(user_id)
    nodes = {c.pk: c for c in Category.objects.filter(is_active=True)}
    paths = []
    leaf_ids = set(nodes) - {c.parent_id for c in nodes.values() if c.parent_id}
    for pk in sorted(leaf_ids):
        chain = []
        node = nodes[pk]
        while node is not None:
            chain.append(node.pk)
            node = nodes.get(node.parent_id) if node.parent_id else None
        chain.reverse()
        paths.append(tuple(chain + [None] * (4 - len(chain))))
    return Setup(
        l1_groups=[g for g in groups if g.is_l1 and members.get(g.pk)],
        l2_groups=[g for g in groups if not g.is_l1 and members.get(g.pk)],
        members=members,
        paths=paths,
        close_codes=list(CloseCode.objects.values_list("pk", flat=True)),
        incident_types=list(IncidentType.objects.values_list("pk", flat=True)),
        locations=list(Location.objects.values_list("pk", flat=True)),
    )


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


class Writer:
    """Appends rows to tables: COPY on PostgreSQL, multi-row INSERT elsewhere."""

    def __init__(self):
        self.is_postgres = connection.vendor == "postgresql"

    def write(self, model, rows: Sequence[dict]) -> None:
        if not rows:
            return
        columns = _columns(model)
        table = model._meta.db_table
        if self.is_postgres:
            values = [tuple(row.get(c) for c in columns) for row in rows]
        else:
            adapt = connection.ops.adapt_datetimefield_value
            values = [
                tuple(
                    adapt(v) if isinstance(v, datetime.datetime) else v
                    for v in (row.get(c) for c in columns)
                )
                for row in rows
            ]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.is_postgres:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", values
                )

    def take_ids(self, model, count: int) -> list[int]:
        """``count`` new ids for rows of ``model``, which no other connection can be given.

        PostgreSQL hands them out from the table's own sequence, as it does to rows the
        workflow inserts at the same time. SQLite's IMMEDIATE transaction holds the database's
        write lock from its start, so nothing else inserts before the batch commits.
        """
        if not count:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.is_postgres:
                cursor.execute(
                    f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                    "FROM generate_series(1, %s)",
                    [count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            (last,) = cursor.fetchone()
            return list(range(last + 1, last + 1 + count))


def _weighted_states(rng: random.Random, n: int) -> list[str]:
    states, weights = zip(*STATE_SHARES, strict=True)
    return rng.choices(states, weights=weights, k=n)


def generate(
    count: int,
    *,
    agents: int = 300,
    years: int = 3,
    batch_size: int = 20_000,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add ``count`` incidents opened over the last ``years`` years; return how many."""
    rng = random.Random(seed + Ticket.objects.count())
    setup = ensure_setup(agents, rng)
    writer = Writer()
    now = timezone.now()
    start = now - datetime.timedelta(days=365 * years)
    span = (now - start).total_seconds()
    # Opening times in order, so numbers rise with time within each year.
    offsets = sorted(rng.random() * span for _ in range(count))
    done = 0
    with search_words.later_in_bulk():
        while done < count:
            offsets_now = offsets[done : done + batch_size]
            opened = [start + datetime.timedelta(seconds=s) for s in offsets_now]
            with transaction.atomic(), search_words.skipped():
                counters = _reserve_numbers(opened)
                _write_batch(writer, setup, rng, opened, counters, now)
            done += len(opened)
            if progress:
                progress(done)
    tallies.rebuild()
    return done


def _reserve_numbers(opened: list[datetime.datetime]) -> dict[int, int]:
    """Take a block of numbers per year for incidents opened at these times; return, per year,
    the last number before the block (the batch counts on from there).

    Must run in the batch's transaction: the counters' rows stay locked until it commits, so a
    ticket created meanwhile waits and then takes the number after the block, as it would
    after any other ticket (tickets.workflow takes numbers under the same row lock).
    """
    tz = timezone.get_current_timezone()
    needed = Counter(moment.astimezone(tz).year for moment in opened)
    # A year without a row gets one first; one a ticket created meanwhile inserted is kept.
    TicketCounter.objects.bulk_create(
        [TicketCounter(year=year, last=0) for year in needed], ignore_conflicts=True
    )
    before = {}
    # In year order, so two generators running at once lock the rows in the same order.
    for counter in (
        TicketCounter.objects.select_for_update().filter(year__in=needed).order_by("year")
    ):
        before[counter.year] = counter.last
        counter.last += needed[counter.year]
        counter.save(update_fields=["last"])
    return before


class _History:
    """The events of one generated incident, each some minutes after the one before."""

    def __init__(self, start: datetime.datetime, step: datetime.timedelta, end):
        self.time, self.step, self.end = start, step, end
        self.rows: list[tuple] = []

    def add(self, action, from_status, to_status, actor, changes) -> None:
        self.rows.append((action, from_status, to_status, actor, self.time, changes))
        self.time = min(self.time + self.step, self.end)


def _write_batch(writer, setup: Setup, rng, opened: list[datetime.datetime], counters, now):
    ticket_ids = iter(writer.take_ids(Ticket, len(opened)))
    tickets, events, notes, holdings, watchers, attachments = [], [], [], [], [], []
    states = _weighted_states(rng, len(opened))
    tz = timezone.get_current_timezone()
    for opened_at, state in zip(opened, states, strict=True):
        year = opened_at.astimezone(tz).year
        counters[year] = counters.get(year, 0) + 1
        ticket_id = next(ticket_ids)
        l1 = rng.choice(setup.l1_groups)
        l2 = rng.choice(setup.l2_groups)
        opener = rng.choice(setup.members[l1.pk])
        escalated = state in (S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD, S.REOPENED) or (
            state in (S.RESOLVED, S.CLOSED) and rng.random() < 0.4
        )
        worker_group = l2 if escalated else l1
        worker = rng.choice(setup.members[worker_group.pk])
        impact, urgency = rng.randint(1, 3), rng.randint(1, 3)
        path = rng.choice(setup.paths)
        company = f"PT {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}"
        person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        problem = rng.choice(PROBLEMS)
        step = datetime.timedelta(minutes=rng.randint(5, 600))
        history = _History(opened_at, step, now)
        event = history.add

        first_state = S.ASSIGNED if escalated else S.NEW
        event(
            A.CREATE,
            "",
            S.NEW if not escalated else S.ASSIGNED,
            opener,
            {"assignment_group": [None, worker_group.pk]},
        )
        row = {
            "id": ticket_id,
            "number": f"INC-{year}-{counters[year]:06d}",
            "requested_by": person,
            "company_name": company,
            "phone": f"+62812{rng.randint(10_000_000, 99_999_999)}",
            "nib": f"{rng.randint(10**12, 10**13 - 1)}",
            "nik": f"{rng.randint(10**15, 10**16 - 1)}",
            "email": f"{person.split()[0].lower()}.{rng.randint(1, 9999)}@example.co.id",
            "building": "",
            "location_description": "",
            "short_description": f"{person} ({company}) {problem}",
            "description": f"<p>Pelaku usaha melaporkan {problem}.</p>",
            "opened_at": opened_at,
            "back_dated": None,
            "status": state,
            "contact_type": rng.choice(ContactType.values),
            "impact": impact,
            "urgency": urgency,
            "priority": int(PRIORITY_MATRIX[(impact, urgency)]),
            "is_vip": rng.random() < 0.02,
            "hold_reason": "",
            "cancel_reason": "",
            "resolution": "",
            "resolved_at": None,
            "close_notes": "",
            "closed_at": None,
            "is_knowledge": False,
            "assigned_to_id": None,
            "assignment_group_id": worker_group.pk,
            "category_id": path[0],
            "sub_category_id": path[1],
            "item_category_id": path[2],
            "item_name_id": path[3],
            "close_code_id": None,
            "closed_by_id": None,
            "incident_type_id": rng.choice(setup.incident_types) if setup.incident_types else None,
            "location_id": rng.choice(setup.locations) if setup.locations else None,
            "opened_by_id": opener,
            "opened_by_group_id": l1.pk,
            "resolved_by_id": None,
            "resolved_by_group_id": None,
            "template_id": None,
            "vendor_id": None,
            "created_at": opened_at,
        }
        current = first_state
        if state in (S.NEW, S.ASSIGNED):
            # An edit after creation, so every incident has some history to show.
            row["building"] = "Gedung Utama"
            event(A.UPDATE, current, current, opener, {"building": ["", "Gedung Utama"]})
        if state == S.CANCELLED:
            row["cancel_reason"] = "Duplikat"
            event(A.CANCEL, current, S.CANCELLED, opener, {"cancel_reason": ["", "Duplikat"]})
        elif state != current:
            if state != S.ASSIGNED or not escalated:
                event(A.PICK_UP, current, S.IN_PROGRESS, worker, {"assigned_to": [None, worker]})
                current = S.IN_PROGRESS
                row["assigned_to_id"] = worker
            if state == S.ON_HOLD:
                row["hold_reason"] = "Menunggu data dari pelaku usaha"
                event(A.HOLD, current, S.ON_HOLD, worker, {})
            elif state in (S.RESOLVED, S.CLOSED, S.REOPENED):
                resolution = rng.choice(RESOLUTIONS)
                resolved_at = history.time
                event(A.RESOLVE, current, S.RESOLVED, worker, {"resolution": ["", resolution]})
                row.update(
                    resolution=resolution,
                    resolved_at=resolved_at,
                    resolved_by_id=worker,
                    resolved_by_group_id=worker_group.pk,
                    assignment_group_id=l1.pk,
                    assigned_to_id=None,
                )
                if state == S.REOPENED:
                    event(A.REOPEN, S.RESOLVED, S.REOPENED, opener, {})
                    row.update(assignment_group_id=worker_group.pk, assigned_to_id=worker)
                elif state == S.CLOSED:
                    closer = rng.choice(setup.members[l1.pk])
                    closed_at = history.time
                    event(A.CLOSE, S.RESOLVED, S.CLOSED, closer, {})
                    row.update(
                        close_code_id=rng.choice(setup.close_codes),
                        close_notes="Selesai.",
                        closed_by_id=closer,
                        closed_at=closed_at,
                        assigned_to_id=closer,
                        is_knowledge=rng.random() < 0.05,
                    )
        row["version"] = len(history.rows)
        row["updated_at"] = history.rows[-1][4]
        tickets.append(row)
        for action, from_status, to_status, actor, at, changes in history.rows:
            events.append(
                {
                    "ticket_id": ticket_id,
                    "action": action,
                    "from_status": from_status,
                    "to_status": to_status,
                    "actor_id": actor,
                    "created_at": at,
                    "data": json.dumps({"changes": changes}),
                }
            )
        for n in range(rng.randint(1, 3)):
            is_comment = n == 1
            notes.append(
                {
                    "ticket_id": ticket_id,
                    "visibility": Note.Visibility.COMMENT
                    if is_comment
                    else Note.Visibility.WORK_NOTE,
                    "body": rng.choice(COMMENTS if is_comment else WORK_NOTES),
                    "author_id": worker,
                    "created_at": opened_at + step * (n + 1) / 4,
                    "updated_at": opened_at + step * (n + 1) / 4,
                }
            )
        for group_id in {l1.pk, worker_group.pk}:
            holdings.append(
                {
                    "ticket_id": ticket_id,
                    "group_id": group_id,
                    "created_at": opened_at,
                }
            )
        if rng.random() < 0.1:
            watchers.append(
                {
                    "ticket_id": ticket_id,
                    "email": row["email"],
                    "added_by_id": worker,
                    "created_at": opened_at,
                    "updated_at": opened_at,
                }
            )
        if rng.random() < 0.05:
            attachments.append(
                {
                    "ticket_id": ticket_id,
                    "original_name": "bukti-error.pdf",
                    "content_type": "application/pdf",
                    "size": rng.randint(20_000, 2_000_000),
                    "uploaded_by_id": worker,
                    "created_at": opened_at,
                    "updated_at": opened_at,
                }
            )
    # The other rows are referred to by nothing, so their ids are taken once they are counted.
    for model, rows in (
        (TicketEvent, events),
        (Note, notes),
        (GroupHolding, holdings),
        (WatchListEntry, watchers),
        (Attachment, attachments),
    ):
        for row, row_id in zip(rows, writer.take_ids(model, len(rows)), strict=True):
            row["id"] = row_id
    for row in attachments:
        row["file"] = f"attachments/{row['ticket_id']}/demo-{row['id']}"
    writer.write(Ticket, tickets)
    writer.write(TicketEvent, events)
    writer.write(Note, notes)
    writer.write(GroupHolding, holdings)
    writer.write(WatchListEntry, watchers)
    writer.write(Attachment, attachments)
