"""Team accounts as operations: add a member, issue and complete an enrolment, set up a new app, end sessions.

Shared by the command line (amparo team init / user add) and the admin pages, so that both follow
the same rules. An enrolment token is 32 random bytes, shown once in a link and kept as its SHA-256
(a random token needs no slow hash); it works once, before it expires.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from amparo.web.team import recovery
from amparo.web.team.models import Enrolment, Member, RecoveryCode, RecoveryCodes, Role, Session

TOKEN_BYTES = 32


class AccountError(ValueError):
    """A request the accounts cannot follow; the message is for the person who made it."""


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def add_member(username: str, role: str) -> tuple[AbstractBaseUser, str]:
    """A new member with no password and no second factor yet, and the token of their enrolment link."""
    from django.utils.translation import gettext as _

    if role not in Role.values:
        raise AccountError(_("Unknown role."))
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    try:
        username = field.clean(username, None)
    except Exception as exc:  # Django's ValidationError: say what is wrong, in its words
        raise AccountError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
    with transaction.atomic():
        if user_model._default_manager.filter(**{f"{user_model.USERNAME_FIELD}__iexact": username}).exists():
            raise AccountError(_("This username is taken."))
        user = user_model._default_manager.create_user(username=username, password=None)
        Member.objects.create(user=user, role=role)
        token = issue_enrolment(user)
    return user, token


def issue_enrolment(user: AbstractBaseUser) -> str:
    """A fresh start for ``user``: no password, no second factor (app, passkeys, recovery codes), no session;
    a new link's token.

    Used for a new member, and when someone lost every factor. Earlier links stop working.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        Enrolment.objects.filter(user=user, used__isnull=True).update(used=timezone.now())
        TOTPDevice.objects.filter(user=user).delete()
        WebAuthnCredential.objects.filter(user=user).delete()
        RecoveryCodes.objects.filter(user=user).delete()
        user.set_unusable_password()
        user.save(update_fields=["password"])
        end_sessions(user)
        TOTPDevice.objects.create(user=user, name="app", confirmed=False)
        Enrolment.objects.create(
            user=user,
            token_sha256=token_sha256(token),
            expires=timezone.now() + timedelta(hours=settings.AMPARO_TEAM_ENROL_HOURS),
        )
    return token


def enrolment_link(token: str, language: str = "en") -> str:
    with translation.override(language):
        return settings.AMPARO_TEAM_URL + reverse("team:enrol", args=[token])


def open_enrolment(token: str) -> Enrolment | None:
    """The enrolment of this link while it can still be used, else None (unknown, used or expired alike)."""
    enrolment = (
        Enrolment.objects.select_related("user").filter(token_sha256=token_sha256(token), used__isnull=True).first()
    )
    if enrolment is None or enrolment.expires <= timezone.now() or not enrolment.user.is_active:
        return None
    return enrolment


def pending_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def complete_enrolment(token: str, password: str, code: str) -> list[str] | None:
    """Set the password and confirm the app; the recovery codes to show once. None: link or code refused."""
    with transaction.atomic():
        enrolment = open_enrolment(token)
        if enrolment is None:
            return None
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.used is not None:  # another request used it meanwhile
            return None
        user = enrolment.user
        if not _confirm(pending_device(user), code):
            return None
        user.set_password(password)
        user.save(update_fields=["password"])
        enrolment.used = timezone.now()
        enrolment.save(update_fields=["used"])
        return new_recovery_codes(user)


def _confirm(device: TOTPDevice | None, code: str) -> bool:
    """Confirm an app that is being set up, when ``code`` is one it shows now."""
    if device is None or not device.verify_token(normalise_code(code)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def has_app(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def new_app(user: AbstractBaseUser) -> TOTPDevice:
    """A new app to set up, for a member who removed theirs: a fresh key each time, any key shown before void.

    So a key seen by someone else (over the shoulder, in an open session) is never the one confirmed later.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def confirm_app(user: AbstractBaseUser, code: str) -> bool:
    """Confirm the app being set up with a code it shows (audited); False: wrong code, none set up, or one exists."""
    from amparo.web.team import audit

    with transaction.atomic():
        get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()  # one app at a time
        if has_app(user) or not _confirm(pending_device(user), code):
            return False
        audit.write(audit.APP_ADDED, str(user.member.principal))  # type: ignore[attr-defined]
        return True


def password_again(request: HttpRequest, user: AbstractBaseUser, password: str) -> bool:
    """Whether ``password`` is the member's own, asked again in an open session before a change to the account.

    Through authenticate(), as a login: a wrong one counts toward the lockout (django-axes) and is audited as a
    failed login, so that whoever holds a stolen session cannot try passwords without end; once locked out,
    even the right one is refused until the cool-off ends (see ``request.axes_locked_out``).
    """
    found = authenticate(request, username=user.get_username(), password=password)
    return found is not None and found.pk == user.pk


def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the member's recovery codes (each works once) and return them, to be shown once: only hashes stay."""
    with transaction.atomic():
        RecoveryCodes.objects.filter(user=user).delete()
        device = RecoveryCodes.objects.create(user=user, name="recovery", confirmed=True)
        codes = [recovery.new_code() for _ in range(settings.AMPARO_TEAM_RECOVERY_CODES)]
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(device=device, digest=recovery.code_hash(code, device.salt)) for code in codes]
        )
    return codes


def normalise_code(code: str) -> str:
    """What a person types from their app or recovery sheet, without spaces or dashes, in lower case."""
    return "".join(ch for ch in code if ch.isalnum()).lower()[:16]


def end_sessions(user: AbstractBaseUser, keep: str | None = None) -> int:
    """End every session of ``user`` (but the one whose key is ``keep``); how many ended."""
    sessions = Session.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    count, _ = sessions.delete()
    return count


def active_admins() -> int:
    return Member.objects.filter(role=Role.ADMIN, user__is_active=True).count()
