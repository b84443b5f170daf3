"""The plan page, the programmes page and the offline navigator show how to reach emergency help.

On a copy of the dataset with made-up routes (tests/navigator/routes.py), served by the live views; and the
offline navigator's page, on the same copy, shows what the live plan page shows, in every language.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from amparo.guidelines.model import Dataset
from amparo.web.edition.data import navigator_data_js
from tests.js.pages import html_tree, offline_navigator_html
from tests.navigator.routes import DIGITAL_ONLY, ROUTES, UNREACHABLE, routed_dataset
from tests.web.test_navigator_parity import (
    HERE,
    LANGUAGES,
    NODE,
    _node,
    form_answers,
    live_plan_text,
    offline_plan_text,
    posted,
)

CSS = (settings.BASE_DIR / "web" / "static" / "amparo" / "amparo.css").read_bytes()
DANGER = {"country": "MX", "subject": "individual", "urgency": "immediate-danger", "exposure": "discreet"}
PHYSICAL = {**DANGER, "threats": ["physical-attack", "threats"]}
DIGITAL = {**DANGER, "threats": ["physical-attack", "online-harassment"]}


@pytest.fixture(scope="module")
def routed(tmp_path_factory) -> Dataset:
    return routed_dataset(tmp_path_factory.mktemp("routes") / "data")


def serve(monkeypatch, dataset: Dataset) -> Client:
    """A client of the live views, reading ``dataset``."""
    monkeypatch.setattr("amparo.web.navigator.get_dataset", lambda: dataset)
    monkeypatch.setattr("amparo.web.views.get_dataset", lambda: dataset)
    return Client()


def plan_page(client: Client, situation: dict, language: str = "en") -> str:
    response = client.post(f"/{language}/navigator/plan/", posted(form_answers(situation)))
    assert response.status_code == 200
    return response.content.decode("utf-8")


def emergency_box(body: str) -> str:
    """The emergency box's organisations and their routes (its measures, each with the programmes that offer
    it, follow in their own list)."""
    start = body.index('aria-labelledby="emergency"')
    return body[start : body.index('<ol class="measures">', start)]


def test_the_plan_page_links_every_route_and_shows_where_and_when_it_was_read(monkeypatch, routed):
    client = serve(monkeypatch, routed)
    for language in LANGUAGES:
        box = emergency_box(plan_page(client, PHYSICAL, language))
        assert 'href="tel:+0010000001"' in box and "+00 (0) 1 000 0001" in box
        assert 'href="mailto:urgent@example.org"' in box
        assert 'href="https://example.org/protectdefenders-eu/urgent-form"' in box
        assert "+00 1 000 0002" in box, "a messenger number is shown, with nothing to open"
        assert 'href="https://example.org/front-line-defenders/contact#emergency"' in box
        assert "2026-12-01" in box and "2026-12-02" in box, "the day each route was read"
        assert box.index("protectdefenders-eu") < box.index("front-line-defenders")
        assert DIGITAL_ONLY not in box and UNREACHABLE not in box, language
        assert DIGITAL_ONLY in emergency_box(plan_page(client, DIGITAL, language))


def test_with_no_route_the_plan_page_says_so_and_points_to_the_programmes(monkeypatch, routed):
    bare = replace(routed, programmes={k: replace(p, contacts=()) for k, p in routed.programmes.items()})
    box = emergency_box(plan_page(serve(monkeypatch, bare), PHYSICAL))
    assert "We hold no contact route for an emergency organisation" in box
    assert 'href="/en/programmes/"' in box and "<ul>" not in box.split("<ol>")[0]


def test_the_programmes_page_shows_every_route(monkeypatch, routed):
    client = serve(monkeypatch, routed)
    for language in LANGUAGES:
        body = client.get(f"/{language}/programmes/").content.decode("utf-8")
        for programme_id in ROUTES:
            section = body[body.index(f'id="{programme_id}"') :]
            section = section[: section.index("</section>")]
            for route in routed.programmes[programme_id].contacts:
                assert route.value in section and route.checked.isoformat() in section
                assert route.href is None or f'href="{route.href}"' in section
        size = len(gzip.compress(body.encode(), 9)) + len(gzip.compress(CSS, 9))
        assert size <= 14 * 1024, f"{language}: {size} bytes"


def test_the_plan_page_with_routes_still_fits_one_round_trip(monkeypatch, routed):
    client = serve(monkeypatch, routed)
    everything = {**DIGITAL, "threats": list(routed.situations["threat"]), "needs": list(routed.situations["need"])}
    everything |= {"fields": list(routed.situations["field"]), "exposure": "public", "location": "GT"}
    everything |= {"family_at_risk": True, "unhcr_registered": True, "uses_violence": True}
    for language in LANGUAGES:
        body = plan_page(client, everything, language).encode()
        size = len(gzip.compress(body, 9)) + len(gzip.compress(CSS, 9))
        assert size <= 14 * 1024, f"{language}: {size} bytes"


def test_the_offline_page_shows_the_routes_as_the_live_page_does(monkeypatch, routed, tmp_path: Path):
    if NODE is None:
        pytest.skip("node is not installed (make test installs it)")
    data_js = tmp_path / "navigator-data.js"
    data_js.write_text(navigator_data_js(routed), encoding="utf-8")
    pages = tmp_path / "pages.json"
    trees = {language: html_tree(offline_navigator_html(language)) for language in LANGUAGES}
    pages.write_text(json.dumps(trees, ensure_ascii=False), encoding="utf-8")
    situations = [PHYSICAL, DIGITAL, {**DANGER, "threats": ["surveillance"], "needs": ["relocation"]}]
    answers = [form_answers(raw) for raw in situations]
    (tmp_path / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    shown = _node(HERE / "parity-render.mjs", data_js, pages, tmp_path / "answers.json")
    client = serve(monkeypatch, routed)
    for language in LANGUAGES:
        for raw, offline in zip(situations, shown[language], strict=True):
            live = live_plan_text(plan_page(client, raw, language))
            assert offline_plan_text(offline) == live, language
            assert "+00 (0) 1 000 0001" in live and "2026-12-02" in live
        assert 'href="tel:+0010000001"' in shown[language][0] and DIGITAL_ONLY not in shown[language][0]
