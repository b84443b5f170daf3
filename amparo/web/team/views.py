"""Team pages: login with password and a second factor, enrolment, one's sessions and password, the members.

Every page but login and enrolment asks for a logged-in, two-factor-verified member (:func:`member_required`),
and each permission is asked of amparo.web.team.permissions. No page is cached; nothing typed is logged
(sensitive_post_parameters keeps passwords and codes out of error reports too).
"""

from __future__ import annotations

import re
import time
from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.casebook.errors import CasebookError
from amparo.web.casebook.access import book
from amparo.web.casebook.transfers import team_public_key
from amparo.web.team import accounts, passkeys
from amparo.web.team.audit import SECOND_FACTOR
from amparo.web.team.devices import device_hint
from amparo.web.team.forms import EnrolForm, InviteForm, LoginForm, PasswordChangeForm, RoleForm
from amparo.web.team.models import Member, Role, Session
from amparo.web.team.permissions import can, principal_for, role_of, sees_every_case
from amparo.web.team.sessions import DEVICE_KEY, STARTED_KEY, handle_for

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
HANDLE = re.compile(r"[0-9a-f]{32}")
PRINCIPAL = re.compile(r"p-[0-9a-f]{32}")


def wrong_code_text() -> str:
    """What a form says of an app's code that does not match (in the request's language)."""
    return _("This code is not the one your app shows now. Check the app and try again.")


def message(request: HttpRequest, title: str, text: str, status: int = 200) -> HttpResponse:
    return render(request, "team/message.html", {"title": title, "text": text}, status=status)


def member_required(
    permission: str = "team.use",
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous or not yet two-factor-verified: to the login page. Logged in without the permission: 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if role_of(user) is None:
                if user.is_authenticated:
                    logout(request)  # half a login (no second factor, disabled, no membership) is no login
                return redirect_to_login(request.path, reverse("team:login"))
            if not can(user, permission):
                return message(request, _("Not for your role"), _("Your role does not include this page."), status=403)
            return view(request, *args, **kwargs)

        return never_cache(wrapped)

    return decorator


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse("team:account")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer once a username and address have failed too often (the same for unknown usernames)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "team/locked.html", {"minutes": minutes}, status=429)


def locked_out_of_session(request: HttpRequest) -> HttpResponse | None:
    """After a password asked again (accounts.password_again): when it was wrong too often, the session ends and
    the lockout page answers; else None. A session that keeps failing its member's password is likely not theirs.
    """
    if not getattr(request, "axes_locked_out", False):
        return None
    logout(request)
    return locked_out(request)


def _second_factor(user: Any, code: str) -> Any:
    """The confirmed device (app or recovery codes) that accepts ``code``, else None."""
    code = accounts.normalise_code(code)
    if not code:
        return None
    # for_verify locks the devices' rows (two requests cannot spend one code), which needs a transaction
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


