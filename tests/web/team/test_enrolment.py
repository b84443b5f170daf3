"""Enrolment links: one use, an expiry, kept hashed; the page sets the password and two-factor login."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from amparo.web.team import accounts
from amparo.web.team.models import Enrolment
from tests.web.team.conftest import PASSWORD, totp_now

pytestmark = pytest.mark.django_db


def path_of(token: str) -> str:
    return f"/en/team/enrol/{token}/"


def test_the_enrolment_page_shows_the_key_and_a_qr_code_drawn_on_the_server():
    user, token = accounts.add_member("maria", "officer")
    response = Client().get(path_of(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<script" not in page and "style=" not in page
    device = accounts.pending_device(user)
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_token_is_kept_only_as_its_hash():
    _user, token = accounts.add_member("maria", "officer")
    enrolment = Enrolment.objects.get()
    assert enrolment.token_sha256 == accounts.token_sha256(token) and token not in enrolment.token_sha256
    assert len(token) >= 40


def test_enrolment_sets_the_password_and_the_app_then_the_link_is_refused():
    user, token = accounts.add_member("maria", "officer")
    client = Client()
    device = accounts.pending_device(user)
    wrong = client.post(path_of(token), {"new_password": PASSWORD, "confirm": PASSWORD, "code": "12"})
    assert wrong.status_code == 400
    done = client.post(path_of(token), {"new_password": PASSWORD, "confirm": PASSWORD, "code": totp_now(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{10})</code></li>", done.content.decode())
    assert len(codes) == 10
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    for method in ("get", "post"):
        again = getattr(Client(), method)(path_of(token), {"new_password": "x" * 20, "confirm": "x" * 20, "code": "1"})
        assert again.status_code == 404 and b"not valid" in again.content


def test_an_expired_link_is_refused():
    user, token = accounts.add_member("maria", "officer")
    Enrolment.objects.update(expires=timezone.now() - timedelta(seconds=1))
    device = accounts.pending_device(user)
    assert Client().get(path_of(token)).status_code == 404
    response = Client().post(path_of(token), {"new_password": PASSWORD, "confirm": PASSWORD, "code": totp_now(device)})
    assert response.status_code == 404
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_new_link_replaces_the_old_one():
    user, first = accounts.add_member("maria", "officer")
    second = accounts.issue_enrolment(user)
    assert Client().get(path_of(first)).status_code == 404
    assert Client().get(path_of(second)).status_code == 200


def test_weak_or_mismatched_passwords_are_refused_calmly():
    user, token = accounts.add_member("maria", "officer")
    device = accounts.pending_device(user)
    for new, confirm in [("short", "short"), ("password1234", "password1234"), (PASSWORD, PASSWORD + "x")]:
        response = Client().post(path_of(token), {"new_password": new, "confirm": confirm, "code": totp_now(device)})
        assert response.status_code == 400
    assert Enrolment.objects.get().used is None


@pytest.mark.parametrize("token", ["x", "a" * 300, "%00" * 30, "../../etc/passwd", "A" * 43])
def test_made_up_tokens_are_refused_without_a_server_error(token):
    assert Client().get(f"/en/team/enrol/{token}/").status_code == 404
    assert Client().post(f"/en/team/enrol/{token}/", {"code": "1"}).status_code == 404
