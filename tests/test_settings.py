"""Importing the settings writes nothing; the secret key is made once, atomically, by the command (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from amparo.settings.secret import FILENAME, ensure_secret_key, read_secret_key

REPO = Path(__file__).resolve().parents[1]


def test_importing_the_settings_creates_no_file_or_folder(tmp_path: Path) -> None:
    data = tmp_path / "not-yet"
    env = {k: v for k, v in os.environ.items() if k not in ("AMPARO_SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    run = subprocess.run(
        [sys.executable, "-c", "import amparo.settings, amparo.settings.production"],
        env={**env, "AMPARO_DATA_DIR": str(data), "AMPARO_SECRET_KEY": "k" * 60, "AMPARO_ALLOWED_HOSTS": "x"},
        cwd=REPO,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    env.pop("AMPARO_SECRET_KEY", None)
    run = subprocess.run(
        [sys.executable, "-c", "import amparo.settings"],
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
