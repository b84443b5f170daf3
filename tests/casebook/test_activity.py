"""Each case's last activity and open requests, and each mission's last engagement per case, as the database's
triggers keep them (``case_activity``, ``mission_activity``: local schema 4, team migration 5), always equal
what reading every record gives (the statements the case list and the per-mission view ran before).

Every test runs on both stores, as tests/casebook/test_repository.py's do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.casebook.database import Connection
from amparo.casebook.dialect import Store, dialect_of
from amparo.casebook.listing import CaseQuery
from amparo.casebook.records import (
    KINDS,
    OPEN_STATUSES,
    Case,
    Engagement,
    FollowUp,
    Incident,
    Record,
    Request,
    RiskAssessment,
)
from amparo.casebook.repository import Casebook
from tests.casebook.test_repository import ME, book, new_store  # noqa: F401 (fixtures)

DAY = dt.date(2026, 3, 1)
Kept = tuple[dict[str, tuple[str, int]], dict[tuple[str, str, str], str]]


def computed(conn: Connection) -> Kept:
    """What reading every record gives: the case list's and the per-mission view's statements before the tables."""
    greatest = "greatest" if dialect_of(conn).name == "postgresql" else "max"
    marks = ", ".join("?" * len(OPEN_STATUSES))
    rows = conn.execute(
        f"""SELECT c.id, coalesce({greatest}(
            coalesce((SELECT max(occurred_on) FROM incidents WHERE case_id = c.id), ''),
            coalesce((SELECT max(occurred_on) FROM engagements WHERE case_id = c.id), ''),
            coalesce((SELECT max(coalesce(answered_on, sent_on, drafted_on, substr(created_at, 1, 10)))
                      FROM requests WHERE case_id = c.id), ''),
            coalesce((SELECT max(done_on) FROM follow_ups WHERE case_id = c.id), ''),
            coalesce((SELECT max(assessed_on) FROM risk_assessments WHERE case_id = c.id), '')
          ), ''),
          (SELECT count(*) FROM requests WHERE case_id = c.id AND status IN ({marks}))
        FROM cases c""",  # noqa: S608
        OPEN_STATUSES,
    ).fetchall()
    missions = conn.execute(
        "SELECT issuer, mission, case_id, max(occurred_on) FROM engagements GROUP BY issuer, mission, case_id"
    ).fetchall()
    return {str(c): (str(last), int(n)) for c, last, n in rows}, {
        (str(i), str(m), str(c)): str(on) for i, m, c, on in missions
    }


def kept(conn: Connection) -> Kept:
    rows = conn.execute("SELECT case_id, last_on, open_requests FROM case_activity").fetchall()
    missions = conn.execute("SELECT issuer, mission, case_id, last_on FROM mission_activity").fetchall()
    return {str(c): (str(last), int(n)) for c, last, n in rows}, {
        (str(i), str(m), str(c)): str(on) for i, m, c, on in missions
    }


def check(store: Store) -> Kept:
    with store.connection() as conn:
        found, wanted = kept(conn), computed(conn)
    assert found == wanted
    return found


def store_of(casebook: Casebook) -> Store:
    return casebook.vault


def test_every_kind_of_record_added_changed_moved_and_deleted(book: Casebook) -> None:  # noqa: F811
    store = store_of(book)
    first = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    second = book.add(ME, Case(pseudonym="Night school", subject="group"))
    assert check(store)[0] == {first.id: ("", 0), second.id: ("", 0)}
    records: list[Record] = [
        Incident(first.id, DAY, "raid", "police"),
        Engagement(first.id, DAY + dt.timedelta(days=1), "DE", "berlin", "meeting"),
        Request(first.id, "CA", ("trial-observation",), drafted_on=DAY + dt.timedelta(days=2)),
        FollowUp(first.id, DAY + dt.timedelta(days=30), "Call back", done_on=DAY + dt.timedelta(days=3)),
        RiskAssessment(first.id, DAY + dt.timedelta(days=4), 4, 4, 2),
    ]
    for n, record in enumerate(records):
        stored = book.add(ME, record)
        activity, _missions = check(store)
        assert activity[first.id][0] == (DAY + dt.timedelta(days=n)).isoformat()
        later = dt.date(2027, 1, 1 + n)  # its date moves the case's last activity
        field = {
            "incident": "occurred_on",
            "engagement": "occurred_on",
            "request": "drafted_on",
            "follow-up": "done_on",
            "risk": "assessed_on",
        }[KINDS_OF[type(record)]]
        book.update(ME, dataclasses.replace(stored, **{field: later}))  # type: ignore[arg-type]
        assert check(store)[0][first.id][0] == later.isoformat()
        table = KINDS[KINDS_OF[type(record)]][1]
        with store.connection() as conn:  # moved to the other case (raw SQL: the repository never moves one)
            conn.execute(f"UPDATE {table} SET case_id = ? WHERE id = ?", (second.id, stored.id))  # noqa: S608
        activity, _missions = check(store)
        assert activity[second.id][0] == later.isoformat()
        book.delete(ME, KINDS_OF[type(record)], stored.id)
        activity, missions = check(store)
        assert activity[second.id] == ("", 0) and all(c != second.id for _i, _m, c in missions)
        book.add(ME, record)
    activity, missions = check(store)
    assert activity[first.id] == ((DAY + dt.timedelta(days=4)).isoformat(), 1)
    assert missions == {("DE", "berlin", first.id): (DAY + dt.timedelta(days=1)).isoformat()}
    book.delete(ME, "case", first.id)  # its records go by the cascade, and its rows with them
    assert check(store) == ({second.id: ("", 0)}, {})


KINDS_OF = {cls: kind for kind, (cls, _table, _date) in KINDS.items()}


def test_a_request_is_open_until_answered_and_its_latest_step_counts(book: Casebook) -> None:  # noqa: F811
    store = store_of(book)
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    request = book.add(ME, Request(case.id, "CA", ("trial-observation",), drafted_on=DAY))
    assert check(store)[0][case.id] == (DAY.isoformat(), 1)
    sent = book.update(ME, dataclasses.replace(request, status="sent", sent_on=DAY + dt.timedelta(days=5)))
    assert check(store)[0][case.id] == ((DAY + dt.timedelta(days=5)).isoformat(), 1)
    book.update(ME, dataclasses.replace(sent, status="declined", answered_on=DAY + dt.timedelta(days=9)))
    assert check(store)[0][case.id] == ((DAY + dt.timedelta(days=9)).isoformat(), 0)
    book.add(ME, FollowUp(case.id, DAY + dt.timedelta(days=99), "A plan is not activity"))
    assert check(store)[0][case.id] == ((DAY + dt.timedelta(days=9)).isoformat(), 0)


def test_an_engagement_moved_to_another_mission_leaves_the_old_one(book: Casebook) -> None:  # noqa: F811
    store = store_of(book)
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    old = book.add(ME, Engagement(case.id, DAY, "DE", "berlin", "meeting"))
    book.add(ME, Engagement(case.id, DAY + dt.timedelta(days=3), "DE", "berlin", "call"))
    book.update(ME, dataclasses.replace(old, issuer="FR", mission="paris"))
    assert check(store)[1] == {
        ("DE", "berlin", case.id): (DAY + dt.timedelta(days=3)).isoformat(),
        ("FR", "paris", case.id): DAY.isoformat(),
    }
    (summary,) = [m for m in book.missions(ME).items if m.issuer == "FR"]
    assert summary.last_engagement is not None and summary.last_engagement.id == old.id


# -- a property: any sequence of changes leaves the kept values equal to the counted ones -----------------------

kinds = st.sampled_from(["incident", "engagement", "request", "follow-up", "risk"])
days = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
maybe_day = st.none() | days
codes = st.sampled_from(["DE", "FR", "CA"])
missions = st.sampled_from(["", "berlin", "paris"])
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            kinds,
            st.integers(0, 2),
            days,
            maybe_day,
            codes,
            missions,
            st.sampled_from(["draft", "sent", "declined"]),
        ),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("move"), st.integers(0, 50), st.integers(0, 2)),
        st.tuples(st.just("redate"), st.integers(0, 50), days),
        st.tuples(st.just("drop-case"), st.integers(0, 2)),
    ),
    max_size=14,
)


def _record(
    kind: str, case_id: str, on: dt.date, other: dt.date | None, issuer: str, mission: str, status: str
) -> Record:
    if kind == "incident":
        return Incident(case_id, on, "raid", "police")
    if kind == "engagement":
        return Engagement(case_id, on, issuer, mission, "meeting")
    if kind == "request":
        sent = other if status != "draft" else None
        answered = other if status == "declined" else None
        return Request(case_id, issuer, ("trial-observation",), mission, status, on, sent, answered)
    if kind == "follow-up":
        return FollowUp(case_id, on, "Call back", done_on=other)
    return RiskAssessment(case_id, on, 3, 2, 4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_the_kept_values_always_equal_the_counted_ones(new_store: Callable[[], Store], steps: list) -> None:  # noqa: F811
    store = new_store()
    casebook = Casebook(store)
    cases = [casebook.add(ME, Case(pseudonym=f"Case {n}", subject="community")).id for n in range(3)]
    stored: list[tuple[str, str]] = []  # kind, id
    for step in steps:
        if step[0] == "add":
            _op, kind, n, on, other, issuer, mission, status = step
            if cases[n]:
                stored.append((kind, casebook.add(ME, _record(kind, cases[n], on, other, issuer, mission, status)).id))
        elif step[0] == "drop-case":
            if cases[step[1]]:
                casebook.delete(ME, "case", cases[step[1]])
                cases[step[1]] = ""
        elif stored:
            kind, record_id = stored[step[1] % len(stored)]
            table, date = KINDS[kind][1], KINDS[kind][2]
            with store.connection() as conn:  # raw SQL: the triggers are the database's, whoever writes
                if step[0] == "delete":
                    conn.execute(f"DELETE FROM {table} WHERE id = ?", (record_id,))  # noqa: S608
                elif step[0] == "move" and cases[step[2]]:
                    conn.execute(f"UPDATE {table} SET case_id = ? WHERE id = ?", (cases[step[2]], record_id))  # noqa: S608
                elif step[0] == "redate":
                    conn.execute(f"UPDATE {table} SET {date} = ? WHERE id = ?", (step[2].isoformat(), record_id))  # noqa: S608
        check(store)
    for summary in casebook.case_list(ME, CaseQuery()).items:  # and the case list shows them
        with store.connection() as conn:
            last = computed(conn)[0][summary.case.id][0] or summary.case.created_at[:10]
        assert summary.last_activity == last


def test_the_tables_are_filled_for_a_casebook_of_the_version_before(book: Casebook) -> None:  # noqa: F811
    store = store_of(book)
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    book.add(ME, Engagement(case.id, DAY, "DE", "berlin", "meeting"))
    book.add(ME, Request(case.id, "CA", ("trial-observation",), drafted_on=DAY + dt.timedelta(days=2)))
    with store.connection() as conn:  # as the version before left it: neither table, no triggers
        if dialect_of(conn).name == "postgresql":
            conn.execute("DROP TABLE case_activity, mission_activity")
            for function in (
                "amparo_activity()",
                "amparo_case_opened()",
                "amparo_activity_truncated()",
                "amparo_activity_recount()",
                "amparo_case_activity_refresh(amparo_text)",
                "amparo_mission_activity_refresh(amparo_text, amparo_text, amparo_text)",
            ):
                conn.execute(f"DROP FUNCTION {function} CASCADE")
            conn.execute("DROP INDEX follow_ups_overdue")
            conn.execute("DELETE FROM amparo_schema WHERE version = 5")
        else:
            triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%activity%'")
            for (name,) in triggers.fetchall():
                conn.execute(f"DROP TRIGGER {name}")
            conn.execute("DROP TABLE case_activity")
            conn.execute("DROP TABLE mission_activity")
            conn.execute("DROP INDEX follow_ups_overdue")
            conn.execute("PRAGMA user_version = 3")
    if hasattr(store, "prepare"):
        store.prepare()  # as the next start of the server does
    reopened = Casebook(store)
    assert reopened.case_list(ME, CaseQuery()).items[0].open_requests == 1
    assert check(store) == (
        {case.id: ((DAY + dt.timedelta(days=2)).isoformat(), 1)},
        {("DE", "berlin", case.id): DAY.isoformat()},
    )
