"""Public pages of the knowledge base. They depend only on the dataset and the language."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.guidelines import get_dataset
from amparo.guidelines.countries import localized_country_name
from amparo.guidelines.export import matrix_csv, to_json
from amparo.guidelines.missions import DELEGATION_ISSUER, rank
from amparo.guidelines.model import Citation, Programme
from amparo.guidelines.search import KINDS, MAX_QUERY, Hit, search
from amparo.web.templatetags.amparo import programme_page, source_parts, tr

PUBLIC_MAX_AGE = 3600
GUIDANCE_SECTIONS = {
    "ten-things": ("ten_things",),
    "questions": ("qa",),
    "security": ("holistic", "collective"),
    "stories": ("case_story",),
}


def public(view: Callable) -> Callable:
    """A page that is the same for everyone: GET or HEAD only, cacheable, never a cookie."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not request.GET:
            response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        return response

    return wrapper


def _status_counts(dataset, issuer_id: str) -> dict[str, int]:
    counts = {"explicit": 0, "inherited": 0, "not_stated": 0}
    for provision in dataset.provisions_of(issuer_id):
        counts[provision.status] = counts.get(provision.status, 0) + 1
    return counts


@public
def home(request: HttpRequest) -> HttpResponse:
    dataset = get_dataset()
    return render(
        request,
        "web/home.html",
        {
            "categories": dataset.categories,
            "issuer_count": len(dataset.issuers),
            "emergency": [p for p in dataset.programmes.values() if p.emergency and p.reachable],
        },
    )


@public
def support_catalogue(request: HttpRequest) -> HttpResponse:
    dataset = get_dataset()
    return render(
        request, "web/support_list.html", {"categories": dataset.categories, "support_types": dataset.support_types}
    )


@public
def support_detail(request: HttpRequest, support_type_id: str) -> HttpResponse:
    dataset = get_dataset()
    support_type = dataset.support_types.get(support_type_id)
    if support_type is None:
        raise Http404(_("There is no support type with this id."))
    provisions = dataset.provisions_for(support_type_id)
    explicit = [p for p in provisions if p.status == "explicit"]
    inherited = [p for p in provisions if p.status == "inherited"]
    not_stated = [p for p in provisions if p.status == "not_stated"]
    stated = {p.issuer_id for p in provisions}
    return render(
        request,
        "web/support_detail.html",
        {
            "support_type": support_type,
            "category": dataset.category(support_type.category_id),
            "group": dataset.group(support_type.group_id),
            "explicit": explicit,
            "inherited_issuers": [dataset.issuers[p.issuer_id] for p in inherited],
            "inherited_citations": inherited[0].citations if inherited else (),
            "not_stated": not_stated,
            "unknown_count": len([i for i in dataset.issuers if i not in stated]),
            "issuers": dataset.issuers,
            "guidance": dataset.guidance_for(support_type_id),
            "programmes": dataset.programmes_for(support_type_id),
        },
    )


@public
def issuer_list(request: HttpRequest) -> HttpResponse:
    dataset = get_dataset()
    rows = [(i, _status_counts(dataset, i.id)) for i in dataset.issuers_sorted()]
    return render(request, "web/issuer_list.html", {"rows": rows})


def _issuer_or_404(issuer_id: str):
    issuer = get_dataset().issuers.get(issuer_id.upper())  # /issuers/ca/ finds Canada too
    if issuer is None:
        raise Http404(_("There is no country or organisation with this id."))
    return issuer


@public
def issuer_detail(request: HttpRequest, issuer_id: str) -> HttpResponse:
    dataset = get_dataset()
    issuer = _issuer_or_404(issuer_id)
    provisions = {p.support_type_id: p for p in dataset.provisions_of(issuer.id)}
    by_category = []
    for category in dataset.categories:
        items = [
            (dataset.support_types[s], provisions[s])
            for g in category.groups
            for s in g.support_type_ids
            if s in provisions
        ]
        by_category.append((category, items))
    missions = dataset.missions_of(issuer.id)
    return render(
        request,
        "web/issuer_detail.html",
        {
            "issuer": issuer,
            "by_category": by_category,
            "programmes": dataset.programmes_of(issuer.id),
            "mission_count": len([m for m in missions if not m.honorary]),
            "honorary_count": len([m for m in missions if m.honorary]),
            "missions_source": dataset.missions_source,
            "delegations": dataset.delegations_source if issuer.id == DELEGATION_ISSUER else None,
            "categories": {c.id: c for c in dataset.categories},
        },
    )


