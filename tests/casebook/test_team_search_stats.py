"""The team search's totals (migration 4, ``search_stats``) stay what counting every indexed record gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from amparo.casebook.records import Case, Incident
from amparo.casebook.repository import Casebook
from amparo.casebook.team import TeamStore

ME = "owner"


def _totals(store: TeamStore) -> tuple[tuple[int, int], tuple[int, int]]:
    with store.connection() as conn:
        kept = conn.execute("SELECT docs, total FROM search_stats").fetchall()
        counted = conn.execute("SELECT count(*), coalesce(sum(length), 0) FROM search_docs").fetchone()
    assert len(kept) == 1
    return (int(kept[0][0]), int(kept[0][1])), (int(counted[0]), int(counted[1]))


def test_the_totals_follow_every_change_to_the_index(team_store: Callable[[], TeamStore]) -> None:
    store = team_store()
    book = Casebook(store)
    first = book.add(ME, Case(pseudonym="River guardian", subject="community", notes="land and water"))
    second = book.add(ME, Case(pseudonym="Night school", subject="group"))
    incidents = [
        book.add(ME, Incident(c.id, dt.date(2026, 3, n + 1), "raid", description="police came " * (n + 1)))
        for n, c in enumerate((first, second, second))
    ]
    kept, counted = _totals(store)
    assert kept == counted and counted[0] == 5
    book.update(ME, dataclasses.replace(incidents[0], description="a much longer account of the night " * 3))
    book.delete(ME, "incident", incidents[1].id)
    assert _totals(store)[0] == _totals(store)[1]
    book.delete(ME, "case", second.id)  # its records' entries go with it (a cascade, not the repository's delete)
    kept, counted = _totals(store)
    assert kept == counted and counted[0] == 2
    with store.connection() as conn:  # raw SQL too: the triggers are the database's
        conn.execute("UPDATE search_docs SET length = length + 7")
    kept, counted = _totals(store)
    assert kept == counted
    with store.connection() as conn:
        conn.execute("TRUNCATE search_docs CASCADE")
    assert _totals(store) == ((0, 0), (0, 0))


def _copies_differ(store: TeamStore) -> int:
    """How many index entries carry another length or case than their record's (migration 6's copies)."""
    with store.connection() as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM search_terms t JOIN search_docs d ON d.record_id = t.record_id"
                " WHERE t.length <> d.length OR t.case_id <> d.case_id"
            ).fetchone()[0]
        )


def test_each_entry_carries_its_records_length_and_case(team_store: Callable[[], TeamStore]) -> None:
    store = team_store()
    book = Casebook(store)
    case = book.add(ME, Case(pseudonym="River guardian", subject="community", notes="land and water"))
    other = book.add(ME, Case(pseudonym="Night school", subject="group"))
    incident = book.add(ME, Incident(case.id, dt.date(2026, 3, 1), "raid", description="police came twice"))
    book.update(ME, dataclasses.replace(incident, description="a much longer account of the night " * 3))
    assert _copies_differ(store) == 0
    with store.connection() as conn:
        assert conn.execute("SELECT count(*) FROM search_terms WHERE case_id = ?", (case.id,)).fetchone()[0] > 5
        conn.execute(
            "UPDATE search_docs SET length = length + 7, case_id = ? WHERE record_id = ?", (other.id, incident.id)
        )
    assert _copies_differ(store) == 0  # raw SQL too: the trigger is the database's
    assert [h.record_id for h in book.search(ME, "account")] == [incident.id]


def test_the_copies_are_filled_for_a_database_of_the_version_before(team_store: Callable[[], TeamStore]) -> None:
    store = team_store()
    book = Casebook(store)
    case = book.add(ME, Case(pseudonym="River guardian", subject="community", notes="land and water"))
    book.add(ME, Incident(case.id, dt.date(2026, 3, 1), "raid", description="police came twice"))
    with store.connection() as conn:  # as migration 5 left it
        conn.execute("DROP FUNCTION amparo_search_postings() CASCADE")
        conn.execute("ALTER TABLE search_terms DROP CONSTRAINT search_terms_pkey")
        conn.execute("ALTER TABLE search_terms DROP COLUMN length, DROP COLUMN case_id")
        conn.execute(
            "ALTER TABLE search_terms ADD CONSTRAINT search_terms_pkey PRIMARY KEY (token, record_id) INCLUDE (hits)"
        )
        conn.execute("DELETE FROM amparo_schema WHERE version = 6")
    store.prepare()  # as the next start of the server does
    assert _copies_differ(store) == 0
    assert [h.case_id for h in book.search(ME, "police")] == [case.id]


def test_the_schema_check_names_a_disabled_search_trigger(team_store: Callable[[], TeamStore]) -> None:
    from amparo.casebook.team import schema as team_schema

    store = team_store()
    with store.connection() as conn:
        assert team_schema.check(conn) == []
        conn.execute("ALTER TABLE search_docs DISABLE TRIGGER search_docs_postings")
        conn.execute("DROP TRIGGER search_docs_stats_truncate ON search_docs")
        assert team_schema.check(conn) == [
            "trigger search_docs_stats_truncate on search_docs is missing: the search would rank and filter"
            " records by stale copies",
            "trigger search_docs_postings on search_docs is disabled: the search would rank and filter records"
            " by stale copies",
        ]
        conn.rollback()
