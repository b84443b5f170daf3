"""Account events in the team's audit: logins (and their second factor), failed logins, logouts, members, roles,
enabling and disabling, passkeys added and removed, the app added again and removed, new recovery codes.

They go to the casebook's own append-only, hash-chained ``audit`` table (the same table the
database's triggers write every casebook change to), through the one function
:func:`amparo.casebook.team.audit.record`, on Django's own database connection: in the same
transaction as the change when there is one. Signals connect them (:func:`connect`, from the
app's ``ready()``).

What a row never holds: a password, a code, or the username typed at a failed login (a
username can be a person's name, and a mistyped password typed into the username field is a
classic). A failed login names the account tried by its principal when it exists, and
otherwise a keyed hash of what was typed (HMAC with the server's secret key), so that repeated
tries of one name show up together without the name.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from amparo.casebook.dialect import POSTGRES, postgres_sql
from amparo.casebook.team import audit as team_audit
from amparo.casebook.team import schema

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("amparo_audit_actor", default=team_audit.NO_MEMBER)

# The account events, as the audit names them (the page gives each its words: amparo.web.team.audit_views).
LOGIN, LOGIN_FAILED, LOGOUT = "login", "login-failed", "logout"
MEMBER_ADDED, MEMBER_REMOVED, ROLE_CHANGED = "member-added", "member-removed", "role-change"
ENABLED, DISABLED, ENROLMENT = "account-enabled", "account-disabled", "enrolment-issued"
PASSKEY_ADDED, PASSKEY_REMOVED, APP_REMOVED = "passkey-added", "passkey-removed", "app-removed"
APP_ADDED = "app-added"  # set up again from the account page (an enrolment's app is the enrolment's)
RECOVERY_CODES = "recovery-codes-issued"
ACCOUNT = "account"
# The request attribute the login page sets to the class of the second factor used, for the login entry.
SECOND_FACTOR = "amparo_second_factor"
FACTORS = {"TOTPDevice": "app", "RecoveryCodes": "recovery-code", "WebAuthnCredential": "passkey"}


class DjangoConnection:
    """Django's database connection in the casebook's terms (``?`` placeholders), for the audit's functions."""

    dialect = POSTGRES

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        self._cursor.execute(postgres_sql(sql), params)
        return self._cursor


def _ensure_schema(conn: DjangoConnection) -> None:
    """The audit table, made (or brought up to date) if the casebook store has not been opened on this database yet."""
    present = conn.execute("SELECT to_regclass('amparo_schema') IS NOT NULL").fetchone()[0]
    if present and conn.execute("SELECT max(version) FROM amparo_schema").fetchone()[0] == schema.VERSION:
        return
    with transaction.atomic():
        schema.migrate(conn)


@contextmanager
def audit_connection() -> Iterator[DjangoConnection]:
    """Django's connection, ready for :mod:`amparo.casebook.team.audit` (the audit page reads through it too)."""
    with connection.cursor() as cursor:
        conn = DjangoConnection(cursor)
        _ensure_schema(conn)
        yield conn


def write(action: str, record_id: str = "", detail: str = "", principal: str | None = None) -> None:
    """One account event; ``principal`` defaults to the member acting in this request (:func:`acting`)."""
    with audit_connection() as conn:
        who = _actor.get() if principal is None else principal
        team_audit.record(conn, who, action, ACCOUNT, record_id, "", detail)


