"""Fixtures for the web tests: a fresh casebook directory with a fast key derivation; a PostgreSQL cluster."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from amparo.web.casebook import runtime
from tests.casebook.test_vault import FAST
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


INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres():
    """A throw-away PostgreSQL cluster on a Unix socket (no network); yields the URL of its postgres database."""
    if not INITDB:
        pytest.fail("PostgreSQL is not installed: scripts/system-packages test installs it")
    bindir = os.path.dirname(INITDB[-1])
    # Not pytest's tmp_path: its parents are private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="amparo-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    subprocess.run(
        as_postgres([f"{bindir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust"]),
        check=True,
        capture_output=True,
    )
    options = f"-k {root} -c listen_addresses='' -c fsync=off"
    subprocess.run(
        as_postgres([f"{bindir}/pg_ctl", "-D", str(data), "-o", options, "-w", "start", "-l", str(root / "log")]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgres://postgres@/postgres?host={root}"
    finally:
        subprocess.run(
            as_postgres([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)
