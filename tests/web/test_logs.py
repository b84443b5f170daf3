"""Issue 10, hole 6: probes put an attacker's text and session ids into the server's log.

Each probe is sent through the real logging configuration; what it writes (log lines and
warnings, on stderr) must hold no canary, no cookie value and no traceback, and at most
one short WARNING line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CANARY = "CanaryProbe-9c2e"


PROBE = """
import os, sys, warnings
os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.settings.test"
import django
django.setup()
from amparo.web.casebook import runtime
from django.conf import settings
from django.test import Client
settings.CASEBOOK_DIR = settings.DATA_DIR / "casebook"
warnings.simplefilter("default")  # as a server shows them: printed on stderr
kind, value = sys.argv[1], sys.argv[2]
client = Client()
if kind == "host":
    client.get("/en/", HTTP_HOST=value)
elif kind == "body":
    client.post("/en/navigator/plan/", {"field": value * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // len(value) + 10)})
elif kind == "fields":
    client.post("/en/navigator/plan/", {f"{value}{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)})
elif kind == "cookie":
    client.cookies[settings.SESSION_COOKIE_NAME] = value
    client.get("/en/casebook/unlock/")
    client.post("/en/casebook/lock/")  # ends the session: the cookie's session is looked up to delete it
print("done")
"""


def server_log(kind: str, value: str, tmp_path) -> str:
    """What a probe writes on the server's stderr, through the settings' real logging configuration."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, kind, value],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "AMPARO_DATA_DIR": str(tmp_path)},
    )
    assert run.stdout.strip() == "done", run.stderr[-2000:]
    return run.stderr


def assert_quiet(written: str) -> None:
    assert CANARY not in written
    assert "Traceback" not in written
    lines = [line for line in written.splitlines() if line.strip()]
    assert len(lines) <= 1, lines
    assert all(len(line) <= 120 for line in lines), lines


def test_a_bad_host_of_5000_characters(tmp_path) -> None:
    host = (CANARY + "\x1b[31m") * 300
    written = server_log("host", host[:5000], tmp_path)
    assert_quiet(written)
    assert "DisallowedHost" in written


def test_a_body_too_large_and_too_many_fields(tmp_path) -> None:
    assert_quiet(server_log("body", CANARY, tmp_path))
    assert_quiet(server_log("fields", CANARY, tmp_path))


@pytest.mark.parametrize(
    "cookie",
    [f"{CANARY} with spaces\x01", "x" * 300 + CANARY, "abcdefghijklmnopqrstuvwxyz0123456789abcd", "a" * 32],
)
def test_a_session_cookie_is_never_printed(tmp_path, cookie: str) -> None:
    written = server_log("cookie", cookie, tmp_path)
    assert cookie not in written and CANARY not in written
    assert "CacheKeyWarning" not in written and "Traceback" not in written
