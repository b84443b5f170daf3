"""The navigator on the site: a form that POSTs, and a printable plan. Nothing is stored or logged.

The plan view reads the situation from the POST body only, never from the URL;
it touches no database, sets no cookie, and answers ``Cache-Control: no-store``
so no browser or proxy keeps a copy.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from amparo.guidelines import get_dataset
from amparo.guidelines.countries import all_country_codes, localized_country_name
from amparo.labels import FORM_ERRORS
from amparo.navigator import SituationError, get_rules, make_plan, parse_situation
from amparo.navigator.plan import ISSUERS_SHOWN
from amparo.navigator.situation import BOOLEANS, DEFAULTS, FIELDS, LISTS
from amparo.web.templatetags.amparo import word
from amparo.web.views import public

MULTIPLE = LISTS
SINGLE = tuple(name for name in FIELDS if name not in LISTS and name not in BOOLEANS)


def form_context(values: dict, errors: dict[str, str]) -> dict:
    """What the navigator form needs to show ``values`` and ``errors``: the live form and the offline page."""
    dataset = get_dataset()
    # An optional answer left empty shows the default the navigator reads it with.
    values = {**values, **{name: default for name, default in DEFAULTS.items() if not values.get(name)}}
    return {
        "vocabulary": dataset.situations,
        "countries": sorted(all_country_codes(), key=lambda code: localized_country_name(code, get_language() or "en")),
        "values": values,
        "errors": errors,
    }


@public
def navigator_form(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/navigator_form.html",
        form_context({"exposure": "discreet", "subject": "individual"}, {}),
    )


def _situation_from_post(request: HttpRequest) -> dict:
    data: dict = {name: request.POST.get(name, "") for name in SINGLE}
    data.update({name: request.POST.getlist(name) for name in MULTIPLE})
    data.update({name: request.POST.get(name) == "on" for name in BOOLEANS})
    return data


# A cross-site POST could only make a browser compute a plan the other site cannot read,
# so there is nothing for a CSRF token to protect, and no cookie is needed to carry one.
@csrf_exempt
@sensitive_post_parameters()  # should an error ever be reported, it carries none of the answers
@never_cache
@require_POST
def navigator_plan(request: HttpRequest) -> HttpResponse:
    dataset = get_dataset()
    data = _situation_from_post(request)
    if request.POST.get("edit"):
        return render(request, "web/navigator_form.html", form_context(data, {}))
    try:
        situation = parse_situation(data, dataset)
    except SituationError as exc:
        errors = {e.field: word(FORM_ERRORS, e.code) for e in exc.errors}
        return render(request, "web/navigator_form.html", form_context(data, errors), status=400)
    plan = make_plan(situation, dataset, get_rules(dataset))
    return render(
        request,
        "web/navigator_plan.html",
        {
            "plan": plan,
            "situation": situation,
            "missions_source": dataset.missions_source,
            # The first issuers are shown with their missions, the others folded away under them.
            "presence_shown": plan.presence[:ISSUERS_SHOWN],
            "presence_folded": plan.presence[ISSUERS_SHOWN:],
            # For a defender abroad who needs a safe return: the first of the same issuers' missions at home (the
            # others are on the issuers' pages, and in the JSON).
            "home_shown": plan.home_presence[:ISSUERS_SHOWN],
        },
    )


urlpatterns = [
    path("navigator/", navigator_form, name="navigator"),
    path("navigator/plan/", navigator_plan, name="navigator-plan"),
]
