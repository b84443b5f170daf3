"""The team tests need Django in team mode on PostgreSQL: tests/web/test_team.py runs them in a process of
their own (DJANGO_SETTINGS_MODULE=tests.web.team.settings, DATABASE_URL of a throw-away cluster). In the
suite's own process (local mode) they are not collected."""

from __future__ import annotations

import os
import secrets
import time
from urllib.parse import quote

import pytest

TEAM_SETTINGS = "tests.web.team.settings"
PASSWORD = "a quiet walk by the river 42"

if os.environ.get("DJANGO_SETTINGS_MODULE") != TEAM_SETTINGS:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture
def team_casebook(monkeypatch):
    """The casebook pages' team store in a new, empty schema of the test database's cluster (its own per test)."""
    import psycopg

    from amparo.web.casebook import runtime

    url = os.environ["DATABASE_URL"]
    schema = "cb_" + secrets.token_hex(6)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    monkeypatch.setenv("DATABASE_URL", f"{url}{'&' if '?' in url else '?'}options={quote('-csearch_path=' + schema)}")
    runtime.reset_for_tests()
    yield runtime.team_casebook()
    runtime.reset_for_tests()


def totp_now(device) -> str:
    """A code the device accepts now and has not accepted before (TOTP codes are single use)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now = totp.t()
    step = max(now - device.tolerance, device.last_t + 1)
    while step > now + device.tolerance:  # every code the device accepts now is spent: wait for the next step
        time.sleep(device.t0 + (now + 1) * device.step - time.time() + 0.05)
        totp.time = time.time()
        now = totp.t()
        step = max(now - device.tolerance, device.last_t + 1)
    totp.time = (step - device.drift) * device.step + device.t0 + 1
    return f"{totp.token():0{device.digits}d}"


class Member:
    def __init__(self, user, device, codes):
        self.user, self.device, self.codes = user, device, codes

    @property
    def username(self) -> str:
        return self.user.get_username()


@pytest.fixture
def make_member(db):
    """A member who enrolled through their link: (user, TOTP device, recovery codes)."""
    from amparo.web.team import accounts

    def make(username: str = "maria", role: str = "officer") -> Member:
        user, token = accounts.add_member(username, role)
        device = accounts.pending_device(user)
        codes = accounts.complete_enrolment(token, PASSWORD, totp_now(device))
        assert codes
        device.refresh_from_db()
        user.refresh_from_db()
        return Member(user, device, codes)

    return make


def log_in(client, member: Member, password: str = PASSWORD, code: str | None = None, **extra):
    return client.post(
        "/en/team/login/",
        {"username": member.username, "password": password, "code": code or totp_now(member.device)},
        **extra,
    )
