"""``{% timeline_entry %}`` writes, byte for byte, what the template it replaced (``casebook/_entry.html``) wrote.

The former template is kept beside this test (former_casebook_entry.html), as it was, and rendered beside
the tag for every kind of record, with and without each field, with text that must be escaped, in English
and in Arabic (another comma), for a member who may change and export and one who may not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from amparo.casebook.records import Consent, Engagement, FollowUp, Incident, Request, RiskAssessment
from amparo.casebook.results import TimelineEntry
from amparo.web.casebook.templatetags import casebook_access, casebook_timeline

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
    for module in (casebook_access, casebook_timeline):  # the former template's {% may %}, and the tag's
        monkeypatch.setattr(module, "allowed", lambda request, permission: may)
    request = RequestFactory().get("/")
    former = Template(FORMER)
    tag = Template("{% load casebook_timeline %}{% timeline_entry e %}")
    with translation.override(language):
        for record in RECORDS:
            entry = TimelineEntry(DAY.isoformat(), KINDS[type(record)], record)
            values = {"request": request, "csrf_token": "a-token", "today": DAY}
            wanted = former.render(Context({**values, "r": record, "kind": entry.kind, "on": entry.on}))
            assert tag.render(Context({**values, "e": entry})) == wanted, record
