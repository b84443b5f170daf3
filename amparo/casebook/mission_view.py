"""The per-mission view's SQL: each issuer and mission the principal's cases engaged or asked, latest first.

Like :mod:`amparo.casebook.queries` (whose conventions hold here), it checks no access and writes no audit: the
repository does that around :func:`missions`. The dates it orders by are kept by the database's triggers
(``mission_activity``: local schema 4, team migration 5); only the page's pairs are read in full.
"""

from __future__ import annotations

from amparo.casebook.database import Connection
from amparo.casebook.dialect import dialect_of, opened
from amparo.casebook.mapping import column_list, from_row
from amparo.casebook.queries import count
from amparo.casebook.records import OPEN_STATUSES, Engagement, Request, columns
from amparo.casebook.results import MissionSummary

PAIRS_PER_STATEMENT = 100  # pairs per statement, each binding a few values; a page of the view shows 50 pairs


def missions(conn: Connection, principal: str, limit: int, offset: int) -> tuple[list[MissionSummary], int]:
    """Per issuer and mission, latest activity first: one page of summaries, and how many pairs there are.

    Over the principal's cases; one page (``limit`` pairs from ``offset``; -1 for all). Only
    the page's pairs are read in full: a casebook of many years can hold a thousand pairs,
    and every page of the database read must be decrypted. The engagements are not grouped
    here: ``mission_activity``, kept by the database's triggers, holds the date of each case's
    latest engagement with each issuer and mission (a row per case, so that the principal's
    scope still decides what counts).
    """
    visible = "case_id IN (SELECT case_id FROM access WHERE principal = ?)"
    open_marks = ", ".join("?" * len(OPEN_STATUSES))
    # When the principal sees every case (always, in local mode) the check can say nothing and is left out.
    sees_all = count(
        conn,
        "SELECT (SELECT count(*) FROM cases) = (SELECT count(*) FROM access WHERE principal = ?)",
        principal,
    )
    engaged = "" if sees_all else f"WHERE {visible}"
    pairs = f"""
        SELECT issuer, mission, max(engaged) AS engaged, max(last) AS last FROM (
          SELECT issuer, mission, max(last_on) AS engaged, max(last_on) AS last FROM mission_activity {engaged}
          GROUP BY issuer, mission
          UNION ALL
          SELECT issuer, mission, NULL, max(coalesce(sent_on, drafted_on, substr(created_at, 1, 10)))
          FROM requests WHERE {visible} AND status IN ({open_marks}) GROUP BY issuer, mission) AS activity
        GROUP BY issuer, mission"""
    params = ((principal,) if not sees_all else ()) + (principal, *OPEN_STATUSES)
    page = conn.execute(
        f"SELECT issuer, mission, engaged, count(*) OVER () FROM ({pairs}) AS pairs"
        " ORDER BY last DESC, issuer, mission LIMIT ? OFFSET ?",
        (*params, dialect_of(conn).limit(limit), offset),
    ).fetchall()
    total = page[0][3] if page else conn.execute(f"SELECT count(*) FROM ({pairs}) AS pairs", params).fetchone()[0]
    shown = [(str(issuer), str(mission), on) for issuer, mission, on, _total in page]
    last: dict[tuple[str, str], Engagement] = {}
    pending: dict[tuple[str, str], list[Request]] = {}
    for first in range(0, len(shown), PAIRS_PER_STATEMENT):
        chunk = shown[first : first + PAIRS_PER_STATEMENT]
        last |= _last_engagements(conn, principal, [(i, m, str(on)) for i, m, on in chunk if on is not None])
        pending |= _open_requests(conn, principal, [(i, m) for i, m, _on in chunk])
    summaries = [MissionSummary(i, m, last.get((i, m)), tuple(pending.get((i, m), ()))) for i, m, _on in shown]
    return summaries, total


def _last_engagements(
    conn: Connection, principal: str, pairs: list[tuple[str, str, str]]
) -> dict[tuple[str, str], Engagement]:
    """The latest engagement with each issuer and mission over the principal's cases, given the day it was
    on (the pair's latest, from ``mission_activity``): the engagements of that day, a few steps along the
    index on (issuer, mission, occurred_on) each, the latest written kept. One join with the page's pairs,
    not a statement per pair: PostgreSQL took longer to plan fifty of them than to run them."""
    if not pairs:
        return {}
    visible = "e.case_id IN (SELECT case_id FROM access WHERE principal = ?)"
    rows = conn.execute(
        f"""SELECT {", ".join(f"e.{n}" for n in columns(Engagement))}
        FROM (VALUES {", ".join("(?, ?, ?)" for _pair in pairs)}) AS p
        JOIN engagements e ON e.issuer = p.column1 AND e.mission = p.column2 AND e.occurred_on = p.column3
        WHERE {visible}""",
        [*(v for pair in pairs for v in pair), principal],
    ).fetchall()
    latest: dict[tuple[str, str], Engagement] = {}
    for e in (from_row(Engagement, row) for row in opened(conn, rows, Engagement)):
        known = latest.get((e.issuer, e.mission))
        if known is None or (e.created_at, e.id) > (known.created_at, known.id):
            latest[(e.issuer, e.mission)] = e
    return latest


def _open_requests(
    conn: Connection, principal: str, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], list[Request]]:
    """The open requests to each issuer and mission over the principal's cases, oldest step first."""
    if not pairs:
        return {}
    visible = "case_id IN (SELECT case_id FROM access WHERE principal = ?)"
    open_marks = ", ".join("?" * len(OPEN_STATUSES))
    which = " OR ".join("(issuer = ? AND mission = ?)" for _pair in pairs)
    rows = conn.execute(
        f"""SELECT {column_list(Request)} FROM requests WHERE ({which}) AND status IN ({open_marks}) AND {visible}
        ORDER BY coalesce(sent_on, drafted_on, created_at), id""",
        (*(v for pair in pairs for v in pair), *OPEN_STATUSES, principal),
    ).fetchall()
    out: dict[tuple[str, str], list[Request]] = {}
    for request in (from_row(Request, row) for row in opened(conn, rows, Request)):
        out.setdefault((request.issuer, request.mission), []).append(request)
    return out
