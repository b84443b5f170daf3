"""A throw-away PostgreSQL cluster for the tests: team mode's store, accounts and site.

From Debian's postgresql package (``scripts/system-packages test`` installs it): initdb and
pg_ctl on a Unix socket in a temporary directory, no network, no system service; as the
postgres user when the tests run as root (initdb refuses root). Started once per test session
(per xdist worker) by the ``postgres`` fixtures of tests/casebook and tests/web.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass(frozen=True)
class Cluster:
    root: Path  # the socket's directory
    data: Path  # the data directory: heap files and WAL
    bindir: str
    url: str

    def url_for(self, schema: str) -> str:
        """The database URL whose connections work in ``schema``."""
        return f"{self.url}&options={quote(f'-csearch_path={schema}')}"

    def new_schema(self) -> str:
        schema = "t_" + secrets.token_hex(6)
        with psycopg.connect(self.url, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
        return schema

    def restart(self, mode: str) -> None:
        """``pg_ctl restart -m mode`` (fast: a clean shutdown; immediate: none, crash recovery at the start)."""
        command = [f"{self.bindir}/pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-l", str(self.root / "log")]
        subprocess.run(as_postgres([*command, "restart"]), check=True, capture_output=True, timeout=60)

    def run(self, tool: str, *args: str) -> bytes:
        """A PostgreSQL client program's output, run against this cluster."""
        command = as_postgres([f"{self.bindir}/{tool}", "-h", str(self.root), "-U", "postgres", *args])
        return subprocess.run(command, check=True, capture_output=True, timeout=120).stdout


@contextmanager
def cluster() -> Iterator[Cluster]:
    """A cluster started for the block and destroyed after it."""
    if not INITDB:
        pytest.fail("PostgreSQL is not installed: run `scripts/system-packages test` to install it.")
    bindir = os.path.dirname(INITDB[-1])
    root = Path(tempfile.mkdtemp(prefix="amparo-pg-"))  # not tmp_path: the server runs as postgres
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
        yield Cluster(root, data, bindir, f"postgresql://postgres@/postgres?host={root}")
    finally:
        subprocess.run(
            as_postgres([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)
