"""The read-only JSON API, version 1: the same records and ids as the open-data export.

Version 2 has one endpoint, the plan in its compact shape (format 2, amparo/navigator/compact.py);
``POST /api/v1/plan`` still answers in format 1 and is deprecated (it says so in its headers).

Every error has one shape: ``{"ok": false, "status": N, "error": "...", "errors": [...]}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

import orjson
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from amparo.guidelines import export, get_dataset
from amparo.guidelines.model import STATUSES
from amparo.guidelines.search import KINDS, MAX_QUERY, search
from amparo.guidelines.words import LANGUAGES
from amparo.navigator import Plan, SituationError, get_rules, make_plan, parse_situation
from amparo.navigator.compact import ISSUERS, plan_json_compact
from amparo.navigator.render import plan_json
from amparo.web.openapi import openapi, openapi_v2

API_MAX_AGE = 3600
PLAN_V2 = "/api/v2/plan"


def error(status: int, message: str, errors: list[dict] | None = None) -> JsonResponse:
    return JsonResponse({"ok": False, "status": status, "error": message, "errors": errors or []}, status=status)


def _ok(payload: dict, cacheable: bool = True) -> JsonResponse:
    response = JsonResponse({"ok": True, **payload}, json_dumps_params={"ensure_ascii": False})
    if cacheable:
        response["Cache-Control"] = f"public, max-age={API_MAX_AGE}"
    return response


def endpoint(view: Callable) -> Callable:
    """GET/HEAD only, JSON errors for wrong methods."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error(405, "Only GET and HEAD are allowed.")
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper


@endpoint
def index(request: HttpRequest) -> JsonResponse:
    dataset = get_dataset()
    return _ok(
        {
            "edition": dataset.edition.edition,
            "licence": dataset.edition.licence_id,
            "endpoints": {
                "support_types": "/api/v1/support-types",
                "issuers": "/api/v1/issuers",
                "provisions": "/api/v1/provisions",
                "guidance": "/api/v1/guidance",
                "programmes": "/api/v1/programmes",
                "search": "/api/v1/search?q=",
                "plan": "/api/v1/plan (POST, deprecated: use /api/v2/plan)",
                "plan_v2": f"{PLAN_V2} (POST)",
                "letter": "/api/v1/letter (POST)",
                "openapi": "/api/v1/openapi.json",
            },
        }
    )


@endpoint
def support_types(request: HttpRequest) -> JsonResponse:
    dataset = get_dataset()
    return _ok(
        {
            "categories": [export.category(c) for c in dataset.categories],
            "support_types": [export.support_type(s) for s in dataset.support_types.values()],
        }
    )


@endpoint
def support_type(request: HttpRequest, support_type_id: str) -> JsonResponse:
    dataset = get_dataset()
    item = dataset.support_types.get(support_type_id)
    if item is None:
        return error(404, f"No support type with id {support_type_id!r}.")
    return _ok(
        {
            "support_type": export.support_type(item),
            "provisions": [export.provision(p) for p in dataset.provisions_for(support_type_id)],
        }
    )


@endpoint
def issuers(request: HttpRequest) -> JsonResponse:
    return _ok({"issuers": [export.issuer(i) for i in get_dataset().issuers_sorted()]})


@endpoint
def issuer(request: HttpRequest, issuer_id: str) -> JsonResponse:
    dataset = get_dataset()
    item = dataset.issuers.get(issuer_id)
    if item is None:
        return error(404, f"No issuer with id {issuer_id!r}.")
    return _ok(
        {
            "issuer": export.issuer(item),
            "provisions": [export.provision(p) for p in dataset.provisions_of(issuer_id)],
            "programmes": [p.id for p in dataset.programmes_of(issuer_id)],
            "missions": [export.mission(m) for m in dataset.missions_of(issuer_id)],
        }
    )


@endpoint
def provisions(request: HttpRequest) -> JsonResponse:
    dataset = get_dataset()
    filters = {key: request.GET.get(key) for key in ("issuer", "support_type", "status") if request.GET.get(key)}
    problems = []
    if "issuer" in filters and filters["issuer"] not in dataset.issuers:
        problems.append({"field": "issuer", "message": "unknown issuer id"})
    if "support_type" in filters and filters["support_type"] not in dataset.support_types:
        problems.append({"field": "support_type", "message": "unknown support type id"})
    if "status" in filters and filters["status"] not in STATUSES:
        problems.append({"field": "status", "message": f"must be one of {', '.join(STATUSES)}"})
    if problems:
        return error(400, "Invalid filter.", problems)
    items = [
        p
        for p in dataset.provisions
        if filters.get("issuer", p.issuer_id) == p.issuer_id
        and filters.get("support_type", p.support_type_id) == p.support_type_id
        and filters.get("status", p.status) == p.status
    ]
    return _ok({"provisions": [export.provision(p) for p in items]})


@endpoint
def guidance(request: HttpRequest) -> JsonResponse:
    return _ok({"guidance": [export.guidance(g) for g in get_dataset().guidance.values()]})


