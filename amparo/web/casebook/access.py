"""Who may see a casebook page: unlocking is the login (local mode).

The boundary, in one decorator (:func:`casebook_page`): a page renders only
for a browser session that logged in through the unlock that is current
(:mod:`runtime` epoch), while the vault is unlocked. Anything else is sent to
the setup or unlock page. Every casebook response is ``no-store`` and carries
no form values into error reports; casebook errors become calm pages, never
a 500.

In local mode there is one principal, ``local``, and no account: nothing
about who unlocked when is stored anywhere but in this process's memory (no
user row, no ``last_login``; the site database is not even a file). Every
unlock or creation starts a brand-new session (a new session id) and ends
every session issued before it, however the casebook was locked before; a
copied cookie from an earlier unlock opens nothing.

The browser that last unlocked is remembered (a random token in a browser
session cookie, its digest in memory) so that its passphrase attempts use the
owner's lane of the unlock delay: strangers failing on purpose cannot keep
the owner out (:mod:`amparo.casebook.throttle`, docs/casebook.md).

Team mode (``AMPARO_MODE=team``) keeps the same views behind one seam, here: :func:`book`
is the team's shared casebook, :func:`principal` the member's principal, and the gate of
:func:`casebook_page` is the team login with a verified second factor instead of the unlock.
What a member may do is asked of the role rules (:func:`require`, amparo.web.team.permissions);
which cases they see is the casebook's access table, checked by every repository call. The
order is always the same: a record out of the member's scope is a 404 whatever the action, and
only then does the role decide (a calm 403). Local-only pages (:func:`local_only`) answer 404 there.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import secrets
from collections.abc import Callable
from functools import wraps

import sqlcipher3
from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from amparo.casebook import (
    CasebookBusy,
    CasebookDamaged,
    CasebookError,
    CasebookLocked,
    Lane,
    UnlockDelayed,
    UnsupportedSQLCipher,
    WeakPassphrase,
    WrongPassphrase,
)
from amparo.casebook.errors import (
    BackupDamaged,
    BackupInvalid,
    BackupKeyMismatch,
    StorageError,
    TeamKeyError,
    TeamSchemaMismatch,
    TeamStoreUnavailable,
)
from amparo.casebook.permissions import LOCAL_PRINCIPAL, ReadOnlyAccess, RecordNotFound
from amparo.casebook.repository import Casebook
from amparo.web.casebook import runtime

EPOCH_KEY = "casebook_epoch"
OWNER_COOKIE = "amparo_owner"
_NEW_OWNER_TOKEN = "_amparo_owner_token"  # noqa: S105 (a request attribute name): the cookie private() sets
log = logging.getLogger("amparo.casebook")
# The casebook's permissions (amparo.web.team.permissions decides them in team mode; locally all are the owner's).
CASE_PERMISSIONS = (
    "case.view", "case.all", "case.create", "case.change", "case.assign", "case.delete", "case.export", "case.import",
)  # fmt: skip
RETRY_SECONDS = 10  # how soon to try again when the team's database cannot be reached


class NotAllowed(Exception):
    """The member's role does not include this action (a calm 403, the same for every record in scope)."""


def _end_all_sessions() -> None:
    """Every casebook session of this process, gone (sessions live only in their own memory cache)."""
    caches[settings.SESSION_CACHE_ALIAS].clear()


def start_session(request: HttpRequest) -> None:
    """After create or unlock: a new session id, and every session issued before it ended.

    Why not Django's ``login()``: it keeps the session id when the session already
    belongs to the same user (as after an idle auto-lock), so a copy of the old
    cookie would open the casebook again; and it writes the user's ``last_login``.
    """
    _end_all_sessions()
    request.session.flush()  # a fresh, empty session under a new key
    request.session[EPOCH_KEY] = runtime.new_epoch()
    token = secrets.token_urlsafe(24)
    runtime.remember_owner(_digest(token))
    setattr(request, _NEW_OWNER_TOKEN, token)


def end_session(request: HttpRequest) -> None:
    runtime.vault().lock()
    runtime.forget_epoch()
    _end_all_sessions()
    request.session.flush()


def session_is_current(request: HttpRequest) -> bool:
    return runtime.available() and runtime.vault().is_unlocked and runtime.epoch_matches(request.session.get(EPOCH_KEY))


