"""Request letters on the site and the API: from a plan to a letter a defender downloads. Nothing is stored or logged.

The plan page carries a short form: the situation (as hidden fields) and the mission to
write to. It POSTs to the letter page, whose whole form adds the writer's details and the
facts they choose to tell (kept off the plan page, which must stay within its 14 KB);
the view rebuilds the plan, writes the letter to the chosen issuer or mission and
returns it as a download. The letter's language is chosen on the letter page (by default the
page's): a defender may read the site in one language and write to a mission in another.
Like the navigator, it reads the POST body only, touches no database, sets no cookie and
answers ``Cache-Control: no-store``.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from amparo.documents.letter.compose import build_letter
from amparo.documents.letter.from_plan import (
    letter_from_plan,
    plan_recipients,
    plan_support_types,
    request_from_plan,
)
from amparo.documents.letter.render import FORMATS, letter_data, render_letter
from amparo.documents.letter.request import LANGUAGES, LetterError, parse_letter_request
from amparo.guidelines import get_dataset
from amparo.labels import FORM_ERRORS, LETTER_FIELD_LABELS
from amparo.navigator import Plan, SituationError, get_rules, make_plan, parse_situation
from amparo.web.api import error
from amparo.web.navigator import _situation_from_post
from amparo.web.templatetags.amparo import word

TEXT_FIELDS = ("sender", "organisation", "contact", "confidential", "follow_up")
# Facts the defender may choose to tell the mission; the country is the situation's ("where", as the
# situation's own hidden field is already called "country").
FACT_FIELDS = ("court", "hearing_date", "detention_place", "facts")
FORM_FIELDS = ("recipient", "language", *TEXT_FIELDS, "where", *FACT_FIELDS, "public_consent", "format")
# Where a problem found in the letter request is shown on the form.
FORM_FIELD_OF = {"issuer": "recipient", "mission": "recipient", "country": "where"}


def _recipient(value: str, plan: Plan) -> tuple[str | None, str | None]:
    """``(issuer id, mission id)`` for the form's choice: an issuer a letter may go to, or one of its missions."""
    for presence in plan_recipients(plan, get_dataset()):
        if value == presence.issuer.id:
            return presence.issuer.id, None
        for mission in presence.missions:
            if value == mission.id:
                return presence.issuer.id, mission.id
    return None, None


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'  # the name holds nothing a person typed
    return response


def _form_page(
    request: HttpRequest, plan: Plan | None, values: dict, errors: dict[str, str], status: int = 400
) -> HttpResponse:
    problems = [(name, word(LETTER_FIELD_LABELS, name), message) for name, message in errors.items()]
    context = {
        "plan": plan,
        "situation": plan.situation if plan else None,
        "values": values,
        "errors": errors,
        "problems": problems,
        # Each language a letter may be written in, by its own name (as the site's language menu names it).
        "letter_languages": [(code, name) for code, name in settings.LANGUAGES if code in LANGUAGES],
    }
    return render(request, "web/letter.html", context, status=status)


