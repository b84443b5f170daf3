"""Where the two stores differ: the one seam between the local SQLCipher casebook and the team's PostgreSQL.

The repository and its queries (:mod:`amparo.casebook.queries`) are written once, in
SQLite's words with ``?`` placeholders. A connection that is not the local vault's says
how it differs through three attributes, read here and nowhere else:

* ``dialect``: a :class:`Dialect`, the few words the two SQLs spell differently (the
  LIMIT that means "all", a lock on a key). The team store's
  connection also turns ``?`` into psycopg's ``%s`` (:func:`postgres_sql`).
* ``sealer``: what encrypts personal fields on their way in and decrypts them on their
  way out (:class:`Sealer`); the local casebook needs none, SQLCipher encrypts the file.
* ``search``: the full-text index (:class:`SearchIndex`): SQLite's FTS5 locally
  (:mod:`amparo.casebook.fulltext`), a keyed blind index of words in the team store.

A plain SQLCipher (or SQLite) connection has none of them and gets the local defaults,
so the vault, the benchmark's stand-in and the local tests are unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from amparo.casebook.database import Connection
from amparo.casebook.records import Record

Rows = list[Any]  # as the driver returns them: sequences of column values


@dataclass(frozen=True)
class Dialect:
    name: str
    no_limit: int | None  # the LIMIT that means every row: -1 in SQLite, NULL in PostgreSQL
    # A statement that holds a lock on one text key until the transaction ends; none in SQLite, whose
    # writers take turns already (the vault's lock).
    lock_key: str = ""

    def limit(self, limit: int) -> int | None:
        """A page size, where a negative one (the repository's "all") becomes this dialect's "no limit"."""
        return self.no_limit if limit < 0 else limit


SQLITE = Dialect("sqlite", -1)
POSTGRES = Dialect("postgresql", None, "SELECT pg_advisory_xact_lock(hashtext(?))")


@functools.lru_cache(maxsize=1024)
def postgres_sql(statement: str) -> str:
    """A statement with ``?`` placeholders in psycopg's ``%s`` style (a literal ``%`` doubled).

    Why a rewrite and not two copies of each statement: the queries stay written once. The
    rule that makes it safe: the casebook's SQL never holds a ``?`` inside a string literal
    (values are always bound, never spliced).
    """
    return statement.replace("%", "%%").replace("?", "%s")


class Sealer(Protocol):
    """Encrypts the personal columns of a record on their way in, decrypts them on their way out."""

    def seal(self, cls: type, record_id: str, names: Sequence[str], values: Sequence[object]) -> list[object]:
        """``values`` of columns ``names`` of record ``record_id`` of type ``cls``, as they are to be stored."""
        ...

    def open(self, rows: Rows, classes: Sequence[type]) -> Rows:
        """Rows whose first columns are the columns of ``classes`` in turn, with those columns decrypted."""
        ...

    def open_columns(self, rows: Rows, cls: type, names: Sequence[str]) -> Rows:
        """Rows whose first columns are the columns ``names`` of ``cls`` (its id among them), decrypted."""
        ...


class SearchIndex(Protocol):
    """The full-text index of every record's free text."""

    def put(self, conn: Connection, kind: str, record: Record, case_id: str, new: bool = False) -> None: ...

    def remove(self, conn: Connection, record_id: str) -> None: ...

    def remove_case(self, conn: Connection, case_id: str) -> None: ...

    def hits(self, conn: Connection, principal: str, words: list[str], limit: int) -> Rows:
        """Rows of (kind, record id, case id, snippet): records holding every word, best first."""
        ...


class Store(Protocol):
    """What the repository needs of a store: one transaction per block (commit on success, roll back on error)."""

    def connection(self) -> AbstractContextManager[Connection]: ...


def dialect_of(conn: Connection) -> Dialect:
    dialect: Dialect = getattr(conn, "dialect", SQLITE)
    return dialect


def search_of(conn: Connection) -> SearchIndex:
    from amparo.casebook.fulltext import FULLTEXT

    index: SearchIndex = getattr(conn, "search", FULLTEXT)
    return index


def sealed(conn: Connection, cls: type, record_id: str, names: Sequence[str], values: list[object]) -> list[object]:
    """The values to write for columns ``names`` of a record: encrypted where the store encrypts."""
    sealer: Sealer | None = getattr(conn, "sealer", None)
    return values if sealer is None else sealer.seal(cls, record_id, names, values)


def opened(conn: Connection, rows: Rows, *classes: type) -> Rows:
    """Rows as read, decrypted where the store encrypts (their leading columns are those of ``classes``)."""
    sealer: Sealer | None = getattr(conn, "sealer", None)
    return rows if sealer is None or not rows else sealer.open(rows, classes)


def opened_columns(conn: Connection, rows: Rows, cls: type, names: Sequence[str]) -> Rows:
    """Rows as read whose leading columns are ``names`` of ``cls`` (its id among them), decrypted where the
    store encrypts: for a list that needs a few fields of every record, not all of them."""
    sealer: Sealer | None = getattr(conn, "sealer", None)
    return rows if sealer is None or not rows else sealer.open_columns(rows, cls, names)
