"""Reading and writing casebook records, with an access check and an audit entry for each.

Every method takes the ``principal`` acting (in local mode, the one person who
unlocked the casebook) and refuses a case that principal has no access to,
with the same :class:`RecordNotFound` as a record that does not exist, so an
id reveals nothing. This is the seam the multi-user server mode builds on:
roles and accounts change; the checks stay here.

Each method is one :meth:`Vault.connection` block, so one transaction: the
record, its search entry and its audit entry are written together or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

import sqlcipher3

from amparo.casebook.errors import CasebookError
from amparo.casebook.records import (
    CASE_RECORD_KINDS,
    KINDS,
    OPEN_STATUSES,
    Case,
    Engagement,
    FollowUp,
    Record,
    Request,
    RiskAssessment,
    case_id_of,
    columns,
    kind_of,
    text_of,
)
from amparo.casebook.schema import migrate
from amparo.casebook.vault import Connection, Vault

T = TypeVar("T")
LOCAL_PRINCIPAL = "local"  # local mode's one account: whoever unlocked the casebook on this machine
WRITE_ROLES = ("owner", "editor")
WRITE_ACTIONS = ("create", "update", "delete")


class RecordNotFound(CasebookError):
    """No such record, or not one this principal may see (deliberately the same answer)."""

    def __init__(self) -> None:
        super().__init__("This record does not exist or is not yours to see.")


class ReadOnlyAccess(CasebookError):
    def __init__(self) -> None:
        super().__init__("You may read this case but not change it.")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Some of a list (``limit`` items from ``offset``) and how many there are in all."""

    items: list[T]
    total: int


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    records: int
    last_activity: str
    open_requests: int
    overdue: int


@dataclass(frozen=True)
class MissionSummary:
    """What the case list cannot show: who we last saw at each mission, and what is pending there."""

    issuer: str
    mission: str
    last_engagement: Engagement | None
    open_requests: tuple[Request, ...]


@dataclass(frozen=True)
class TimelineEntry:
    on: str  # ISO date
    kind: str
    record: Record


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: str
    case_id: str
    snippet: str


