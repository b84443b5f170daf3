"""Team accounts: a Member per Django user (role, principal), enrolment links, database sessions.

Nothing here holds a password or a second factor in clear: Django keeps the password hash (Argon2),
django-otp the TOTP keys, django-otp-webauthn the passkeys' public keys; recovery codes are kept as
scrypt hashes (:class:`RecoveryCodes`, amparo.web.team.recovery). An enrolment link's token is kept as
its SHA-256 only.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from amparo.web.team import recovery


class Role(models.TextChoices):
    """The four roles; what each may do is written as rules in amparo.web.team.permissions."""

    ADMIN = "admin", _("Admin")
    COORDINATOR = "coordinator", _("Coordinator")
    OFFICER = "officer", _("Officer")
    READ_ONLY = "read-only", _("Read-only")


def new_principal() -> str:
    return "p-" + secrets.token_hex(16)


class Member(models.Model):
    """A team member: their role and their principal, the stable id the casebook's access table uses."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.READ_ONLY)
    principal = models.CharField(max_length=40, unique=True, default=new_principal, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.principal


class Enrolment(models.Model):
    """A one-time link that lets a new member choose a password and set up two-factor login."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"enrolment {self.pk}"


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A member's recovery codes as a django-otp device: each code logs in once, and only its hash is kept.

    Replaces django-otp's StaticDevice, whose tokens sit in the database in clear.
    """

    salt = models.CharField(max_length=32, default=recovery.new_salt, editable=False)

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1))

    def verify_token(self, token: object) -> bool:
        if not isinstance(token, str) or not recovery.looks_like_a_code(token):
            return False  # a six-digit code from the app is no try at a recovery code: no throttle for it
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        codes = list(self.codes.order_by("pk"))
        index = recovery.matching(token, self.salt, [c.digest for c in codes])
        if index is None:
            self.throttle_increment()
            return False
        codes[index].delete()  # a code works once
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    """One unused recovery code: its scrypt hash with the salt of its device, never the code."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"recovery code {self.pk}"


class Session(AbstractBaseSession):
    """Django's database session with its account, a coarse device hint and when it was last used.

    ``handle`` names the session on the sessions page (a hash of its key: the key itself, the
    cookie's value, never appears in a page). No address is kept.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    handle = models.CharField(max_length=32, db_index=True)
    device = models.CharField(max_length=60, blank=True)
    started = models.DateTimeField(null=True)
    last_seen = models.DateTimeField(null=True)

    @classmethod
    def get_session_store_class(cls):  # type: ignore[no-untyped-def]
        from amparo.web.team.sessions import SessionStore

        return SessionStore
