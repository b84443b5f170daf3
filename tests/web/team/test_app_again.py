"""The authenticator app added again after it was removed (issue 13): a member who kept a passkey sets up a new
app from their account page, after their password and a code from the new app; the key shown before it is
confirmed is the only one that works, and an account has one app at a time."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.web.team import audit
from amparo.web.team.permissions import principal_for
from tests.web.team.conftest import PASSWORD, totp_now
from tests.web.team.test_passkeys import REMOVE, passkey_login, with_passkey  # noqa: F401

pytestmark = pytest.mark.django_db

ADD_APP = "/en/team/account/app/add/"


def shown_device(page) -> TOTPDevice:
    """The unconfirmed app whose key the page shows (as text beside the QR code)."""
    found = re.search(r'<code class="secret" dir="ltr">([A-Z2-7 ]+)</code>', page.content.decode())
    assert found, page.content[:3000]
    key = found.group(1).replace(" ", "")
    key += "=" * (-len(key) % 8)
    device = TOTPDevice.objects.get(confirmed=False, key=b32decode(key).hex())
    return device


def without_app(with_passkey):  # noqa: F811
    member, client, key = with_passkey
    app = TOTPDevice.objects.get(user=member.user, confirmed=True)
    assert client.post(REMOVE, {"device": app.persistent_id}).status_code == 302
    assert passkey_login(client, member, key).status_code == 302  # that session was verified by the app
    return member, client, key


def test_a_member_who_removed_the_app_adds_one_again_and_logs_in_with_it(with_passkey):  # noqa: F811
    member, client, _key = without_app(with_passkey)
    account = client.get("/en/team/account/").content.decode()
    assert ADD_APP in account
    page = client.get(ADD_APP)
    assert page.status_code == 200 and b"<svg" in page.content
    device = shown_device(page)
    assert client.post(ADD_APP, {"current": PASSWORD, "code": totp_now(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed and device.user == member.user
    assert "Authenticator app" in client.get("/en/team/account/").content.decode()
    principal = principal_for(member.user)
    with audit.audit_connection() as conn:
        actions = [row[0] for row in conn.execute("SELECT action FROM audit WHERE record_id = ?", (principal,))]
    assert actions[-1] == audit.APP_ADDED

    again = Client()
    login = {"username": member.username, "password": PASSWORD, "code": totp_now(device)}
    assert again.post("/en/team/login/", login).status_code == 302


def test_the_new_app_needs_the_password_and_a_right_code(with_passkey):  # noqa: F811
    member, client, _key = without_app(with_passkey)
    device = shown_device(client.get(ADD_APP))
    assert client.post(ADD_APP, {"current": "not my password", "code": totp_now(device)}).status_code == 400
    assert client.post(ADD_APP, {"current": PASSWORD, "code": "000000"}).status_code == 400
    assert not TOTPDevice.objects.filter(user=member.user, confirmed=True).exists()
    assert shown_device(client.get(ADD_APP)) != device  # each visit a new key: one seen before is void
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_key_shown_to_another_visit_cannot_be_confirmed(with_passkey):  # noqa: F811
    member, client, _key = without_app(with_passkey)
    seen = shown_device(client.get(ADD_APP))  # say, by whoever else holds this open session
    code = totp_now(seen)
    mine = shown_device(client.get(ADD_APP))
    assert client.post(ADD_APP, {"current": PASSWORD, "code": code}).status_code == 400
    assert client.post(ADD_APP, {"current": PASSWORD, "code": totp_now(mine)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=member.user).values_list("pk", flat=True)) == [mine.pk]


def test_one_app_at_a_time_and_only_for_a_verified_login(with_passkey):  # noqa: F811
    member, client, _key = with_passkey
    assert ADD_APP not in client.get("/en/team/account/").content.decode()
    assert client.get(ADD_APP).status_code == 400
    assert TOTPDevice.objects.filter(user=member.user).count() == 1
    response = Client().get(ADD_APP)
    assert response.status_code == 302 and response.url.startswith("/en/team/login/")
