"""Who may see and change which case: the access checks every repository method makes.

Access is decided per case, by the principal's role in the ``access`` table. A case
the principal has no access to gets the same :class:`RecordNotFound` as a record that
does not exist, so an id reveals nothing. This is the seam the multi-user server mode
builds on: roles and accounts change; the checks stay here.
"""

from __future__ import annotations

from amparo.casebook.database import Connection
from amparo.casebook.errors import CasebookError
from amparo.casebook.records import FollowUp, Record

LOCAL_PRINCIPAL = "local"  # local mode's one account: whoever unlocked the casebook on this machine
WRITE_ROLES = ("owner", "editor")


class RecordNotFound(CasebookError):
    """No such record, or not one this principal may see (deliberately the same answer)."""

    def __init__(self) -> None:
        super().__init__("This record does not exist or is not yours to see.")


class ReadOnlyAccess(CasebookError):
    def __init__(self) -> None:
        super().__init__("You may read this case but not change it.")


def role(conn: Connection, principal: str, case_id: str) -> str:
    """The principal's role in the case; :class:`RecordNotFound` when it has none."""
    row = conn.execute("SELECT role FROM access WHERE principal = ? AND case_id = ?", (principal, case_id)).fetchone()
    if row is None:
        raise RecordNotFound()
    return str(row[0])


def may_write(conn: Connection, principal: str, case_id: str) -> None:
    if role(conn, principal, case_id) not in WRITE_ROLES:
        raise ReadOnlyAccess()


def make_owner(conn: Connection, case_id: str, principal: str) -> None:
    """Give the principal who creates a case the owner's role in it."""
    conn.execute("INSERT INTO access (case_id, principal, role) VALUES (?, ?, 'owner')", (case_id, principal))


def check_links(conn: Connection, record: Record) -> None:
    """A follow-up may point at a request, but only one of the same case."""
    if isinstance(record, FollowUp) and record.request_id:
        row = conn.execute("SELECT case_id FROM requests WHERE id = ?", (record.request_id,)).fetchone()
        if row is None or row[0] != record.case_id:
            raise RecordNotFound()
