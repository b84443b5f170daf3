"""Fixtures for the web tests: a fresh casebook directory with a fast key derivation; a PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from amparo.web.casebook import runtime
from tests.casebook.test_vault import FAST
from tests.postgres import cluster
from tests.web.casebook_helpers import PASSPHRASE


@pytest.fixture
def casebook_dir(tmp_path: Path, settings) -> Path:
    settings.CASEBOOK_DIR = tmp_path / "casebook"
    settings.CASEBOOK_KDF = FAST
    runtime.reset_for_tests()
    yield settings.CASEBOOK_DIR
    runtime.reset_for_tests()


@pytest.fixture
def unlocked(casebook_dir: Path) -> Client:
    """A browser that has just set up the casebook (and so holds the unlocked session)."""
    client = Client()
    response = client.post("/en/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a Unix socket (no network); yields the URL of its postgres database."""
    with cluster() as started:
        yield started.url
