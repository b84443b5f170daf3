"""Passkeys and security keys (WebAuthn) as a second factor, through django-otp-webauthn and Duo's webauthn.

The library verifies every signature, origin, relying party and sign counter; this module decides when a
ceremony may start and keeps its state. A ceremony's options go into the page itself (a JSON script
element, amparo/web/team/static/team/passkey.js reads it), so no script fetches anything and the site's
CSP stays as it is. The challenge waits in the session, is taken out by the first answer (it works once)
and expires with the browser's timeout.

Login stays one form: password and passkey are checked together and a failure says which of them was
wrong no more than a wrong code does. So login asks for any passkey of this site (no list of a user's
credentials before the password is known): passkeys are made discoverable (resident) when registered.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import ResidentKeyRequirement

LOGIN_STATE = "_amparo_passkey_login"
REGISTER_STATE = "_amparo_passkey_register"
MAX_ANSWER = 16_000  # characters of a browser's JSON answer; real ones are 1 to 3 KB
NAME_LENGTH = 64  # django-otp's Device.name

# What a hostile or broken answer can raise inside the library: each is a refusal, never an error page.
REFUSED = (WebAuthnException, OTPWebAuthnApiError, ValueError, TypeError, KeyError, IndexError, AttributeError)


class TeamWebAuthnHelper(WebAuthnHelper):
    """The library's helper, with discoverable credentials required and the member's name for the passkey."""

    credential_name = ""

    def get_discoverable_credentials_preference(self) -> ResidentKeyRequirement:
        return ResidentKeyRequirement.REQUIRED

    def create_credential(self, *args: Any, **kwargs: Any) -> Any:
        device = super().create_credential(*args, **kwargs)
        device.name = self.credential_name
        return device


def available() -> bool:
    return bool(settings.AMPARO_TEAM_PASSKEYS)


def _helper(request: HttpRequest) -> TeamWebAuthnHelper:
    return TeamWebAuthnHelper(request=request)


def _keep(request: HttpRequest, key: str, state: dict[str, Any]) -> None:
    request.session[key] = {**state, "started": time.time()}


def _take(request: HttpRequest, key: str) -> dict[str, Any] | None:
    """The ceremony's state, removed from the session whatever follows; None when missing or expired."""
    state = request.session.pop(key, None)
    if not isinstance(state, dict) or not isinstance(state.get("started"), int | float):
        return None
    if time.time() - state["started"] > settings.OTP_WEBAUTHN_TIMEOUT_SECONDS + 30:
        return None
    return state


def _answer(answer: str) -> dict[str, Any] | None:
    """The browser's JSON answer as an object, or None (too long, not JSON, not an object)."""
    if len(answer) > MAX_ANSWER:
        return None
    try:
        data = json.loads(answer)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def login_options(request: HttpRequest) -> dict[str, Any] | None:
    """Options for the login page's passkey button (a fresh challenge), or None when passkeys are off."""
    if not available():
        return None
    options, state = _helper(request).authenticate_begin(user=None, require_user_verification=False)
    _keep(request, LOGIN_STATE, state)
    return options


def take_login_state(request: HttpRequest) -> dict[str, Any] | None:
    return _take(request, LOGIN_STATE)


def verify_login(request: HttpRequest, user: AbstractBaseUser, answer: str, state: dict[str, Any] | None) -> Any:
    """The passkey of ``user`` that signed this login's challenge, else None (the sign counter is checked too)."""
    data = _answer(answer)
    if state is None or data is None or not available():
        return None
    try:
        with transaction.atomic():
            device = _helper(request).authenticate_complete(user=user, state=state, data=data)
    except (*REFUSED, DatabaseError):
        return None
    if not device.confirmed or not device.user.is_active:
        return None
    return device


def registration_options(request: HttpRequest, user: AbstractBaseUser) -> dict[str, Any] | None:
    """Options for adding a passkey to ``user`` (their existing ones excluded), or None when passkeys are off."""
    if not available():
        return None
    options, state = _helper(request).register_begin(user=user)
    _keep(request, REGISTER_STATE, state)
    return options


def register(request: HttpRequest, user: AbstractBaseUser, answer: str, name: str) -> Any:
    """The new passkey, verified and saved under ``name``; None if the answer is refused."""
    state = _take(request, REGISTER_STATE)
    data = _answer(answer)
    if state is None or data is None or not available():
        return None
    helper = _helper(request)
    helper.credential_name = name[:NAME_LENGTH]
    try:
        with transaction.atomic():
            return helper.register_complete(user=user, state=state, data=data)
    except (*REFUSED, DatabaseError):  # DatabaseError: this passkey is registered already
        return None


def passkeys_of(user: AbstractBaseUser) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def second_factors(user: AbstractBaseUser) -> list[Any]:
    """The member's app and passkeys (recovery codes are the spare, not a factor one can keep alone)."""
    return [d for d in devices_for_user(user, confirmed=True) if isinstance(d, TOTPDevice | WebAuthnCredential)]


def remove_factor(user: AbstractBaseUser, persistent_id: str) -> bool | None:
    """Remove the member's app or one of their passkeys. None: no such factor of theirs; False: it is the last."""
    with transaction.atomic():
        get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()  # one removal at a time
        factors = second_factors(user)
        target = next((d for d in factors if d.persistent_id == persistent_id), None)
        if target is None:
            return None
        if len(factors) <= 1:
            return False
        target.delete()
        return True
