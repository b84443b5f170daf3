"""The audit page, for admins only: every entry, newest first, filtered, the chain checked, and its export.

The filter is sent by POST and kept in the session, never in the address (a principal or a date
in a URL would land in logs and the browser's history); only the page number is in the address.
Members are named by their username here, looked up when the page is drawn: the log itself keeps
principals only. The exports (CSV and JSON) are not encrypted, and the page says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from amparo.casebook.exports import FORMULA_STARTS
from amparo.casebook.records import KIND_NAMES
from amparo.casebook.team import audit as team_audit
from amparo.labels import AUDIT_ACTIONS, AUDIT_PROBLEMS, AUDIT_SOURCES
from amparo.web.team import audit
from amparo.web.team.models import Member
from amparo.web.team.views import member_required

PAGE_SIZE = 50
SESSION_KEY = "team-audit-filter"
ANY = "*"

ACTIONS = AUDIT_ACTIONS  # the words are in amparo.labels, keyed by the codes amparo.web.team.audit writes
KINDS = {
    **KIND_NAMES,
    "access": gettext_noop("Access to a case"),
    audit.ACCOUNT: gettext_noop("Account"),
    "timeline": gettext_noop("Timeline"),
    "missions": gettext_noop("Missions"),
    "audit": gettext_noop("The audit"),
}
SOURCES = AUDIT_SOURCES
WHO_DIRECT_SQL = gettext_noop("Unknown (direct SQL)")
WHO_NO_MEMBER = gettext_noop("No member (a failed login or the command line)")
PROBLEMS = AUDIT_PROBLEMS


class AuditFilter(forms.Form):
    principal = forms.ChoiceField(label=gettext_lazy("Who"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = sorted(names.items(), key=lambda item: item[1].casefold())
        self.fields["principal"].choices = [
            (ANY, _("Anyone")),
            *people,
            (team_audit.DIRECT_SQL, _(WHO_DIRECT_SQL)),
            (team_audit.NO_MEMBER or "-", _(WHO_NO_MEMBER)),
        ]
        self.fields["action"].choices = [(ANY, _("Any action")), *((k, _(v)) for k, v in ACTIONS.items())]

    def chosen(self) -> team_audit.Filter:
        data = self.cleaned_data
        principal = data.get("principal") or ANY
        action = data.get("action") or ANY
        return team_audit.Filter(
            principal=None if principal == ANY else ("" if principal == "-" else principal),
            action=None if action == ANY else action,
            since=data.get("since"),
            until=data.get("until"),
        )


def _names() -> dict[str, str]:
    return {m.principal: m.user.get_username() for m in Member.objects.select_related("user")}


def _who(principal: str, names: dict[str, str]) -> str:
    if principal == team_audit.DIRECT_SQL:
        return _(WHO_DIRECT_SQL)
    if principal == team_audit.NO_MEMBER:
        return _(WHO_NO_MEMBER)
    return names.get(principal, principal)


def _stored_filter(request: HttpRequest, names: dict[str, str]) -> AuditFilter:
    form = AuditFilter(request.session.get(SESSION_KEY) or {}, names=names)
    if not form.is_valid():  # a member removed since, or nothing chosen yet: everything
        form = AuditFilter({}, names=names)
        form.is_valid()
    return form


def _shown(row: team_audit.AuditRow, names: dict[str, str]) -> dict[str, Any]:
    def label(words: dict[str, str], code: str) -> str:
        return _(words[code]) if code in words else code

    return {
        "row": row,
        "at": dt.datetime.fromisoformat(row.at) if row.at else None,
        "who": _who(row.principal, names),
        "action": label(ACTIONS, row.action),
        "kind": label(KINDS, row.kind),
        "record": names.get(row.record_id, row.record_id) if row.kind in ("access", audit.ACCOUNT) else row.record_id,
        "source": label(SOURCES, row.source),
    }


@member_required("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit, one page at a time, and the chain's check; a POST sets the filter (kept in the session)."""
    names = _names()
    if request.method == "POST":
        if request.POST.get("clear"):
            request.session.pop(SESSION_KEY, None)
            return redirect("team:audit")
        form = AuditFilter(request.POST, names=names)
        if form.is_valid():
            request.session[SESSION_KEY] = {k: str(v) for k, v in form.cleaned_data.items() if v}
            return redirect("team:audit")
        status = 400
    else:
        form = _stored_filter(request, names)
        status = 200
    chosen = form.chosen() if form.is_valid() else team_audit.Filter()
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    with audit.audit_connection() as conn:
        rows, total = team_audit.read(conn, chosen, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        check = team_audit.verify(conn)
    pages = max(1, -(-total // PAGE_SIZE))
    problem = _(PROBLEMS[check.problem]) % {"seq": check.broken_at} if not check.ok else ""
    return render(
        request,
        "team/audit.html",
        {
            "form": form,
            "entries": [_shown(r, names) for r in rows],
            "total": total,
            "page": page,
            "pages": pages,
            "newer": page - 1 if page > 1 else None,
            "older": page + 1 if page < pages else None,
            "check": check,
            "problem": problem,
        },
        status=status,
    )


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@require_POST
@member_required("audit.view")
def audit_export(request: HttpRequest) -> HttpResponse:
    """The entries the filter keeps, oldest first, as CSV or JSON (with the chain's check); a download."""
    names = _names()
    chosen = _stored_filter(request, names).chosen()
    kind = request.POST.get("format", "json")
    with audit.audit_connection() as conn:
        rows = list(team_audit.rows_in_order(conn, chosen))
        check = team_audit.verify(conn)
        team_audit.record(conn, audit._principal_of(request.user) or "", "export", "audit", "", "", kind)
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([*team_audit.COLUMNS, "member"])
        for row in rows:
            values = row.as_dict()
            writer.writerow([_cell(values[c]) for c in team_audit.COLUMNS] + [_cell(names.get(row.principal, ""))])
        body, content_type = out.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"
    else:
        document = {
            "complete": chosen == team_audit.Filter(),
            "chain": {
                "ok": check.ok,
                "count": check.count,
                "last_seq": check.last_seq,
                "last_hash": check.last_hash,
                "broken_at": check.broken_at,
            },
            "entries": [{**r.as_dict(), "member": names.get(r.principal, "")} for r in rows],
        }
        body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        content_type = "application/json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="amparo-audit.{"csv" if kind == "csv" else "json"}"'
    return response