# A cross-site POST could only make a browser download a letter the other site cannot read,
# so there is nothing for a CSRF token to protect, and no cookie is needed to carry one.
@csrf_exempt
@sensitive_post_parameters()  # should an error ever be reported, it carries none of the answers
@never_cache
@require_POST
def letter(request: HttpRequest) -> HttpResponse:
    dataset = get_dataset()
    values = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    values["language"] = values["language"] or get_language() or "en"  # the page's, until the writer chooses
    try:
        situation = parse_situation(_situation_from_post(request), dataset)
    except SituationError:
        return _form_page(request, None, values, {"situation": word(FORM_ERRORS, "situation")})
    plan = make_plan(situation, dataset, get_rules(dataset))
    issuer_id, mission_id = _recipient(values["recipient"], plan)
    # The measures to ask for, in the order sent: the letter page's choice among the plan's ("choose" marks
    # that the choice was offered, so that none chosen is a problem, not the plan's measures by default).
    chosen = request.POST.getlist("support_types")
    values["support_types"] = chosen
    if request.POST.get("details"):  # from the plan page: the whole form, the mission chosen there
        values["support_types"] = list(plan_support_types(plan, issuer_id)) if issuer_id else []
        return _form_page(request, plan, values, {}, status=200)
    errors: dict[str, str] = {}
    if request.POST.get("choose") and not chosen:
        errors["support_types"] = word(FORM_ERRORS, "required")
    if issuer_id is None:
        errors["recipient"] = word(FORM_ERRORS, "required" if not values["recipient"] else "invalid")
    if values["format"] not in FORMATS:
        errors["format"] = word(FORM_ERRORS, "invalid")
    if values["language"] not in LANGUAGES:
        errors["language"] = word(FORM_ERRORS, "invalid")
    if values["where"] not in ("", situation.country, situation.where_now):
        errors["where"] = word(FORM_ERRORS, "invalid")
    fields = {name: values[name] for name in (*TEXT_FIELDS, *FACT_FIELDS)}
    fields |= {"public_consent": values["public_consent"], "country": None if "where" in errors else values["where"]}
    fields["language"] = values["language"] if "language" not in errors else "en"
    try:
        result = letter_from_plan(plan, issuer_id or "", dataset, mission=mission_id, support_types=chosen, **fields)
    except LetterError as exc:
        for problem in exc.errors:
            field = FORM_FIELD_OF.get(problem.field, problem.field)
            if field == "support_types" and not request.POST.get("choose"):
                field = "recipient"  # from the plan page, where the measures follow from the mission
            errors.setdefault(field, word(FORM_ERRORS, problem.code))
    if errors:
        return _form_page(request, plan, values, errors)
    return _download(*render_letter(result, values["format"]))


@csrf_exempt  # writes and returns a letter; it changes nothing and stores nothing
@never_cache
def api_letter(request: HttpRequest) -> HttpResponse:
    """POST a letter request as JSON (``support_types`` or a ``situation``); get the letter. Nothing is stored.

    ``format`` is ``json`` (the default: the letter as data) or one of md, html, pdf, docx (a download).
    """
    if request.method != "POST":
        response = error(405, "POST a letter request as JSON.")
        response["Allow"] = "POST"
        return response
    if request.content_type != "application/json":
        return error(415, "Send the letter request as application/json.", [{"field": "letter", "message": "not JSON"}])
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        return error(400, "The body is not valid JSON.", [{"field": "letter", "message": "invalid JSON"}])
    if not isinstance(data, dict):
        return error(400, "The letter request is invalid.", [{"field": "letter", "message": "must be an object"}])
    fmt = data.pop("format", None) or "json"
    if fmt != "json" and fmt not in FORMATS:
        allowed = ", ".join(["json", *FORMATS])
        return error(400, "Unknown format.", [{"field": "format", "message": f"must be one of {allowed}"}])
    dataset = get_dataset()
    try:
        if "situation" in data:
            if "support_types" in data:
                return error(
                    400,
                    "Give support_types or a situation, not both.",
                    [{"field": "support_types", "message": "not with a situation"}],
                )
            situation = parse_situation(data.pop("situation"), dataset)
            plan = make_plan(situation, dataset, get_rules(dataset))
            result = build_letter(request_from_plan(plan, data, dataset), dataset)
        else:
            result = build_letter(parse_letter_request(data, dataset), dataset)
    except SituationError as exc:
        errors = [{"field": f"situation.{e.field}", "message": e.message} for e in exc.errors]
        return error(400, "The situation is incomplete or invalid.", errors)
    except LetterError as exc:
        return error(400, "The letter request is incomplete or invalid.", [e.as_dict() for e in exc.errors])
    if fmt == "json":
        return JsonResponse({"ok": True, "letter": letter_data(result)}, json_dumps_params={"ensure_ascii": False})
    return _download(*render_letter(result, fmt))


urlpatterns = [
    path("letter/", letter, name="letter"),
]
