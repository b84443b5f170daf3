"""The audit log: an entry for every read and write of the casebook, and the principal's recent entries.

A write and its entry commit together or not at all. A *read* whose entry cannot be
written (a full disk, a read-only copy) still answers: refusing to show a defender their
own records because the disk is full would fail them when they most need it. Entries
name the record touched, never its content or the words searched for.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlcipher3

from amparo.casebook.database import Connection

WRITE_ACTIONS = ("create", "update", "delete")
# Who may see a case, given or taken away: the team store's trigger on the access table records each as the
# creation or deletion of an access row, with its role, so there the application writes no second entry.
ACCESS_ACTIONS = ("grant", "revoke")


@dataclass(frozen=True)
class AuditEntry:
    at: str
    principal: str
    action: str
    kind: str
    record_id: str
    case_id: str


def write_entry(
    conn: Connection, at: str, principal: str, action: str, kind: str, record_id: str = "", case_id: str = ""
) -> bool:
    """Record a read or write; ``False`` when a read's entry could not be written (a write's error is raised).

    A connection with an ``auditor`` (the team store's, :mod:`amparo.casebook.team.audit`) hands the
    entry to it: there the database records writes itself. A local connection has none.
    """
    auditor = getattr(conn, "auditor", None)
    if auditor is not None:
        return bool(auditor.write(conn, at, principal, action, kind, record_id, case_id))
    statement = "INSERT INTO audit (at, principal, action, kind, record_id, case_id) VALUES (?, ?, ?, ?, ?, ?)"
    values = (at, principal, action, kind, record_id, case_id)
    if action in WRITE_ACTIONS:
        conn.execute(statement, values)
        return True
    try:
        conn.execute(statement, values)
    except sqlcipher3.OperationalError:
        return False
    return True


def recent_entries(conn: Connection, principal: str, limit: int) -> list[AuditEntry]:
    """The principal's most recent ``limit`` entries, newest first."""
    rows = conn.execute(
        "SELECT at, principal, action, kind, record_id, case_id FROM audit"
        " WHERE principal = ? ORDER BY seq DESC LIMIT ?",
        (principal, limit),
    ).fetchall()
    return [AuditEntry(*row) for row in rows]
