"""A plan from the command line or the API is written in the language asked for, not only the site's pages:
every sentence the navigator composes comes from the site's catalogue, its lists take the language's
punctuation and its numbers the language's digits grouping.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from amparo.cli import main
from amparo.guidelines import get_dataset
from amparo.guidelines.words import LANGUAGES, number, words_in
from amparo.labels import EXPOSURE_LABELS, VISIBILITY_LABELS
from amparo.navigator import get_rules, make_plan, parse_situation, render
from amparo.navigator.plan import Plan
from amparo.navigator.render import EXPOSURE_REASON, exclusion_reason, plan_json, plan_markdown, plan_text
from tests.navigator.test_plan_first import HONDURAS

OTHERS = [language for language in LANGUAGES if language != "en"]
# Plans that between them write every kind of line: an emergency with asks beyond what is accepted and measures
# left out for exposure; a defender abroad with missions for a return; someone filling it in for a detainee.
SITUATIONS: dict[str, dict[str, Any]] = {
    "emergency": HONDURAS,
    "abroad": {
        "country": "NI",
        "location": "CR",
        "subject": "individual",
        "urgency": "pressure",
        "exposure": "formal",
        "threats": ["judicial-harassment", "travel-ban"],
        "needs": ["safe-return"],
    },
    "detained": {
        "country": "EG",
        "subject": "individual",
        "urgency": "attacked",
        "exposure": "public",
        "threats": ["arbitrary-detention"],
        "needs": ["detention-visits", "trial-observation"],
        "on_behalf": True,
    },
}


def plan_for(raw: dict[str, Any]) -> Plan:
    dataset = get_dataset()
    return make_plan(parse_situation(raw, dataset), dataset, get_rules(dataset))


def render_calls() -> list[tuple[str, ...]]:
    """Every message render.py writes: each string it marks with gettext_noop, as ``(message,)``, and each pair of
    forms it asks ngettext for, as ``(singular, plural)``."""
    tree = ast.parse(Path(render.__file__).read_text(encoding="utf-8"))
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"gettext_noop", "ngettext"}:
                calls.append(
                    tuple(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
                )
    return calls


def render_messages() -> list[str]:
    return [message for call in render_calls() for message in call]


def english_runs(message: str) -> list[str]:
    """The words of a message around its placeholders, long enough that they cannot be a name or a code."""
    return [run.strip(" .:;,“”") for run in re.split(r"%\(\w+\)s", message) if len(run.strip(" .:;,“”")) >= 12]


def test_render_marks_the_sentences_it_writes():
    messages = render_messages()
    assert EXPOSURE_REASON in messages and "Your plan" in messages and len(messages) >= 30


@pytest.mark.parametrize("language", OTHERS)
def test_every_sentence_of_a_text_plan_is_translated(language):
    catalogue = words_in(language).catalogue

    def translated(call: tuple[str, ...]) -> bool:
        if len(call) == 1:
            return catalogue.gettext(call[0]) != call[0]
        return all(catalogue.ngettext(*call, n) not in call for n in (1, 2, 5, 11))

    untranslated = [call for call in render_calls() if not translated(call) and english_runs(call[-1])]
    assert not untranslated, untranslated


@pytest.mark.parametrize("language", OTHERS)
@pytest.mark.parametrize("kind", SITUATIONS)
def test_a_text_plan_holds_no_english_sentence_of_ours(language, kind):
    plan = plan_for(SITUATIONS[kind])
    runs = {run for message in render_messages() for run in english_runs(message)}
    for written in (plan_text(plan, language), plan_markdown(plan, language)):
        left = sorted(run for run in runs if run in written)
        assert not left, f"{kind} in {language}: {left}"


def test_the_plan_for_a_detainee_speaks_of_them_in_its_title():
    plan = plan_for(SITUATIONS["detained"])
    assert plan_text(plan).startswith("A plan for someone who is detained\n")
    assert plan_text(plan, "es").splitlines()[0] == words_in("es").gettext("A plan for someone who is detained")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_api_says_why_a_measure_was_left_out_in_the_plans_language(language):
    plan = plan_for(HONDURAS)
    by_exposure = [e for e in plan.excluded if e.reason is None]
    assert by_exposure, "the situation leaves measures out for what the defender accepts"
    words = words_in(language)
    shown = {e["support_type"]: e["reason"] for e in plan_json(plan, language)["excluded"]}
    for e in by_exposure:
        expected = words.gettext(EXPOSURE_REASON) % {
            "kind": words.gettext(VISIBILITY_LABELS[e.support_type.visibility]),
            "accepted": words.gettext(EXPOSURE_LABELS[e.accepted_exposure or "none"]),
        }
        assert shown[e.support_type.id] == expected == exclusion_reason(e, language)
        if language != "en":
            assert expected != exclusion_reason(e, "en")


def test_lists_take_the_languages_commas_and_counts_its_numbers():
    plan = plan_for(HONDURAS)
    arabic = plan_text(plan, "ar")
    missions = arabic[arabic.index(words_in("ar").gettext("Which missions to approach in %(where)s")[:10]) :]
    assert "، " in missions and ", " not in missions.split("\n\n")[1], "Arabic lists use the Arabic comma"
    assert number("es", 7500) == "7.500" and number("pt", 7500) == "7.500" and number("en", 7500) == "7,500"
    assert number("fr", 7500).replace("\u202f", " ").replace("\xa0", " ") == "7 500"
    assert number("ar", 7500).isascii(), "Latin digits, as the site's Arabic pages write them"
    words = words_in("es")
    assert words.ngettext("%(counter)s more measure", "%(counter)s more measures", 1200) == "1.200 medidas más"


def test_the_command_line_writes_the_plan_in_the_language_asked_for(tmp_path):
    path = tmp_path / "situation.yaml"
    path.write_text(yaml.safe_dump(HONDURAS))
    for language in OTHERS:
        result = CliRunner().invoke(main, ["navigate", str(path), "--lang", language])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0] == words_in(language).gettext("Your plan")
        assert result.output == plan_text(plan_for(HONDURAS), language)
    refused = CliRunner().invoke(main, ["navigate", str(path), "--lang", "xx"])
    assert refused.exit_code == 2 and "xx" in refused.output and "Traceback" not in refused.output
