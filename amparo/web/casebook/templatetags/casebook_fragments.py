"""Casebook page fragments written in Python: ``{% timeline_entry %}``, ``{% case_rows %}``, ``{% mission_rows %}``.

A case page shows up to fifty records; the include of a template per record, with its branches, filters
and two permission checks each, took about half the page's time in team mode (bench/team.py). The tag
writes the same bytes the template ``casebook/_entry.html`` wrote (its line breaks included), with the
same message ids (gettext where the template had translate), and asks the permissions once per page.
The dashboard's table of cases and the per-mission view's table (fifty rows of links, labels and
counts; a mission's open requests can be dozens) are written the same way.
tests/web/test_casebook_fragments.py renders the former templates beside the tags.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.template.defaultfilters import date, floatformat, linebreaksbr
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.casebook.results import TimelineEntry
from amparo.web.casebook.access import allowed
from amparo.web.templatetags.amparo import comma, commas
from amparo.web.templatetags.casebook import kind_name, label, labels

register = template.Library()


def _e(value: Any) -> str:
    """``{{ value }}`` on an autoescaped page."""
    return str(conditional_escape(value))


def _day(value: Any) -> str:
    """``{{ value|date:"Y-m-d" }}``."""
    return _e(date(value, "Y-m-d"))


def _text(value: str) -> str:
    """``{{ value|linebreaksbr }}``."""
    return str(linebreaksbr(value, autoescape=True))


def _url(name: str, *args: str) -> str:
    return _e(reverse(name, args=list(args)))


_ID = re.compile(r"[0-9a-f]{16}")  # what a record id is, and the routes take


class _CaseLinks:
    """``{% url 'casebook:case' case_id %}`` for many cases: the route reversed once, the id put in its place."""

    def __init__(self) -> None:
        self._marked = _url("casebook:case", "0" * 16)

    def __call__(self, case_id: str) -> str:
        return self._marked.replace("0" * 16, case_id) if _ID.fullmatch(case_id) else _url("casebook:case", case_id)


def _may(context: template.Context, permission: str) -> bool:
    """``{% may permission %}``, asked once per page (the answer is the request's, not the record's)."""
    key = f"_timeline_may_{permission}"
    if key not in context.render_context:
        request = context.get("request")
        context.render_context[key] = request is not None and allowed(request, permission)
    return bool(context.render_context[key])


def _incident(r: Any) -> list[str]:
    out = ["<p>", _e(label(r.threat, "threat")), " · ", _e(label(r.actor_kind, "actor"))]
    if r.place:
        out += [" · <bdi>", _e(r.place), "</bdi>"]
    out.append("</p>")
    if r.description:
        out += ['<p dir="auto">', _text(r.description), "</p>"]
    if r.evidence:
        out += ["<p>", gettext("Evidence"), ": <bdi>", _e(r.evidence), "</bdi></p>"]
    return out


def _where(r: Any) -> list[str]:
    """An issuer, and its mission after a comma."""
    out = [_e(label(r.issuer, "issuer"))]
    if r.mission:
        out += [comma(), _e(label(r.mission, "mission"))]
    return out


def _supports(r: Any) -> str:
    return str(commas(labels(r.support_types, "support")))


def _engagement(r: Any) -> list[str]:
    out = ["<p>", *_where(r), " · ", _e(label(r.channel, "channel"))]
    if r.roles:
        out += [" · <bdi>", _e(r.roles), "</bdi>"]
    out.append("</p>")
    if r.support_types:
        out += ["<p>", gettext("Asked for"), ": ", _supports(r), "</p>"]
    if r.discussed:
        out += ['<p dir="auto">', _text(r.discussed), "</p>"]
    if r.outcome:
        out += ["<p>", gettext("Outcome"), ": <bdi>", _text(r.outcome), "</bdi></p>"]
    return out


def _request(r: Any, may_export: bool) -> list[str]:
    out = ["<p>", *_where(r), " · <strong>", _e(label(r.status, "status")), "</strong>"]
    if r.sent_on:
        out += [" · ", gettext("sent"), " ", _day(r.sent_on)]
    if r.answered_on:
        out += [" · ", gettext("answered"), " ", _day(r.answered_on)]
    out += ["</p><p>", _supports(r), "</p>"]
    if may_export:
        out += ['<p><a href="', _url("casebook:request-letter", r.id), '">']
        out += [gettext("Write a letter for this request"), "</a></p>"]
    if r.notes:
        out += ['<p dir="auto">', _text(r.notes), "</p>"]
    return out


def _overdue(due: Any, today: Any) -> bool:
    """``{% if r.due_on < today %}``: false, as the template's comparison is, when the two do not compare."""
    try:
        return bool(due < today)
    except TypeError:
        return False


def _follow_up(context: template.Context, r: Any, may_change: bool) -> list[str]:
    out = ["<p><bdi>", _e(r.what), "</bdi>"]
    if r.done_on:
        out += [" · ", gettext("done"), " ", _day(r.done_on)]
    elif _overdue(r.due_on, context.get("today")):
        out += [" · <strong>", gettext("overdue"), "</strong>"]
    out.append("</p>")
    if not r.done_on and may_change:
        out += ['<form method="post" action="', _url("casebook:follow-up-done", r.id), '">']
        out += [str(CsrfTokenNode().render(context)), '<input type="hidden" name="back" value="case">']
        out += ['<button type="submit">', gettext("Mark done"), "</button></form>"]
    return out


