"""The team store: the casebook on PostgreSQL, behind the same ``connection()`` contract as the vault.

``Casebook(open_team_store())`` runs the repository unchanged: every ``connection()``
block is one PostgreSQL transaction (commit on success, roll back on any error), on a
connection borrowed from a small pool. The connection it yields speaks the queries'
SQL through :mod:`amparo.casebook.dialect`: ``?`` placeholders, PostgreSQL's words,
personal fields sealed with the team key (:mod:`amparo.casebook.team.sealing`), search by
the blind index (:mod:`amparo.casebook.team.blind_index`).

Opening checks the key against the database (a value sealed when the database was first
opened), so a wrong key file is refused with a clear message before anything is written.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from amparo.casebook.dialect import POSTGRES, postgres_sql
from amparo.casebook.errors import CasebookDamaged, CasebookLocked, TeamKeyError, TeamStoreUnavailable
from amparo.casebook.team import schema
from amparo.casebook.team.audit import AUDITOR, set_principal
from amparo.casebook.team.blind_index import BlindIndex
from amparo.casebook.team.keys import ENV_KEY_FILE, TeamKeys, read_key_file
from amparo.casebook.team.sealing import FieldSealer

POOL_SIZE = 8  # idle connections kept; more are opened when more threads need one at once
KEY_CHECK = "key-check"
_KEY_CHECK_VALUE = "amparo team key check"


class TeamConnection:
    """One PostgreSQL connection in the queries' terms (see :mod:`amparo.casebook.dialect`)."""

    dialect = POSTGRES
    auditor = AUDITOR  # the repository's audit entries go to the team's append-only audit

    def __init__(self, raw: psycopg.Connection[Any], keys: TeamKeys | None) -> None:
        self.raw = raw
        self.sealer = FieldSealer(keys.fields) if keys is not None else None
        self.search = BlindIndex(keys) if keys is not None else None

    def execute(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()) -> psycopg.Cursor[Any]:
        return self.raw.execute(postgres_sql(sql), params)

    def executemany(self, sql: str, params: Iterable[Sequence[object]]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(postgres_sql(sql), params)

    def commit(self) -> None:
        self.raw.commit()

    def rollback(self) -> None:
        self.raw.rollback()


class _Pool:
    """Idle connections to reuse: opening one costs milliseconds, a casebook page needs several blocks."""

    def __init__(self, conninfo: str, size: int) -> None:
        self._conninfo = conninfo
        self._size = size
        self._idle: list[psycopg.Connection[Any]] = []
        self._mutex = threading.Lock()

    def get(self) -> psycopg.Connection[Any]:
        with self._mutex:
            while self._idle:
                conn = self._idle.pop()
                if not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE and not _hung_up(conn):
                    return conn
                _discard(conn)
        try:
            conn = psycopg.connect(self._conninfo, connect_timeout=10)
            # The casebook's queries are short: compiling them to machine code (JIT) cost more than it saved,
            # and doubled the p95 of the case list and search in a trial with 11,000 records.
            conn.execute("SET jit = off")
            conn.commit()
        except psycopg.OperationalError:
            raise TeamStoreUnavailable() from None  # psycopg's message may name the server; say only what happened
        return conn

    def put(self, conn: psycopg.Connection[Any]) -> None:
        if not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE:
            with self._mutex:
                if len(self._idle) < self._size:
                    self._idle.append(conn)
                    return
        conn.close()

    def close(self) -> None:
        """Close the idle connections (after an error that may have cut them all: a restart of the server)."""
        with self._mutex:
            idle, self._idle = self._idle, []
        for conn in idle:
            _discard(conn)


class TeamStore:
    """The team's casebook in PostgreSQL; ``keys`` from the key file (see :func:`open_team_store`)."""

    def __init__(self, database_url: str, keys: TeamKeys, pool_size: int = POOL_SIZE) -> None:
        self._keys: TeamKeys | None = keys
        self._pool = _Pool(database_url, pool_size)

    @contextmanager
    def connection(self, principal: str | None = None) -> Iterator[TeamConnection]:
        """One transaction: commit on success, roll back on an error. :class:`CasebookLocked` once closed.

        ``principal`` names who acts in this transaction, for the changes the database audits (the
        repository names its principal itself, with its audit entry; a script or an import names
        it here). Without one, a change is audited as made by "unknown (direct SQL)".
        """
        keys = self._keys
        if keys is None:
            raise CasebookLocked("The team casebook is closed.")
        raw = self._pool.get()
        try:
            conn = TeamConnection(raw, keys)
            if principal is not None:
                set_principal(conn, principal)
            yield conn
        except psycopg.OperationalError:
            _discard(raw)
            self._pool.close()  # a server restart cut every connection: open fresh ones from the next block
            raise TeamStoreUnavailable() from None
        except BaseException:
            if not raw.closed:
                raw.rollback()
            raise
        else:
            try:
                raw.commit()
            except psycopg.OperationalError:
                _discard(raw)
                self._pool.close()
                raise TeamStoreUnavailable("The team database did not confirm the change; it was not saved.") from None
        finally:
            self._pool.put(raw)

    def prepare(self) -> None:
        """Create or upgrade the schema and check the key against the database (see the module's docstring)."""
        keys = self._keys
        if keys is None:
            raise CasebookLocked("The team casebook is closed.")
        with self.connection() as conn:
            schema.migrate(conn)
            row = conn.execute("SELECT value FROM meta WHERE name = ?", (KEY_CHECK,)).fetchone()
            if row is None:
                sealed = keys.fields.seal("meta", "value", KEY_CHECK, _KEY_CHECK_VALUE)
                conn.execute("INSERT INTO meta (name, value) VALUES (?, ?)", (KEY_CHECK, sealed))
                return
            try:
                matches = keys.fields.open("meta", "value", KEY_CHECK, row[0]) == _KEY_CHECK_VALUE
            except CasebookDamaged:
                matches = False
            if not matches:
                raise TeamKeyError(
                    "The team key file does not open this database: it is not the key the database was created with."
                )

    def lock(self) -> None:
        """Forget the keys and close the idle connections; nothing can be read until the store is opened again."""
        self._keys = None
        self._pool.close()

    close = lock


def _hung_up(conn: psycopg.Connection[Any]) -> bool:
    """Whether the server has spoken on an idle connection: it only does to end it (a restart, an admin's
    pg_terminate_backend), so the connection is dead. Looked at without a round trip, before each use."""
    try:
        readable, _w, _x = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


def _discard(raw: psycopg.Connection[Any]) -> None:
    with suppress(psycopg.Error):
        raw.close()


def open_team_store(
    database_url: str | None = None, key_file: str | Path | None = None, environ: Mapping[str, str] = os.environ
) -> TeamStore:
    """The team store of ``DATABASE_URL`` with the key in ``AMPARO_TEAM_KEY_FILE`` (or the arguments), ready.

    Raises :class:`TeamKeyError` (no key file, a bad or too open one, the wrong key),
    :class:`TeamStoreUnavailable`, :class:`TeamSchemaMismatch` (a database from a newer Amparo).
    """
    url = database_url or environ.get("DATABASE_URL", "")
    if not url:
        raise TeamStoreUnavailable("DATABASE_URL is not set: team mode needs a PostgreSQL database.")
    path = key_file or environ.get(ENV_KEY_FILE, "")
    if not path:
        raise TeamKeyError(f"{ENV_KEY_FILE} is not set: team mode needs the team key file.")
    store = TeamStore(url, read_key_file(Path(path)))
    try:
        store.prepare()
    except BaseException:
        store.close()
        raise
    return store
