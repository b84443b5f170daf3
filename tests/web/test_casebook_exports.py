"""Exports name what they code (a country, a mission, a support type) beside the code, and every export link
says on screen that the file it gives is not encrypted."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from tests.web.casebook_helpers import new_case
from tests.web.test_casebook_flow import RECORDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(unlocked: Client) -> str:
    case_id = new_case(unlocked, "River guardian", "HN")
    for kind, data in RECORDS.items():
        unlocked.post(f"/en/casebook/cases/{case_id}/new/{kind}/", data)
    return case_id


def _csv(client: Client, url: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))


def test_the_case_csv_names_each_code_in_the_next_column(unlocked: Client, recorded: str) -> None:
    rows = _csv(unlocked, f"/en/casebook/cases/{recorded}/export.csv")
    header = list(rows[0])
    for code, name in [
        ("country", "country_name"),
        ("mission", "mission_name"),
        ("support_types", "support_type_names"),
    ]:
        assert header.index(name) == header.index(code) + 1
    case = rows[0]
    assert case["country"] == "HN" and case["country_name"] == "Honduras"
    assert case["subject"] == "community" and case["subject_name"]
    engagement = next(r for r in rows if r["record"] == "engagement")
    assert engagement["issuer"] == "DE" and engagement["issuer_name"] == "Germany"
    assert engagement["mission"] == "Q58643251" and "(embassy)" in engagement["mission_name"]
    assert engagement["support_types"] == "trial-observation"
    assert engagement["support_type_names"] == "Observation of your trial"
    request = next(r for r in rows if r["record"] == "request")
    assert request["status"] == "sent" and request["status_name"] == "Sent"
    incident = next(r for r in rows if r["record"] == "incident")
    assert incident["threat"] == "threats" and incident["threat_name"] and incident["actor_kind_name"]


def test_the_json_exports_name_the_codes_and_keep_them(unlocked: Client, recorded: str) -> None:
    exported = json.loads(unlocked.get(f"/en/casebook/cases/{recorded}/export.json").content)
    assert exported["case"]["country"] == "HN" and exported["case"]["country_name"] == "Honduras"
    engagement = exported["engagement"][0]
    assert engagement["support_types"] == ["trial-observation"]
    assert engagement["support_type_names"] == ["Observation of your trial"]
    engagements = json.loads(unlocked.get("/en/casebook/export/engagements.json").content)
    assert engagements[0]["mission"] == "Q58643251" and engagements[0]["issuer_name"] == "Germany"


def test_names_are_in_the_language_of_the_page(unlocked: Client, recorded: str) -> None:
    rows = _csv(unlocked, f"/es/casebook/cases/{recorded}/export.csv")
    engagement = next(r for r in rows if r["record"] == "engagement")
    assert engagement["issuer"] == "DE" and engagement["issuer_name"] == "Alemania"
    assert engagement["mission"] == "Q58643251" and "(embajada)" in engagement["mission_name"]
    engagements = _csv(unlocked, "/fr/casebook/export/engagements.csv")
    assert engagements[0]["issuer"] == "DE" and engagements[0]["issuer_name"] == "Allemagne"


def test_an_unknown_code_gets_no_made_up_name() -> None:
    from amparo.casebook.exports import Names

    names = Names()
    assert names.of("country", "XX") == "" and names.of("issuer", "nowhere") == "" and names.of("mission", "Q0") == ""
    assert names.of("support_types", "not-a-measure") == "" and names.of("status", "lost") == ""


def test_every_export_link_warns_that_its_file_is_not_encrypted(unlocked: Client, recorded: str) -> None:
    for url, links in [
        ("/en/casebook/", 3),  # engagements CSV and JSON, follow-ups ICS
        (f"/en/casebook/cases/{recorded}/", 2),
        ("/en/casebook/follow-ups/", 1),
    ]:
        body = unlocked.get(url).content.decode()
        exports = body.count("/export.") + body.count("/export/")
        assert exports == links, url
        warnings = body.count('class="export-warning"')
        assert warnings >= 1 and "These files are not encrypted:" in body, url
        assert "/casebook/backup/" in body.split('class="export-warning"')[1], url  # the encrypted alternative
        # each warning comes right after its line of export links
        for part in body.split('class="export-warning"')[:-1]:
            assert "/export" in part.rsplit("</p>", 2)[-2], url