@never_cache
@sensitive_post_parameters("password", "code", "passkey")
def login_view(request: HttpRequest) -> HttpResponse:
    """One form for the three: which of username, password or second factor (a code or a passkey) was wrong is
    never said."""
    if role_of(request.user) is not None:
        return redirect("team:account")
    form = LoginForm(request.POST or None)
    failed = False
    if request.method == "POST":
        passkey_state = passkeys.take_login_state(request)  # the page's challenge works once, whatever follows
        if form.is_valid():
            data = form.cleaned_data
            user = authenticate(request, username=data["username"], password=data["password"])
            if getattr(request, "axes_locked_out", False):
                return locked_out(request)
            answer = request.POST.get("passkey", "")
            device = None
            if user is not None:
                device = (
                    passkeys.verify_login(request, user, answer, passkey_state)
                    if answer
                    else _second_factor(user, data["code"])
                )
            if user is not None and device is not None and Member.objects.filter(user=user).exists():
                setattr(request, SECOND_FACTOR, type(device).__name__)  # for the audit's login entry
                login(request, user)
                otp_login(request, device)
                request.session[STARTED_KEY] = time.time()
                request.session[DEVICE_KEY] = device_hint(request.headers.get("User-Agent", ""))
                return HttpResponseRedirect(_safe_next(request, request.POST.get("next")))
            if user is not None:  # the password was right but not the code: a failure like any other
                user_login_failed.send(sender=__name__, credentials={"username": data["username"]}, request=request)
                if getattr(request, "axes_locked_out", False):
                    return locked_out(request)
        failed = True
    return render(
        request,
        "team/login.html",
        {
            "form": LoginForm() if failed else form,
            "failed": failed,
            "next": request.GET.get("next", ""),
            "passkey_options": passkeys.login_options(request),
        },
        status=400 if failed else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("team:login")


def app_key(device: TOTPDevice) -> dict[str, str]:
    """What a page shows to add ``device`` to an authenticator app: its QR code, drawn here as inline SVG (no
    script, no request to another site), and its key as text in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return {
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff", border=4),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


@never_cache
@sensitive_post_parameters("new_password", "confirm", "code")
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a password and add Amparo to an authenticator app; the recovery codes are shown once."""
    refused = _(
        "This enrolment link is not valid: it was used already, it expired, or it was replaced. "
        "Ask your team's admin for a new one."
    )
    enrolment = accounts.open_enrolment(token) if TOKEN.fullmatch(token) else None
    if enrolment is None:
        return message(request, _("Enrolment link not valid"), refused, status=404)
    device = accounts.pending_device(enrolment.user)
    if device is None:
        return message(request, _("Enrolment link not valid"), refused, status=404)
    form = EnrolForm(request.POST or None, user=enrolment.user)
    wrong_code = False
    if request.method == "POST" and form.is_valid():
        codes = accounts.complete_enrolment(token, form.cleaned_data["new_password"], form.cleaned_data["code"])
        if codes is not None:
            return render(request, "team/enrolled.html", {"codes": codes, "username": enrolment.user.get_username()})
        if accounts.open_enrolment(token) is None:
            return message(request, _("Enrolment link not valid"), refused, status=404)
        wrong_code = True
        form.add_error("code", wrong_code_text())
    return render(
        request,
        "team/enrol.html",
        {"form": form, "username": enrolment.user.get_username(), "expires": enrolment.expires, **app_key(device)},
        status=400 if (form.errors or wrong_code) else 200,
    )


@member_required()
def account(request: HttpRequest) -> HttpResponse:
    """Who you are, your role, and your sessions (this one marked), each of which you can end."""
    now = timezone.now()
    current = handle_for(request.session.session_key or "")
    sessions = [
        {
            "handle": s.handle,
            "device": s.device,
            "started": s.started,
            "last_seen": s.last_seen,
            "current": s.handle == current,
        }
        for s in Session.objects.filter(user=request.user, expire_date__gt=now).order_by("-last_seen")
    ]
    member = request.user.member  # type: ignore[union-attr]
    factors = passkeys.second_factors(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "team/account.html",
        {
            "sessions": sessions,
            "role": Role(member.role).label,
            "username": request.user.get_username(),
            "factors": [{"device": d, "app": isinstance(d, TOTPDevice)} for d in factors],
            "has_app": any(isinstance(d, TOTPDevice) for d in factors),
            "passkeys_available": passkeys.available(),
            "last_factor": len(factors) <= 1,
            "public_key": team_public_key(),
        },
    )


@require_POST
@member_required()
def end_sessions(request: HttpRequest) -> HttpResponse:
    """End one session (its handle) or all others ("others"); ending this one is logging out."""
    target = request.POST.get("session", "")
    current = request.session.session_key or ""
    if target == "others":
        accounts.end_sessions(request.user, keep=current)  # type: ignore[arg-type]
    elif HANDLE.fullmatch(target):
        if target == handle_for(current):
            logout(request)
            return redirect("team:login")
        Session.objects.filter(user=request.user, handle=target).delete()
    return redirect("team:account")


@sensitive_post_parameters("current", "new_password", "confirm")
@member_required()
def password_change(request: HttpRequest) -> HttpResponse:
    """A new password ends every other session (a stolen one too); this one stays, under a new key."""
    form = PasswordChangeForm(request.POST or None, user=request.user, request=request)
    valid = request.method == "POST" and form.is_valid()
    if (locked := locked_out_of_session(request)) is not None:
        return locked
    if valid:
        user = request.user
        user.set_password(form.cleaned_data["new_password"])  # type: ignore[union-attr]
        user.save(update_fields=["password"])  # type: ignore[union-attr]
        update_session_auth_hash(request, user)  # type: ignore[arg-type]
        request.session.cycle_key()
        request.session.save()
        accounts.end_sessions(user, keep=request.session.session_key)  # type: ignore[arg-type]
        return message(request, _("Password changed"), _("Your password is changed. Every other session has ended."))
    return render(request, "team/password.html", {"form": form}, status=400 if form.errors else 200)


@sensitive_post_parameters("current")
@member_required()
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), after the current password."""
    form = PasswordChangeForm.base_fields["current"]
    error = ""
    if request.method == "POST":
        current = request.POST.get("current", "")[:1024]
        right = accounts.password_again(request, request.user, current)  # type: ignore[arg-type]
        if (locked := locked_out_of_session(request)) is not None:
            return locked
        if right:
            codes = accounts.new_recovery_codes(request.user)  # type: ignore[arg-type]
            return render(request, "team/recovery.html", {"codes": codes})
        error = _("This is not your current password.")
    return render(request, "team/recovery.html", {"field": form, "error": error}, status=400 if error else 200)


@member_required("team.list_members")
def members(request: HttpRequest) -> HttpResponse:
    """The team: each member's role and state; admins invite, change roles, disable and re-enrol."""
    form = InviteForm(request.POST or None)
    link = ""
    status = 200
    if request.method == "POST":
        if not can(request.user, "team.invite"):
            return message(request, _("Not for your role"), _("Your role does not include this page."), status=403)
        if form.is_valid():
            try:
                _user, token = accounts.add_member(form.cleaned_data["username"], form.cleaned_data["role"])
            except accounts.AccountError as exc:
                form.add_error("username", str(exc))
                status = 400
            else:
                link = accounts.enrolment_link(token, get_language() or "en")
                form = InviteForm()
        else:
            status = 400
    rows = [
        {
            "principal": m.principal,
            "username": m.user.get_username(),
            "role": m.role,
            "role_label": Role(m.role).label,
            "active": m.user.is_active,
            "enrolled": m.user.has_usable_password(),
        }
        for m in Member.objects.select_related("user").order_by("user__username")
    ]
    return render(
        request,
        "team/members.html",
        {
            "rows": rows,
            "form": form,
            "link": link,
            "roles": Role.choices,
            "can_manage": can(request.user, "team.change_role"),
        },
        status=status,
    )


