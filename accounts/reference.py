"""Reference data kept between requests while it is current: the taxonomy, the pick lists,
the groups, their members and the people's names that the pages' selects and histories show.

The database holds the version of that data (ReferenceVersion), and triggers move it on every
change to those tables (tickets migration 0011). Each request reads the version together with
its user (backends.MemberBackend); data kept at another version is loaded again, so a change
shows on the next page anyone opens. Outside a request (a command, the workflow called
directly) nothing is kept and everything is loaded.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from threading import Lock
from typing import TypeVar

from django.core.signals import request_finished, request_started
from django.db import connection

T = TypeVar("T")

# Databases whose triggers migration 0011 creates.
VERSIONED_DATABASES = ("postgresql", "sqlite")
KEEP_AT_MOST = 512

_version: ContextVar[int | None] = ContextVar("reference_version", default=None)
_kept: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
_lock = Lock()


def read_in_request(version: int | None) -> None:
    """The version the current request read (None: none could be read)."""
    _version.set(version if connection.vendor in VERSIONED_DATABASES else None)


def _forget_version(**_kwargs) -> None:
    _version.set(None)


request_started.connect(_forget_version, dispatch_uid="reference-version-start")
request_finished.connect(_forget_version, dispatch_uid="reference-version-finish")


def kept(key: Hashable, load: Callable[[], T]) -> T:
    """What ``load()`` gives, kept under ``key`` while the request's version is current.

    What it gives is shared by every later request: it must not be changed.
    """
    version = _version.get()
    if version is None:
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
