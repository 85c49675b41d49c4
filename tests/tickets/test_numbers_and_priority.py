import re
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import CategoryFactory
from tickets import workflow
from tickets.models import Priority, Ticket, TicketCounter, compute_priority

pytestmark = pytest.mark.django_db

H, M, L = Ticket.Impact.HIGH, Ticket.Impact.MEDIUM, Ticket.Impact.LOW

MATRIX = [
    (H, H, Priority.CRITICAL),
    (H, M, Priority.HIGH),
    (H, L, Priority.MEDIUM),
    (M, H, Priority.HIGH),
    (M, M, Priority.MEDIUM),
    (M, L, Priority.LOW),
    (L, H, Priority.MEDIUM),
    (L, M, Priority.LOW),
    (L, L, Priority.LOW),
]


@pytest.mark.parametrize(("impact", "urgency", "priority"), MATRIX)
def test_priority_matrix(impact, urgency, priority):
    assert compute_priority(impact, urgency) == priority


def _create(user, category):
    return workflow.create_ticket(
        by=user,
        short_description="x",
        category=category,
        contact_type="email",
        impact=H,
        urgency=L,
    )


def test_number_has_the_year_and_six_digits(l1_agent):
    ticket = _create(l1_agent, CategoryFactory())
    year = timezone.localtime().year
    assert re.fullmatch(rf"INC-{year}-\d{{6}}", ticket.number)
    assert ticket.number == f"INC-{year}-000001"


def test_numbers_follow_each_other_and_are_never_reused(l1_agent):
    category = CategoryFactory()
    first = _create(l1_agent, category)
    second = _create(l1_agent, category)
    second.delete()
    third = _create(l1_agent, category)
    year = timezone.localtime().year
    assert [first.number, third.number] == [f"INC-{year}-000001", f"INC-{year}-000003"]
    assert TicketCounter.objects.get(year=year).last == 3


@pytest.mark.django_db(transaction=True)
def test_parallel_creates_get_distinct_numbers(l1_agent):
    category = CategoryFactory()
    numbers, errors = [], []

    def worker():
        try:
            for _ in range(5):
                numbers.append(_create(l1_agent, category).number)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("in-memory SQLite is not shared between threads")
    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(numbers) == 30 and len(set(numbers)) == 30
