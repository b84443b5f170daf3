"""Creating, unlocking, locking and wiping the casebook: the pages in front of the boundary.

Lock, wipe and logout only by POST with a CSRF token. In team mode there is no vault: these pages
answer 404, and locking is logging out of the team (:func:`lock`). A wrong passphrase is a
calm message with the wait before the next try; the passphrase never reaches
a log, an error report (``sensitive_post_parameters``) or a page.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amparo.casebook import CasebookExists, Lane, UnlockDelayed, WeakPassphrase, WrongPassphrase
from amparo.web.casebook import runtime
from amparo.web.casebook.access import (
    casebook_page,
    describe,
    end_session,
    lane,
    local_only,
    private,
    session_is_current,
    start_session,
    wait_message,
)
from amparo.web.casebook.vault_forms import ChangePassphraseForm, SetupForm, UnlockForm, WipeForm


@local_only
@private
def setup(request: HttpRequest) -> HttpResponse:
    """First run: choose the passphrase. Only while no casebook exists."""
    if runtime.vault().exists:
        return redirect("casebook:unlock")
    form = SetupForm(request.POST or None, setup_token=runtime.setup_token_required())
    if request.method == "POST" and form.is_valid():
        try:
            runtime.vault().create(form.cleaned_data["passphrase"])
        except WeakPassphrase as exc:
            form.add_error("passphrase", describe(exc))
        except CasebookExists:
            return redirect("casebook:unlock")
        else:
            runtime.use_setup_token()
            start_session(request)
            return redirect("casebook:dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "casebook/setup.html", {"form": form}, status=status)


@local_only
@private
def unlock(request: HttpRequest) -> HttpResponse:
    vault = runtime.vault()
    if not vault.exists:
        return redirect("casebook:setup")
    if session_is_current(request):
        return redirect("casebook:dashboard")
    form = UnlockForm(request.POST or None)
    status, retry_after = 200, 0.0
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                # Never locks: if the casebook is open (for another session), the passphrase is only checked.
                vault.unlock(form.cleaned_data["passphrase"], lane(request))
            except UnlockDelayed as exc:
                form.add_error("passphrase", describe(exc))
                status, retry_after = 429, exc.retry_after
            except WrongPassphrase as exc:
                message = describe(exc)
                if exc.retry_after:
                    message += " " + wait_message(exc.retry_after)
                form.add_error("passphrase", message)
                status = 403
            else:
                start_session(request)
                return redirect("casebook:dashboard")
    context = {"form": form, "idle_minutes": round(vault.idle_seconds / 60)}
    response = render(request, "casebook/unlock.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(max(1, round(retry_after)))
    return response


@require_POST
@private
def lock(request: HttpRequest) -> HttpResponse:
    """Lock now: zero the key, end every session. Works even from an expired session (locking never hurts).

    In team mode the key stays with the server: locking is logging out of this session.
    """
    if runtime.team_mode():
        logout(request)
        return redirect("team:login")
    end_session(request)
    return render(request, "casebook/locked.html")


@local_only
@casebook_page
def change_passphrase(request: HttpRequest) -> HttpResponse:
    """The current passphrase is checked first without locking, so a typo does not lock the casebook."""
    form = ChangePassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vault = runtime.vault()
        try:
            vault.verify_passphrase(form.cleaned_data["current"], Lane.OWNER)
            vault.change_passphrase(form.cleaned_data["current"], form.cleaned_data["passphrase"], Lane.OWNER)
        except WrongPassphrase as exc:  # UnlockDelayed included: describe() says how long to wait
            form.add_error("current", describe(exc))
        except WeakPassphrase as exc:
            form.add_error("passphrase", describe(exc))
        else:
            return render(request, "casebook/passphrase_changed.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "casebook/passphrase.html", {"form": form}, status=status)


@local_only
@casebook_page
def wipe(request: HttpRequest) -> HttpResponse:
    form = WipeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        end_session(request)
        runtime.vault().wipe(form.cleaned_data["confirm"])
        return render(request, "casebook/wiped.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "casebook/wipe.html", {"form": form}, status=status)
