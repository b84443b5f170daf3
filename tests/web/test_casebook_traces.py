"""Issue 10, hole 5: nothing about casebook use may be written to an unencrypted file.

The old site database (``amparo.sqlite3``, mode 0644) kept the local user's
``date_joined`` (when the casebook was created) and ``last_login`` (the last
unlock), and both survived a panic wipe. Here the real server is run, the
casebook created, locked, unlocked, locked and wiped through its pages; after
each step every plaintext file under the data directory is read for the day's
date and for any sign that a casebook exists.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import re
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.test_serve import AMPARO, clean_env, free_port
from tests.web.casebook_helpers import PASSPHRASE

ENCRYPTED = {"casebook.db", "casebook.db-wal", "casebook.db-shm"}


def plaintext_files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.is_file() and p.name not in ENCRYPTED]


def traces(data_dir: Path) -> list[str]:
    today = dt.datetime.now(dt.UTC).date()
    marks = [today.isoformat(), today.strftime("%Y%m%d"), "last_login", "date_joined", "auth_user"]
    found = []
    for path in plaintext_files(data_dir):
        if path.name == "casebook.json":  # the header: KDF parameters and salt, nothing dated
            continue
        raw = path.read_bytes()
        found += [f"{path.name}: {mark}" for mark in marks if mark.encode() in raw]
        if b"casebook" in raw.lower() or b"local" in raw:
            found.append(f"{path.name}: mentions the casebook")
    return found


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict[str, str], form_page: str | None = None) -> int:
        page = self.get(form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


def test_no_plaintext_file_records_casebook_use(tmp_path: Path) -> None:
    port = free_port()
    # What an install from before this fix left: the site database that recorded unlocks.
    (tmp_path / "amparo.sqlite3").write_bytes(b"SQLite format 3\x00 auth_user local " + b"2020-01-01")
    server = subprocess.Popen(
        [AMPARO, "serve", "--port", str(port)],
        env=clean_env(AMPARO_DATA_DIR=str(tmp_path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 90
        while True:
            try:
                browser.get("/en/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert not (tmp_path / "amparo.sqlite3").exists(), "the old plaintext site database is removed"

        assert browser.post("/en/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE}) == 200
        assert (tmp_path / "casebook" / "casebook.db").exists()
        assert traces(tmp_path) == []
        browser.post("/en/casebook/lock/", {}, form_page="/en/casebook/")
        assert browser.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE}) == 200
        assert traces(tmp_path) == []
        browser.post("/en/casebook/lock/", {}, form_page="/en/casebook/")
        assert browser.post("/en/casebook/unlock/", {"passphrase": PASSPHRASE}) == 200
        assert browser.post("/en/casebook/wipe/", {"confirm": "WIPE"}) == 200
    finally:
        server.terminate()
        server.communicate(timeout=90)
    assert not (tmp_path / "casebook" / "casebook.json").exists()
    assert traces(tmp_path) == []
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in {".sqlite3", ".db"}]