def lane(request: HttpRequest) -> Lane:
    """The owner's lane for the browser that last unlocked (see the module docstring), else the open one."""
    token = request.COOKIES.get(OWNER_COOKIE, "")
    return Lane.OWNER if token and runtime.is_owner(_digest(token)) else Lane.OPEN


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def team_mode() -> bool:
    return runtime.team_mode()


def principal(request: HttpRequest) -> str:
    """Who acts, as the casebook names them: the member's principal in team mode, ``local`` locally."""
    if runtime.team_mode():
        from amparo.web.team.permissions import principal_for

        return principal_for(request.user)
    return LOCAL_PRINCIPAL


def book() -> Casebook:
    """The casebook this process serves: the team's shared store, or the local vault."""
    return runtime.team_casebook() if runtime.team_mode() else runtime.casebook()


def allowed(request: HttpRequest, permission: str) -> bool:
    """Whether the person at this request may do ``permission`` (see :data:`CASE_PERMISSIONS`).

    Team mode asks the role rules; locally the one person who unlocked may do everything.
    """
    if permission not in CASE_PERMISSIONS:
        raise KeyError(permission)
    if not runtime.team_mode():
        return True
    from amparo.web.team.permissions import can

    return can(request.user, permission)


def require(request: HttpRequest, permission: str) -> None:
    """:class:`NotAllowed` unless :func:`allowed`: call it once the record is known to be in scope."""
    if not allowed(request, permission):
        raise NotAllowed()


