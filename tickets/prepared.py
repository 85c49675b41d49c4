"""Querysets compiled once and run again with other values.

Django compiles a queryset's SQL anew each time it runs; for the small queries every page
makes (a ticket by number, its notes, a user's counters) that took longer than the database
took to answer them. ``rows()`` compiles a queryset once per shape, with stand-in values,
notes where each stand-in lands among the SQL's parameters, and afterwards only binds the
real values and converts the columns as the ORM would.

Only values that leave the SQL's shape alone may vary: whole numbers and strings (never
None, which compiles to IS NULL), and lists of them, whose lengths become part of the shape.
Anything else that changes the SQL (a user who sees every ticket or only some, a sort) is
the caller's ``key``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

Value = int | str
# Two sets of stand-ins: a queryset is compiled with each, and only prepared when both give
# the same SQL with the stand-ins in the same places (below _compile). Small enough for any
# integer column, so the ORM never drops one as out of range.
_STAND_INS = ((20_011, "\x00stand-in-a-"), (30_011, "\x00stand-in-b-"))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # For each parameter: the index of the value standing in it, or None (a constant).
    slots: tuple[int | None, ...]
    converters: dict
    db: str


# The most recently used shapes; the others are compiled again when next asked for.
_compiled: OrderedDict[Hashable, _Compiled | None] = OrderedDict()
MAX_SHAPES = 2000
_lock = threading.Lock()


def _stand_ins(values: Sequence, first_int: int, text: str) -> tuple[list, dict]:
    """Stand-in values of the same kinds, and which flat value each one is."""
    stand_ins, where, flat = [], {}, 0

    def one(value):
        nonlocal flat
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"a prepared value must be a whole number or a string: {value!r}")
        mark = first_int + flat if isinstance(value, int) else f"{text}{flat}"
        where[mark] = flat
        flat += 1
        return mark

    for value in values:
        if isinstance(value, list | tuple | set | frozenset):
            stand_ins.append([one(item) for item in sorted(value)])
        else:
            stand_ins.append(one(value))
    return stand_ins, where


def _flat(values: Sequence) -> list[Value]:
    flat = []
    for value in values:
        if isinstance(value, list | tuple | set | frozenset):
            flat.extend(sorted(value))
        else:
            flat.append(value)
    return flat


def _shape(values: Sequence) -> tuple:
    return tuple(
        len(value) if isinstance(value, list | tuple | set | frozenset) else type(value).__name__
        for value in values
    )


def _compile_with(build, values: Sequence, first_int: int, text: str):
    stand_ins, where = _stand_ins(values, first_int, text)
    queryset = build(*stand_ins)
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return queryset, compiler, None, (), ()
    slots = tuple(where.get(param) if isinstance(param, int | str) else None for param in params)
    constants = tuple(
        param if slot is None else None for param, slot in zip(params, slots, strict=True)
    )
    return queryset, compiler, sql, slots, constants


def _compile(build: Callable[..., QuerySet], values: Sequence) -> _Compiled | None:
    """The SQL with the place of each value among its parameters.

    Compiled twice, with two sets of stand-ins: a value the ORM writes into the SQL, rewrites
    (a pattern around a text) or drops (a condition it finds always true) shows as a
    difference, and the queryset is then refused rather than run with the wrong values."""
    (queryset, compiler, sql, slots, constants), (_q, _c, *other) = (
        _compile_with(build, values, *stand_ins) for stand_ins in _STAND_INS
    )
    if [sql, slots, constants] != other:
        raise ValueError("the values change this queryset's SQL: it cannot be prepared")
    if sql is None:
        return None
    params = tuple(constants)
    columns = [column for column, *_rest in compiler.select[: compiler.col_count]]
    return _Compiled(sql, params, slots, compiler.get_converters(columns), queryset.db)


def sql(key: Hashable, build: Callable[..., QuerySet], *values) -> tuple[str, list] | None:
    """The SQL of ``build(*values)`` and its parameters, compiled once per ``key`` and shape
    (None when the queryset matches nothing), e.g. to run inside a larger query."""
    compiled = _compiled_for(key, build, values)
    return None if compiled is None else (compiled.sql, _bound(compiled, values))


def rows(key: Hashable, build: Callable[..., QuerySet], *values) -> list[tuple]:
    """The rows of ``build(*values)`` (a values_list queryset), as tuples.

    The SQL is compiled once per ``key`` and shape of the values; ``build`` must give the
    same SQL for any values of that shape.
    """
    return _run(key, build, values)[1]


def instances(
    key: Hashable,
    model,
    build: Callable[..., QuerySet],
    *values,
    related: str | None = None,
    annotations: tuple[str, ...] = (),
) -> list:
    """Model instances with every column, from ``build(*values)`` (a queryset of ``model``),
    and the row of one foreign key, ``related``, read in the same query (select_related);
    the queryset's ``annotations`` are set on each instance, as annotate() sets them."""
    names = [field.attname for field in model._meta.concrete_fields]
    # (The rows hold the columns in this order: Django 5.2 selects values_list's names as
    # given, annotations among them.)
    columns = [*names, *annotations]
    if related is not None:
        field = model._meta.get_field(related)
        related_names = [each.attname for each in field.related_model._meta.concrete_fields]
        columns += [f"{related}__{name}" for name in related_names]
    db, found = _run(
        ("instances", key, related),
        lambda *stand_ins: build(*stand_ins).values_list(*columns),
        values,
    )
    loaded = []
    for row in found:
        instance = model.from_db(db, names, row[: len(names)])
        for name, value in zip(annotations, row[len(names) :], strict=False):
            setattr(instance, name, value)
        if related is not None:
            rest = row[len(names) + len(annotations) :]
            field.set_cached_value(
                instance,
                None if rest[0] is None else field.related_model.from_db(db, related_names, rest),
            )
        loaded.append(instance)
    return loaded


def _compiled_for(key: Hashable, build, values: Sequence) -> _Compiled | None:
    cache_key = (key, _shape(values))
    with _lock:
        if cache_key in _compiled:
            _compiled.move_to_end(cache_key)
            return _compiled[cache_key]
    compiled = _compile(build, values)
    with _lock:
        _compiled[cache_key] = compiled
        if len(_compiled) > MAX_SHAPES:
            _compiled.popitem(last=False)
    return compiled


def _bound(compiled: _Compiled, values: Sequence) -> list:
    flat = _flat(values)
    return [
        param if slot is None else flat[slot]
        for param, slot in zip(compiled.params, compiled.slots, strict=True)
    ]


def _run(key: Hashable, build: Callable[..., QuerySet], values: Sequence) -> tuple[str, list]:
    compiled = _compiled_for(key, build, values)
    if compiled is None:
        return "default", []
    params = _bound(compiled, values)
    connection = connections[compiled.db]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    if not compiled.converters:
        return compiled.db, [tuple(row) for row in fetched]
    converted = []
    for row in fetched:
        row = list(row)
        for position, (converters, expression) in compiled.converters.items():
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return compiled.db, converted
