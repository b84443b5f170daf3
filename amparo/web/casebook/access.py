"""Who may see a casebook page: unlocking is the login (local mode).

The boundary, in one decorator (:func:`casebook_page`): a page renders only
for a browser session that logged in through the unlock that is current
(:mod:`runtime` epoch), while the vault is unlocked. Anything else is sent to
the setup or unlock page. Every casebook response is ``no-store`` and carries
no form values into error reports; casebook errors become calm pages, never
a 500.

Django's auth provides the account and the session (with the Argon2 hasher
configured for the accounts of the later server mode). In local mode there is
one account, ``local``, with no password of its own: :class:`VaultBackend`
logs it in when the casebook passphrase unlocks the vault.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from functools import wraps

import sqlcipher3
from django.contrib.auth import get_user_model, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from amparo.casebook import (
    CasebookDamaged,
    CasebookError,
    CasebookLocked,
    UnlockDelayed,
    UnsupportedSQLCipher,
    WeakPassphrase,
    WrongPassphrase,
)
from amparo.casebook.errors import BackupDamaged, BackupInvalid, BackupKeyMismatch, StorageError
from amparo.casebook.repository import LOCAL_PRINCIPAL, Casebook, RecordNotFound
from amparo.web.casebook import runtime

EPOCH_KEY = "casebook_epoch"
log = logging.getLogger("amparo.casebook")


class VaultBackend:
    """Authenticates the local account by unlocking the casebook with the passphrase."""

    def authenticate(self, request: HttpRequest | None, passphrase: str | None = None, **kwargs):
        if passphrase is None:
            return None
        runtime.vault().unlock(passphrase)  # raises WrongPassphrase / UnlockDelayed: the view explains
        return local_user()

    def get_user(self, user_id: int):
        return get_user_model().objects.filter(pk=user_id, username=LOCAL_PRINCIPAL).first()


def local_user():
    user, created = get_user_model().objects.get_or_create(username=LOCAL_PRINCIPAL)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def start_session(request: HttpRequest) -> None:
    """After create or unlock: a new session (fresh key, no fixation) bound to this unlock."""
    login(request, local_user(), backend="amparo.web.casebook.access.VaultBackend")
    request.session[EPOCH_KEY] = runtime.new_epoch()


def end_session(request: HttpRequest) -> None:
    runtime.vault().lock()
    runtime.forget_epoch()
    logout(request)


def session_is_current(request: HttpRequest) -> bool:
    return (
        runtime.available()
        and runtime.vault().is_unlocked
        and request.user.is_authenticated
        and runtime.epoch_matches(request.session.get(EPOCH_KEY))
    )


def principal(request: HttpRequest) -> str:
    return request.user.get_username()


def book() -> Casebook:
    return runtime.casebook()


def private(view: Callable) -> Callable:
    """Headers and error handling every casebook page has, locked or not."""

    @sensitive_post_parameters()
    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not runtime.available():
            response = calm(request, _("The casebook is switched off: the site is served by several processes."), 503)
        else:
            try:
                response = view(request, *args, **kwargs)
            except CasebookLocked:
                response = redirect("casebook-unlock")
            except RecordNotFound:
                response = calm(request, _("This record does not exist, or it is not yours to see."), 404)
            except WrongPassphrase as exc:  # the forms handle these; should one escape, still a calm page
                response = calm(request, describe(exc), 403)
            except CasebookError as exc:
                response = calm(request, describe(exc), 503)
            except (sqlcipher3.OperationalError, OSError) as exc:
                response = calm(request, storage_message(exc), 503)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"  # see web/casebook/base.html: CSRF needs a real Origin
        return response

    return wrapper


def casebook_page(view: Callable) -> Callable:
    """A page of the unlocked casebook: only for the session of the current unlock."""

    @private
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not runtime.vault().exists:
            return redirect("casebook-setup")
        if not session_is_current(request):
            return redirect("casebook-unlock")
        return view(request, *args, **kwargs)

    return wrapper


def describe(exc: CasebookError) -> str:
    """A casebook error in the page's language (the core's own messages are English, for logs and the CLI)."""
    if isinstance(exc, UnlockDelayed):
        return _("Too many wrong passphrases.") + " " + wait_message(exc.retry_after)
    if isinstance(exc, WrongPassphrase):
        return _("That passphrase does not open this casebook.")
    if isinstance(exc, StorageError):
        return storage_message(exc)
    messages = [
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


def calm(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "web/casebook/message.html", {"message": message}, status=status)
