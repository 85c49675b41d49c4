"""Run calls at the same moment, each in its own thread on its own database connection."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections


@dataclass
class Outcome:
    """What one call returned, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None


def run_together(*calls: Callable[[], Any], timeout: float = 60) -> list[Outcome]:
    """Start every call at once (a barrier releases them together) and wait for all of them.

    Each thread connects before the barrier, so connecting does not stagger the calls, and
    closes its connections afterwards, so none is left open on the test database.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is not shared between connections")
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(call: Callable[[], Any], outcome: Outcome) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout)
            outcome.value = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test through the outcome
            outcome.error = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(calls, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "a call did not finish in time"
    return outcomes


def errors(outcomes: list[Outcome]) -> list[BaseException]:
    return [outcome.error for outcome in outcomes if outcome.error is not None]


def successes(outcomes: list[Outcome]) -> list[Any]:
    return [outcome.value for outcome in outcomes if outcome.error is None]
