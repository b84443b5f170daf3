"""The casebook's SQL: the statements behind each repository method, over a connection it already holds.

Nothing here checks access, writes the audit log or opens a transaction: the repository
(:mod:`amparo.casebook.repository`) does that around these calls. Where a read returns
many rows, it returns them as they are and a matching ``*_of`` function turns them into
records, to be called once the repository's block is over: the vault's lock is then held
no longer than the reads themselves.

Table and column names come from the record dataclasses, never from input; values are
always bound. The statements are written once for both stores, in SQLite's words; where
PostgreSQL's differ, and where the team store encrypts or indexes differently, they ask
:mod:`amparo.casebook.dialect` (``dialect_of``, ``sealed``, ``opened``, ``search_of``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from amparo.casebook.database import Connection
from amparo.casebook.dialect import Rows, dialect_of, opened, opened_columns, sealed, search_of
from amparo.casebook.fulltext import query_words
from amparo.casebook.mapping import column_list, from_row, to_db
from amparo.casebook.records import (
    CASE_RECORD_KINDS,
    KINDS,
    Case,
    Engagement,
    FollowUp,
    Record,
    RiskAssessment,
    columns,
    risk_level,
)
from amparo.casebook.results import CaseSummary, SearchHit, TimelineEntry

__all__ = ["Rows", "query_words"]


def count(conn: Connection, sql: str, *params: object) -> int:
    """The one number a statement selects."""
    return int(conn.execute(sql, params).fetchone()[0])


# -- writing ----------------------------------------------------------------------


def insert(conn: Connection, cls: type, table: str, record: Record) -> None:
    names = columns(cls)
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        sealed(conn, cls, record.id, names, [to_db(cls, n, getattr(record, n)) for n in names]),
    )


def update(conn: Connection, cls: type, table: str, record: Record) -> None:
    """Rewrite a stored record's fields, all but its id, case and creation time."""
    names = [n for n in columns(cls) if n not in ("id", "case_id", "created_at")]
    conn.execute(
        f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
        [*sealed(conn, cls, record.id, names, [to_db(cls, n, getattr(record, n)) for n in names]), record.id],
    )


def delete(conn: Connection, kind: str, record_id: str, case_id: str) -> None:
    """Delete a record and its search entry; a case's deletion takes every search entry of the case."""
    table = KINDS[kind][1]
    conn.execute(f"DELETE FROM {table} WHERE id = ?", (record_id,))
    if kind == "case":
        search_of(conn).remove_case(conn, case_id)
    else:
        search_of(conn).remove(conn, record_id)


def index(conn: Connection, kind: str, record: Record, case_id: str, new: bool = False) -> None:
    """(Re)write the record's full-text entry (``new``: it has none yet)."""
    search_of(conn).put(conn, kind, record, case_id, new)


# -- reading ----------------------------------------------------------------------


