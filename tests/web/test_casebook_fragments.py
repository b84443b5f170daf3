"""The casebook's fragments written in Python write, byte for byte, what the templates they replaced wrote.

``{% timeline_entry %}`` (once ``casebook/_entry.html``) and ``{% case_rows %}`` (once the loop over the
dashboard's rows). The former templates are kept beside this test (former_casebook_entry.html,
former_casebook_rows.html), as they were, and rendered beside the tags: every kind of record, with and
without each field, text that must be escaped, English and Arabic (another comma), a member who may
change and export and one who may not; cases open and closed, with and without a country, a risk, an owner.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from amparo.casebook.records import Case, Consent, Engagement, FollowUp, Incident, Request, RiskAssessment
from amparo.casebook.results import CaseSummary, MissionSummary, TimelineEntry
from amparo.web.casebook.templatetags import casebook_access, casebook_fragments

FORMER = (Path(__file__).parent / "former_casebook_entry.html").read_text(encoding="utf-8")

DAY = dt.date(2026, 3, 1)
ID = "{:016x}"  # record ids are 16 hexadecimal digits
ODD = 'Said "stop" <b>&</b>\nthen left'  # to escape, and a line break
RECORDS = [
    Incident("c1", DAY, "threats", "company", ODD, ODD, ODD, id=ID.format(0)),
    Incident("c1", DAY, "no-such-threat", "police", id=ID.format(1)),
    Engagement("c1", DAY, "DE", "", "meeting", ODD, ODD, ("trial-observation", "visit"), ODD, id=ID.format(2)),
    Engagement("c1", DAY, "no-such-issuer", "no-such-mission", "call", id=ID.format(3)),
    Request("c1", "CA", ("trial-observation",), "", "sent", DAY, DAY, DAY, ODD, id=ID.format(4)),
    Request("c1", "DE", (), "no-such-mission", "draft", DAY, id=ID.format(5)),
    FollowUp("c1", DAY, ODD, done_on=DAY, id=ID.format(6)),
    FollowUp("c1", DAY - dt.timedelta(days=3), "Call back", id=ID.format(7)),
    FollowUp("c1", DAY + dt.timedelta(days=3), "Call back", id=ID.format(8)),
    Consent("c1", DAY, ODD, "representative", "move-to-team", ODD, "phone", ODD, id=ID.format(9)),
    Consent("c1", DAY, "Officer", "officer", "received", id=ID.format(10)),
    RiskAssessment("c1", DAY, 4, 3, 2, ODD, id=ID.format(11)),
    RiskAssessment("c1", DAY, 1, 1, 5, id=ID.format(12)),
]
KINDS = {
    Incident: "incident",
    Engagement: "engagement",
    Request: "request",
    FollowUp: "follow-up",
    Consent: "consent",
    RiskAssessment: "risk",
}


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("may", [True, False])
def test_the_tag_writes_what_the_template_wrote(language: str, may: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (casebook_access, casebook_fragments):  # the former template's {% may %}, and the tag's
        monkeypatch.setattr(module, "allowed", lambda request, permission: may)
    request = RequestFactory().get("/")
    former = Template(FORMER)
    tag = Template("{% load casebook_fragments %}{% timeline_entry e %}")
    with translation.override(language):
        for record in RECORDS:
            entry = TimelineEntry(DAY.isoformat(), KINDS[type(record)], record)
            values = {"request": request, "csrf_token": "a-token", "today": DAY}
            wanted = former.render(Context({**values, "r": record, "kind": entry.kind, "on": entry.on}))
            assert tag.render(Context({**values, "e": entry})) == wanted, record


ROWS = (Path(__file__).parent / "former_casebook_rows.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("owners", [True, False])
def test_the_rows_are_what_the_loop_wrote(language: str, owners: bool) -> None:
    summaries = [
        CaseSummary(Case(ODD, "community", "HN", id=ID.format(1)), 1234, "2026-03-01", 2, 0, "high", 9.5),
        CaseSummary(
            Case("Night school", "group", "", closed=True, id=ID.format(2)), 0, "2026-03-01T10:00", 0, 3, "", None
        ),
        CaseSummary(Case("Río", "group", "XX", id=ID.format(3)), 7, "", 0, 0, "very-high", 20.0),
    ]
    rows = list(zip(summaries, ["Ana <b>", None, ""], strict=True))
    with translation.override(language):
        wanted = Template(ROWS).render(Context({"rows": rows, "owners": owners}))
        written = Template("{% load casebook_fragments %}{% case_rows rows owners %}").render(
            Context({"rows": rows, "owners": owners})
        )
    assert written == wanted


MISSIONS = (Path(__file__).parent / "former_casebook_missions.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_mission_rows_are_what_the_loop_wrote(language: str) -> None:
    seen = Engagement(ID.format(1), DAY, "DE", "Q16414649", "meeting", ODD, id=ID.format(20))
    quiet = Engagement(ID.format(2), DAY, "no-such-issuer", "", "call", id=ID.format(21))
    asked = [
        Request(ID.format(1), "DE", ("trial-observation", "visit"), "Q16414649", "sent", DAY, DAY, id=ID.format(22)),
        Request(ID.format(3), "DE", (), "Q16414649", "draft", DAY, id=ID.format(23)),
    ]
    missions = [
        MissionSummary("DE", "Q16414649", seen, tuple(asked)),
        MissionSummary("no-such-issuer", "", quiet, ()),
        MissionSummary("CA", "no-such-mission", None, (asked[0],)),
    ]
    with translation.override(language):
        wanted = Template(MISSIONS).render(Context({"missions": missions}))
        written = Template("{% load casebook_fragments %}{% mission_rows missions %}").render(
            Context({"missions": missions})
        )
    assert written == wanted
