"""The JSON API: the same data and ids as the pages, one error shape, never a 5xx."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.guidelines import get_dataset


@pytest.fixture(scope="module")
def client():
    return Client()


def ok(response):
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["ok"] is True
    return body


def assert_error_shape(response, status):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"ok", "status", "error", "errors"}
    assert body["ok"] is False and body["status"] == status and isinstance(body["errors"], list)


def test_index_lists_endpoints(client):
    assert "support_types" in ok(client.get("/api/v1/"))["endpoints"]


def test_support_types_and_one(client):
    body = ok(client.get("/api/v1/support-types"))
    assert [s["id"] for s in body["support_types"]] == list(get_dataset().support_types)
    one = ok(client.get("/api/v1/support-types/asylum-from-abroad"))
    assert {p["issuer"] for p in one["provisions"] if p["status"] == "explicit"} == {"CA", "NO"}


def test_issuers_and_one(client):
    body = ok(client.get("/api/v1/issuers"))
    assert {"EU", "CA", "OSCE"} <= {i["id"] for i in body["issuers"]}
    canada = ok(client.get("/api/v1/issuers/CA"))
    assert canada["issuer"]["guidelines"] and canada["missions"] and canada["provisions"]


def test_provisions_filtered(client):
    body = ok(client.get("/api/v1/provisions?issuer=BG&status=inherited"))
    assert body["provisions"] and all(p["issuer"] == "BG" and p["status"] == "inherited" for p in body["provisions"])


def test_guidance_programmes_search(client):
    assert len(ok(client.get("/api/v1/guidance"))["guidance"]) == len(get_dataset().guidance)
    assert ok(client.get("/api/v1/guidance/engage-early"))["guidance"]["kind"] == "ten_things"
    assert ok(client.get("/api/v1/programmes"))["programmes"]
    results = ok(client.get("/api/v1/search?q=visa"))["results"]
    assert "emergency-visa" in [h["id"] for h in results["support_type"]]


def test_openapi_describes_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    for path in ("/support-types", "/issuers/{issuer_id}", "/provisions", "/search", "/guidance/{guidance_id}"):
        assert path in spec["paths"]


@pytest.mark.parametrize(
    "url", ["/api/v1/issuers/XX", "/api/v1/support-types/nope", "/api/v1/guidance/nope", "/api/v1/nowhere"]
)
def test_unknown_ids_are_404_in_the_error_shape(client, url):
    assert_error_shape(client.get(url), 404)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/provisions?status=maybe",
        "/api/v1/provisions?issuer=ZZ",
        "/api/v1/provisions?support_type=x",
        "/api/v1/search",
        "/api/v1/search?q=" + "x" * 500,
        "/api/v1/search?q=visa&lang=zz",
    ],
)
def test_bad_parameters_are_400_with_field_errors(client, url):
    response = client.get(url)
    assert_error_shape(response, 400)
    assert response.json()["errors"][0]["field"]


def test_writes_are_405_in_the_error_shape(client):
    response = client.post("/api/v1/issuers", data="{}", content_type="application/json")
    assert_error_shape(response, 405)


def test_api_sets_no_cookie_and_has_the_policy(client):
    response = client.get("/api/v1/issuers/CA")
    assert not response.cookies and "Content-Security-Policy" in response.headers
    json.loads(response.content)


@settings(max_examples=100, deadline=None)
@given(
    path=st.sampled_from(["/api/v1/provisions", "/api/v1/search", "/api/v1/issuers", "/api/v1/support-types"]),
    params=st.dictionaries(
        st.sampled_from(["q", "issuer", "status", "support_type", "lang", "x"]), st.text(max_size=40), max_size=4
    ),
)
def test_any_query_gets_json_and_never_a_5xx(path, params):
    response = Client().get(path, params)
    assert response.status_code in (200, 400)
    assert "ok" in response.json()
