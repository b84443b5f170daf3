"""Killing the server (kill -9) during a burst of casebook writes loses at most the write in flight."""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import os
import random
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from amparo.casebook import Vault
from tests.test_serve import AMPARO, clean_env, free_port

PASSPHRASE = "a passphrase for the crash test"


class Browser:
    """Just enough of a browser: cookies, CSRF tokens from forms, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict, form_path: str | None = None) -> tuple[int, str, str]:
        _status, page, _loc = self.get(form_path or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")


def _start(data_dir: Path) -> tuple[subprocess.Popen, Browser]:
    port = free_port()
    server = subprocess.Popen(
        [AMPARO, "serve", "--port", str(port)],
        env=clean_env(AMPARO_DATA_DIR=str(data_dir)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: kill -9 reaches Granian's workers too
    )
    browser = Browser(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while True:
        try:
            browser.get("/en/")
            return server, browser
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)


def _count(data_dir: Path) -> tuple[int, str]:
    vault = Vault(data_dir / "casebook")
    vault.unlock(PASSPHRASE)
    with vault.connection() as conn:
        count = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    vault.lock()
    return count, check


def _burst(browser: Browser, url: str, stop: threading.Event, done: list[int]) -> None:
    """Add incidents one after another until stopped, counting those the server acknowledged."""
    incident = {"occurred_on": "2026-01-01", "threat": "raid", "actor_kind": "unknown", "description": "x" * 500}
    while not stop.is_set():
        try:
            status, _page, _location = browser.post(url, incident)
        except (OSError, AttributeError, http.client.HTTPException):
            return  # the server is gone (or answered half a page: IncompleteRead)
        if status == 302:
            done[0] += 1


def test_kill_9_during_a_burst_of_writes(tmp_path: Path) -> None:
    rng = random.Random(9)
    acknowledged = 0
    case_id = ""
    for round_ in range(3):
        server, browser = _start(tmp_path)
        try:
            if round_ == 0:
                status, _page, _ = browser.post(
                    "/en/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE}
                )
                assert status == 302
                status, _page, location = browser.post(
                    "/en/casebook/cases/new/", {"pseudonym": "crash test", "subject": "individual"}
                )
                case_id = location.rstrip("/").rsplit("/", 1)[-1]
            else:
                status, _page, _ = browser.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE})
                assert status == 302, status
            url = f"/en/casebook/cases/{case_id}/new/incident/"
            stop = threading.Event()
            done = [0]

            writer = threading.Thread(target=_burst, args=(browser, url, stop, done))
            writer.start()
            time.sleep(rng.uniform(0.8, 2.0))
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            stop.set()
            writer.join(timeout=20)
            acknowledged += done[0]
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
        stored, check = _count(tmp_path)
        assert check == "ok"
        assert acknowledged <= stored <= acknowledged + round_ + 1, (acknowledged, stored)
    assert acknowledged > 10  # the burst really wrote
