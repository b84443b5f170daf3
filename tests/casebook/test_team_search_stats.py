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
