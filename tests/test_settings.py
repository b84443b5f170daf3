"""Importing the settings writes nothing; the secret key is made once, atomically, by the command (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from amparo.settings.secret import FILENAME, ensure_secret_key, read_secret_key

REPO = Path(__file__).resolve().parents[1]
SETTINGS_MODULES = ("base", "local", "production", "test")


def test_importing_the_settings_creates_no_file_or_folder(tmp_path: Path) -> None:
    data = tmp_path / "not-yet"
    env = {k: v for k, v in os.environ.items() if k not in ("AMPARO_SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import amparo.settings.base, amparo.settings.local, amparo.settings.production, amparo.settings.test",
        ],
        env={**env, "AMPARO_DATA_DIR": str(data), "AMPARO_SECRET_KEY": "k" * 60, "AMPARO_ALLOWED_HOSTS": "x"},
        cwd=REPO,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    env.pop("AMPARO_SECRET_KEY", None)
    run = subprocess.run(
        [sys.executable, "-c", "import amparo.settings.local"],
        env={**env, "AMPARO_DATA_DIR": str(data)},
        cwd=REPO,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert not data.exists()


def test_many_starts_at_once_agree_on_one_whole_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    threads = [threading.Thread(target=ensure_secret_key, args=(data,)) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    key = read_secret_key(data)
    assert key and len(key) >= 50
    assert sorted(p.name for p in data.iterdir()) == [FILENAME]
    assert oct((data / FILENAME).stat().st_mode & 0o777) == "0o600"
    script = (
        "import sys, pathlib; from amparo.settings import secret; secret.ensure_secret_key(pathlib.Path(sys.argv[1]))"
    )
    other = tmp_path / "processes"
    runs = [subprocess.Popen([sys.executable, "-c", script, str(other)], cwd=REPO) for _ in range(8)]
    assert all(r.wait(timeout=60) == 0 for r in runs)
    assert read_secret_key(other) and sorted(p.name for p in other.iterdir()) == [FILENAME]


def test_each_way_of_running_has_its_settings_module_and_they_agree_on_security() -> None:
    """Local, production and test build on one base: none drops the base's policy or log filter."""
    import importlib

    from amparo.settings import base

    local = importlib.import_module("amparo.settings.local")
    test = importlib.import_module("amparo.settings.test")
    for module in (local, test):
        assert module.CONTENT_SECURITY_POLICY == base.CONTENT_SECURITY_POLICY
        assert module.LOGGING == base.LOGGING
        assert module.AMPARO_MODE == "local"
        # In memory, never a file: Django's test runner renames an in-memory database "file:memorydb_…?mode=memory"
        # once another test in this process has used it.
        name = module.DATABASES["default"]["NAME"]
        assert name == ":memory:" or "mode=memory" in name or os.environ.get("DATABASE_URL"), name
    assert not hasattr(base, "DATABASES"), "the database is a mode's choice, not the base's"
