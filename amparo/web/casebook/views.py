"""Casebook pages: the dashboard, cases and their records, the per-mission view, search, exports.

Every view here is a :func:`casebook_page`; ids in URLs are random and
reveal nothing; search words travel in a POST body, never in a URL. The same views serve
team mode: :func:`book` and :func:`principal` are the seam, and a view that changes or hands
out a record reads it first (out of scope: 404) and then asks :func:`require` (the role: 403).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from amparo.casebook import exports
from amparo.casebook.listing import BadCaseQuery, CaseQuery
from amparo.casebook.records import (
    NEW_KINDS,
    REQUEST_STATUSES,
    RISK_SOURCES,
    Case,
    Request,
    case_id_of,
)
from amparo.casebook.results import CaseList, Page
from amparo.guidelines import get_dataset
from amparo.guidelines.countries import localized_country_name
from amparo.web.casebook import sharing
from amparo.web.casebook.access import allowed, book, casebook_page, principal, require
from amparo.web.casebook.charts import risk_chart
from amparo.web.casebook.forms import FORMS, CaseListForm, RequestForm, SearchForm, initial_from, join_where
from amparo.web.casebook.transfer_forms import RecordedConsentForm

NEW_FORMS = {**FORMS, "consent": RecordedConsentForm}  # a consent is added on the case page, never edited
EDITABLE_KINDS = tuple(FORMS)
CASE_LIST_KEY = "casebook_case_list"  # the session's case list choice (see dashboard)
PER_PAGE = 50
DASHBOARD_FOLLOW_UPS = 10


def _today() -> dt.date:
    return timezone.now().date()


def _page_number(request: HttpRequest) -> int:
    """The ``page`` query parameter (a number, not personal data); anything odd is page 1."""
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1


def _paged(request: HttpRequest, fetch: Callable[[int, int], Page]) -> tuple[list, dict]:
    """The requested page of a list (``fetch(limit, offset)``), or its last page if asked past the end."""
    number = _page_number(request)
    page = fetch(PER_PAGE, (number - 1) * PER_PAGE)
    pages = max(1, -(-page.total // PER_PAGE))
    if number > pages:
        number = pages
        page = fetch(PER_PAGE, (number - 1) * PER_PAGE)
    return page.items, {"number": number, "pages": pages}


def _held_query(request: HttpRequest) -> CaseQuery:
    """The case list's choice held in this session (memory only, gone at the lock); the default if none or odd."""
    held = request.session.get(CASE_LIST_KEY)
    if not isinstance(held, dict):
        return CaseQuery()
    try:
        return CaseQuery(
            **{name: str(held.get(name, "")) for name in ("country", "risk", "status")},
            sort=str(held.get("sort", "activity")),
        )
    except BadCaseQuery:
        request.session.pop(CASE_LIST_KEY, None)
        return CaseQuery()


@casebook_page
def dashboard(request: HttpRequest) -> HttpResponse:
    """The overview. The case list's filters and sort come by POST and stay in the session, never in a URL:
    even a country code in an address would tell a browser's history where the cases are."""
    who = principal(request)
    if request.method == "POST":
        if request.POST.get("clear"):
            request.session.pop(CASE_LIST_KEY, None)
            return redirect(reverse("casebook:dashboard") + "#cases")
        countries = book().case_list(who, CaseQuery(), limit=0).countries
        form = CaseListForm(request.POST, countries=countries)
        if form.is_valid():
            query = form.query()
            request.session[CASE_LIST_KEY] = dataclasses.asdict(query)
            return redirect(reverse("casebook:dashboard") + "#cases")
        return _dashboard(request, who, _held_query(request), form, status=400)
    return _dashboard(request, who, _held_query(request), None)


def _dashboard(
    request: HttpRequest, who: str, query: CaseQuery, form: CaseListForm | None, status: int = 200
) -> HttpResponse:
    today = _today()
    language = get_language() or "en"
    listed: list[CaseList] = []

    def fetch(limit: int, offset: int) -> Page:
        listed.append(book().case_list(who, query, limit, offset, lambda code: localized_country_name(code, language)))
        return listed[-1]

    cases, paging = _paged(request, fetch)
    found = listed[-1]
    owners = sharing.owner_names(request, [s.case.id for s in cases])
    if form is None:
        countries = tuple(sorted({*found.countries, query.country} - {"", "none"}))
        form = CaseListForm(initial=dataclasses.asdict(query), countries=countries)
    return render(
        request,
        "casebook/dashboard.html",
        {
            "cases": cases,
            "rows": [(s, owners.get(s.case.id)) for s in cases],
            "owners": owners is not sharing.NO_OWNERS,
            "paging": paging,
            "listed": found,
            "query": query,
            "case_form": form,
            "overdue": book().follow_ups(who, due_before=today, limit=DASHBOARD_FOLLOW_UPS),
            "upcoming": book().follow_ups(who, due_from=today, limit=DASHBOARD_FOLLOW_UPS),
        },
        status=status,
    )