def acting(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a view that changes members: the changes its signals record name the member who made them."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _actor.set(_principal_of(request.user) or team_audit.NO_MEMBER)
        try:
            return view(request, *args, **kwargs)
        finally:
            _actor.reset(token)

    return wrapped


def _principal_of(user: Any) -> str | None:
    from amparo.web.team.models import Member

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return str(user.member.principal)
    except Member.DoesNotExist:
        return None


def username_hash(typed: str) -> str:
    """A keyed hash of a username as typed: the same name gives the same hash, and the hash gives no name."""
    return salted_hmac("amparo.web.team.audit.username", typed, algorithm="sha256").hexdigest()[:32]


# -- the signals ------------------------------------------------------------------


def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    principal = _principal_of(user)
    if principal:
        write(LOGIN, principal, FACTORS.get(getattr(request, SECOND_FACTOR, ""), ""), principal=principal)


def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    from amparo.web.team.models import Member

    typed = str(credentials.get(get_user_model().USERNAME_FIELD, credentials.get("username", "")))
    member = Member.objects.filter(**{f"user__{get_user_model().USERNAME_FIELD}": typed}).first()
    if member is not None:
        write(LOGIN_FAILED, member.principal, principal=team_audit.NO_MEMBER)
    else:
        write(LOGIN_FAILED, "", "username " + username_hash(typed), principal=team_audit.NO_MEMBER)


def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    principal = _principal_of(user)
    if principal:
        write(LOGOUT, principal, principal=principal)


def _member_before(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._audit_role_before = (
        sender.objects.filter(pk=instance.pk).values_list("role", flat=True).first() if instance.pk else None
    )


def _member_after(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_role_before", None)
    if created:
        write(MEMBER_ADDED, instance.principal, instance.role)
    elif before is not None and before != instance.role:
        write(ROLE_CHANGED, instance.principal, f"{before}->{instance.role}")


def _member_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    write(MEMBER_REMOVED, instance.principal)


def _user_before(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        instance._audit_active_before = None  # a login's last_login, a password: not what this records
        return
    instance._audit_active_before = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


def _user_after(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_active_before", None)
    if created or before is None or before == instance.is_active:
        return
    write(ENABLED if instance.is_active else DISABLED, _principal_of(instance) or "")


def _enrolment_issued(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        write(ENROLMENT, _principal_of(instance.user) or "")


def _factor_added(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        action = RECOVERY_CODES if sender.__name__ == "RecoveryCodes" else PASSKEY_ADDED
        write(action, _principal_of(instance.user) or "")


def _factor_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if sender.__name__ == "TOTPDevice" and not instance.confirmed:
        return  # an enrolment's app that was never set up
    write(APP_REMOVED if sender.__name__ == "TOTPDevice" else PASSKEY_REMOVED, _principal_of(instance.user) or "")


def connect() -> None:
    """Connect the signals (from :meth:`amparo.web.team.apps.TeamConfig.ready`)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    from amparo.web.team.models import Enrolment, Member, RecoveryCodes

    user_logged_in.connect(_logged_in, dispatch_uid="amparo-audit-login")
    user_login_failed.connect(_login_failed, dispatch_uid="amparo-audit-login-failed")
    user_logged_out.connect(_logged_out, dispatch_uid="amparo-audit-logout")
    pre_save.connect(_member_before, sender=Member, dispatch_uid="amparo-audit-member-before")
    post_save.connect(_member_after, sender=Member, dispatch_uid="amparo-audit-member-after")
    post_delete.connect(_member_removed, sender=Member, dispatch_uid="amparo-audit-member-removed")
    user_model = settings.AUTH_USER_MODEL
    pre_save.connect(_user_before, sender=user_model, dispatch_uid="amparo-audit-user-before")
    post_save.connect(_user_after, sender=user_model, dispatch_uid="amparo-audit-user-after")
    post_save.connect(_enrolment_issued, sender=Enrolment, dispatch_uid="amparo-audit-enrolment")
    post_save.connect(_factor_added, sender=WebAuthnCredential, dispatch_uid="amparo-audit-passkey-added")
    post_save.connect(_factor_added, sender=RecoveryCodes, dispatch_uid="amparo-audit-recovery-codes")
    post_delete.connect(_factor_removed, sender=WebAuthnCredential, dispatch_uid="amparo-audit-passkey-removed")
    post_delete.connect(_factor_removed, sender=TOTPDevice, dispatch_uid="amparo-audit-app-removed")