def get(conn: Connection, kind: str, record_id: str) -> Record | None:
    """The record of a known ``kind`` with this id, if there is one."""
    cls, table, _date = KINDS[kind]
    row = conn.execute(f"SELECT {column_list(cls)} FROM {table} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        return None
    return from_row(cls, opened(conn, [row], cls)[0])


def select_records(conn: Connection, kind: str, case_id: str) -> Rows:
    """One kind of record of one case, newest first (see :func:`records_of`)."""
    cls, table, date = KINDS[kind]
    rows: Rows = conn.execute(
        f"SELECT {column_list(cls)} FROM {table} WHERE case_id = ? ORDER BY {date} DESC, created_at DESC",
        (case_id,),
    ).fetchall()
    return opened(conn, rows, cls)


def records_of(kind: str, rows: Rows) -> list[Record]:
    cls = KINDS[kind][0]
    return [from_row(cls, row) for row in rows]


def _case_columns() -> tuple[str, str]:
    """The case list's computed columns (last activity, open requests, overdue follow-ups), and the join they need.

    The last activity is the latest date its records carry: an incident or engagement, a request's
    latest step (answered, sent, drafted), a follow-up done, a risk assessed (a follow-up still to do
    is a plan, not activity). A case with no record yet is dated by its opening (see :func:`cases_of`).
    Not the case's own time stamps: thirty cases typed in on one day would all show that day. It and
    the count of open requests are kept in ``case_activity`` by the database's triggers (local schema
    version 4, team migration 5); the overdue follow-ups depend on today, so they are counted here, one
    step down a partial index per case. The columns bind one value, today.
    """
    computed = """coalesce(ca.last_on, '') AS last, coalesce(ca.open_requests, 0),
          (SELECT count(*) FROM follow_ups WHERE case_id = c.id AND done_on IS NULL AND due_on < ?)"""
    return computed, "LEFT JOIN case_activity ca ON ca.case_id = c.id"


def _among(column: str, ids: list[str] | None) -> tuple[str, list[object]]:
    """A condition keeping the rows whose ``column`` is one of ``ids`` (every row for None)."""
    if ids is None:
        return "", []
    return f" AND {column} IN ({', '.join('?' * len(ids)) or 'NULL'})", [*ids]


def select_cases(conn: Connection, principal: str, today: str, case_ids: list[str] | None = None) -> tuple[Rows, Rows]:
    """The principal's cases (all, or those of ``case_ids``) with their counts and last activity, and the
    latest risk assessment of each that has one (see :func:`cases_of`), decrypted where the store encrypts.

    The case list asks for one page of cases, chosen by :func:`case_keys`; the count of incidents
    and engagements, which reads every one of them, is left to :func:`count_records`.
    """
    computed, activity = _case_columns()
    among, ids = _among("c.id", case_ids)
    rows: Rows = conn.execute(
        f"""
        SELECT {", ".join(f"c.{n}" for n in columns(Case))}, {computed}
        FROM cases c JOIN access a ON a.case_id = c.id AND a.principal = ?{among} {activity}
        """,
        (today, principal, *ids),
    ).fetchall()
    return opened(conn, rows, Case), latest_risks(conn, principal, case_ids)


def latest_risks(conn: Connection, principal: str, case_ids: list[str] | None = None) -> Rows:
    """The latest risk assessment of each of the principal's cases (or of ``case_ids``) that has one, opened."""
    # A query of its own, not a LEFT JOIN: the ratings are sealed with their assessment's id in the team
    # store, so they are read as whole records, and a case with no assessment has no row to open.
    among, ids = _among("r.case_id", case_ids)
    risks: Rows = conn.execute(
        f"""
        SELECT {", ".join(f"r.{n}" for n in columns(RiskAssessment))}
        FROM risk_assessments r JOIN access a ON a.case_id = r.case_id AND a.principal = ?
        WHERE r.id = (SELECT id FROM risk_assessments WHERE case_id = r.case_id
                      ORDER BY assessed_on DESC, created_at DESC LIMIT 1){among}
        """,
        (principal, *ids),
    ).fetchall()
    return opened(conn, risks, RiskAssessment)


KEY_COLUMNS = ("country", "closed", "id", "created_at")  # what every case list choice reads of every case


def case_keys(conn: Connection, principal: str, today: str, pseudonyms: bool, risks: bool) -> list[CaseSummary]:
    """Every case of the principal with only what choosing a page of the list needs: the first step of two.

    Its country (the filter offers the countries of all the cases), whether it is closed, its
    last activity and counts (in every order), and, when the choice needs them, its pseudonym and its
    latest risk; the other fields are left empty. The team store decrypts only those fields, not the
    five of every case and the ratings of every assessment: :func:`select_cases` then reads the page's
    cases in full (see :meth:`~amparo.casebook.repository.Casebook.case_list`).
    """
    names = (*KEY_COLUMNS, *(("pseudonym",) if pseudonyms else ()))
    computed, activity = _case_columns()
    rows: Rows = conn.execute(
        f"""
        SELECT {", ".join(f"c.{n}" for n in names)}, {computed}
        FROM cases c JOIN access a ON a.case_id = c.id AND a.principal = ? {activity}
        """,
        (today, principal),
    ).fetchall()
    width = len(names)
    latest = _latest(latest_risks(conn, principal) if risks else [])
    summaries = []
    for row in opened_columns(conn, rows, Case, names):
        country, closed, case_id, created = row[:4]
        pseudonym = str(row[4]) if pseudonyms else ""
        case = Case(pseudonym, "", str(country), "", "", bool(closed), str(case_id), str(created))
        last, open_requests, overdue = row[width:]
        summaries.append(_summary(case, last, open_requests, overdue, latest))
    return summaries


def cases_of(rows: Rows, risks: Rows) -> list[CaseSummary]:
    width = len(columns(Case))
    latest = _latest(risks)
    return [_summary(from_row(Case, row[:width]), row[width], row[width + 1], row[width + 2], latest) for row in rows]


def _latest(risks: Rows) -> dict[str, RiskAssessment]:
    return {a.case_id: a for a in (from_row(RiskAssessment, row) for row in risks)}


def _summary(case: Case, last: str, open_requests: int, overdue: int, latest: dict[str, RiskAssessment]) -> CaseSummary:
    risk = latest.get(case.id)
    score = None if risk is None else risk.score
    level = "" if score is None else risk_level(score)
    last = last or case.created_at[:10]
    return CaseSummary(case, 0, last, open_requests, overdue, level, score)  # records: count_records


def count_records(conn: Connection, case_ids: list[str]) -> dict[str, int]:
    """How many incidents and engagements each of these cases has: one grouped statement per table.

    Not one statement per case (a round trip each to PostgreSQL), nor one over a UNION ALL of both
    tables (SQLite then groups in a temporary b-tree: ten times slower than this).
    """
    counts = dict.fromkeys(case_ids, 0)
    if not case_ids:
        return counts
    marks = ", ".join("?" * len(case_ids))
    for table in ("incidents", "engagements"):
        sql = f"SELECT case_id, count(*) FROM {table} WHERE case_id IN ({marks}) GROUP BY case_id"
        for case_id, n in conn.execute(sql, case_ids).fetchall():
            counts[str(case_id)] += int(n)
    return counts


TimelineKey = tuple[str, str, str, str]  # date, created_at, kind, id


def timeline_keys(conn: Connection, case_id: str) -> list[TimelineKey]:
    """Every record of a case as (date, created_at, kind, id), newest first: what orders and pages the timeline.

    Clear columns only (dates, ids): nothing is decrypted to order a case of two thousand records.
    """
    keys: list[TimelineKey] = []
    for kind in CASE_RECORD_KINDS:
        _cls, table, date = KINDS[kind]
        rows = conn.execute(f"SELECT {date}, created_at, id FROM {table} WHERE case_id = ?", (case_id,)).fetchall()
        keys += [(str(on or created[:10]), str(created), kind, str(record_id)) for on, created, record_id in rows]
    keys.sort(key=lambda k: (k[0], k[1], k[3]), reverse=True)
    return keys


def timeline_entries(conn: Connection, keys: list[TimelineKey]) -> list[TimelineEntry]:
    """The records of these timeline keys in full, in the keys' order."""
    found: dict[str, Record] = {}
    for kind in CASE_RECORD_KINDS:
        ids = [record_id for _on, _created, k, record_id in keys if k == kind]
        if ids:
            cls, table, _date = KINDS[kind]
            rows = conn.execute(
                f"SELECT {column_list(cls)} FROM {table} WHERE id IN ({', '.join('?' * len(ids))})", ids
            ).fetchall()
            records: list[Record] = [from_row(cls, row) for row in opened(conn, rows, cls)]
            found |= {r.id: r for r in records}
    return [TimelineEntry(on, kind, found[record_id]) for on, _created, kind, record_id in keys if record_id in found]


FollowUpFilter = tuple[list[str], list[object]]  # conditions, and the values they bind


def follow_up_filter(include_done: bool, due_before: dt.date | None, due_from: dt.date | None) -> FollowUpFilter:
    """Which follow-ups :func:`select_follow_ups` lists: open ones unless ``include_done``, due in a range."""
    where = ["(? OR f.done_on IS NULL)", "f.due_on < ?", "f.due_on >= ?"]
    params: list[object] = [
        include_done,  # a boolean, not 0/1: PostgreSQL's OR takes no integers
        (due_before or dt.date.max).isoformat(),
        (due_from or dt.date.min).isoformat(),
    ]
    return where, params


def select_follow_ups(
    conn: Connection, principal: str, which: FollowUpFilter, limit: int, offset: int
) -> tuple[Rows, int]:
    """One page of follow-ups with their cases, open ones first, soonest due first, and how many there are.

    See :func:`follow_ups_of`.
    """
    where, params = which
    rows: Rows = conn.execute(
        f"""
        SELECT {", ".join(f"f.{n}" for n in columns(FollowUp))}, {", ".join(f"c.{n}" for n in columns(Case))},
          count(*) OVER ()
        FROM follow_ups f JOIN cases c ON c.id = f.case_id
        JOIN access a ON a.case_id = f.case_id AND a.principal = ?
        WHERE {" AND ".join(where)}
        ORDER BY f.done_on IS NOT NULL, f.due_on, f.id LIMIT ? OFFSET ?
        """,
        (principal, *params, dialect_of(conn).limit(limit), offset),
    ).fetchall()
    total = (
        rows[0][-1]
        if rows
        else count(
            conn,
            f"""SELECT count(*) FROM follow_ups f JOIN access a ON a.case_id = f.case_id AND a.principal = ?
        WHERE {" AND ".join(where)}""",
            principal,
            *params,
        )
    )
    return opened(conn, rows, FollowUp, Case), total


def follow_ups_of(rows: Rows) -> list[tuple[FollowUp, Case]]:
    width, case_width = len(columns(FollowUp)), len(columns(Case))
    return [(from_row(FollowUp, row[:width]), from_row(Case, row[width : width + case_width])) for row in rows]


def select_hits(conn: Connection, principal: str, words: list[str], limit: int) -> Rows:
    """The best ``limit`` records holding every word (see :func:`query_words`), among the principal's cases.

    See :func:`hits_of`.
    """
    return search_of(conn).hits(conn, principal, words, limit)


def hits_of(rows: Rows) -> list[SearchHit]:
    return [SearchHit(*row) for row in rows]


def case_records(conn: Connection, case_id: str) -> dict[str, tuple[Record, ...]]:
    """Every record of a case, by kind, each kind oldest first."""
    out: dict[str, tuple[Record, ...]] = {}
    for kind in CASE_RECORD_KINDS:
        cls, table, date = KINDS[kind]
        rows = conn.execute(
            f"SELECT {column_list(cls)} FROM {table} WHERE case_id = ? ORDER BY {date}, created_at", (case_id,)
        ).fetchall()
        out[kind] = tuple(from_row(cls, row) for row in opened(conn, rows, cls))
    return out


def export(conn: Connection, case_id: str) -> dict[str, object]:
    """Every record of a case as plain data, by kind, each kind oldest first."""
    return {kind: [dataclasses.asdict(r) for r in records] for kind, records in case_records(conn, case_id).items()}


def transfer_known(conn: Connection, transfer_id: str) -> bool:
    """Whether a consent in this store names the transfer file ``transfer_id`` (imported, or made, here).

    Of every case, not only the principal's: a file's case is imported once per store. Held under
    the dialect's lock on the id until the transaction ends, so two imports of one file take turns.
    """
    lock = dialect_of(conn).lock_key
    if lock:
        conn.execute(lock, ("amparo-transfer:" + transfer_id,))
    return conn.execute("SELECT 1 FROM consents WHERE transfer_id = ? LIMIT 1", (transfer_id,)).fetchone() is not None


def select_engagements(conn: Connection, principal: str) -> Rows:
    """All engagements over the principal's cases with their cases, oldest first (see :func:`engagements_of`)."""
    rows: Rows = conn.execute(
        f"""
        SELECT {", ".join(f"e.{n}" for n in columns(Engagement))}, {", ".join(f"c.{n}" for n in columns(Case))}
        FROM engagements e JOIN cases c ON c.id = e.case_id
        JOIN access a ON a.case_id = e.case_id AND a.principal = ?
        ORDER BY e.occurred_on, e.created_at
        """,
        (principal,),
    ).fetchall()
    return opened(conn, rows, Engagement, Case)


def engagements_of(rows: Rows) -> list[tuple[Engagement, Case]]:
    width = len(columns(Engagement))
    return [(from_row(Engagement, row[:width]), from_row(Case, row[width:])) for row in rows]
