"""Production settings pass Django's deployment checks, and refuse to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def run_check(env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMPARO_SECRET", "AMPARO_ALLOWED"))}
    env.update({"DJANGO_SETTINGS_MODULE": "amparo.settings.production", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_check(
        {
            "AMPARO_SECRET_KEY": "x9" * 40 + "-Kq7!vZ3#pL0@wR8",
            "AMPARO_ALLOWED_HOSTS": "amparo.example",
            "AMPARO_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check({"AMPARO_ALLOWED_HOSTS": "amparo.example", "AMPARO_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "AMPARO_SECRET_KEY must be set" in result.stderr
