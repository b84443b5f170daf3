"""A throw-away PostgreSQL cluster for the team store's tests, started once per test session (per xdist worker).

From Debian's postgresql package (``scripts/system-packages test`` installs it): initdb and
pg_ctl on a Unix socket in a temporary directory, no network, no system service; as the
postgres user when the tests run as root (initdb refuses root). Every test gets a schema
of its own, so tests never see each other's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from amparo.casebook.team import TeamStore, create_key_file, open_team_store
from tests.postgres import Cluster, cluster


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    with cluster() as started:
        yield started


@pytest.fixture
def team_store(postgres: Cluster, tmp_path: Path) -> Iterator[Callable[[], TeamStore]]:
    """Makes team stores, each in a new schema with a new key file; closes them after the test."""
    stores: list[TeamStore] = []

    def make() -> TeamStore:
        schema = postgres.new_schema()
        key = tmp_path / f"{schema}.key"
        create_key_file(key)
        store = open_team_store(postgres.url_for(schema), key)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()
