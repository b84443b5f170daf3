"""The account's second factors: add a passkey or security key, set up the app again after removing it, remove
one (or the app) but never the last.

Adding asks for the password again (an open session alone must not be enough to give someone a lasting
way in); removing does not, and is refused when it would leave the account with neither app nor passkey.
Setting the app up again asks for the password and a code from the new app; the page shows a new key at each
visit, so a key someone else saw is never the one confirmed. All are audited (amparo.web.team.audit). The
passkey pages need JavaScript, WebAuthn has no other way; the app (TOTP) remains the way in without it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from amparo.web.team import accounts, passkeys
from amparo.web.team.audit import acting
from amparo.web.team.forms import AppForm, PasskeyForm
from amparo.web.team.views import app_key, locked_out_of_session, member_required, message, wrong_code_text


@sensitive_post_parameters("current", "passkey")
@member_required()
@acting
def add_passkey(request: HttpRequest) -> HttpResponse:
    if not passkeys.available():
        return message(
            request,
            _("Passkeys are not available here"),
            _("Passkeys work only when this server is reached at an https:// address with a name (ask your admin)."),
            status=404,
        )
    form = PasskeyForm(request.POST or None, user=request.user, request=request)
    refused = ""
    valid = request.method == "POST" and form.is_valid()
    if (locked := locked_out_of_session(request)) is not None:
        return locked
    if valid:
        device = passkeys.register(
            request,
            request.user,
            request.POST.get("passkey", ""),
            form.cleaned_data["name"],  # type: ignore[arg-type]
        )
        if device is not None:
            return redirect("team:account")
        refused = _("The passkey was not added: your browser's answer did not arrive or was refused. Try again.")
    options = passkeys.registration_options(request, request.user)  # type: ignore[arg-type]
    return render(
        request,
        "team/passkey_add.html",
        {"form": form, "options": options, "refused": refused},
        status=400 if (form.errors or refused) else 200,
    )


@sensitive_post_parameters("current", "code")
@member_required()
@acting
def add_app(request: HttpRequest) -> HttpResponse:
    """An authenticator app for a member who has none (they removed it and kept a passkey)."""
    user = request.user
    if accounts.has_app(user):  # type: ignore[arg-type]
        return message(
            request,
            _("You have an authenticator app"),
            _("One app at a time: remove the one you have first, on your account page, to set up another."),
            status=400,
        )
    form = AppForm(request.POST or None, user=user, request=request)
    device = None
    if request.method == "POST":
        device = accounts.pending_device(user)  # type: ignore[arg-type]
        valid = device is not None and form.is_valid()
        if (locked := locked_out_of_session(request)) is not None:
            return locked
        if valid:
            if accounts.confirm_app(user, form.cleaned_data["code"]):  # type: ignore[arg-type]
                return redirect("team:account")
            form.add_error("code", wrong_code_text())
    if device is None:
        device = accounts.new_app(user)  # type: ignore[arg-type]
    return render(request, "team/app_add.html", {"form": form, **app_key(device)}, status=400 if form.errors else 200)


@require_POST
@member_required()
@acting
def remove_factor(request: HttpRequest) -> HttpResponse:
    removed = passkeys.remove_factor(request.user, request.POST.get("device", "")[:200])  # type: ignore[arg-type]
    if removed is None:
        raise Http404
    if not removed:
        return message(
            request,
            _("Not removed"),
            _("This is your last app or passkey: add another one first, so that you can still log in."),
            status=400,
        )
    return redirect("team:account")