@public
def issuer_missions(request: HttpRequest, issuer_id: str) -> HttpResponse:
    dataset = get_dataset()
    issuer = _issuer_or_404(issuer_id)
    language = get_language() or "en"

    def name(code: str) -> str:
        return localized_country_name(code, language)

    missions = sorted(
        dataset.missions_of(issuer.id),
        key=lambda m: (name(m.country) if m.country else m.country_label, rank(m), m.city),
    )
    rows = [
        (m, name(m.country) if m.country else m.country_label, [name(c) for c in m.jurisdictions if c != m.country])
        for m in missions
    ]
    return render(
        request,
        "web/issuer_missions.html",
        {
            "issuer": issuer,
            "missions": [r for r in rows if not r[0].honorary],
            "honorary": [r for r in rows if r[0].honorary],
            "missions_source": dataset.missions_source,
            "delegations": dataset.delegations_source if issuer.id == DELEGATION_ISSUER else None,
            "delegations_cites": (Citation(dataset.delegations_source.source, None),)
            if dataset.delegations_source
            else (),
        },
    )


@public
def compare(request: HttpRequest) -> HttpResponse:
    dataset = get_dataset()
    category_id = request.GET.get("category", "")
    categories = dataset.categories
    if category_id and category_id not in {c.id for c in categories}:
        category_id = ""
    shown = [c for c in categories if not category_id or c.id == category_id]
    columns = [dataset.support_types[s] for c in shown for g in c.groups for s in g.support_type_ids]
    rows = []
    for issuer in dataset.issuers_sorted():
        cells = [(column, dataset.status(issuer.id, column.id)) for column in columns]
        rows.append((issuer, cells))
    return render(
        request,
        "web/compare.html",
        {
            "categories": categories,
            "category_id": category_id,
            "columns": columns,
            "rows": rows,
        },
    )


@public
def guidance_index(request: HttpRequest) -> HttpResponse:
    dataset = get_dataset()
    sections = [(slug, [dataset.guidance_of_kind(k) for k in kinds]) for slug, kinds in GUIDANCE_SECTIONS.items()]
    return render(request, "web/guidance_index.html", {"sections": sections})


@public
def guidance_section(request: HttpRequest, section: str) -> HttpResponse:
    kinds = GUIDANCE_SECTIONS.get(section)
    if kinds is None:
        raise Http404(_("There is no guidance section with this name."))
    dataset = get_dataset()
    return render(
        request,
        "web/guidance_section.html",
        {
            "section": section,
            "groups": [(kind, dataset.guidance_of_kind(kind)) for kind in kinds],
            "support_types": dataset.support_types,
        },
    )


def _programmes(page: str) -> list[Programme]:
    chosen = [p for p in get_dataset().programmes.values() if programme_page(p) == page]
    return sorted(chosen, key=lambda p: (not p.reachable, "domestic_protection" in p.kinds, str(p.name)))


@public
def programme_list(request: HttpRequest) -> HttpResponse:
    """Emergency help first, on a page of its own: a defender in danger reads it on a phone, in one round trip."""
    return render(
        request,
        "web/programme_list.html",
        {
            "programmes": _programmes("programme-list"),
            "relocation": _programmes("programme-relocation"),
            "others": _programmes("programme-more"),
            "issuers": get_dataset().issuers,
        },
    )


@public
def programme_relocation(request: HttpRequest) -> HttpResponse:
    """Programmes for leaving for a while: relocation, shelter, resettlement, visas."""
    return render(
        request,
        "web/programme_list.html",
        {"programmes": _programmes("programme-relocation"), "more": "relocation", "issuers": get_dataset().issuers},
    )


@public
def programme_more(request: HttpRequest) -> HttpResponse:
    """The other programmes: funds, awards, training, networks, national protection mechanisms."""
    return render(
        request,
        "web/programme_list.html",
        {"programmes": _programmes("programme-more"), "more": "other", "issuers": get_dataset().issuers},
    )


