"""Moving a case between a defender's casebook and the team, with their consent (docs/casebook.md, "Moving a case").

Out (:func:`move_out`, both modes): the consent is recorded in the case, then the case with all its
records comes back as a download, an age file sealed to the key given (locally: the team's public key;
from the team: the defender's key or a passphrase). Nothing unencrypted is written anywhere, and the
file's name is the transfer's random id, never the pseudonym. The case stays where it was: deleting it
is a separate step, the case page's own button.

In (:func:`import_case`): locally one step (the file, the key or passphrase that opens it, who received
it); in team mode two: the file is opened with the team's age identity (kept outside the database,
AMPARO_TEAM_AGE_IDENTITY_FILE) and shown (counts, the consent it carries) before the member confirms.
Between the two steps the file, still sealed, waits in the member's session; confirming opens and
checks it again. Who may import is the role rule ``case.import`` (amparo.web.team.permissions); the
importer becomes the case's owner. Uploads stay in memory and are bounded (:mod:`uploads`).
"""

from __future__ import annotations

import base64
import binascii

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.casebook import transfer
from amparo.casebook.errors import (
    CasebookError,
    ConsentMissing,
    InvalidAgeKey,
    TeamKeyError,
    TransferAlreadyImported,
    TransferDamaged,
    TransferInvalid,
    TransferKeyMismatch,
)
from amparo.casebook.transfer import Transfer, receipt
from amparo.web.casebook.access import book, calm, casebook_page, principal, require, team_mode
from amparo.web.casebook.transfer_forms import ImportForm, MoveOutForm, ReceiptForm, UploadForm
from amparo.web.casebook.uploads import announced_bytes, max_upload_bytes

PENDING = "casebook_pending_import"  # the session's sealed file between the preview and the confirmation


def _today():
    return timezone.now().date()


def team_identity() -> tuple[str, str]:
    """The team's age identity file's text and public key; :class:`TeamKeyError` when it is missing or bad."""
    from amparo.casebook.team.keys import ENV_AGE_FILE, age_identity_path, read_age_identity_file

    path = age_identity_path()
    if path is None:
        raise TeamKeyError(f"{ENV_AGE_FILE} is not set: the team has no age key for case transfers.")
    return read_age_identity_file(path)


def team_public_key() -> str | None:
    """The team's age public key (age1…) to give to a defender; None when the server has none."""
    try:
        return team_identity()[1]
    except TeamKeyError:
        return None


@casebook_page
def move_out(request: HttpRequest, case_id: str) -> HttpResponse:
    who = principal(request)
    case = book().get(who, "case", case_id)  # out of scope: 404 before anything else
    require(request, "case.export")
    team = team_mode()
    form = MoveOutForm(request.POST or None, team=team, initial={"given_on": _today()})
    if request.method == "POST" and form.is_valid():
        purpose = "move-to-casebook" if team else "move-to-team"
        consent = form.record(case_id=case.id, purpose=purpose, transfer_id=transfer.new_transfer_id())
        moved = book().move_out(who, case.id, consent)  # a reader's role: ReadOnlyAccess, a calm 403
        sealed = transfer.seal(moved, **form.sealed_to())
        response = HttpResponse(sealed, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="case-{moved.id[:12]}.age"'
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "casebook/move_out.html", {"form": form, "case": case, "team": team}, status=status)


def _too_large(request: HttpRequest) -> bool:
    """An upload announced larger than a transfer file can be (with its form's few fields) is not read."""
    return announced_bytes(request) > min(max_upload_bytes(), transfer.MAX_SEALED_BYTES + 64 * 1024)


