"""Login needs the password AND a second factor; recovery codes work once; lockout without enumeration."""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings
from django.test import Client

from tests.web.team.conftest import PASSWORD, log_in, totp_now

pytestmark = pytest.mark.django_db

FAILED = b"The username, the password or the two-factor code is not right."


def without_csrf(content: bytes) -> bytes:
    """The page without what is random in each one: the CSRF token and the passkey button's challenge."""
    content = re.sub(rb'<script id="passkey-options" type="application/json">.*?</script>', b"", content)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def logged_in(client: Client) -> bool:
    return client.get("/en/team/account/").status_code == 200


def test_argon2_hashes_the_passwords(make_member):
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert make_member().user.password.startswith("argon2$argon2id$")


def test_login_needs_the_password_and_a_valid_totp_code(make_member):
    member = make_member()
    client = Client()
    for password, code in [
        ("not the password", None),  # right code, wrong password
        (PASSWORD, "000000" if totp_now(member.device) != "000000" else "111111"),  # wrong code
        (PASSWORD, " "),  # no code
    ]:
        response = log_in(client, member, password=password, code=code)
        assert response.status_code == 400 and FAILED in response.content
        assert not logged_in(client)
    response = log_in(client, member)
    assert response.status_code == 302 and response.url == "/en/team/account/"
    assert logged_in(client)
    page = client.get("/en/team/account/").content.decode()
    assert member.username in page and "this session" in page


def test_a_totp_code_is_accepted_once(make_member):
    member = make_member()
    code = totp_now(member.device)
    assert log_in(Client(), member, code=code).status_code == 302
    assert log_in(Client(), member, code=code).status_code == 400


def test_a_recovery_code_works_once(make_member):
    member = make_member()
    code = member.codes[0]
    assert len(member.codes) == 10 and len(set(member.codes)) == 10
    first = Client()
    assert log_in(first, member, code=code.upper()).status_code == 302  # typed as printed or in capitals
    assert logged_in(first)
    second = Client()
    response = log_in(second, member, code=code)
    assert response.status_code == 400 and FAILED in response.content
    assert not logged_in(second)
    assert log_in(second, member, code=member.codes[1]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(make_member):
    member = make_member()
    client = Client()
    log_in(client, member)
    assert client.post("/en/team/account/recovery-codes/", {"current": "wrong"}).status_code == 400
    page = client.post("/en/team/account/recovery-codes/", {"current": PASSWORD}).content.decode()
    assert member.codes[0] not in page
    assert log_in(Client(), member, code=member.codes[0]).status_code == 400


def test_lockout_after_repeated_failures_with_one_answer_for_known_and_unknown_users(make_member):
    member = make_member()
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    unknown = Client()
    for attempt in range(1, limit):
        known = log_in(client, member, password=f"wrong {attempt}")
        ghost = unknown.post("/en/team/login/", {"username": "nobody-here", "password": "x", "code": "123456"})
        assert (known.status_code, ghost.status_code) == (400, 400)
        assert without_csrf(known.content).replace(member.username.encode(), b"") == without_csrf(
            ghost.content
        ).replace(b"nobody-here", b"")
    # The limit-th failure locks out both pairs, with the same calm answer, and no 500.
    locked = log_in(client, member, password="wrong again")
    ghost = unknown.post("/en/team/login/", {"username": "nobody-here", "password": "x", "code": "123456"})
    assert locked.status_code == ghost.status_code == 429
    assert b"logging in is paused" in locked.content.lower()
    assert without_csrf(locked.content) == without_csrf(ghost.content)
    # Even the right password and code are refused now, with the same answer.
    assert log_in(client, member).status_code == 429
    assert not logged_in(client)
    # Another username from the same address is not locked out (the pair is).
    other = make_member("ana", "officer")
    assert log_in(Client(), other).status_code == 302


def test_a_right_password_with_a_wrong_code_counts_as_a_failure(make_member):
    member = make_member()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, member, code="999999" if totp_now(member.device) != "999999" else "888888")
    assert log_in(client, member).status_code == 429


def test_nothing_typed_is_kept_by_the_lockout_records_or_logged(make_member, caplog):
    from axes.models import AccessAttempt

    member = make_member("canary-user-7731")
    canary_password, canary_code = "CANARY-pass-7731", "CANARY-code-7731"
    with caplog.at_level(logging.DEBUG):
        log_in(Client(), member, password=canary_password, code=canary_code)
        log_in(Client(), member, code=canary_code)
    assert "7731" not in caplog.text and "127.0.0.1" not in caplog.text
    rows = list(AccessAttempt.objects.values_list("get_data", "post_data", "user_agent", "path_info"))
    assert rows
    assert "CANARY" not in repr(rows)


def test_a_disabled_account_cannot_log_in(make_member):
    member = make_member()
    member.user.is_active = False
    member.user.save()
    assert log_in(Client(), member).status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "x" * 5000, "password": "y", "code": "z"},
        {"username": "\x00", "password": "\x00", "code": "\x00"},
        {"username": ["a", "b"], "password": "p", "code": "1"},
        {"username": "a", "password": "p", "code": "1", "next": "https://evil.example/"},
    ],
)
def test_no_input_to_the_login_makes_a_server_error(data, make_member):
    response = Client().post("/en/team/login/", data)
    assert response.status_code in (400, 429)


def test_next_is_followed_only_to_this_site(make_member):
    member = make_member()
    client = Client()
    response = client.post(
        "/en/team/login/",
        {"username": member.username, "password": PASSWORD, "code": totp_now(member.device), "next": "//evil.example/"},
    )
    assert response.status_code == 302 and response.url == "/en/team/account/"
    other = make_member("ana")
    response = Client().post(
        "/en/team/login/",
        {"username": other.username, "password": PASSWORD, "code": totp_now(other.device), "next": "/en/team/members/"},
    )
    assert response.url == "/en/team/members/"


@pytest.mark.django_db(transaction=True)
def test_a_login_works_outside_a_test_transaction(make_member):
    """As a real request runs: no transaction around the view (team settings do not wrap requests in one), and the
    second factor's lookup locks its device rows, which PostgreSQL allows only inside a transaction."""
    member = make_member()
    response = log_in(Client(), member)
    assert response.status_code == 302 and response.url == "/en/team/account/"


@pytest.mark.parametrize(
    ("page", "fields"),
    [
        ("/en/team/account/password/", {"new_password": "a new long passphrase 42", "confirm": "x"}),
        ("/en/team/account/recovery-codes/", {}),
    ],
)
def test_a_password_asked_again_in_a_session_counts_toward_the_lockout(make_member, page, fields):
    """Whoever holds a stolen open session cannot try the member's password without end on the account's forms:
    each wrong one counts as a failed login, and at the limit the session ends and the lockout page answers."""
    member = make_member()
    client = Client()
    assert log_in(client, member).status_code == 302
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        assert client.post(page, {"current": f"wrong {attempt}", **fields}).status_code == 400
        assert logged_in(client)
    locked = client.post(page, {"current": "wrong again", **fields})
    assert locked.status_code == 429 and b"logging in is paused" in locked.content.lower()
    assert not logged_in(client)
    assert log_in(Client(), member).status_code == 429  # the right password too, until the cool-off ends