def _marked(hit: Hit) -> Hit:
    """A search hit whose title, when the language lacks it, is the English marked as such (as ``|tr`` marks it)."""
    dataset = get_dataset()
    records = {"support_type": dataset.support_types, "issuer": dataset.issuers, "guidance": dataset.guidance}
    record = records.get(hit.kind, dataset.programmes).get(hit.id)
    if record is None:
        return hit
    return replace(hit, title=tr(record.title if hit.kind == "guidance" else record.name))


@public
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    results = search(get_dataset(), query, get_language()) if query else None
    groups = (
        [(kind, [_marked(h) for h in results[kind]]) for kind in KINDS if results and results[kind]] if results else []
    )
    return render(request, "web/search.html", {"query": query, "groups": groups, "searched": bool(query)})


@public
def about(request: HttpRequest) -> HttpResponse:
    dataset = get_dataset()
    return render(
        request,
        "web/about.html",
        {
            "missions_source": dataset.missions_source,
            "counts": {
                "support_types": len(dataset.support_types),
                "issuers": len(dataset.issuers),
                "provisions": len(dataset.provisions),
                "programmes": len(dataset.programmes),
                "missions": len(dataset.missions),
            },
        },
    )


@public
def source_list(request: HttpRequest) -> HttpResponse:
    """The first page of the list of sources."""
    return _sources_page(request, 1)


@public
def source_part(request: HttpRequest, part: int) -> HttpResponse:
    """Another page of the list of sources: /sources/2/ and on (the first has one address, /sources/)."""
    if part == 1:
        raise Http404("the first page of sources is /sources/")
    return _sources_page(request, part)


def _sources_page(request: HttpRequest, part: int) -> HttpResponse:
    parts = source_parts()
    if not 1 <= part <= len(parts):
        raise Http404("no such page of sources")
    sources = parts[part - 1]
    language = get_language() or "en"
    # Labels not yet translated are marked English once, on the list, rather than on each of 200 entries.
    english = language != "en" and all(s.label.resolve(language)[1] == "en" for s in sources)
    context = {"sources": sources, "all_english": english, "part": part, "parts": range(1, len(parts) + 1)}
    return render(request, "web/source_list.html", context)


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
def download_json(request: HttpRequest) -> HttpResponse:
    import json

    body = json.dumps(to_json(get_dataset()), ensure_ascii=False, indent=1)
    return _download(body, "application/json; charset=utf-8", "amparo.json")


@public
def download_csv(request: HttpRequest) -> HttpResponse:
    return _download(matrix_csv(get_dataset()), "text/csv; charset=utf-8", "amparo-matrix.csv")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from amparo.web.api import error

        return error(404, _("Not found."))
    return render(request, "web/error.html", {"title": _("Page not found"), "status": 404}, status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"title": _("Bad request"), "status": 400}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's own page has inline style (refused by our CSP) and speaks to developers; this one to people."""
    return render(request, "web/error.html", {"title": _("This form has expired"), "status": 403}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    from amparo.web.casebook.access import unreachable_page

    # Django calls this while it handles the exception: sys.exc_info() is the error that led here.
    return unreachable_page(request, sys.exc_info()[1]) or render(
        request, "web/error.html", {"title": _("Something went wrong"), "status": 500}, status=500
    )


urlpatterns = [
    path("", home, name="home"),
    path("support/", support_catalogue, name="support-list"),
    path("support/<slug:support_type_id>/", support_detail, name="support-detail"),
    path("issuers/", issuer_list, name="issuer-list"),
    path("issuers/<str:issuer_id>/", issuer_detail, name="issuer-detail"),
    path("issuers/<str:issuer_id>/missions/", issuer_missions, name="issuer-missions"),
    path("compare/", compare, name="compare"),
    path("guidance/", guidance_index, name="guidance-index"),
    path("guidance/<slug:section>/", guidance_section, name="guidance-section"),
    path("programmes/", programme_list, name="programme-list"),
    path("programmes/relocation/", programme_relocation, name="programme-relocation"),
    path("programmes/more/", programme_more, name="programme-more"),
    path("search/", search_page, name="search"),
    path("about/", about, name="about"),
    path("sources/", source_list, name="source-list"),
    path("sources/<int:part>/", source_part, name="source-part"),
]
