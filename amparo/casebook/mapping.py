"""Rows and records: how a record dataclass's fields are stored in, and read back from, its table.

The record dataclasses (:mod:`amparo.casebook.records`) name the columns; this module
turns field values into what SQLite stores (booleans as 0/1, dates as ISO text, tuples
as JSON) and stored values back into field values, and makes the ids records are
stored under. No SQL is written here.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import typing
from collections.abc import Callable
from functools import cache
from typing import TypeVar

from amparo.casebook.records import Record, columns

R = TypeVar("R", bound=Record)  # one of the record types


@cache
def field_types(cls: type) -> dict[str, object]:
    """Each field of a record class and its type (cached: a record class is one of a few)."""
    return typing.get_type_hints(cls)


def to_db(cls: type, name: str, value: object) -> object:
    """The value of field ``name`` of ``cls`` as it is stored."""
    hint = field_types(cls)[name]
    if value is None:
        return None
    if hint is bool:
        return int(bool(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if typing.get_origin(hint) is tuple:
        return json.dumps(list(typing.cast(tuple[object, ...], value)))
    return value


@cache
def _converters(cls: type) -> tuple[Callable[[object], object], ...]:
    """Per column of ``cls``, what turns a stored (non-NULL) value into the field's value; worked out once.

    Why cached: a large case list or mission view builds thousands of records per call, and
    inspecting the type hints for every value was most of its time.
    """

    def converter(hint: object) -> Callable[[object], object]:
        if hint is bool:
            return bool
        if hint in (dt.date, dt.date | None):
            return lambda value: dt.date.fromisoformat(str(value))
        if typing.get_origin(hint) is tuple:
            return lambda value: tuple(json.loads(str(value)))
        return lambda value: value

    hints = field_types(cls)
    return tuple(converter(hints[name]) for name in columns(cls))


def from_row(cls: type[R], row: typing.Sequence[object]) -> R:
    """The record of type ``cls`` stored as ``row`` (its columns in :func:`~amparo.casebook.records.columns` order)."""
    record_type: type = cls  # for the cache; type checkers do not see a type[R] as hashable
    make: Callable[..., R] = cls
    values = zip(_converters(record_type), row, strict=True)
    return make(*(None if value is None else convert(value) for convert, value in values))


def column_list(cls: type) -> str:
    """The columns of ``cls`` for a SELECT."""
    return ", ".join(columns(cls))


def search_rowid(record_id: str) -> int:
    """A record id (16 hex digits) as a signed 64-bit rowid."""
    return int(record_id, 16) - 2**63


def new_id() -> str:
    """Random, so ids say nothing about how many records exist or in what order they were made."""
    return secrets.token_hex(8)
