"""Who can open the casebook from a browser: attacks from issue 10 (holes 1, 2 and 7), reproduced.

1. A copy of an old session cookie must open nothing after the owner unlocks again,
   however the casebook was locked in between.
2. A client with no session must not be able to lock the owner out, log them out, or
   hold their passphrase behind the unlock delay.
7. Served on a network address, first-run setup and restore need the console's token.
"""

from __future__ import annotations

import os
import re

import pytest
from django.conf import settings
from django.test import Client

from amparo.web.casebook import runtime
from amparo.web.server import expose_casebook, is_loopback
from tests.web.casebook_helpers import PASSPHRASE, new_case

CANARY = "Canary-Session-4f1d"


def session_cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def with_cookie(value: str) -> Client:
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = value
    return other


def unlock(client: Client, passphrase: str = PASSPHRASE):
    return client.post("/en/casebook/unlock/", {"passphrase": passphrase})


def idle_lock() -> None:
    """What the idle auto-lock does: the vault's own clock runs past the idle time."""
    vault = runtime.vault()
    vault._last_used -= vault.idle_seconds + 1  # the auto-lock thread's check, without waiting 15 minutes
    assert vault.lock_if_idle()


# -- 1. an old session cookie ---------------------------------------------------------


@pytest.mark.parametrize("how", ["idle", "lock-from-code"])
def test_an_old_cookie_opens_nothing_after_the_owner_unlocks_again(unlocked: Client, how: str) -> None:
    case = new_case(unlocked, pseudonym=CANARY)
    copied = session_cookie(unlocked)  # what someone with a moment at the browser could take
    if how == "idle":
        idle_lock()
    else:
        runtime.vault().lock()
    assert unlock(unlocked).status_code == 302
    assert session_cookie(unlocked) != copied, "every unlock issues a new session id"
    assert CANARY in unlocked.get(f"/en/casebook/cases/{case}/").content.decode()

    thief = with_cookie(copied)
    response = thief.get(f"/en/casebook/cases/{case}/")
    assert response.status_code == 302 and "/casebook/unlock/" in response["Location"]
    assert CANARY not in thief.get("/en/casebook/").content.decode()


def test_an_unlock_ends_every_earlier_session(unlocked: Client) -> None:
    case = new_case(unlocked, pseudonym=CANARY)
    second = Client()
    assert unlock(second).status_code == 302  # the owner again, from another browser
    assert CANARY in second.get(f"/en/casebook/cases/{case}/").content.decode()
    response = unlocked.get(f"/en/casebook/cases/{case}/")
    assert response.status_code == 302 and "/casebook/unlock/" in response["Location"]


# -- 2. a client with no session --------------------------------------------------------


def stranger_tries(passphrase: str) -> int:
    """A client with no session: GET the unlock page for a CSRF token, POST a passphrase."""
    stranger = Client(enforce_csrf_checks=True)
    page = stranger.get("/en/casebook/unlock/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    return stranger.post("/en/casebook/unlock/", {"passphrase": passphrase, "csrfmiddlewaretoken": token}).status_code


def test_a_stranger_cannot_lock_or_log_out_the_owner(unlocked: Client) -> None:
    case = new_case(unlocked, pseudonym=CANARY)
    statuses = [stranger_tries(f"a guess number {n}") for n in range(6)]
    assert statuses[0] == 403 and 429 in statuses, "strangers are still slowed down"
    assert runtime.vault().is_unlocked
    page = unlocked.get(f"/en/casebook/cases/{case}/")
    assert page.status_code == 200 and CANARY in page.content.decode()


def test_a_strangers_failures_do_not_keep_the_owner_out(unlocked: Client) -> None:
    case = new_case(unlocked, pseudonym=CANARY)
    idle_lock()  # the owner stepped away
    statuses = [stranger_tries(f"a guess number {n}") for n in range(6)]
    assert 429 in statuses
    response = unlock(unlocked)  # the owner comes back, from the browser that unlocked last
    assert response.status_code == 302, response.content[:300]
    assert CANARY in unlocked.get(f"/en/casebook/cases/{case}/").content.decode()


def test_a_stranger_with_the_right_passphrase_is_the_owner(unlocked: Client) -> None:
    """The delay counts strangers' failures only; the passphrase itself still opens from anywhere."""
    assert stranger_tries("a wrong guess here") == 403
    newcomer = Client()
    assert unlock(newcomer).status_code == 302


# -- 7. serving on a network address --------------------------------------------------------


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.0.2.10", "example.org", ""))  # noqa: S104


@pytest.fixture
def on_network(monkeypatch, casebook_dir):
    """The environment `amparo serve --host 0.0.0.0` makes, with or without --casebook-on-network."""
    monkeypatch.setattr(os, "environ", os.environ.copy())  # undone after the test
    return lambda opt_in: expose_casebook("0.0.0.0", opt_in)  # noqa: S104


def test_on_a_network_without_opt_in_the_casebook_is_off(on_network) -> None:
    assert on_network(False) is None
    client = Client()
    for url in ("/en/casebook/setup/", "/en/casebook/restore/", "/en/casebook/unlock/"):
        response = client.get(url)
        assert response.status_code == 503
        assert "network address" in response.content.decode()
    response = client.post("/en/casebook/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert response.status_code == 503 and not runtime.vault().exists
    assert client.get("/en/about/").status_code == 200  # the public site is served as ever


def test_on_a_network_setup_needs_the_one_time_token(on_network) -> None:
    token = on_network(True)
    assert token
    first_comer = Client()
    page = first_comer.get("/en/casebook/setup/").content.decode()
    assert 'name="setup_token"' in page
    answer = {"passphrase": PASSPHRASE, "confirm": PASSPHRASE}
    assert first_comer.post("/en/casebook/setup/", answer).status_code == 400
    assert first_comer.post("/en/casebook/setup/", {**answer, "setup_token": "guess"}).status_code == 400
    assert not runtime.vault().exists

    operator = Client()
    assert operator.post("/en/casebook/setup/", {**answer, "setup_token": token}).status_code == 302
    assert runtime.vault().exists
    operator.post("/en/casebook/wipe/", {"confirm": "WIPE"})
    assert not runtime.vault().exists
    # One time: after a wipe the same token creates nothing (restart the server for a new one).
    assert Client().post("/en/casebook/setup/", {**answer, "setup_token": token}).status_code == 400
    assert not runtime.vault().exists


def test_on_a_network_restore_onto_an_empty_casebook_needs_the_token(on_network) -> None:
    on_network(True)
    page = Client().get("/en/casebook/restore/").content.decode()
    assert 'name="setup_token"' in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("b.age", b"age-encryption.org/v1\n")
    response = Client().post(
        "/en/casebook/restore/", {"archive": upload, "passphrase": PASSPHRASE, "setup_token": "not it"}
    )
    assert response.status_code == 400
    assert "setup token" in response.content.decode()
