"""A request letter from a saved request: the casebook's way to the letter a defender sends a mission.

The public letter page writes from a navigator plan, whose answers travel as hidden fields of a
form; a saved request has no plan, and its case must not leave the unlock. So this page sits
behind the unlock like every casebook page, and is addressed by the request's random id only:
the mission and measures are read from the request, never from the address. What the person
types for the letter (their name, the facts they choose to tell) is POSTed, used to write the
letter and forgotten, as on the public page.
"""

from __future__ import annotations

import typing

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from amparo.casebook.records import Case, Request
from amparo.documents.letter.compose import build_letter
from amparo.documents.letter.render import render_letter
from amparo.documents.letter.request import LANGUAGES, LetterError, parse_letter_request
from amparo.guidelines import get_dataset
from amparo.labels import FORM_ERRORS
from amparo.web.casebook.access import book, casebook_page, principal, require
from amparo.web.casebook.forms import LetterForm
from amparo.web.templatetags.amparo import word


def _languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code in LANGUAGES]


@casebook_page
def request_letter(request: HttpRequest, record_id: str) -> HttpResponse:
    who = principal(request)
    saved = typing.cast(Request, book().get(who, "request", record_id))
    case = typing.cast(Case, book().get(who, "case", saved.case_id))
    require(request, "case.export")  # a letter takes a request's content out of the casebook, as an export does
    kwargs = {"country": case.country, "languages": _languages()}
    if request.method != "POST":
        initial = {
            "language": get_language() or "en",
            "support_types": list(saved.support_types),
            "public_consent": "none",
            "format": "pdf",
        }
        return _page(request, saved, case, LetterForm(initial=initial, **kwargs))
    form = LetterForm(request.POST, **kwargs)
    if not form.is_valid():
        return _page(request, saved, case, form, status=400)
    dataset = get_dataset()
    data = {"issuer": saved.issuer, "mission": saved.mission or None, **form.letter_fields()}
    try:
        letter = build_letter(parse_letter_request(data, dataset), dataset)
    except LetterError as exc:
        for problem in exc.errors:
            field = problem.field if problem.field in form.fields else None
            message = word(FORM_ERRORS, problem.code) if field else problem.message
            form.add_error(field, message)
        return _page(request, saved, case, form, status=400)
    body, content_type, filename = render_letter(letter, form.cleaned_data["format"])
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'  # the letter's, naming no one
    return response


def _page(request: HttpRequest, saved: Request, case: Case, form: LetterForm, status: int = 200) -> HttpResponse:
    return render(request, "casebook/letter.html", {"saved": saved, "case": case, "form": form}, status=status)
