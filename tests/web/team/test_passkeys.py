"""Passkeys and security keys as the second factor: added on the account page after the password, used at
login with the password, refused when forged, replayed, cloned, another's, or from another origin; never the
last factor removed. Driven by a software authenticator (tests/web/team/softkey.py) through the test client."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from tests.web.team.conftest import PASSWORD, log_in
from tests.web.team.softkey import SoftKey

pytestmark = pytest.mark.django_db

ADD = "/en/team/account/passkeys/add/"
LOGIN = "/en/team/login/"
REMOVE = "/en/team/account/second-factors/remove/"


def page_options(response) -> dict:
    found = re.search(rb'<script id="passkey-options" type="application/json">(.*?)</script>', response.content)
    assert found, response.content[:2000]
    return json.loads(found.group(1))


def add_passkey(client: Client, key: SoftKey, name: str = "blue key", password: str = PASSWORD, **answer):
    options = page_options(client.get(ADD))
    return client.post(ADD, {"name": name, "current": password, "passkey": key.create(options, **answer)})


def passkey_login(client: Client, member, key: SoftKey, password: str = PASSWORD, **answer):
    options = page_options(client.get(LOGIN))
    data = {"username": member.username, "password": password, "code": "", "passkey": key.get(options, **answer)}
    return client.post(LOGIN, data)


@pytest.fixture
def with_passkey(make_member):
    """A member logged in with their app who added one passkey: (member, client, key)."""
    member = make_member()
    client = Client()
    assert log_in(client, member).status_code == 302
    key = SoftKey()
    assert add_passkey(client, key).status_code == 302
    return member, client, key


def test_a_member_adds_a_named_passkey_after_the_password(with_passkey):
    member, client, _key = with_passkey
    credential = WebAuthnCredential.objects.get(user=member.user)
    assert credential.name == "blue key" and credential.confirmed and credential.discoverable
    assert credential.public_key and member.username not in repr(credential.public_key)
    page = client.get("/en/team/account/").content.decode()
    assert "Passkey “blue key”" in page and "Authenticator app" in page
    second = SoftKey()
    refused = add_passkey(client, second, name="red key", password="not my password")
    assert refused.status_code == 400 and WebAuthnCredential.objects.filter(user=member.user).count() == 1
    assert add_passkey(client, second, name="red key").status_code == 302
    assert WebAuthnCredential.objects.filter(user=member.user).count() == 2


def test_registration_options_are_for_this_site_and_require_a_discoverable_key(make_member):
    member = make_member()
    client = Client()
    log_in(client, member)
    options = page_options(client.get(ADD))
    assert options["rp"]["id"] == "localhost" and options["authenticatorSelection"]["residentKey"] == "required"
    assert member.username in options["user"]["name"]


def test_adding_a_passkey_needs_a_verified_login():
    response = Client().get(ADD)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_a_registration_from_another_origin_or_replayed_is_refused(make_member):
    member = make_member()
    client = Client()
    log_in(client, member)
    assert add_passkey(client, SoftKey(), origin="https://amparo.example.evil").status_code == 400
    options = page_options(client.get(ADD))
    answer = SoftKey().create(options)
    assert client.post(ADD, {"name": "k", "current": PASSWORD, "passkey": answer}).status_code == 302
    assert client.post(ADD, {"name": "k", "current": PASSWORD, "passkey": answer}).status_code == 400
    assert WebAuthnCredential.objects.filter(user=member.user).count() == 1


def test_login_with_password_and_passkey_instead_of_a_code(with_passkey):
    from amparo.casebook.team import audit as team_audit
    from amparo.web.team.audit import audit_connection

    member, _client, key = with_passkey
    client = Client()
    response = passkey_login(client, member, key)
    assert response.status_code == 302 and response.url == "/en/team/account/"
    assert client.get("/en/team/account/").status_code == 200
    credential = WebAuthnCredential.objects.get(user=member.user)
    assert credential.sign_count == key.sign_count and credential.last_used_at is not None
    with audit_connection() as conn:
        rows = list(team_audit.rows_in_order(conn))
    assert [r.detail for r in rows if r.action == "login"][-1] == "passkey"
    assert [r.action for r in rows if r.action == "passkey-added"] == ["passkey-added"]


def test_a_passkey_does_not_replace_the_password(with_passkey):
    member, _client, key = with_passkey
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert passkey_login(client, member, key, password="not the password").status_code == 400
    assert passkey_login(client, member, key, password="not the password").status_code == 429  # axes counted each
    assert passkey_login(client, member, key).status_code == 429


def test_a_refused_passkey_with_the_right_password_counts_toward_the_lockout(with_passkey):
    member, _client, key = with_passkey
    client = Client()
    stranger = SoftKey()  # a key never registered
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert passkey_login(client, member, stranger).status_code == 400
    assert passkey_login(client, member, stranger).status_code == 429
    assert passkey_login(client, member, key).status_code == 429  # even the member's own passkey, while locked


def test_a_forged_replayed_cloned_or_foreign_passkey_answer_is_a_failed_login(with_passkey, make_member):
    member, _client, key = with_passkey
    client = Client()
    # Another origin (a look-alike site relaying the login): the library checks the signed client data.
    assert passkey_login(client, member, key, origin="https://amparo.example.evil").status_code == 400
    # A key that was never registered, and another member's passkey with this member's password.
    assert passkey_login(client, member, SoftKey()).status_code == 400
    ana = make_member("ana")
    assert passkey_login(client, ana, key).status_code == 400
    # A replay: an answer signed for one page's challenge, sent again.
    options = page_options(client.get(LOGIN))
    answer = key.get(options)
    data = {"username": member.username, "password": PASSWORD, "code": "", "passkey": answer}
    assert client.post(LOGIN, data).status_code == 302
    other = Client()
    other.get(LOGIN)
    assert other.post(LOGIN, data).status_code == 400
    # A clone: its sign counter is behind the genuine key's (the library's clone detection).
    genuine = key.sign_count
    assert passkey_login(Client(), member, key, count=genuine - 1).status_code == 400
    assert passkey_login(Client(), member, key, count=genuine + 1).status_code == 302


@pytest.mark.parametrize(
    "answer", ["{}", "[]", "null", "not json", "{" * 5000, json.dumps({"id": "x", "rawId": "!!", "response": {}})]
)
def test_a_broken_passkey_answer_is_refused_calmly(with_passkey, answer):
    member, client, _key = with_passkey
    fresh = Client()
    fresh.get(LOGIN)
    data = {"username": member.username, "password": PASSWORD, "code": "", "passkey": answer}
    assert fresh.post(LOGIN, data).status_code == 400
    client.get(ADD)
    assert client.post(ADD, {"name": "k", "current": PASSWORD, "passkey": answer}).status_code == 400


def test_the_last_second_factor_cannot_be_removed(with_passkey):
    member, client, key = with_passkey
    passkey = WebAuthnCredential.objects.get(user=member.user)
    assert client.post(REMOVE, {"device": "otp_totp.totpdevice/999999"}).status_code == 404
    assert client.post(REMOVE, {"device": member.device.persistent_id}).status_code == 302
    # This session was verified by the app it removed: it is verified no more, and logs in again.
    assert client.get("/en/team/account/").status_code == 302
    assert log_in(Client(), member, code="123456").status_code == 400  # the app is gone
    client = Client()
    assert passkey_login(client, member, key).status_code == 302
    page = client.get("/en/team/account/").content.decode()
    assert "Authenticator app" not in page and passkey.persistent_id not in page  # no button for the last one
    refused = client.post(REMOVE, {"device": passkey.persistent_id})
    assert refused.status_code == 400 and WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert b"your last app or passkey" in refused.content


def test_another_members_factor_cannot_be_removed(with_passkey, make_member):
    _member, _client, _key = with_passkey
    ana = make_member("ana")
    client = Client()
    log_in(client, ana)
    target = WebAuthnCredential.objects.get(user=_member.user)
    assert client.post(REMOVE, {"device": target.persistent_id}).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=target.pk).exists()


def test_the_passkey_pages_have_no_inline_script(with_passkey):
    _member, client, _key = with_passkey
    for page in (client.get(ADD), Client().get(LOGIN)):
        for tag in re.findall(rb"<script[^>]*>", page.content):
            assert b' src="/static/team/passkey' in tag or b'type="application/json"' in tag, tag
        assert b"style=" not in page.content and b" on" + b"click=" not in page.content


def test_without_a_name_for_the_server_passkeys_are_off(make_member, settings):
    settings.AMPARO_TEAM_PASSKEYS = False
    member = make_member()
    client = Client()
    assert b"passkey-options" not in client.get(LOGIN).content
    log_in(client, member)
    assert client.get(ADD).status_code == 404
    assert b"https:// address with a name" in client.get("/en/team/account/").content