@require_POST
@member_required("team.change_role")
def member_action(request: HttpRequest, principal: str) -> HttpResponse:
    """Change a role, disable or enable an account, or issue a new enrolment link (a fresh start)."""
    if not PRINCIPAL.fullmatch(principal):
        raise Http404
    member = Member.objects.select_related("user").filter(principal=principal).first()
    if member is None:
        raise Http404
    user = member.user
    action = request.POST.get("action", "")
    last_admin = member.role == Role.ADMIN and user.is_active and accounts.active_admins() <= 1
    if action == "role":
        form = RoleForm(request.POST)
        if not form.is_valid():
            return message(request, _("Role not changed"), _("Choose one of the roles."), status=400)
        if last_admin and form.cleaned_data["role"] != Role.ADMIN:
            return message(request, _("Role not changed"), _("The team needs at least one admin."), status=400)
        if sees_every_case(member.role) and not sees_every_case(form.cleaned_data["role"]):
            # From every case of the team to their own: the rows the role gave go first (audited), then the role.
            try:
                book().revoke_every_case(principal_for(request.user), member.principal)
            except CasebookError:
                text = _("The team casebook cannot be reached, so the cases this member sees could not be narrowed.")
                return message(request, _("Role not changed"), text, status=503)
        member.role = form.cleaned_data["role"]
        member.save(update_fields=["role"])
    elif action == "disable":
        if last_admin:
            return message(request, _("Account not disabled"), _("The team needs at least one admin."), status=400)
        user.is_active = False
        user.save(update_fields=["is_active"])
        accounts.end_sessions(user)
    elif action == "enable":
        user.is_active = True
        user.save(update_fields=["is_active"])
    elif action == "reenrol":
        if user.pk == request.user.pk:
            return message(request, _("No new link"), _("Another admin can give you a new link."), status=400)
        token = accounts.issue_enrolment(user)
        link = accounts.enrolment_link(token, get_language() or "en")
        return render(request, "team/link.html", {"username": user.get_username(), "link": link})
    else:
        return message(request, _("Nothing changed"), _("Choose one of the actions."), status=400)
    return redirect("team:members")