@endpoint
def guidance_item(request: HttpRequest, guidance_id: str) -> JsonResponse:
    item = get_dataset().guidance.get(guidance_id)
    if item is None:
        return error(404, f"No guidance item with id {guidance_id!r}.")
    return _ok({"guidance": export.guidance(item)})


@endpoint
def programmes(request: HttpRequest) -> JsonResponse:
    return _ok({"programmes": [export.programme(p) for p in get_dataset().programmes.values()]})


@endpoint
def search_view(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")
    language = request.GET.get("lang", "en")
    if not query.strip():
        return error(400, "Missing query.", [{"field": "q", "message": "required"}])
    if len(query) > MAX_QUERY:
        return error(400, "Query too long.", [{"field": "q", "message": f"at most {MAX_QUERY} characters"}])
    if language not in get_dataset().edition.languages:
        return error(400, "Unknown language.", [{"field": "lang", "message": "not a language of the dataset"}])
    results = search(get_dataset(), query, language)
    return _ok(
        {
            "query": query,
            "results": {
                kind: [{"id": h.id, "title": h.title, "score": round(h.score, 2)} for h in results[kind]]
                for kind in KINDS
            },
        },
        cacheable=False,
    )


def _planned(request: HttpRequest) -> Plan | JsonResponse:
    """The plan for the POSTed situation, or the error to answer. Nothing is stored or logged."""
    if request.method != "POST":
        response = error(405, "POST a situation as JSON.")
        response["Allow"] = "POST"
        return response
    if request.content_type != "application/json":
        return error(415, "Send the situation as application/json.", [{"field": "situation", "message": "not JSON"}])
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        return error(400, "The body is not valid JSON.", [{"field": "situation", "message": "invalid JSON"}])
    dataset = get_dataset()
    try:
        situation = parse_situation(data, dataset)
    except SituationError as exc:
        return error(400, "The situation is incomplete or invalid.", [e.as_dict() for e in exc.errors])
    return make_plan(situation, dataset, get_rules(dataset))


def _plan_language(request: HttpRequest) -> str | JsonResponse:
    """The language a plan is written in (``?lang=``, English by default): one Amparo has the words of."""
    language = request.GET.get("lang", "en")
    if language not in LANGUAGES:
        return error(400, "Unknown language.", [{"field": "lang", "message": f"one of {', '.join(LANGUAGES)}"}])
    return language


@csrf_exempt  # computes and returns a plan; it changes nothing and stores nothing
@never_cache
def plan(request: HttpRequest) -> JsonResponse:
    """POST a situation as JSON; get the plan in format 1. Deprecated: /api/v2/plan is the same plan, compact."""
    language = _plan_language(request)
    if isinstance(language, JsonResponse):
        return language
    result = _planned(request)
    if isinstance(result, JsonResponse):
        return result
    response = JsonResponse(
        {"ok": True, "plan": plan_json(result, language)},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Deprecation"] = "true"
    response["Link"] = f'<{PLAN_V2}>; rel="successor-version"'
    return response


@csrf_exempt  # computes and returns a plan; it changes nothing and stores nothing
@never_cache
@gzip_page  # for a slow connection; the body holds no secret for a compression side channel to find
def plan_v2(request: HttpRequest) -> HttpResponse:
    """POST a situation as JSON; get the plan in format 2 (``?issuers=full`` lists every inheriting member)."""
    issuers = request.GET.get("issuers", ISSUERS[0])
    if issuers not in ISSUERS:
        return error(
            400, "Unknown issuers parameter.", [{"field": "issuers", "message": f"one of {', '.join(ISSUERS)}"}]
        )
    language = _plan_language(request)
    if isinstance(language, JsonResponse):
        return language
    result = _planned(request)
    if isinstance(result, JsonResponse):
        return result
    # orjson: UTF-8 without spaces, as json.dumps(ensure_ascii=False, separators=(",", ":")), several times faster
    body = orjson.dumps({"ok": True, "plan": plan_json_compact(result, language, issuers)})
    return HttpResponse(body, content_type="application/json")


@require_safe
def openapi_view(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(openapi(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={API_MAX_AGE}"
    return response


@require_safe
def openapi_v2_view(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(openapi_v2(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={API_MAX_AGE}"
    return response


urlpatterns = [
    path("", index, name="api-index"),
    path("support-types", support_types, name="api-support-types"),
    path("support-types/<str:support_type_id>", support_type, name="api-support-type"),
    path("issuers", issuers, name="api-issuers"),
    path("issuers/<str:issuer_id>", issuer, name="api-issuer"),
    path("provisions", provisions, name="api-provisions"),
    path("guidance", guidance, name="api-guidance"),
    path("guidance/<str:guidance_id>", guidance_item, name="api-guidance-item"),
    path("programmes", programmes, name="api-programmes"),
    path("search", search_view, name="api-search"),
    path("plan", plan, name="api-plan"),
    path("openapi.json", openapi_view, name="api-openapi"),
]
