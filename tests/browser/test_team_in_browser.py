"""A new team's first hour, in a real browser against `amparo serve` in team mode on PostgreSQL (issue 13).

The admin is made by `amparo team init`, enrols through the printed link with an authenticator code,
invites two officers who enrol in their own browsers, records a case and assigns one officer to it.
The assigned officer sees the case, the other does not (not in the list, and 404 at its address),
and the admin reads all of it, the other officer's failed login included, in the audit.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.browser.conftest import REPO
from tests.postgres import INITDB, cluster

pytestmark = pytest.mark.skipif(not INITDB, reason="PostgreSQL is not installed (make test installs it)")

PASSWORDS = {
    "chief": "the admin keeps a long phrase 1",
    "ana": "ana walks to the river 2",
    "ben": "ben reads by lamp 3",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def team_site(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(the site's address, the admin's enrolment link) of a team server made as docs/team.md says."""
    from amparo.casebook.team import create_key_file

    folder = tmp_path_factory.mktemp("team")
    key_file = folder / "team.key"
    create_key_file(key_file)
    port = _free_port()
    with cluster() as started:
        import psycopg

        with psycopg.connect(started.url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE amparo")
        drop = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
        env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("AMPARO_")}
        env.update(
            AMPARO_MODE="team",
            DATABASE_URL=started.url.replace("/postgres?", "/amparo?"),
            AMPARO_TEAM_KEY_FILE=str(key_file),
            AMPARO_TEAM_TLS="0",
            AMPARO_ALLOWED_HOSTS="127.0.0.1",
            AMPARO_SECRET_KEY=secrets.token_urlsafe(50),
            AMPARO_DATA_DIR=str(folder / "data"),
            AMPARO_TEAM_URL=f"http://127.0.0.1:{port}",
        )
        init = subprocess.run(
            [sys.executable, "-m", "amparo", "team", "init", "--admin", "chief"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert init.returncode == 0, init.stderr
        link = re.search(r"http://127\.0\.0\.1:\d+/\S+/team/enrol/\S+/", init.stdout).group(0)
        server = subprocess.Popen(
            [sys.executable, "-m", "amparo", "serve", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/en/team/login/", server)
            yield f"http://127.0.0.1:{port}", link
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the team server did not answer at {url}")


def _code(secret: str, after: int = 0) -> tuple[str, int]:
    """An authenticator's code for the base32 ``secret`` and its time step, later than ``after``.

    Codes are single use; the server accepts a step either side of now (django-otp's tolerance),
    so the next one is taken from the step after, and only when that is spent too is it waited for.
    """
    import base64

    from django_otp.oath import TOTP

    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    while True:
        totp.time = time.time()
        now = totp.t()
        step = max(now - 1, after + 1)
        if step <= now + 1:
            totp.time = step * totp.step + 1
            return f"{totp.token():06d}", step
        time.sleep(1)


class Person:
    """One member's own browser, and the authenticator on their phone."""

    def __init__(self, browser, base: str, username: str) -> None:
        self.page = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
        self.base, self.username, self.secret, self.last_step = base, username, "", 0

    def code(self) -> str:
        code, self.last_step = _code(self.secret, self.last_step)
        return code

    def enrol(self, link: str) -> None:
        self.page.goto(link)
        self.secret = self.page.locator("code.secret").inner_text().replace(" ", "")
        self.page.fill("input[name=new_password]", PASSWORDS[self.username])
        self.page.fill("input[name=confirm]", PASSWORDS[self.username])
        self.page.fill("input[name=code]", self.code())
        self.page.click("main form:has(input[name=code]) button[type=submit]")
        assert self.page.locator("h1").inner_text() == "Your account is ready"

    def log_in(self, code: str | None = None) -> None:
        self.page.goto(self.base + "/en/team/login/")
        self.page.fill("input[name=username]", self.username)
        self.page.fill("input[name=password]", PASSWORDS[self.username])
        self.page.fill("input[name=code]", code or self.code())
        self.page.click("main form:has(input[name=code]) button[type=submit]")
        if code is None:
            assert "/team/login/" not in self.page.url, self.page.locator("main").inner_text()


def test_a_new_team_enrols_shares_a_case_by_scope_and_the_admin_reads_the_audit(browser, team_site):
    base, admin_link = team_site
    chief, ana, ben = (Person(browser, base, name) for name in ("chief", "ana", "ben"))
    chief.enrol(admin_link)
    chief.log_in()
    links = {}
    for name in ("ana", "ben"):
        chief.page.goto(base + "/en/team/members/")
        chief.page.fill("input[name=username]", name)
        chief.page.select_option("select[name=role]", "officer")
        chief.page.click("main form:has(input[name=username]) button[type=submit]")
        links[name] = chief.page.locator("code.link").inner_text()
    ana.enrol(links["ana"])
    ben.enrol(links["ben"])

    chief.page.goto(base + "/en/casebook/cases/new/")
    chief.page.fill("input[name=pseudonym]", "River guardian")
    chief.page.select_option("select[name=subject]", "community")
    chief.page.select_option("select[name=country]", "HN")
    chief.page.click("main form:has(input[name=pseudonym]) button[type=submit]")
    case_url = chief.page.url
    assert re.search(r"/en/casebook/cases/[0-9a-f]{16}/$", case_url)
    chief.page.select_option("#assign-member", label="ana (Officer)")
    chief.page.click("main form:has(#assign-member) button[type=submit]")
    assert "ana" in chief.page.locator("#access + ul, section[aria-labelledby=access]").first.inner_text()

    ana.log_in()
    ana.page.goto(base + "/en/casebook/")
    assert "River guardian" in ana.page.locator("main").inner_text()
    ana.page.goto(case_url)
    assert "River guardian" in ana.page.locator("h1").inner_text()

    right, _step = _code(ben.secret, ben.last_step)
    ben.log_in(code=f"{(int(right) + 1) % 1_000_000:06d}")  # a wrong code first: refused, and audited
    assert "/team/login/" in ben.page.url
    time.sleep(2)  # django-otp makes a second try wait a second after a wrong code, as a person would
    ben.log_in()
    ben.page.goto(base + "/en/casebook/")
    assert "River guardian" not in ben.page.content()
    response = ben.page.goto(case_url)
    assert response.status == 404 and "River guardian" not in ben.page.content()

    chief.page.goto(base + "/en/team/audit/")
    audit = chief.page.locator("main").inner_text()
    for seen in ("ana", "ben", "chief"):
        assert seen in audit
    assert "Failed login" in audit, "the refused login is in the audit"
    assert "River guardian" not in audit  # the audit names records, never their content
