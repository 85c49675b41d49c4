"""Querysets compiled once (tickets/prepared.py) give what the ORM gives, for any values."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import MemberBackend
from tests.factories import NoteFactory, TicketEventFactory, TicketFactory
from tickets import prepared
from tickets.models import Note, Ticket, TicketEvent
from tickets.queues import _header_querysets, count_many, header_counters

pytestmark = pytest.mark.django_db


def notes_of(pk):
    return Note.objects.filter(ticket_id=pk).order_by("pk").values_list("pk", "body", "created_at")


def test_each_call_binds_its_own_values():
    first, second = TicketFactory(), TicketFactory()
    NoteFactory(ticket=first, body="satu")
    NoteFactory(ticket=second, body="dua")
    NoteFactory(ticket=second, body="tiga")
    for ticket in (first, second, first):
        assert prepared.rows("test notes", notes_of, ticket.pk) == list(notes_of(ticket.pk))
    bodies = [row[1] for row in prepared.rows("test notes", notes_of, second.pk)]
    assert bodies == ["dua", "tiga"]


def test_columns_are_converted_as_the_orm_converts_them():
    event = TicketEventFactory(data={"changes": {"impact": [2, 1]}, "reason": "Salah"})
    [(data, moment)] = prepared.rows(
        "test events",
        lambda pk: TicketEvent.objects.filter(pk=pk).values_list("data", "created_at"),
        event.pk,
    )
    assert data == {"changes": {"impact": [2, 1]}, "reason": "Salah"}
    assert isinstance(moment, datetime.datetime) and moment.tzinfo is not None
    assert moment == event.created_at


def test_lists_of_any_length_and_lists_that_match_nothing():
    tickets = TicketFactory.create_batch(3)

    def numbers(pks):
        return Ticket.objects.filter(pk__in=pks).order_by("pk").values_list("number", flat=False)

    for chosen in (tickets[:1], tickets, tickets[1:], []):
        found = prepared.rows("test numbers", numbers, [t.pk for t in chosen])
        assert found == [(t.number,) for t in sorted(chosen, key=lambda t: t.pk)]


def test_instances_hold_every_column():
    ticket = TicketFactory(short_description="Dokumen tidak terunggah")
    [loaded] = prepared.instances(
        "test ticket", Ticket, lambda number: Ticket.objects.filter(number=number), ticket.number
    )
    assert loaded == ticket
    with CaptureQueriesContext(connection) as queries:
        assert loaded.short_description == "Dokumen tidak terunggah"
        assert loaded.opened_at == ticket.opened_at
    assert len(queries) == 0


def test_values_that_would_change_the_sql_are_refused():
    with pytest.raises(TypeError):
        prepared.rows("test refused", notes_of, None)
    with pytest.raises(TypeError):
        prepared.rows("test refused", notes_of, True)


def test_header_counters_of_users_of_the_same_kind_are_their_own(
    l1_agent, l1_agent2, l1_group, l2_group, vendor_agent, vendor_group
):
    TicketFactory(opened_by=l1_agent, assignment_group=l2_group)
    TicketFactory.create_batch(2, opened_by=l1_agent2, assignment_group=l1_group)
    TicketFactory(assignment_group=vendor_group, assigned_to=vendor_agent, status="in_progress")
    TicketFactory(assignment_group=l2_group, assigned_to=vendor_agent, status="in_progress")
    for user in (l1_agent, l1_agent2, vendor_agent, l1_agent):
        user = MemberBackend().get_user(user.pk)
        assert header_counters(user) == count_many(_header_querysets(user))
    vendor = MemberBackend().get_user(vendor_agent.pk)
    # The ticket assigned to them in a group they never held is not theirs to see.
    assert header_counters(vendor) == {"my_ticket": 0, "my_assignment": 1, "my_group": 1}
    assert header_counters(MemberBackend().get_user(l1_agent2.pk))["my_ticket"] == 2


def test_a_queryset_whose_sql_the_values_change_is_refused():
    """A value the ORM rewrites (a pattern around a text) or may drop (a bound it finds
    always true) cannot be bound later: such a queryset is refused, never run wrong."""
    TicketFactory(short_description="Tidak bisa login")
    with pytest.raises(ValueError):
        prepared.rows(
            "test contains",
            lambda text: Ticket.objects.filter(short_description__icontains=text).values_list("pk"),
            "login",
        )


def test_comparisons_on_small_integer_columns_are_bound_not_folded():
    low, high = TicketFactory(), TicketFactory()
    Ticket.objects.filter(pk=low.pk).update(version=1)
    Ticket.objects.filter(pk=high.pk).update(version=9)

    def newer(version):
        return Ticket.objects.filter(version__gte=version).values_list("pk", flat=False)

    assert prepared.rows("test version", newer, 5) == [(high.pk,)]
    assert sorted(prepared.rows("test version", newer, 0)) == sorted([(low.pk,), (high.pk,)])


def test_instances_with_one_foreign_key_read_in_the_same_query(l1_group):
    ticket = TicketFactory(assignment_group=l1_group, vendor=None)

    def by_number(number):
        return Ticket.objects.filter(number=number)

    [loaded] = prepared.instances(
        "test with group", Ticket, by_number, ticket.number, related="assignment_group"
    )
    [no_vendor] = prepared.instances(
        "test with vendor", Ticket, by_number, ticket.number, related="vendor"
    )
    with CaptureQueriesContext(connection) as queries:
        assert loaded.assignment_group == l1_group
        assert loaded.assignment_group.name == l1_group.name
        assert loaded.assignment_group.is_l1 is True
        assert no_vendor.vendor is None
    assert len(queries) == 0
