"""Reference data kept between requests while it is current: the taxonomy, the pick lists,
the groups, their members and the people's names that the pages' selects and histories show.

The database holds the version of that data (ReferenceVersion), and triggers give it a new
number on every change to those tables (tickets/reference_triggers.py). Each request reads the
number together with its user (backends.MemberBackend); data kept at another number is loaded
again, so a change shows on the next page anyone opens.

Nothing is kept or used outside a request (a command, a shell, the workflow called directly),
nor inside a transaction the application opened: that transaction may have changed the data
itself, or may yet roll back what it loaded.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from threading import Lock
from typing import TypeVar

from django.core.signals import request_finished, request_started
from django.db import connection

T = TypeVar("T")

# Databases whose triggers migration 0011 creates.
VERSIONED_DATABASES = ("postgresql", "sqlite")
KEEP_AT_MOST = 512

# Whether a request is being answered, and the version it read (None: none).
_in_request: ContextVar[bool] = ContextVar("in_request", default=False)
_version: ContextVar[int | None] = ContextVar("reference_version", default=None)
_kept: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
_lock = Lock()


def read_in_request(version: int | None) -> None:
    """The version the current request read with its user (ignored outside a request)."""
    if _in_request.get() and connection.vendor in VERSIONED_DATABASES:
        _version.set(version)


def _request_started(**_kwargs) -> None:
    _in_request.set(True)
    _version.set(None)


def _request_finished(**_kwargs) -> None:
    _in_request.set(False)
    _version.set(None)


request_started.connect(_request_started, dispatch_uid="reference-version-start")
request_finished.connect(_request_finished, dispatch_uid="reference-version-finish")


@contextmanager
def request_scope():
    """Code run as one request would be (tickets/warm_pages.py draws pages outside one);
    what was in effect before comes back after it."""
    in_request, version = _in_request.set(True), _version.set(None)
    try:
        yield
    finally:
        _version.reset(version)
        _in_request.reset(in_request)


def _in_own_transaction() -> bool:
    """Inside a transaction the application opened (not one a test case wraps around all)."""
    return any(not block._from_testcase for block in connection.atomic_blocks)


def kept(key: Hashable, load: Callable[[], T]) -> T:
    """What ``load()`` gives, kept under ``key`` while the request's version is current.

    What it gives is shared by every later request: it must not be changed.
    """
    version = _version.get()
    if version is None or _in_own_transaction():
        return load()
    with _lock:
        entry = _kept.get(key)
        if entry is not None and entry[0] == version:
            _kept.move_to_end(key)
            return entry[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        _kept[key] = (version, value)
        _kept.move_to_end(key)
        while len(_kept) > KEEP_AT_MOST:
            _kept.popitem(last=False)
    return value