def transfer_message(exc: CasebookError) -> str:
    """A transfer's failure in the page's language (the core's sentences are English, for the CLI)."""
    if isinstance(exc, TransferAlreadyImported):
        return _("This case has been imported here already (or was moved out from here): nothing was imported again.")
    if isinstance(exc, TransferKeyMismatch):
        return _("This key or passphrase does not open this file: nothing was imported.")
    if isinstance(exc, TransferDamaged):
        return _("The file is damaged (cut short or changed): nothing was imported.")
    if isinstance(exc, ConsentMissing):
        return _("The file records no consent for this move: nothing was imported.")
    if isinstance(exc, InvalidAgeKey):
        return _("This is not an age secret key: it starts with AGE-SECRET-KEY-1.")
    if isinstance(exc, TransferInvalid):
        return _("This file is not a case transfer that Amparo can read: nothing was imported.")
    return _("The case could not be imported: nothing was imported.")


def _calm_failures(exc: CasebookError) -> bool:
    """The failures a form shows beside the file (the rest, a busy machine or database, go to the calm page)."""
    return isinstance(exc, (TransferInvalid, TransferAlreadyImported, InvalidAgeKey))


@casebook_page
def import_case(request: HttpRequest) -> HttpResponse:
    require(request, "case.import")
    if _too_large(request):
        message = _("This file is larger than the site accepts; import it with the command line.")
        return calm(request, message, 413)
    return _team_import(request) if team_mode() else _local_import(request)


def _local_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = transfer.open_sealed(
                data["archive"].read(), identity=data["identity"] or None, passphrase=data["passphrase"] or ""
            )
            case = book().import_case(principal(request), moved, receipt(data["received_by"], "defender", _today()))
        except CasebookError as exc:
            if not _calm_failures(exc):
                raise
            form.add_error("archive", transfer_message(exc))
        else:
            return _imported(request, case.id, moved)
    status = 400 if request.method == "POST" else 200
    return render(request, "casebook/import.html", {"form": form}, status=status)


def _team_import(request: HttpRequest) -> HttpResponse:
    identity, public_key = team_identity()  # missing: a calm page that says to tell the admin
    context: dict = {"public_key": public_key}
    if request.method != "POST":
        request.session.pop(PENDING, None)  # a preview left (or cancelled): its file does not wait any longer
    elif request.POST.get("step") == "confirm":
        return _confirm(request, identity, context)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sealed = form.cleaned_data["archive"].read()
        try:
            moved = transfer.open_sealed(sealed, identity=identity)
        except CasebookError as exc:
            if not _calm_failures(exc):
                raise
            form.add_error("archive", transfer_message(exc))
        else:
            request.session[PENDING] = base64.b64encode(sealed).decode("ascii")
            initial = {"received_by": request.user.get_username()}
            return _preview(request, moved, ReceiptForm(initial=initial), context)
    status = 400 if request.method == "POST" else 200
    return render(request, "casebook/import.html", {"form": form, **context}, status=status)


def _preview(
    request: HttpRequest, moved: Transfer, form: ReceiptForm, context: dict, status: int = 200
) -> HttpResponse:
    context = {**context, "moved": moved, "form": form, "counts": moved.counts(), "consent": moved.consent}
    return render(request, "casebook/import_preview.html", context, status=status)


def _confirm(request: HttpRequest, identity: str, context: dict) -> HttpResponse:
    try:
        sealed = base64.b64decode(str(request.session.get(PENDING, "")), validate=True)
    except (binascii.Error, ValueError):
        sealed = b""
    if not sealed:
        return calm(request, _("Nothing is waiting to be imported: upload the file again."), 400)
    try:
        moved = transfer.open_sealed(sealed, identity=identity)
        form = ReceiptForm(request.POST)
        if not form.is_valid():
            return _preview(request, moved, form, context, status=400)
        by = form.cleaned_data["received_by"]
        case = book().import_case(principal(request), moved, receipt(by, "officer", _today()))
    except CasebookError as exc:
        if not _calm_failures(exc):
            raise
        request.session.pop(PENDING, None)
        return calm(request, transfer_message(exc), 400)
    request.session.pop(PENDING, None)
    return _imported(request, case.id, moved)


def _imported(request: HttpRequest, case_id: str, moved: Transfer) -> HttpResponse:
    context = {"case_id": case_id, "counts": moved.counts(), "consent": moved.consent, "moved": moved}
    return render(request, "casebook/imported.html", context)
