"""The offline navigator's scripts under Node's own test runner (``node --test``, no npm dependency):
tests/js/*.test.mjs, with the data script and the offline navigator page generated here from the dataset."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.js.pages import write_inputs

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")


@pytest.mark.parametrize("test_file", sorted(p.name for p in HERE.glob("*.test.mjs")))
def test_node(test_file, tmp_path):
    if NODE is None:
        pytest.skip("node is not installed (make test installs it)")
    data, pages = write_inputs(tmp_path, ["en", "ar"])
    env = {**os.environ, "AMPARO_NAVIGATOR_DATA": str(data), "AMPARO_NAVIGATOR_PAGES": str(pages)}
    run = subprocess.run(
        [NODE, "--test", "--test-reporter=spec", str(HERE / test_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
