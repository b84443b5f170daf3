"""Backing up and restoring the casebook from the site: an age archive downloaded, or uploaded back.

The archive is built and read in memory (uploads use only the in-memory
handler, see settings), so neither the backup nor the upload is ever written
to a temporary file. Restoring checks the whole archive and opens the
casebook inside it before anything is replaced; afterwards the casebook is
locked and opens with the backup's passphrase. Both are the local vault's (404 in team mode: the
team's database is backed up by its operator, docs/team.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.casebook import CasebookError, CasebookExists, WrongPassphrase
from amparo.casebook.backup import backup_bytes, restore_backup
from amparo.web.casebook import runtime
from amparo.web.casebook.access import casebook_page, describe, end_session, local_only, private, session_is_current
from amparo.web.casebook.uploads import announced_bytes, max_upload_bytes
from amparo.web.casebook.vault_forms import BackupForm, RestoreForm


@local_only
@casebook_page
def backup(request: HttpRequest) -> HttpResponse:
    """The casebook passphrase is asked again: someone at an unlocked screen cannot take a copy away."""
    form = BackupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passphrase = form.cleaned_data["passphrase"]
        vault = runtime.vault()
        try:
            vault.verify_passphrase(passphrase)
        except WrongPassphrase as exc:  # UnlockDelayed included: describe() says how long to wait
            form.add_error("passphrase", describe(exc))
        else:
            sealed = backup_bytes(vault, passphrase=passphrase)
            response = HttpResponse(sealed, content_type="application/octet-stream")
            stamp = timezone.now().strftime("%Y%m%d-%H%M")
            response["Content-Disposition"] = f'attachment; filename="amparo-casebook-{stamp}.age"'
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "casebook/backup.html", {"form": form}, status=status)


@local_only
@private
def restore(request: HttpRequest) -> HttpResponse:
    """Open to a new machine (no casebook yet) or to the session of the current unlock, nobody else."""
    vault = runtime.vault()
    exists = vault.exists
    if exists and not session_is_current(request):
        return redirect("casebook:unlock")
    if announced_bytes(request) > max_upload_bytes():
        message = _("This file is larger than the site accepts; restore it with the command amparo restore.")
        return render(request, "casebook/message.html", {"message": message}, status=413)
    form = RestoreForm(
        request.POST or None, request.FILES or None, setup_token=not exists and runtime.setup_token_required()
    )
    if request.method == "POST" and form.is_valid():
        if exists and not form.cleaned_data["replace"]:
            form.add_error("replace", _("Tick this box to replace the casebook on this computer."))
        else:
            try:
                restore_backup(
                    vault.directory,
                    form.cleaned_data["archive"].read(),
                    passphrase=form.cleaned_data["passphrase"],
                    replace=exists,
                    vault=vault,
                )
            except CasebookExists:
                form.add_error("replace", _("Tick this box to replace the casebook on this computer."))
            except CasebookError as exc:
                form.add_error("archive", describe(exc))
            else:
                if not exists:
                    runtime.use_setup_token()
                end_session(request)
                return render(request, "casebook/restored.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "casebook/restore.html", {"form": form, "exists": exists}, status=status)