@dataclass(frozen=True)
class AuditEntry:
    at: str
    principal: str
    action: str
    kind: str
    record_id: str
    case_id: str


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _to_db(cls: type, name: str, value: object) -> object:
    hint = _hints(cls)[name]
    if value is None:
        return None
    if hint is bool:
        return int(bool(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if typing.get_origin(hint) is tuple:
        return json.dumps(list(value))
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

    hints = _hints(cls)
    return tuple(converter(hints[name]) for name in columns(cls))


def _record(cls: type, row: typing.Sequence) -> Record:
    values = zip(_converters(cls), row, strict=True)
    return cls(*(None if value is None else convert(value) for convert, value in values))


def _select(cls: type) -> str:
    return ", ".join(columns(cls))


def _search_rowid(record_id: str) -> int:
    """A record id (16 hex digits) as a signed 64-bit rowid."""
    return int(record_id, 16) - 2**63


def new_id() -> str:
    """Random, so ids say nothing about how many records exist or in what order they were made."""
    return secrets.token_hex(8)


class Casebook:
    """The records of one vault. Thread-safe through the vault's lock."""

    def __init__(self, vault: Vault, now: Callable[[], dt.datetime] = _utcnow) -> None:
        self.vault = vault
        self._now = now
        self._migrated: int | None = None
        self.unaudited_reads = 0

    @contextmanager
    def _db(self) -> Iterator[Connection]:
        with self.vault.connection() as conn:
            if self._migrated != id(conn):
                migrate(conn)
                conn.commit()  # on its own: an error later in this block must not roll the schema back
                self._migrated = id(conn)
            yield conn

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    # -- access and audit -----------------------------------------------------

    def _role(self, conn: Connection, principal: str, case_id: str) -> str:
        row = conn.execute(
            "SELECT role FROM access WHERE principal = ? AND case_id = ?", (principal, case_id)
        ).fetchone()
        if row is None:
            raise RecordNotFound()
        return str(row[0])

    def _may_write(self, conn: Connection, principal: str, case_id: str) -> None:
        if self._role(conn, principal, case_id) not in WRITE_ROLES:
            raise ReadOnlyAccess()

    def _audit(
        self, conn: Connection, principal: str, action: str, kind: str, record_id: str = "", case_id: str = ""
    ) -> None:
        """Record a read or write. A write and its entry commit together or not at all.

        A *read* whose entry cannot be written (a full disk, a read-only copy)
        still answers: refusing to show a defender their own records because
        the disk is full would fail them when they most need it. The gap is
        counted in :attr:`unaudited_reads`.
        """
        statement = "INSERT INTO audit (at, principal, action, kind, record_id, case_id) VALUES (?, ?, ?, ?, ?, ?)"
        values = (self._stamp(), principal, action, kind, record_id, case_id)
        if action in WRITE_ACTIONS:
            conn.execute(statement, values)
            return
        try:
            conn.execute(statement, values)
        except sqlcipher3.OperationalError:
            self.unaudited_reads += 1

    def _index(self, conn: Connection, kind: str, record: Record, case_id: str, new: bool = False) -> None:
        """(Re)write the record's full-text entry, found again by a rowid derived from its id.

        Full-text tables cannot index an ordinary column, so looking an entry up
        by record id would scan them all; the derived rowid makes it one lookup.
        """
        rowid = _search_rowid(record.id)
        if not new:
            conn.execute("DELETE FROM search WHERE rowid = ?", (rowid,))
        conn.execute(
            "INSERT INTO search (rowid, body, kind, record_id, case_id) VALUES (?, ?, ?, ?, ?)",
            (rowid, text_of(record), kind, record.id, case_id),
        )

    # -- writing ----------------------------------------------------------------

    def add(self, principal: str, record: Record) -> Record:
        """Store a new record (a case, or a record of a case the principal may write); return it with its id."""
        kind = kind_of(record)
        cls, table, _date = KINDS[kind]
        stamp = self._stamp()
        record = dataclasses.replace(record, id=new_id(), created_at=stamp, updated_at=stamp)
        with self._db() as conn:
            case_id = case_id_of(record)
            if isinstance(record, Case):
                self._insert(conn, cls, table, record)
                conn.execute(
                    "INSERT INTO access (case_id, principal, role) VALUES (?, ?, 'owner')", (record.id, principal)
                )
            else:
                self._may_write(conn, principal, case_id)
                self._check_links(conn, record)
                self._insert(conn, cls, table, record)
            self._index(conn, kind, record, case_id, new=True)
            self._audit(conn, principal, "create", kind, record.id, case_id)
        return record

    def update(self, principal: str, record: Record) -> Record:
        """Replace a stored record's fields (its id, case and creation time stay)."""
        kind = kind_of(record)
        cls, table, _date = KINDS[kind]
        with self._db() as conn:
            stored = self._get(conn, principal, kind, record.id)
            case_id = case_id_of(stored)
            self._may_write(conn, principal, case_id)
            keep = {"case_id": case_id} if not isinstance(stored, Case) else {}
            record = dataclasses.replace(record, **keep, created_at=stored.created_at, updated_at=self._stamp())
            self._check_links(conn, record)
            names = [n for n in columns(cls) if n not in ("id", "case_id", "created_at")]
            conn.execute(
                f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
                [*(_to_db(cls, n, getattr(record, n)) for n in names), record.id],
            )
            self._index(conn, kind, record, case_id)
            self._audit(conn, principal, "update", kind, record.id, case_id)
        return record

    def delete(self, principal: str, kind: str, record_id: str) -> None:
        """Delete a record; deleting a case deletes everything recorded under it."""
        with self._db() as conn:
            stored = self._get(conn, principal, kind, record_id)
            case_id = case_id_of(stored)
            self._may_write(conn, principal, case_id)
            table = KINDS[kind][1]
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (record_id,))
            if kind == "case":
                conn.execute("DELETE FROM search WHERE case_id = ?", (case_id,))
            else:
                conn.execute("DELETE FROM search WHERE rowid = ?", (_search_rowid(record_id),))
            self._audit(conn, principal, "delete", kind, record_id, case_id)

    def _insert(self, conn: Connection, cls: type, table: str, record: Record) -> None:
        names = columns(cls)
        conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [_to_db(cls, n, getattr(record, n)) for n in names],
        )

    def _check_links(self, conn: Connection, record: Record) -> None:
        """A follow-up may point at a request, but only one of the same case."""
        if isinstance(record, FollowUp) and record.request_id:
            row = conn.execute("SELECT case_id FROM requests WHERE id = ?", (record.request_id,)).fetchone()
            if row is None or row[0] != record.case_id:
                raise RecordNotFound()

    # -- reading ----------------------------------------------------------------

    def get(self, principal: str, kind: str, record_id: str) -> Record:
        with self._db() as conn:
            record = self._get(conn, principal, kind, record_id)
            case_id = case_id_of(record)
            self._audit(conn, principal, "read", kind, record_id, case_id)
            return record

    def _get(self, conn: Connection, principal: str, kind: str, record_id: str) -> Record:
        if kind not in KINDS:
            raise RecordNotFound()
        cls, table, _date = KINDS[kind]
        row = conn.execute(f"SELECT {_select(cls)} FROM {table} WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise RecordNotFound()
        record = _record(cls, row)
        self._role(conn, principal, case_id_of(record))
        return record

    def records(self, principal: str, case_id: str, kind: str) -> list[Record]:
        """One kind of record of one case, newest first."""
        if kind not in CASE_RECORD_KINDS:
            raise RecordNotFound()
        cls, table, date = KINDS[kind]
        with self._db() as conn:
            self._role(conn, principal, case_id)
            rows = conn.execute(
                f"SELECT {_select(cls)} FROM {table} WHERE case_id = ? ORDER BY {date} DESC, created_at DESC",
                (case_id,),
            ).fetchall()
            self._audit(conn, principal, "read", kind, "", case_id)
        return [_record(cls, row) for row in rows]

    def cases(self, principal: str, limit: int = -1, offset: int = 0) -> Page[CaseSummary]:
        """The principal's cases, open ones first, most recently active first; one page of them.

        The order needs every case's last activity (one index lookup each); the counts
        are worked out for the page's cases only.
        """
        today = self._now().date().isoformat()
        open_marks = ", ".join("?" * len(OPEN_STATUSES))
        with self._db() as conn:
            rows = conn.execute(
                f"""
                WITH page AS (
                  SELECT c.id, c.closed, count(*) OVER () AS total,
                    max(c.updated_at,
                        coalesce((SELECT max(occurred_on) FROM incidents WHERE case_id = c.id), ''),
                        coalesce((SELECT max(occurred_on) FROM engagements WHERE case_id = c.id), '')) AS last
                  FROM cases c JOIN access a ON a.case_id = c.id AND a.principal = ?
                  ORDER BY c.closed, last DESC, c.id LIMIT ? OFFSET ?)
                SELECT {", ".join(f"c.{n}" for n in columns(Case))},
                  (SELECT count(*) FROM incidents WHERE case_id = c.id)
                    + (SELECT count(*) FROM engagements WHERE case_id = c.id),
                  page.last,
                  (SELECT count(*) FROM requests WHERE case_id = c.id AND status IN ({open_marks})),
                  (SELECT count(*) FROM follow_ups WHERE case_id = c.id AND done_on IS NULL AND due_on < ?),
                  page.total
                FROM page JOIN cases c ON c.id = page.id
                ORDER BY page.closed, page.last DESC, c.id
                """,
                (principal, limit, offset, *OPEN_STATUSES, today),
            ).fetchall()
            total = (
                rows[0][-1] if rows else self._count(conn, "SELECT count(*) FROM access WHERE principal = ?", principal)
            )
            self._audit(conn, principal, "read", "case")
        width = len(columns(Case))
        return Page(
            [CaseSummary(_record(Case, row[:width]), *row[width : width + 4]) for row in rows],
            total,
        )

    @staticmethod
    def _count(conn: Connection, sql: str, *params: object) -> int:
        return int(conn.execute(sql, params).fetchone()[0])

    def timeline(self, principal: str, case_id: str) -> list[TimelineEntry]:
        """Everything recorded for a case in one list, newest first."""
        entries: list[TimelineEntry] = []
        with self._db() as conn:
            self._role(conn, principal, case_id)
            for kind in CASE_RECORD_KINDS:
                cls, table, date = KINDS[kind]
                rows = conn.execute(f"SELECT {_select(cls)} FROM {table} WHERE case_id = ?", (case_id,)).fetchall()
                for row in rows:
                    record = _record(cls, row)
                    on = getattr(record, date) or dt.date.fromisoformat(record.created_at[:10])
                    entries.append(TimelineEntry(on.isoformat(), kind, record))
            self._audit(conn, principal, "read", "timeline", "", case_id)
        entries.sort(key=lambda e: (e.on, e.record.created_at), reverse=True)
        return entries

    def missions(self, principal: str, limit: int = -1, offset: int = 0) -> Page[MissionSummary]:
        """Per issuer and mission, latest activity first: the last engagement and the open requests.

        Over the principal's cases; one page (``limit`` pairs from ``offset``; -1 for all). Only
        the page's pairs are read in full: a casebook of many years can hold a thousand pairs,
        and every page of the database read must be decrypted.
        """
        visible = "case_id IN (SELECT case_id FROM access WHERE principal = ?)"
        open_marks = ", ".join("?" * len(OPEN_STATUSES))
        with self._db() as conn:
            # Checking access engagement by engagement costs more than grouping them all; when the
            # principal sees every case (always, in local mode) the check can say nothing and is left out.
            sees_all = self._count(
                conn,
                "SELECT (SELECT count(*) FROM cases) = (SELECT count(*) FROM access WHERE principal = ?)",
                principal,
            )
            engaged = "" if sees_all else f"WHERE +{visible}"  # "+": filter on the index's own case_id column
            pairs = f"""
                SELECT issuer, mission, max(last) AS last FROM (
                  SELECT issuer, mission, max(occurred_on) AS last FROM engagements {engaged}
                  GROUP BY issuer, mission
                  UNION ALL
                  SELECT issuer, mission, max(coalesce(sent_on, drafted_on, substr(created_at, 1, 10)))
                  FROM requests WHERE {visible} AND status IN ({open_marks}) GROUP BY issuer, mission)
                GROUP BY issuer, mission"""
            params = ((principal,) if not sees_all else ()) + (principal, *OPEN_STATUSES)
            page = conn.execute(
                f"SELECT issuer, mission, count(*) OVER () FROM ({pairs}) ORDER BY last DESC, issuer, mission"
                " LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
            total = page[0][2] if page else conn.execute(f"SELECT count(*) FROM ({pairs})", params).fetchone()[0]
            summaries = []
            for issuer, mission, _total in page:
                last = conn.execute(
                    f"""SELECT {_select(Engagement)} FROM engagements WHERE issuer = ? AND mission = ? AND {visible}
                    ORDER BY occurred_on DESC, created_at DESC LIMIT 1""",
                    (issuer, mission, principal),
                ).fetchone()
                pending = conn.execute(
                    f"""SELECT {_select(Request)} FROM requests
                    WHERE issuer = ? AND mission = ? AND status IN ({open_marks}) AND {visible}
                    ORDER BY coalesce(sent_on, drafted_on, created_at)""",
                    (issuer, mission, *OPEN_STATUSES, principal),
                ).fetchall()
                summaries.append(
                    MissionSummary(
                        issuer,
                        mission,
                        _record(Engagement, last) if last else None,
                        tuple(_record(Request, row) for row in pending),
                    )
                )
            self._audit(conn, principal, "read", "missions")
        return Page(summaries, total)

    def follow_ups(
        self,
        principal: str,
        *,
        include_done: bool = False,
        due_before: dt.date | None = None,
        due_from: dt.date | None = None,
        limit: int = -1,
        offset: int = 0,
    ) -> Page[tuple[FollowUp, Case]]:
        """Follow-ups across the principal's cases, open ones first, soonest due first: one page of them.

        ``due_before`` today gives the overdue ones, ``due_from`` today the ones still to come.
        """
        where = ["(? OR f.done_on IS NULL)", "f.due_on < ?", "f.due_on >= ?"]
        params = [
            int(include_done),
            (due_before or dt.date.max).isoformat(),
            (due_from or dt.date.min).isoformat(),
        ]
        with self._db() as conn:
            rows = conn.execute(
                f"""
                SELECT {", ".join(f"f.{n}" for n in columns(FollowUp))}, {", ".join(f"c.{n}" for n in columns(Case))},
                  count(*) OVER ()
                FROM follow_ups f JOIN cases c ON c.id = f.case_id
                JOIN access a ON a.case_id = f.case_id AND a.principal = ?
                WHERE {" AND ".join(where)}
                ORDER BY f.done_on IS NOT NULL, f.due_on, f.id LIMIT ? OFFSET ?
                """,
                (principal, *params, limit, offset),
            ).fetchall()
            total = (
                rows[0][-1]
                if rows
                else self._count(
                    conn,
                    f"""SELECT count(*) FROM follow_ups f JOIN access a ON a.case_id = f.case_id AND a.principal = ?
                WHERE {" AND ".join(where)}""",
                    principal,
                    *params,
                )
            )
            self._audit(conn, principal, "read", "follow-up")
        width, case_width = len(columns(FollowUp)), len(columns(Case))
        return Page(
            [(_record(FollowUp, row[:width]), _record(Case, row[width : width + case_width])) for row in rows], total
        )

    def search(self, principal: str, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over every free-text field; the query is matched as plain words, never as syntax."""
        printable = "".join(ch if ch.isprintable() else " " for ch in query)
        words = printable.split()[:20]
        if not words:
            return []
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        with self._db() as conn:
            rows = conn.execute(
                """
                SELECT kind, record_id, s.case_id, snippet(search, 0, '', '', '…', 12)
                FROM search s JOIN access a ON a.case_id = s.case_id AND a.principal = ?
                WHERE search MATCH ? ORDER BY rank LIMIT ?
                """,
                (principal, match, limit),
            ).fetchall()
            self._audit(conn, principal, "search", "case")  # the words themselves are not recorded
        return [SearchHit(*row) for row in rows]

    def audit(self, principal: str, limit: int = 200) -> list[AuditEntry]:
        """The principal's recent reads and writes, newest first."""
        with self._db() as conn:
            rows = conn.execute(
                "SELECT at, principal, action, kind, record_id, case_id FROM audit"
                " WHERE principal = ? ORDER BY seq DESC LIMIT ?",
                (principal, limit),
            ).fetchall()
        return [AuditEntry(*row) for row in rows]

    def export_case(self, principal: str, case_id: str) -> dict[str, object]:
        """A case and all its records as plain data (for JSON and CSV exports)."""
        with self._db() as conn:
            case = self._get(conn, principal, "case", case_id)
            out: dict[str, object] = {"case": dataclasses.asdict(case)}
            for kind in CASE_RECORD_KINDS:
                cls, table, date = KINDS[kind]
                rows = conn.execute(
                    f"SELECT {_select(cls)} FROM {table} WHERE case_id = ? ORDER BY {date}, created_at", (case_id,)
                ).fetchall()
                out[kind] = [dataclasses.asdict(_record(cls, row)) for row in rows]
            self._audit(conn, principal, "export", "case", case_id, case_id)
        return out

    def engagements(self, principal: str) -> list[tuple[Engagement, Case]]:
        """All engagements over the principal's cases, oldest first (the export)."""
        with self._db() as conn:
            rows = conn.execute(
                f"""
                SELECT {", ".join(f"e.{n}" for n in columns(Engagement))}, {", ".join(f"c.{n}" for n in columns(Case))}
                FROM engagements e JOIN cases c ON c.id = e.case_id
                JOIN access a ON a.case_id = e.case_id AND a.principal = ?
                ORDER BY e.occurred_on, e.created_at
                """,
                (principal,),
            ).fetchall()
            self._audit(conn, principal, "export", "engagement")
        width = len(columns(Engagement))
        return [(_record(Engagement, row[:width]), _record(Case, row[width:])) for row in rows]

    def risk_history(self, principal: str, case_id: str) -> list[RiskAssessment]:
        """A case's risk assessments, oldest first (the order a chart is drawn in)."""
        return list(reversed(typing.cast(list[RiskAssessment], self.records(principal, case_id, "risk"))))