@casebook_page
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Every open follow-up, overdue ones first, in pages."""
    who = principal(request)
    due, paging = _paged(request, lambda limit, offset: book().follow_ups(who, limit=limit, offset=offset))
    return render(request, "casebook/follow_ups.html", {"due": due, "paging": paging, "today": _today()})


@casebook_page
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    who = principal(request)
    case = book().get(who, "case", case_id)
    shown, paging = _paged(request, lambda limit, offset: book().timeline_page(who, case_id, limit, offset))
    risks = sorted(book().records(who, case_id, "risk"), key=lambda r: (r.assessed_on, r.created_at))  # type: ignore[attr-defined]
    return render(
        request,
        "casebook/case.html",
        {
            "case": case,
            "timeline": shown,
            "paging": paging,
            "chart": risk_chart(risks),
            "latest_risk": risks[-1] if risks else None,
            "risk_sources": [get_dataset().sources.get(key) for key in RISK_SOURCES],
            "kinds": NEW_KINDS,
            "today": _today(),
            "sharing": sharing.section(request, case.id),
        },
    )


def _form_kwargs(kind: str, case: Case, who: str) -> dict:
    if kind in ("engagement", "request"):
        return {"country": case.country}
    if kind == "follow-up":
        requests = book().records(who, case.id, "request")
        return {"requests": [(r.id, _request_label(r)) for r in requests]}
    return {}


def _request_label(request: Request) -> str:
    """A request as an option of a select (plain text): issuer, measures asked for, status."""
    dataset, language = get_dataset(), get_language() or "en"
    issuer = dataset.issuers.get(request.issuer)
    measures = [
        dataset.support_types[s].name.resolve(language)[0] for s in request.support_types if s in dataset.support_types
    ]
    name = issuer.name.resolve(language)[0] if issuer else request.issuer
    return f"{name}: {', '.join(measures)} ({gettext(REQUEST_STATUSES.get(request.status, request.status))})"


def _render_form(request, kind, form, case, record=None, status=200) -> HttpResponse:
    return render(
        request,
        "casebook/record_form.html",
        {"kind": kind, "form": form, "case": case, "record": record},
        status=status,
    )


@casebook_page
def case_new(request: HttpRequest) -> HttpResponse:
    require(request, "case.create")
    form_class = FORMS["case"]
    if request.method != "POST":
        return _render_form(request, "case", form_class(initial={"subject": "individual"}), None)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_form(request, "case", form, None, status=400)
    case = book().add(principal(request), form.record())
    return redirect("casebook:case", case_id=case.id)


@casebook_page
def record_new(request: HttpRequest, case_id: str, kind: str) -> HttpResponse:
    if kind not in NEW_KINDS:
        raise Http404
    who = principal(request)
    case = book().get(who, "case", case_id)
    require(request, "case.change")
    form_class = NEW_FORMS[kind]
    kwargs = _form_kwargs(kind, case, who)
    if request.method != "POST":
        initial = {name: _today() for name in ("occurred_on", "assessed_on", "drafted_on", "given_on")}
        return _render_form(request, kind, form_class(initial=initial, **kwargs), case)
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        return _render_form(request, kind, form, case, status=400)
    book().add(who, form.record(case_id=case.id))
    return redirect(reverse("casebook:case", kwargs={"case_id": case.id}) + f"#{kind}s")


@casebook_page
def record_edit(request: HttpRequest, kind: str, record_id: str) -> HttpResponse:
    if kind not in EDITABLE_KINDS:  # a consent is never changed
        raise Http404
    who = principal(request)
    record = book().get(who, kind, record_id)
    case = record if isinstance(record, Case) else book().get(who, "case", record.case_id)
    require(request, "case.change")
    form_class = FORMS[kind]
    kwargs = _form_kwargs(kind, case, who) if kind != "case" else {}
    if kind in ("engagement", "request"):
        kwargs["keep"] = join_where(record.issuer, record.mission)
    if request.method != "POST":
        return _render_form(request, kind, form_class(initial=initial_from(record), **kwargs), case, record)
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        return _render_form(request, kind, form, case, record, status=400)
    extra = {"id": record.id} if kind == "case" else {"id": record.id, "case_id": case.id}
    book().update(who, form.record(**extra))
    return redirect("casebook:case", case_id=case.id)


@require_POST
@casebook_page
def record_delete(request: HttpRequest, kind: str, record_id: str) -> HttpResponse:
    if kind not in EDITABLE_KINDS:  # a consent goes only with its case
        raise Http404
    who = principal(request)
    record = book().get(who, kind, record_id)
    require(request, "case.delete" if kind == "case" else "case.change")
    if request.POST.get("confirm") != "yes":
        return render(request, "casebook/confirm_delete.html", {"kind": kind, "record": record})
    book().delete(who, kind, record_id)
    if kind == "case":
        return redirect("casebook:dashboard")
    return redirect("casebook:case", case_id=case_id_of(record))


@require_POST
@casebook_page
def follow_up_done(request: HttpRequest, record_id: str) -> HttpResponse:
    who = principal(request)
    follow_up = book().get(who, "follow-up", record_id)
    require(request, "case.change")
    book().update(who, dataclasses.replace(follow_up, done_on=_today()))
    if request.POST.get("back") == "case":
        return redirect("casebook:case", case_id=follow_up.case_id)
    if request.POST.get("back") == "list":
        return redirect("casebook:follow-ups")
    return redirect("casebook:dashboard")


@casebook_page
def missions(request: HttpRequest) -> HttpResponse:
    who = principal(request)
    summaries, paging = _paged(request, lambda limit, offset: book().missions(who, limit, offset))
    return render(request, "casebook/missions.html", {"missions": summaries, "paging": paging})


@casebook_page
def search(request: HttpRequest) -> HttpResponse:
    """GET shows the form; the words come by POST so they stay out of URLs, history and logs."""
    if request.method != "POST":
        return render(request, "casebook/search.html", {"form": SearchForm()})
    form = SearchForm(request.POST)
    if not form.is_valid():
        return render(request, "casebook/search.html", {"form": form}, status=400)
    hits = book().search(principal(request), form.cleaned_data["q"])
    return render(request, "casebook/search.html", {"form": form, "hits": hits, "searched": True})


@casebook_page
def audit(request: HttpRequest) -> HttpResponse:
    return render(request, "casebook/audit.html", {"entries": book().audit(principal(request))})


# Renders a prefilled form and changes nothing, so the public plan page (which sets no cookie and
# therefore carries no CSRF token) can post to it; the form it renders is CSRF-protected as usual.
@csrf_exempt
@require_POST
@casebook_page
def request_from_plan(request: HttpRequest) -> HttpResponse:
    """The navigator's plan hands over its support types; the person picks the case, then the mission."""
    require(request, "case.change")
    who = principal(request)
    dataset = get_dataset()
    # One value per support type, or several in one value separated by spaces (the plan page's, to stay small).
    chosen = [s for value in request.POST.getlist("support") for s in value.split() if s in dataset.support_types]
    cases = [s.case for s in book().cases(who).items if not s.case.closed]
    case_id = request.POST.get("case", "")
    case = next((c for c in cases if c.id == case_id), None)
    if case is None:
        return render(request, "casebook/pick_case.html", {"cases": cases, "support": chosen})
    form = RequestForm(initial={"support_types": chosen, "drafted_on": _today()}, country=case.country)
    return _render_form(request, "request", form, case)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _names() -> exports.Names:
    """The names exports put beside the codes, in the page's language."""
    return exports.Names(get_dataset(), get_language() or "en", gettext)


@casebook_page
def export_case(request: HttpRequest, case_id: str, fmt: str) -> HttpResponse:
    who = principal(request)
    if not allowed(request, "case.export"):
        book().get(who, "case", case_id)  # out of scope: 404 as for anyone; in scope: the role's 403
        require(request, "case.export")
    data = book().export_case(who, case_id)
    if fmt == "json":
        return _download(exports.case_json(data, _names()), "application/json", f"case-{case_id}.json")
    return _download(exports.case_csv(data, _names()), "text/csv; charset=utf-8", f"case-{case_id}.csv")


@casebook_page
def export_engagements(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request, "case.export")
    rows = book().engagements(principal(request))
    if fmt == "json":
        return _download(exports.engagements_json(rows, _names()), "application/json", "engagements.json")
    return _download(exports.engagements_csv(rows, _names()), "text/csv; charset=utf-8", "engagements.csv")


@casebook_page
def export_follow_ups(request: HttpRequest) -> HttpResponse:
    require(request, "case.export")
    rows = book().follow_ups(principal(request)).items
    return _download(exports.follow_ups_ics(rows, timezone.now()), "text/calendar; charset=utf-8", "follow-ups.ics")
