"""PostgreSQL through DATABASE_URL: the schema migrates and the site serves on it.

The ``postgres`` fixture (tests/web/conftest.py) starts a throw-away PostgreSQL cluster on a Unix
socket in a temp directory (no network, no system service), from Debian's postgresql package.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


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
