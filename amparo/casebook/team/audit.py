"""The team's audit log: one append-only, hash-chained table that the database itself writes to.

Three writers, one table (``audit``, migration 2 of :mod:`amparo.casebook.team.schema`):

* **The database**, for every change to a casebook table (cases, records, access): a trigger
  that fires at commit, whoever made the change, the repository or raw SQL. It records the
  principal the application set for the transaction (:func:`set_principal`), or
  :data:`DIRECT_SQL` when none was set.
* **The repository**, for reads, searches and exports, through
  :func:`amparo.casebook.audit.write_entry`, which hands a team connection's entries to
  :data:`AUDITOR` (writes are left to the trigger, so each is recorded once).
* **The accounts** (logins, failed logins, logouts, roles, enabling and disabling accounts), through
  :func:`record`, called from the Django side (``amparo.web.team.audit``).

Whatever the writer, the database fills in the time (its own clock), the database role, the
transaction, whether a trigger wrote the row, and the chain: each row's ``hash`` is the
SHA-256 of the previous row's hash and of its own fields. :func:`verify` recomputes the chain
here, outside the database, and names the first row that was altered or removed.

No row holds content: a row names the record (its random id), the case, the kind and the action,
and never a sealed field or the words searched for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from amparo.casebook.audit import ACCESS_ACTIONS, WRITE_ACTIONS
from amparo.casebook.database import Connection

DIRECT_SQL = "unknown (direct SQL)"  # the principal of a change made with no principal set (raw SQL, a script)
NO_MEMBER = ""  # the principal of an account event with no member acting (a failed login, the command line)
GENESIS = bytes(32)  # the "previous hash" of the first row
COLUMNS = (
    "seq", "at", "principal", "action", "kind", "record_id", "case_id",
    "detail", "db_role", "source", "xact", "prev_hash", "hash",
)  # fmt: skip
_BATCH = 5000


@dataclass(frozen=True)
class AuditRow:
    """One row of the audit, as stored (``prev_hash`` and ``hash`` as hex)."""

    seq: int
    at: str
    principal: str
    action: str
    kind: str
    record_id: str
    case_id: str
    detail: str
    db_role: str
    source: str  # "database": written by a trigger; "app": by the application
    xact: int
    prev_hash: str
    hash: str

    @classmethod
    def from_db(cls, row: Sequence[Any]) -> AuditRow:
        values = list(row)
        values[-2:] = [bytes(v).hex() for v in values[-2:]]
        return cls(*values)

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> AuditRow:
        """A row as exported (JSON or CSV: every value may be text)."""
        text = {name: str(row[name]) for name in COLUMNS}
        return cls(
            int(text["seq"]), text["at"], text["principal"], text["action"], text["kind"], text["record_id"],
            text["case_id"], text["detail"], text["db_role"], text["source"], int(text["xact"]),
            text["prev_hash"], text["hash"],
        )  # fmt: skip

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def set_principal(conn: Connection, principal: str) -> None:
    """Name who acts for the rest of this transaction: the triggers record it with each change."""
    conn.execute("SELECT set_config('amparo.principal', ?, true)", (principal,))


class TeamAuditor:
    """What :func:`amparo.casebook.audit.write_entry` does on a team connection (``conn.auditor``).

    It names the principal for the transaction, then writes reads, searches and exports as rows;
    a write is recorded by the database's trigger at commit, with this principal. The time
    given is not used: the database's clock is. A row that cannot be written is an error:
    in team mode, a read is not answered unaudited.
    """

    def write(
        self, conn: Connection, at: str, principal: str, action: str, kind: str, record_id: str, case_id: str
    ) -> bool:
        set_principal(conn, principal)
        if action not in WRITE_ACTIONS and action not in ACCESS_ACTIONS:
            record(conn, principal, action, kind, record_id, case_id)
        return True


AUDITOR = TeamAuditor()


def record(
    conn: Connection,
    principal: str,
    action: str,
    kind: str,
    record_id: str = "",
    case_id: str = "",
    detail: str = "",
) -> None:
    """Append one row: the one function the application uses (reads, exports, logins, role changes).

    ``detail`` is for what is not content: a role, a keyed hash of a username typed at the login.
    """
    conn.execute(
        "INSERT INTO audit (at, principal, action, kind, record_id, case_id, detail) VALUES ('', ?, ?, ?, ?, ?, ?)",
        (principal, action, kind, record_id, case_id, detail),
    )


@dataclass(frozen=True)
class Filter:
    """Which rows to show: all of a principal, of an action, between two days (inclusive), or any."""

    principal: str | None = None
    action: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.principal is not None:
            clauses.append("principal = ?")
            params.append(self.principal)
        if self.action is not None:
            clauses.append("action = ?")
            params.append(self.action)
        if self.since is not None:
            clauses.append("at >= ?")
            params.append(self.since.isoformat())
        if self.until is not None:
            clauses.append("at < ?")
            params.append((self.until + dt.timedelta(days=1)).isoformat())
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


# The statements below are put together from these fixed words and Filter's fixed clauses; values are bound.
_SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM audit"  # noqa: S608


def read(conn: Connection, where: Filter = Filter(), limit: int = 50, offset: int = 0) -> tuple[list[AuditRow], int]:
    """One page of the rows ``where`` keeps, newest first, and how many it keeps in all."""
    clause, params = where.where()
    count = "SELECT count(*) FROM audit" + clause  # noqa: S608
    total = int(conn.execute(count, params).fetchone()[0])
    rows = conn.execute(_SELECT + clause + " ORDER BY seq DESC LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return [AuditRow.from_db(row) for row in rows], total


def rows_in_order(conn: Connection, where: Filter = Filter()) -> Iterable[AuditRow]:
    """Every row ``where`` keeps, oldest first, read in batches (an export, the chain's check)."""
    clause, params = where.where()
    clause = f"{clause} AND seq > ?" if clause else " WHERE seq > ?"
    after = 0
    while True:
        batch = conn.execute(_SELECT + clause + " ORDER BY seq LIMIT ?", [*params, after, _BATCH]).fetchall()
        for row in batch:
            yield AuditRow.from_db(row)
        if len(batch) < _BATCH:
            return
        after = int(batch[-1][0])


def _field(value: object) -> bytes:
    data = str(value).encode("utf-8")
    return str(len(data)).encode("ascii") + b":" + data


def digest(prev: bytes, row: AuditRow) -> bytes:
    """A row's hash, as the database computes it (``amparo_audit_digest``): each field length-prefixed."""
    fields = (
        row.seq, row.at, row.principal, row.action, row.kind, row.record_id, row.case_id,
        row.detail, row.db_role, row.source, row.xact,
    )  # fmt: skip
    return hashlib.sha256(prev + b"".join(_field(f) for f in fields)).digest()


@dataclass(frozen=True)
class Verification:
    """The chain's check: ``ok``, how many rows, the last one's number and hash (to keep off the server).

    When not ``ok``, ``broken_at`` is the number of the first row that does not follow from the one
    before it, and ``problem`` says how (``"altered"``, ``"missing"``, ``"anchor"``).
    """

    ok: bool
    count: int
    last_seq: int
    last_hash: str
    broken_at: int | None = None
    problem: str = ""


def verify_rows(rows: Iterable[AuditRow], anchor: tuple[int, str] | None = None) -> Verification:
    """Check a chain, oldest row first: the database's rows, or an export read back off the server.

    Every row must carry the previous row's hash, its number must follow, and its hash must be its
    fields'. ``anchor``, a (number, hash) kept from an earlier check or export, must still be in the
    chain: it catches a chain rewritten from the start, or cut short after the anchor.
    """
    prev, expected, count, last_hash = GENESIS, 1, 0, GENESIS.hex()
    anchor_seen = anchor is None
    for row in rows:
        if row.seq != expected or row.prev_hash != prev.hex():
            return Verification(False, count, expected - 1, last_hash, row.seq, "missing")
        own = digest(prev, row)
        if row.hash != own.hex():
            return Verification(False, count, expected - 1, last_hash, row.seq, "altered")
        if anchor is not None and row.seq == anchor[0]:
            if row.hash != anchor[1]:
                return Verification(False, count, expected - 1, last_hash, row.seq, "anchor")
            anchor_seen = True
        prev, expected, count, last_hash = own, expected + 1, count + 1, own.hex()
    if anchor is not None and not anchor_seen:
        return Verification(False, count, expected - 1, last_hash, anchor[0], "anchor")
    return Verification(True, count, expected - 1, last_hash)


def verify(conn: Connection, anchor: tuple[int, str] | None = None) -> Verification:
    """Check the whole chain in the database (see :func:`verify_rows`)."""
    return verify_rows(rows_in_order(conn), anchor)
