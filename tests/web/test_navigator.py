"""The navigator on the site, the API and the CLI: the same plan, nothing stored, nothing logged."""

from __future__ import annotations

import json
import logging

import pytest
import yaml
from click.testing import CliRunner
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings

from amparo.cli import main
from amparo.guidelines import get_dataset
from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.navigator.compact import plan_json_compact
from amparo.navigator.render import plan_json
from tests.navigator.strategies import situations

CANARY = "Kq7CanaryZx9"
SITUATION = {
    "country": "PH",
    "subject": "community",
    "urgency": "attacked",
    "exposure": "public",
    "fields": ["indigenous-rights"],
    "threats": ["judicial-harassment", "surveillance", "stigmatisation", "asset-freeze"],
    "needs": ["recognition"],
}


def form_data(raw: dict) -> dict:
    data = {k: v for k, v in raw.items() if not isinstance(v, bool)}
    data.update({k: "on" for k, v in raw.items() if v is True})
    return data


@pytest.fixture
def client():
    return Client()


def test_form_is_a_public_page_that_posts(client):
    response = client.get("/en/navigator/")
    body = response.content.decode()
    assert response.status_code == 200 and 'method="post"' in body and 'action="/en/navigator/plan/"' in body
    assert "Nothing you enter is stored" in body and not response.cookies


@pytest.mark.django_db(transaction=True)
def test_plan_page_stores_nothing_logs_nothing_sets_no_cookie(client, caplog):
    data = form_data(SITUATION) | {"location": "TH"}
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/en/navigator/plan/", data | {"unknown_field": CANARY})
        response = client.post("/en/navigator/plan/", data)
    assert response.status_code == 200
    assert len(queries) == 0, "the navigator never touches the database"
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert CANARY not in caplog.text and "judicial-harassment" not in caplog.text
    body = response.content.decode()
    assert "Your plan" in body and "Observation of your trial" in body


def test_bad_answers_come_back_with_field_errors_and_nothing_lost(client):
    response = client.post(
        "/en/navigator/plan/", {"country": "ZZ", "threats": ["surveillance", "nonsense"], "exposure": "public"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in body and 'href="#f-country"' in body and 'href="#f-threats"' in body
    assert 'value="public" checked' in body, "answers given are kept"


def test_change_my_answers_refills_the_form(client):
    response = client.post("/en/navigator/plan/", form_data(SITUATION) | {"edit": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and 'value="PH" selected' in body and 'value="asset-freeze" checked' in body


def test_plan_is_not_reachable_by_get(client):
    assert client.get("/en/navigator/plan/?country=PH").status_code == 405


def test_api_plan_equals_the_pure_plan(client):
    response = client.post("/api/v1/plan", data=json.dumps(SITUATION), content_type="application/json")
    assert response.status_code == 200 and response.json()["ok"] is True
    dataset = get_dataset()
    expected = plan_json(make_plan(parse_situation(SITUATION, dataset), dataset, get_rules(dataset)))
    assert response.json()["plan"] == json.loads(json.dumps(expected))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('{"country": "ZZ"}', "application/json", 400),
        ("country=PH", "application/x-www-form-urlencoded", 415),
        ('{"a": ' * 5000 + "1" + "}" * 5000, "application/json", 400),
    ],
)
def test_api_plan_errors_have_one_shape(client, body, content_type, status):
    response = client.post("/api/v1/plan", data=body, content_type=content_type)
    assert response.status_code == status
    payload = response.json()
    assert payload["ok"] is False and payload["status"] == status and payload["errors"]


def test_api_plan_field_errors_name_each_field(client):
    response = client.post(
        "/api/v1/plan", data=json.dumps({"country": "ZZ", "urgency": "soon"}), content_type="application/json"
    )
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"country", "urgency", "subject", "exposure"} <= fields


def test_api_plan_refuses_get(client):
    assert client.get("/api/v1/plan").status_code == 405


def test_cli_gives_the_same_plan(tmp_path):
    path = tmp_path / "situation.yaml"
    path.write_text(yaml.safe_dump(SITUATION))
    result = CliRunner().invoke(main, ["navigate", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    dataset = get_dataset()
    expected = plan_json_compact(make_plan(parse_situation(SITUATION, dataset), dataset, get_rules(dataset)))
    assert json.loads(result.output) == json.loads(json.dumps(expected))  # the API's current format, 2
    for fmt in ("text", "md"):
        out = CliRunner().invoke(main, ["navigate", str(path), "--format", fmt])
        assert out.exit_code == 0 and "Observation of your trial" in out.output


def test_cli_reports_bad_situations_field_by_field(tmp_path):
    path = tmp_path / "situation.yaml"
    path.write_text("country: ZZ\nurgency: soon\n")
    result = CliRunner().invoke(main, ["navigate", str(path)])
    assert result.exit_code == 2
    assert "country:" in result.output and "urgency:" in result.output and "Traceback" not in result.output
    path.write_text("country: [unclosed\n")
    result = CliRunner().invoke(main, ["navigate", str(path)])
    assert result.exit_code == 1 and "invalid YAML" in result.output


@settings(max_examples=40, deadline=None)
@given(situations())
def test_site_api_and_pure_plan_agree_on_generated_situations(raw):
    client = Client()
    dataset = get_dataset()
    plan = make_plan(parse_situation(raw, dataset), dataset, get_rules(dataset))
    api = client.post("/api/v1/plan", data=json.dumps(raw), content_type="application/json").json()["plan"]
    assert api == json.loads(json.dumps(plan_json(plan)))
    page = client.post("/en/navigator/plan/", form_data(raw)).content.decode()
    for recommendation in plan.recommendations:
        assert f'id="r-{recommendation.support_type.id}"' in page
    assert page.count('id="r-') == len(plan.recommendations)


def every_answer() -> dict:
    """Every threat, need and field at once, in immediate danger, abroad: the heaviest plan there is."""
    vocabulary = get_dataset().situations
    return {
        "country": "MX",
        "subject": "community",
        "urgency": "immediate-danger",
        "exposure": "public",
        "threats": list(vocabulary["threat"]),
        "needs": list(vocabulary["need"]),
        "fields": list(vocabulary["field"]),
        "family_at_risk": True,
        "unhcr_registered": True,
        "uses_violence": True,
        "location": "GT",
        "authorities": "must-not-know",
        "on_behalf": True,
        "company_country": "GB",
    }


def test_the_largest_plan_still_fits_one_round_trip(client):
    """Every threat, need and field at once, in immediate danger: the heaviest plan page there is."""
    import gzip

    from django.conf import settings

    everything = every_answer()
    css = (settings.BASE_DIR / "web" / "static" / "amparo" / "amparo.css").read_bytes()
    for language, _name in settings.LANGUAGES:
        body = client.post(f"/{language}/navigator/plan/", form_data(everything)).content
        size = len(gzip.compress(body, 9)) + len(gzip.compress(css, 9))
        assert size <= 14 * 1024, f"{language}: {size} bytes"
