"""seed_demo --top-up, as `make run` calls it: the demo has N incidents however often it runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def seed(incidents: int) -> None:
    call_command("seed_demo", incidents=incidents, agents=5, top_up=True, stdout=StringIO())


def test_top_up_adds_only_the_incidents_missing():
    seed(30)
    assert Ticket.objects.count() == 30
    seed(30)
    assert Ticket.objects.count() == 30
    seed(45)
    assert Ticket.objects.count() == 45


def test_top_up_never_removes_incidents():
    seed(20)
    seed(10)
    assert Ticket.objects.count() == 20
