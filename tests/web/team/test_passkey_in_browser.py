"""A passkey added and used in a real browser: Debian's Chromium with its virtual authenticator (DevTools'
WebAuthn domain), against the team site on pytest-django's live server. The browser runs our own
team/passkey.js under the site's CSP, so this is the check that the page's script, its JSON options and the
server's verification fit together."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web.team.conftest import PASSWORD, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium(monkeypatch):
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does).")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test reads TOTP codes while Playwright's loop runs
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, Django's connections are the loop's own (asgiref's Local):
            # close them here, or the test database cannot be dropped at the end.
            connections.close_all()


def test_a_member_adds_a_passkey_and_logs_in_with_it(chromium, live_server, settings):
    from django_otp_webauthn.models import WebAuthnCredential

    from amparo.web.team import accounts

    assert live_server.url.startswith("http://localhost:")  # WebAuthn needs a name (or https), never an address
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    user, token = accounts.add_member("maria", "officer")
    device = accounts.pending_device(user)
    assert accounts.complete_enrolment(token, PASSWORD, totp_now(device))

    context = chromium.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    # Log in with the app, then add a passkey on the account page.
    page.goto(live_server.url + "/en/team/login/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_code", totp_now(device))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/account/$"))
    page.click("text=Add a passkey or security key")
    page.fill("#id_name", "this laptop")
    page.fill("#id_current", PASSWORD)
    page.click("[data-passkey-start]")
    page.wait_for_url(re.compile(r".*/team/account/$"))
    assert "Passkey “this laptop”" in page.content()
    stored = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(stored) == 1 and stored[0]["isResidentCredential"]
    credential = WebAuthnCredential.objects.get(user=user)
    assert credential.name == "this laptop"

    # A new browser session: password, then the passkey instead of a code.
    context.clear_cookies()
    page.goto(live_server.url + "/en/team/login/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.click("text=Log in with a passkey")
    page.wait_for_url(re.compile(r".*/team/account/$"))
    assert "Your account" in page.content()
    credential.refresh_from_db()
    assert credential.last_used_at is not None

    # The wrong password with the right passkey is a failed login, said as any other.
    context.clear_cookies()
    page.goto(live_server.url + "/en/team/login/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", "not the password at all")
    with page.expect_navigation():
        page.click("text=Log in with a passkey")
    assert "is not right" in page.content() and "/team/login/" in page.url
    assert not outside, outside
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    context.close()