def local_only(view: Callable) -> Callable:
    """A page of the local vault only (unlock, setup, passphrase, wipe, backup, restore): 404 in team mode."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if runtime.team_mode():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _team_gate(request: HttpRequest) -> HttpResponse | None:
    """Team mode's door: a logged-in, active, two-factor-verified member; else to the team login.

    A member whose role sees every case of the team gets an editor's row on any case they lack one in
    (cases created since their last page), so the casebook's own queries show them all.
    """
    from django.contrib.auth import logout
    from django.contrib.auth.views import redirect_to_login

    from amparo.web.team.permissions import role_of

    if role_of(request.user) is None:
        if request.user.is_authenticated:
            logout(request)  # half a login (no second factor, disabled, no membership) is no login
        return redirect_to_login(request.path, reverse("team:login"))
    if allowed(request, "case.all"):
        who = principal(request)
        book().grant_every_case(who, who)
    return None


def private(view: Callable) -> Callable:
    """Headers and error handling every casebook page has, locked or not."""

    @sensitive_post_parameters()
    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        reason = runtime.unavailable_reason()
        if reason is not None:
            response = calm(request, off_message(reason), 503)
        else:
            try:
                response = view(request, *args, **kwargs)
            except CasebookLocked:
                response = redirect("casebook:unlock") if not runtime.team_mode() else redirect("team:login")
            except RecordNotFound:
                response = calm(request, _("This record does not exist, or it is not yours to see."), 404)
            except (NotAllowed, ReadOnlyAccess):
                response = calm(request, _("Your role does not include this action."), 403)
            except WrongPassphrase as exc:  # the forms handle these; should one escape, still a calm page
                response = calm(request, describe(exc), 403)
            except CasebookError as exc:
                response = calm(request, describe(exc), 503)
                if isinstance(exc, CasebookBusy):
                    response["Retry-After"] = str(max(1, round(exc.retry_after)))
                elif isinstance(exc, TeamStoreUnavailable):
                    response["Retry-After"] = str(RETRY_SECONDS)
            except (sqlcipher3.OperationalError, OSError) as exc:
                response = calm(request, storage_message(exc), 503)
            except Exception as exc:  # the team database's other errors: a calm page, the class only in the log
                if not type(exc).__module__.startswith("psycopg"):
                    raise
                log.error("team casebook database error: %s", type(exc).__name__)
                response = calm(request, _("The casebook could not complete this action."), 503)
        token = getattr(request, _NEW_OWNER_TOKEN, None)
        if token:
            # A browser-session cookie (no expiry, nothing kept after the browser closes), sent only back to us.
            response.set_cookie(OWNER_COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure())
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"  # see web/casebook/base.html: CSRF needs a real Origin
        return response

    return wrapper


def casebook_page(view: Callable) -> Callable:
    """A page of the unlocked casebook: only for the session of the current unlock."""

    @private
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if runtime.team_mode():
            refused = _team_gate(request)
            return refused if refused is not None else view(request, *args, **kwargs)
        if not runtime.vault().exists:
            return redirect("casebook:setup")
        if not session_is_current(request):
            return redirect("casebook:unlock")
        return view(request, *args, **kwargs)

    return wrapper


def off_message(reason: str) -> str:
    if reason == runtime.OFF_NETWORK:
        return _(
            "The casebook is switched off: the site is served on a network address. "
            "Serve it on this computer only (127.0.0.1), or start it with --casebook-on-network."
        )
    return _("The casebook is switched off: the site is served by several processes.")


def describe(exc: CasebookError) -> str:
    """A casebook error in the page's language (the core's own messages are English, for logs and the CLI)."""
    if isinstance(exc, CasebookBusy):
        return _("Another passphrase is being checked right now.") + " " + wait_message(exc.retry_after)
    if isinstance(exc, UnlockDelayed):
        return _("Too many wrong passphrases.") + " " + wait_message(exc.retry_after)
    if isinstance(exc, WrongPassphrase):
        return _("That passphrase does not open this casebook.")
    if isinstance(exc, StorageError):
        return storage_message(exc)
    messages = [
        (
            TeamStoreUnavailable,
            _("The team's database cannot be reached right now: nothing was changed. Try again in a moment."),
        ),
        (
            TeamKeyError,
            _("The team casebook cannot be opened on this server: its key file is missing or wrong. Tell your admin."),
        ),
        (
            TeamSchemaMismatch,
            _("The team's database was made by a newer Amparo: the casebook stays closed until the server is updated."),
        ),
        (BackupKeyMismatch, _("This passphrase does not open this backup.")),
        (BackupDamaged, _("The backup is damaged; nothing was restored.")),
        (BackupInvalid, _("This file is not an Amparo backup; nothing was restored.")),
        (WeakPassphrase, _("Use a passphrase of 12 to 1,024 characters, without tabs or line breaks.")),
        (CasebookDamaged, _("The casebook is damaged and cannot be opened. Restore it from a backup.")),
        (UnsupportedSQLCipher, _("The encryption library on this computer is too old: the casebook stays closed.")),
    ]
    for kind, message in messages:
        if isinstance(exc, kind):
            return message
    return _("The casebook could not complete this action.")


def wait_message(seconds: float) -> str:
    whole = max(1, round(seconds))
    return ngettext(
        "Wait %(count)d second before trying again.", "Wait %(count)d seconds before trying again.", whole
    ) % {"count": whole}


def storage_message(exc: Exception) -> str:
    """The disk's problem in plain words; what was already saved is safe (the write was rolled back)."""
    text = str(exc).lower()
    if getattr(exc, "errno", None) == errno.ENOSPC or "full" in text:
        return _("The disk is full: this change was not saved. Everything saved before is safe.")
    if getattr(exc, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text:
        return _(
            "The casebook folder cannot be written to: this change was not saved. Everything saved before is safe."
        )
    log.error("casebook storage error: %s", type(exc).__name__)  # the class only: messages may quote content
    return _("The casebook could not be read or written: this change was not saved.")


def unreachable(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the team's database cannot be reached (down, restarting, the connection cut).

    Django's own queries (sessions, accounts) raise its OperationalError or InterfaceError; the
    casebook's, :class:`TeamStoreUnavailable`; psycopg's own error, should one escape.
    """
    from django.db import InterfaceError, OperationalError

    if isinstance(exc, OperationalError | InterfaceError | TeamStoreUnavailable):
        return True
    return type(exc).__module__.startswith("psycopg") and type(exc).__name__ in ("OperationalError", "InterfaceError")


def unreachable_page(request: HttpRequest, exc: BaseException | None) -> HttpResponse | None:
    """Team mode's answer to a request its database could not serve: a 503 saying so, and that nothing
    was saved, in the page's language; never a 500 or a detail of the error. None for any other error.

    For the errors that escape the views (handler500): the session and the login are read from the
    database before any view runs. The page itself reads nothing from it.
    """
    if not runtime.team_mode() or not unreachable(exc):
        return None
    response = calm(request, describe(TeamStoreUnavailable()), 503)
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def calm(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "casebook/message.html", {"message": message}, status=status)
