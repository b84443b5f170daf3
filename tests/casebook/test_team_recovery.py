"""The team store through a PostgreSQL restart: no acknowledged write lost, and no dead connection handed out.

Issue 13: "PostgreSQL restarted during a burst of writes: no acknowledged write lost". The
benchmark (bench/team_restart.py) does it through the site on the benchmark's cluster; here the
repository's writers run through ``pg_ctl restart`` of the tests' own cluster.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import psycopg
import pytest

from amparo.casebook.errors import TeamStoreUnavailable
from amparo.casebook.records import Case, Incident
from amparo.casebook.repository import Casebook
from amparo.casebook.team import TeamStore
from tests.postgres import Cluster

ME = "owner"


def _terminated(postgres: Cluster, pids: set[int]) -> None:
    """End these server processes as an admin's pg_terminate_backend does, and wait until they are gone."""
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        for _ in range(100):
            alive = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (list(pids),)).fetchone()
            if alive is not None and alive[0] == 0:
                return
            time.sleep(0.05)


@pytest.fixture
def one_case(team_store: Callable[[], TeamStore]) -> tuple[TeamStore, Casebook, Case]:
    store = team_store()
    book = Casebook(store)
    return store, book, book.add(ME, Case(pseudonym="River guardian", subject="community"))


def test_connections_the_server_ended_are_dropped_not_handed_out(
    one_case: tuple[TeamStore, Casebook, Case], postgres: Cluster
) -> None:
    """A page after a database restart used to fail once per pooled connection, though the server was back."""
    store, book, case = one_case
    with store.connection() as a, store.connection() as b, store.connection() as c:  # three in the pool
        pids = {conn.raw.info.backend_pid for conn in (a, b, c)}
    _terminated(postgres, pids)
    for _ in range(4):
        assert book.get(ME, "case", case.id) == case


def test_no_acknowledged_write_is_lost_when_postgresql_restarts(
    one_case: tuple[TeamStore, Casebook, Case], postgres: Cluster
) -> None:
    _store, book, case = one_case
    acknowledged: list[str] = []
    refused: list[str] = []
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            try:
                acknowledged.append(book.add(ME, Incident(case.id, dt.date(2026, 11, 20), "raid")).id)
            except TeamStoreUnavailable:
                refused.append("unavailable")
                time.sleep(0.02)

    writers = [threading.Thread(target=write) for _ in range(3)]
    for writer in writers:
        writer.start()
    try:
        for mode in ("fast", "immediate"):
            time.sleep(0.7)
            postgres.restart(mode)
        time.sleep(0.7)
    finally:
        stop.set()
        for writer in writers:
            writer.join(30)
    stored = {r.id for r in book.records(ME, case.id, "incident")}
    assert acknowledged and refused  # writes went on before, between and after the restarts; some were refused
    assert set(acknowledged) <= stored  # every acknowledged write is there
    assert len(stored - set(acknowledged)) <= len(writers) * 2  # at most the ones in flight as the server went
