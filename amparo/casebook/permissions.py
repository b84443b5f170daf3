"""Who may see and change which case: the access checks every repository method makes.

Access is decided per case, by the principal's role in the ``access`` table. A case
the principal has no access to gets the same :class:`RecordNotFound` as a record that
does not exist, so an id reveals nothing. This is the seam the multi-user server mode
builds on: roles and accounts change; the checks stay here.

Team mode shares cases by rows of the same table: the creator is the ``owner``, an assigned
member an ``editor`` (writes) or a ``reader`` (reads only); a member whose role sees every case
of the team holds an ``editor`` row on each (:func:`grant_every_case`). The helpers below change
rows only; the repository checks who may call them and writes an audit entry for each change.
"""

from __future__ import annotations

from amparo.casebook.database import Connection
from amparo.casebook.errors import CasebookError
from amparo.casebook.records import FollowUp, Record

LOCAL_PRINCIPAL = "local"  # local mode's one account: whoever unlocked the casebook on this machine
WRITE_ROLES = ("owner", "editor")
GRANTABLE_ROLES = ("editor", "reader")  # the owner's role comes only with creating the case


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


def grant(conn: Connection, case_id: str, principal: str, access_role: str) -> bool:
    """Give ``principal`` the role ``editor`` or ``reader`` in the case; ``False`` when it had one already.

    An existing role (the owner's included) is left as it is: an assignment never demotes or promotes.
    """
    if access_role not in GRANTABLE_ROLES:
        raise ValueError(f"not a role one can grant: {access_role!r}")
    cursor = conn.execute(
        "INSERT INTO access (case_id, principal, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (case_id, principal, access_role),
    )
    return bool(cursor.rowcount == 1)


def revoke(conn: Connection, case_id: str, principal: str) -> bool:
    """Take the principal's access to the case away; ``False`` when it had none. The owner's row stays."""
    cursor = conn.execute(
        "DELETE FROM access WHERE case_id = ? AND principal = ? AND role <> 'owner'", (case_id, principal)
    )
    return bool(cursor.rowcount == 1)


def assignees(conn: Connection, case_id: str) -> list[tuple[str, str]]:
    """Who has access to the case, as (principal, role): the owner first, then by principal."""
    rows = conn.execute(
        "SELECT principal, role FROM access WHERE case_id = ? ORDER BY role <> 'owner', principal", (case_id,)
    ).fetchall()
    return [(str(p), str(r)) for p, r in rows]


def owners(conn: Connection, principal: str, case_ids: list[str]) -> dict[str, str]:
    """The owner of each of ``case_ids`` that ``principal`` may see (case id -> owner's principal)."""
    found: dict[str, str] = {}
    for start in range(0, len(case_ids), 500):  # SQLite's limit on bound values is far above, PostgreSQL's too
        chunk = case_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT o.case_id, o.principal FROM access o JOIN access mine ON mine.case_id = o.case_id"  # noqa: S608
            f" AND mine.principal = ? WHERE o.role = 'owner' AND o.case_id IN ({marks})",
            (principal, *chunk),
        ).fetchall()
        found.update({str(c): str(p) for c, p in rows})
    return found


def cases_without(conn: Connection, principal: str) -> list[str]:
    """The cases the principal has no role in."""
    rows = conn.execute(
        "SELECT id FROM cases c WHERE NOT EXISTS"
        " (SELECT 1 FROM access a WHERE a.case_id = c.id AND a.principal = ?) ORDER BY id",
        (principal,),
    ).fetchall()
    return [str(row[0]) for row in rows]


def granted_cases(conn: Connection, principal: str) -> list[str]:
    """The cases the principal holds a role in other than the owner's."""
    rows = conn.execute(
        "SELECT case_id FROM access WHERE principal = ? AND role <> 'owner' ORDER BY case_id", (principal,)
    ).fetchall()
    return [str(row[0]) for row in rows]
