"""PostgreSQL restarted under a burst of writes: no acknowledged write lost, a clear page while it is down.

Writers add incidents without pause, through the repository (threads on one ``TeamStore``, as the
site's worker does) and through the site (a logged-in officer posting the new-incident form). A write
counts as acknowledged when ``add()`` returned, or the site answered the form with its redirect; every
refusal is counted too. Meanwhile a logged-in browser asks for the case list every 50 ms. PostgreSQL is
restarted with ``pg_ctl restart -m fast``, then ``-m immediate`` (no checkpoint: crash recovery at the
start), then stopped for a few seconds and started again. Afterwards every acknowledged write is looked
for in the database; while the server was down, every answer must have been the 503 page in the
member's language, and the site must serve pages again by itself once the server is back.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections import Counter
from pathlib import Path

from amparo.casebook.errors import CasebookError
from amparo.casebook.records import Incident
from amparo.casebook.repository import Casebook
from bench.team_client import Browser
from bench.team_data import Member

DOWN_SENTENCE = "The team&#x27;s database cannot be reached"  # the page's sentence, as Django escapes it
DOWN_SECONDS = 4.0


class Writers:
    """Threads adding incidents until stopped: the acknowledged ones, by marker word, and the refused."""

    def __init__(self) -> None:
        self.acknowledged: list[tuple[str, str]] = []  # (marker word, record id or "" for the site's)
        self.refused: Counter[str] = Counter()
        self.stop = threading.Event()
        self._mutex = threading.Lock()
        self.threads: list[threading.Thread] = []

    def _note(self, marker: str, record_id: str) -> None:
        with self._mutex:
            self.acknowledged.append((marker, record_id))

    def repository(self, book: Casebook, member: Member) -> None:
        case_id = member.cases[0]
        while not self.stop.is_set():
            marker = "probe" + secrets.token_hex(5)
            try:
                record = book.add(member.principal, _incident(case_id, marker))
            except CasebookError as exc:
                self.refused[type(exc).__name__] += 1
                time.sleep(0.05)
                continue
            self._note(marker, record.id)

    def site(self, browser: Browser, member: Member) -> None:
        case_id = member.cases[1]
        path = f"/en/casebook/cases/{case_id}/new/incident/"
        token = browser.csrf(path)
        while not self.stop.is_set():
            marker = "probe" + secrets.token_hex(5)
            form = {"csrfmiddlewaretoken": token, "occurred_on": "2026-11-20", "threat": "threats",
                    "actor_kind": "unknown", "description": f"Restart {marker}"}  # fmt: skip
            try:
                status, headers, _body = browser.request("POST", path, form)
            except OSError:
                self.refused["site: no answer"] += 1
                time.sleep(0.05)
                continue
            if status == 302 and f"/cases/{case_id}/" in headers.get("location", ""):
                self._note(marker, "")
            else:
                self.refused[f"site: {status}"] += 1
                time.sleep(0.05)

    def start(self, target, *args) -> None:  # type: ignore[no-untyped-def]
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def _incident(case_id: str, marker: str) -> Incident:
    return Incident(case_id, dt.date(2026, 11, 20), "threats", "unknown", "", f"Restart {marker}")


class Prober:
    """A logged-in browser asking for the case list every 50 ms: (time, status, kind of page) for each answer."""

    def __init__(self, browser: Browser) -> None:
        self.browser, self.seen = browser, []  # type: ignore[var-annotated]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            at = time.monotonic()
            try:
                status, _headers, body = self.browser.request("GET", "/en/casebook/")
                text = body.decode("utf-8", "replace")
                kind = (
                    "clear 503" if status == 503 and DOWN_SENTENCE in text else ("page" if status == 200 else "other")
                )
                if "Traceback" in text or "psycopg" in text or "OperationalError" in text:
                    kind = "leak"
            except OSError:
                status, kind = 0, "no answer"
            self.seen.append((at, status, kind))
            time.sleep(0.05)


def restart_scenario(port: int, members: list[Member], root: Path) -> dict:
    """Run the writers and the prober through three interruptions; what was acknowledged, lost, shown."""
    from amparo.casebook.team import open_team_store
    from amparo.cli.team import pg_ctl

    officer = next(m for m in members if m.role == "officer" and len(m.cases) >= 2)
    store = open_team_store()
    book = Casebook(store)
    writers = Writers()
    for _ in range(4):
        writers.start(writers.repository, book, officer)
    for _ in range(2):
        site_browser = Browser(port)
        site_browser.log_in(officer)
        writers.start(writers.site, site_browser, officer)
    probe_browser = Browser(port)
    probe_browser.log_in(officer)
    prober = Prober(probe_browser)
    prober.thread.start()
    events: list[tuple[str, float, float]] = []  # what, when it began, when it ended
    run = {"check": True, "capture_output": True}
    time.sleep(3)
    for mode in ("fast", "immediate"):
        began = time.monotonic()
        pg_ctl(root, "restart", "-m", mode, **run)
        events.append((f"restart -m {mode}", began, time.monotonic()))
        time.sleep(3)
    began = time.monotonic()
    pg_ctl(root, "stop", "-m", "fast", **run)
    down = time.monotonic()
    time.sleep(DOWN_SECONDS)
    up = time.monotonic()
    pg_ctl(root, "start", **run)
    events.append(("stopped, then started", began, time.monotonic()))
    time.sleep(5)
    writers.join()
    prober.stop.set()
    prober.thread.join(30)
    acknowledged = list(writers.acknowledged)
    ids = [record_id for _marker, record_id in acknowledged if record_id]
    with store.connection() as conn:
        found = conn.execute("SELECT count(*) FROM incidents WHERE id = ANY(?)", (ids,)).fetchone()[0]
    site_markers = [marker for marker, record_id in acknowledged if not record_id]
    site_found = sum(bool(book.search(officer.principal, marker)) for marker in site_markers)
    store.close()
    while_down = [kind for at, _status, kind in prober.seen if down + 0.5 <= at <= up]
    after = [(at, kind) for at, _status, kind in prober.seen if at > events[-1][2]]
    back = next((at - events[-1][2] for at, kind in after if kind == "page"), None)
    return {
        "acknowledged_repository": len(ids),
        "lost_repository": len(ids) - int(found),
        "acknowledged_site": len(site_markers),
        "lost_site": len(site_markers) - site_found,
        "refused": dict(writers.refused),
        "events": [(what, round(end - began, 2)) for what, began, end in events],
        "probes": dict(Counter(kind for _at, _status, kind in prober.seen)),
        "while_down": dict(Counter(while_down)),
        "back_after": back,
        "after_not_page": sum(kind != "page" for at, kind in after if back is not None and at - events[-1][2] > back),
    }
