"""`amparo serve` runs the real production server, and refuses to start on a broken dataset."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from amparo.guidelines import DATA_DIR

AMPARO = str(Path(sys.executable).with_name("amparo"))


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a person starting the server: not the test run's Django settings."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return {**env, **extra}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_with_the_site(tmp_path):
    port = free_port()
    env = clean_env(AMPARO_DATA_DIR=str(tmp_path))
    server = subprocess.Popen(
        [AMPARO, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/en/", headers={"Accept-Encoding": "gzip"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    body = response.read()
                    headers = response.headers
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not answer in 90 s"
                time.sleep(0.2)
        assert headers["Content-Encoding"] == "gzip"
        assert b"<h1>" in gzip.decompress(body)
        assert "Set-Cookie" not in headers
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    finally:
        server.terminate()
        output = server.communicate(timeout=90)[0].decode()
    assert "/en/" not in output, "no access log: paths are not written anywhere"


def test_serve_refuses_a_broken_dataset(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "issuers" / "NO.yaml"
    path.write_text(path.read_text().replace("kind: state", "kind: kingdom", 1))
    env = clean_env(AMPARO_DATA_DIR=str(tmp_path), AMPARO_DATASET=str(data))
    result = subprocess.run(
        [AMPARO, "serve", "--port", str(free_port())], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "issuers/NO.yaml:" in result.stderr and "'kingdom' is not one of" in result.stderr


def test_a_bad_idle_setting_is_one_clear_line(tmp_path):
    env = clean_env(AMPARO_DATA_DIR=str(tmp_path), AMPARO_CASEBOOK_IDLE_MINUTES="soon")
    run = subprocess.run(
        [AMPARO, "serve", "--port", str(free_port())], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 1
    assert "AMPARO_CASEBOOK_IDLE_MINUTES must be a number" in run.stderr and "Traceback" not in run.stderr