def _consent(r: Any) -> list[str]:
    out = ["<p>", _e(label(r.purpose, "purpose"))]
    if r.recipient:
        out += [": <bdi>", _e(r.recipient), "</bdi>"]
    out.append("</p><p>")
    if r.purpose == "received":
        out += [gettext("Received by"), " <bdi>", _e(r.agreed_by), "</bdi>"]
    else:
        out += [gettext("Agreed by"), " <bdi>", _e(r.agreed_by), "</bdi> (", _e(label(r.relation, "relation"))]
        out += [") · ", _e(label(r.means, "means"))]
    out.append("</p>")
    if r.notes:
        out += ['<p dir="auto">', _text(r.notes), "</p>"]
    return out


def _risk(r: Any) -> list[str]:
    out = ["<p>", _e(label(r.level, "risk")), " (", _e(floatformat(r.score, 1)), "): "]
    out += [gettext("threats"), " ", _e(r.threats), ", ", gettext("vulnerabilities"), " ", _e(r.vulnerabilities)]
    out += [", ", gettext("capacities"), " ", _e(r.capacities), "</p>"]
    if r.notes:
        out += ['<p dir="auto">', _text(r.notes), "</p>"]
    return out


@register.simple_tag(takes_context=True)
def timeline_entry(context: template.Context, entry: TimelineEntry) -> SafeString:
    """What ``{% include "casebook/_entry.html" with r=e.record kind=e.kind on=e.on %}`` wrote."""
    r, kind = entry.record, entry.kind
    may_change, may_export = _may(context, "case.change"), _may(context, "case.export")
    out = ["<p><strong>", _e(entry.on), "</strong> · ", _e(kind_name(kind))]
    if may_change and kind != "consent":
        out += [' · <a href="', _url("casebook:record", kind, r.id), '">', gettext("Edit"), "</a>"]
    out.append("</p>\n")
    if kind == "incident":
        out += _incident(r)
    elif kind == "engagement":
        out += _engagement(r)
    elif kind == "request":
        out += _request(r, may_export)
    elif kind == "follow-up":
        out += _follow_up(context, r, may_change)
    elif kind == "consent":
        out += _consent(r)
    elif kind == "risk":
        out += _risk(r)
    if kind in ("incident", "engagement", "request", "follow-up", "consent", "risk"):
        out.append("\n")
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag
def case_rows(rows: list[tuple[Any, Any]], owners: bool) -> SafeString:
    """The dashboard's rows of cases: each case with its country, latest risk, status, owner (when ``owners``),
    records, last activity, open requests and overdue follow-ups; a line break after each row."""
    out: list[str] = []
    link = _CaseLinks()
    for s, owner in rows:
        case = s.case
        out += ['<tr><th scope="row"><a href="', link(case.id), '" dir="auto">', _e(case.pseudonym)]
        out.append("</a></th><td>")
        if case.country:
            out.append(_e(label(case.country, "country")))
        else:
            out += ['<span class="muted">', gettext("Not recorded"), "</span>"]
        out.append("</td><td>")
        if s.risk_level:
            out += ['<span class="risk risk-', _e(s.risk_level), '">', _e(label(s.risk_level, "risk")), "</span>"]
        else:
            out += ['<span class="muted">', gettext("Not assessed yet"), "</span>"]
        out.append("</td><td>")
        out.append(f'<span class="tag">{gettext("closed")}</span>' if case.closed else gettext("open"))
        out.append("</td>")
        if owners:
            out += ["<td><bdi>", _e(owner), "</bdi></td>"]
        out += ["<td>", _e(localize(s.records)), "</td><td>", _e(s.last_activity[:10]), "</td>"]
        out += ["<td>", _e(localize(s.open_requests)), "</td><td>", _e(localize(s.overdue)), "</td></tr>\n"]
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag
def mission_rows(missions: list[Any]) -> SafeString:
    """The per-mission view's rows: each issuer and mission, its last engagement, its open requests."""
    out: list[str] = []
    link = _CaseLinks()
    for m in missions:
        out += ['<tr><th scope="row">', _e(label(m.issuer, "issuer"))]
        if m.mission:
            out += ["<br>", _e(label(m.mission, "mission"))]
        out.append("</th>\n<td>")
        e = m.last_engagement
        if e:
            out += ['<a href="', link(e.case_id), '">', _day(e.occurred_on), "</a> · ", _e(label(e.channel, "channel"))]
            if e.roles:
                out += [" · <bdi>", _e(e.roles), "</bdi>"]
        else:
            out.append("—")
        out.append("</td>\n<td>")
        for n, r in enumerate(m.open_requests):
            out += ['<a href="', link(r.case_id), '">', _e(label(r.status, "status")), "</a>"]
            if r.sent_on:
                out += [" ", _day(r.sent_on)]
            out += [": ", _supports(r)]
            if n < len(m.open_requests) - 1:
                out.append("<br>")
        if not m.open_requests:
            out.append("—")
        out.append("</td></tr>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped
