"""The architecture, checked: imports go one way, and the pure core type-checks (issue 10).

`make test` runs both tools before pytest; these tests keep them in the suite too, so a
layer crossed in a branch fails however the suite is started.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(tool: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / tool)], cwd=REPO, capture_output=True, text=True, timeout=600, check=False)


def test_imports_follow_the_layers() -> None:
    result = run("lint-imports")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_the_pure_core_type_checks() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout[-3000:]
