"""The team's audit no one can bypass: the database records every change, raw SQL included, in a hash chain.

On a real PostgreSQL (conftest.py). The raw statements here go straight to the connection, as a
script, a bulk fix or an intruder with the application's database login would send them: not
through the repository.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import threading
from collections.abc import Callable

import psycopg
import pytest

from amparo.casebook.records import Case, Engagement, FollowUp, Incident, Request, RiskAssessment, kind_of
from amparo.casebook.repository import Casebook
from amparo.casebook.team import TeamStore
from amparo.casebook.team import audit as team_audit
from amparo.casebook.team import schema as team_schema
from amparo.casebook.team.audit import DIRECT_SQL, AuditRow, Filter, read, record, verify, verify_rows
from tests.casebook.conftest import Cluster
from tests.casebook.test_team_store import CANARY, _with_canary

ME = "p-" + "a" * 32
TODAY = dt.date(2026, 11, 25)
RAW_MARK = "Rohschrift4Vw"


def _now() -> dt.datetime:
    return dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def rows(store: TeamStore) -> list[AuditRow]:
    """Every audit row, oldest first."""
    with store.connection() as conn:
        return list(team_audit.rows_in_order(conn))


def last(store: TeamStore, n: int = 1) -> list[tuple[str, str, str, str]]:
    """The newest ``n`` rows as (principal, action, kind, record id), newest first."""
    return [(r.principal, r.action, r.kind, r.record_id) for r in reversed(rows(store)[-n:])]


@pytest.fixture
def store(team_store: Callable[[], TeamStore]) -> TeamStore:
    return team_store()


@pytest.fixture
def book(store: TeamStore) -> Casebook:
    return Casebook(store, now=_now)


def test_a_raw_update_and_delete_are_audited_though_no_principal_was_set(store: TeamStore, book: Casebook) -> None:
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    incident = book.add(ME, Incident(case.id, TODAY, "threats", description="the first account"))
    before = len(rows(store))
    with store.connection() as conn:  # straight to PostgreSQL: no repository, no principal
        conn.raw.execute("UPDATE incidents SET occurred_on = '2020-01-01' WHERE id = %s", (incident.id,))
    with store.connection() as conn:
        conn.raw.execute("DELETE FROM incidents WHERE case_id = %s", (case.id,))
    new = rows(store)[before:]
    assert [(r.principal, r.action, r.kind, r.record_id, r.case_id) for r in new] == [
        (DIRECT_SQL, "update", "incident", incident.id, case.id),
        (DIRECT_SQL, "delete", "incident", incident.id, case.id),
    ]
    assert all(r.source == "database" and r.db_role == "postgres" for r in new)
    with store.connection() as conn:
        assert verify(conn).ok


def test_a_bulk_change_gets_one_row_per_record_and_a_truncate_is_recorded(store: TeamStore, book: Casebook) -> None:
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    ids = {book.add(ME, Incident(case.id, TODAY, "threats")).id for _ in range(3)}
    with store.connection() as conn:
        conn.raw.execute("UPDATE incidents SET updated_at = '2026-01-01T00:00:00+00:00'")
    assert {r[3] for r in last(store, 3)} == ids and {r[1] for r in last(store, 3)} == {"update"}
    with store.connection() as conn:
        conn.raw.execute("TRUNCATE follow_ups")
    assert last(store) == [(DIRECT_SQL, "truncate", "follow-up", "")]


def test_the_repository_writes_are_recorded_once_by_the_database_with_their_principal(
    store: TeamStore, book: Casebook
) -> None:
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    incident = book.add(ME, Incident(case.id, TODAY, "threats"))
    book.update(ME, dataclasses.replace(incident, place="elsewhere"))
    book.get(ME, "incident", incident.id)
    book.delete(ME, "incident", incident.id)
    assert last(store, 5) == [
        (ME, "delete", "incident", incident.id),
        (ME, "read", "incident", incident.id),
        (ME, "update", "incident", incident.id),
        (ME, "create", "incident", incident.id),
        (ME, "create", "case", case.id),  # and no second row for the owner's access: creating a case is owning it
    ]
    sources = [r.source for r in rows(store)[-5:]]
    assert sources == ["database", "database", "database", "app", "database"]
    book.delete(ME, "case", case.id)  # its records and access go with it, recorded as the case's deletion
    assert last(store) == [(ME, "delete", "case", case.id)]


def test_a_grant_to_someone_else_and_a_principal_named_for_a_script_are_recorded(
    store: TeamStore, book: Casebook
) -> None:
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    other = "p-" + "b" * 32
    with store.connection() as conn:  # raw SQL, even in the transaction that creates the case, is seen
        conn.raw.execute(
            "INSERT INTO cases (id, pseudonym, subject, country, field, notes, created_at, updated_at)"
            " VALUES ('c-raw', '', '', '', '', '', '', '')"
        )
        conn.raw.execute("INSERT INTO access (case_id, principal, role) VALUES ('c-raw', %s, 'owner')", (other,))
    assert last(store, 2) == [(DIRECT_SQL, "create", "access", other), (DIRECT_SQL, "create", "case", "c-raw")]
    with store.connection(principal="p-" + "c" * 32) as conn:
        conn.raw.execute("UPDATE access SET role = 'reader' WHERE case_id = %s", (case.id,))
    row = rows(store)[-1]
    assert (row.principal, row.action, row.kind, row.record_id, row.case_id, row.detail) == (
        "p-" + "c" * 32, "update", "access", ME, case.id, "owner->reader",
    )  # fmt: skip


def test_the_audit_table_refuses_update_delete_and_truncate(store: TeamStore, book: Casebook) -> None:
    book.add(ME, Case(pseudonym="River guardian", subject="community"))
    for statement in ("UPDATE audit SET principal = 'nobody'", "DELETE FROM audit", "TRUNCATE audit"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"), store.connection() as conn:
            conn.raw.execute(statement)
    with store.connection() as conn:  # forged hashes or numbers are replaced by the database's own
        record(conn, ME, "read", "case")
        conn.raw.execute(
            "INSERT INTO audit (seq, at, principal, action, kind, hash) VALUES (1, 'x', 'p', 'a', 'k', '')"
        )
    assert verify_rows(rows(store)).ok and rows(store)[-1].seq == len(rows(store))


def test_verify_names_a_row_altered_or_removed_and_a_chain_cut_short(
    postgres: Cluster, team_store: Callable[[], TeamStore]
) -> None:
    def filled() -> tuple[TeamStore, str]:
        store = team_store()
        book = Casebook(store, now=_now)
        case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
        for _ in range(4):
            book.get(ME, "case", case.id)
        with store.connection() as conn:
            return store, conn.execute("SELECT current_schema()").fetchone()[0]

    def as_superuser(schema: str, statement: str) -> None:
        with psycopg.connect(postgres.url_for(schema)) as su:
            su.execute("SET session_replication_role = replica")  # a superuser's switch: no trigger fires
            su.execute(statement)

    def check(store: TeamStore, anchor: tuple[int, str] | None = None) -> team_audit.Verification:
        with store.connection() as conn:
            return verify(conn, anchor)

    store, schema = filled()
    good = check(store)
    assert good.ok and good.count == 5 and good.last_seq == 5
    as_superuser(schema, "UPDATE audit SET principal = 'p-someone-else' WHERE seq = 3")
    assert (check(store).ok, check(store).broken_at, check(store).problem) == (False, 3, "altered")
    as_superuser(schema, "DELETE FROM audit WHERE seq = 3")
    assert (check(store).broken_at, check(store).problem) == (4, "missing")

    store, schema = filled()
    head = check(store)
    as_superuser(schema, "DELETE FROM audit WHERE seq = 5")  # the newest row: the rest still chains up
    assert check(store).ok
    cut = check(store, anchor=(head.last_seq, head.last_hash))  # the head kept off the server catches it
    assert (cut.ok, cut.problem, cut.broken_at) == (False, "anchor", 5)
    assert check(store, anchor=(4, check(store).last_hash)).ok


def test_the_schema_check_names_a_disabled_audit_trigger(store: TeamStore) -> None:
    with store.connection() as conn:
        assert team_schema.check(conn) == []
        conn.execute("ALTER TABLE incidents DISABLE TRIGGER incidents_audit")
        assert team_schema.check(conn) == [
            "trigger incidents_audit on incidents is disabled: changes would escape the audit"
        ]
        conn.rollback()


def test_the_application_role_cannot_touch_the_log_or_switch_off_its_triggers(
    postgres: Cluster, store: TeamStore, book: Casebook
) -> None:
    """The deployment docs/team.md recommends: tables owned by one role, the application logs in as another."""
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    with store.connection() as conn:
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
    app = "app_" + secrets.token_hex(4)
    with psycopg.connect(postgres.url, autocommit=True) as su:
        su.execute(f"CREATE ROLE {app} LOGIN")
        su.execute(f"GRANT USAGE ON SCHEMA {schema} TO {app}")
        su.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}")
        su.execute(f"REVOKE UPDATE, DELETE ON {schema}.audit FROM {app}")
    url = postgres.url_for(schema).replace("postgres@", f"{app}@", 1)
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE cases SET closed = 1 WHERE id = %s", (case.id,))
        conn.commit()
        for statement in (
            "UPDATE audit SET principal = 'nobody'",
            "DELETE FROM audit",
            "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
            "ALTER TABLE cases DISABLE TRIGGER cases_audit",
            "SET session_replication_role = replica",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
    row = rows(store)[-1]
    assert (row.principal, row.action, row.kind, row.record_id, row.db_role) == (
        DIRECT_SQL, "update", "case", case.id, app,
    )  # fmt: skip


def test_concurrent_writers_keep_one_unbroken_chain(store: TeamStore, book: Casebook) -> None:
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                book.add(ME, Incident(case.id, TODAY, "threats"))
                book.records(ME, case.id, "incident")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.connection() as conn:
        result = verify(conn)
    assert result.ok and result.count == 1 + 4 * 10 * 2


def test_no_content_reaches_the_audit(store: TeamStore, book: Casebook) -> None:
    case = book.add(ME, _with_canary(Case(pseudonym="x", subject="individual", country="HN")))
    request = book.add(ME, _with_canary(Request(case.id, "de", (), answered_on=TODAY)))
    for made in (
        _with_canary(Incident(case.id, TODAY, "threats")),
        _with_canary(Engagement(case.id, TODAY, "de")),
        _with_canary(FollowUp(case.id, TODAY, "x", request_id=request.id)),
        _with_canary(RiskAssessment(case.id, TODAY, 5, 4, 1)),
    ):
        stored = book.add(ME, made)
        book.get(ME, kind_of(stored), stored.id)
    book.search(ME, CANARY)
    book.export_case(ME, case.id)
    with store.connection() as conn:
        # a raw write of a clear value (not the shared canary: the pg_dump test reads this cluster's files)
        conn.raw.execute("UPDATE incidents SET place = %s", (RAW_MARK.encode(),))
        everything = conn.raw.execute("SELECT * FROM audit").fetchall()
    text = repr(everything) + repr(rows(store))
    assert len(everything) > 10
    for needle in (CANARY, RAW_MARK):
        assert needle.lower() not in text.lower()


def test_filters_read_newest_first(store: TeamStore, book: Casebook) -> None:
    case = book.add(ME, Case(pseudonym="River guardian", subject="community"))
    book.get(ME, "case", case.id)
    with store.connection() as conn:
        record(conn, "", "login-failed", "account", detail="h-123")
        page, total = read(conn, Filter(action="read"))
        assert total == 1 and page[0].record_id == case.id
        page, total = read(conn, Filter(principal=ME, since=TODAY - dt.timedelta(days=400)))
        assert [r.action for r in page] == ["read", "create"] and total == 2
        assert read(conn, Filter(until=dt.date(2000, 1, 1)))[1] == 0
        newest, total = read(conn, limit=1)
        assert newest[0].action == "login-failed" and total == 3
