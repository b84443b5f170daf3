"""PostgreSQL through DATABASE_URL: the schema migrates and the site serves on it.

Starts a throw-away PostgreSQL cluster on a Unix socket in a temp directory (no
network, no system service), from Debian's postgresql package.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO

INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def postgres():
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


def run(code: str, database_url: str, tmp_path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "AMPARO_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "amparo.settings.test",
    }
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_migrate_and_serve_on_postgresql(postgres, tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.db import connection; from django.core.management import call_command\n"
        "assert connection.vendor == 'postgresql', connection.vendor\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
        "call_command('check', databases=['default'])\n"
        "from django.test import Client\n"
        "assert Client().get('/en/issuers/CA/').status_code == 200\n"
        "from django.contrib.auth.models import User\n"
        "print(User.objects.count())\n"
    )
    result = run(code, postgres, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("\n0")
