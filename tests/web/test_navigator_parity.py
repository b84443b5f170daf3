"""The offline navigator and the Python one agree, in every language of the site.

* The scripts (navigator-core.js, navigator-page.js) copy no constant of the Python navigator: each is
  emitted into navigator-data.js from the module that owns it, and read from there.
* The core's plan is ``plan_json(plan, language)`` for every language, on the scenarios and random situations.
* The page part shows the words the live plan page shows: the plan region of the offline page, rendered in
  Node (tests/js/fake-dom.mjs) on the real offline navigator page, has the visible text of the live plan
  page for the same answers, whitespace aside.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client

from amparo.guidelines import get_dataset
from amparo.guidelines.model import DEFAULT_LANGUAGE, VISIBILITIES
from amparo.navigator import SituationError, get_rules, make_plan, parse_situation, plan, render, situation
from amparo.navigator.render import plan_json
from amparo.web.edition.data import exposure_reason_texts, navigator_constants, navigator_data
from tests.js.pages import VOID, write_inputs
from tests.navigator.strategies import random_situations
from tests.web.test_offline_edition import INVALID, ODD

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
STATIC = REPO / "amparo" / "web" / "static" / "amparo"
SCRIPTS = {name: STATIC / f"navigator-{name}.js" for name in ("core", "page")}
SCENARIOS = yaml.safe_load((REPO / "tests" / "navigator" / "scenarios.yaml").read_text(encoding="utf-8"))
NODE = shutil.which("node")
LANGUAGES = [code for code, _name in settings.LANGUAGES]
RANDOM_PLANS = 500  # per language, on top of the thousand in English of test_offline_edition.py
RANDOM_PAGES = 40  # per language: each is a request to the live plan page


def test_every_language_of_the_site_is_checked():
    assert LANGUAGES == ["en", "es", "fr", "pt", "ar"]


# --- The constants -----------------------------------------------------------------------------------


def test_emitted_constants_are_the_python_ones():
    constants = navigator_data(get_dataset())["constants"]
    assert constants == navigator_constants()
    expected = {
        "format_version": render.FORMAT_VERSION,
        **exposure_reason_texts(),
        "fields": situation.FIELDS,
        "lists": situation.LISTS,
        "booleans": situation.BOOLEANS,
        "checks": situation.CHECKS,
        "max_items": situation.MAX_ITEMS,
        "shown_length": situation.SHOWN_LENGTH,
        "whole": situation.WHOLE,
        "true_words": situation.TRUE_WORDS,
        "false_words": situation.FALSE_WORDS,
        "separator": situation.SEPARATOR,
        "messages": situation.MESSAGES,
        "code_aliases": situation.CODE_ALIASES,
        "needs_location": situation.NEEDS_LOCATION,
        "defaults": situation.DEFAULTS,
        "whitespace": "".join(c for c in map(chr, range(0x110000)) if c.isspace()),
        "visibilities": VISIBILITIES,
        "missions_shown": plan.MISSIONS_SHOWN,
        "top_measures": plan.TOP_MEASURES,
        "issuers_shown": plan.ISSUERS_SHOWN,
        "delegations_of": plan.DELEGATIONS_OF,
        "offered": plan.OFFERED,
        "exposure_rule": plan.EXPOSURE_RULE,
        "stated_needs": plan.STATED_NEEDS,
        "measures_shown": plan.MEASURES_SHOWN,
        "emergency_shown": plan.EMERGENCY_SHOWN,
        "programmes_shown": plan.PROGRAMMES_SHOWN,
        "foreseen_shown": plan.FORESEEN_SHOWN,
        "next_steps": plan.NEXT_STEPS,
        "keep_from_authorities": plan.KEEP_FROM_AUTHORITIES,
        "return_need": plan.RETURN_NEED,
        "digital_threats": plan.DIGITAL_THREATS,
        "digital_scope": plan.DIGITAL_SCOPE,
        "line_kinds": plan.LINE_KINDS,
        "company_measures": plan.COMPANY_MEASURES,
        "default_language": DEFAULT_LANGUAGE,
    }
    assert constants == json.loads(json.dumps(expected))
    assert all(not c.strip() for c in constants["whitespace"]), "what str.strip() removes"


def _code(script: Path) -> str:
    """The script without its comments."""
    return re.sub(
        r"/\*.*?\*/|(?<![:\"\\])//[^\n]*", "", script.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE
    )


def _strings(value) -> set[str]:
    """Every string among the values of a constant (not the keys the scripts look them up by)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


@pytest.mark.parametrize("name", sorted(navigator_constants()))
def test_the_scripts_read_each_constant_from_the_data(name):
    code = _code(SCRIPTS["core"]) + _code(SCRIPTS["page"])
    assert re.search(rf"(?:\bC|constants)\.{name}\b", code), f"neither script reads constants.{name}"


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_the_scripts_copy_no_constant(script):
    """No string of a constant written out as a literal (a field name, a visibility, a message...), no list
    of strings, no limit: a copy would drift from the Python navigator unseen."""
    constants = navigator_constants()
    code = _code(SCRIPTS[script])
    # The page's own: its element ids, its attribute values, and the templates' punctuation between items.
    code = re.sub(r'getElementById\("[\w-]+"\)', "getElementById()", code)
    code = re.sub(r'setAttribute\("[\w-]+", "[^"]*"\)', "setAttribute()", code)
    literals = set(re.findall(r'"((?:[^"\\]|\\.)*)"', code)) | set(re.findall(r"'((?:[^'\\]|\\.)*)'", code))
    if script == "page":
        literals = {literal for literal in literals if re.search(r"\w", literal)}
    copied = sorted((literals & set().union(*(_strings(v) for v in constants.values()))) - {""})
    assert not copied, f"navigator-{script}.js writes out {copied}: read them from data.constants"
    assert not re.search(r'\[\s*"[^"]*"\s*,\s*"', code), "a literal list of strings"
    numbers = {
        constants[k]
        for k in ("max_items", "shown_length", "missions_shown", "top_measures", "issuers_shown", "emergency_shown")
    }
    assert not {int(n) for n in re.findall(r"(?<![\w.\[])\d+(?![\w.\]])", code)} & numbers
    assert "\\u3000" not in code and "\\u00a0" not in code, "Python's spaces come from the data"


# --- The plan, in every language -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    """(navigator-data.js, the offline navigator page in every language as trees)."""
    if NODE is None:
        pytest.skip("node is not installed (make test installs it)")
    return write_inputs(tmp_path_factory.mktemp("parity"), LANGUAGES)


def _node(*args: Path) -> dict:
    run = subprocess.run([NODE, *map(str, args)], capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_javascript_plans_are_the_python_plans_in_every_language(inputs, tmp_path):
    data_js, _pages = inputs
    valid = [s["situation"] for s in SCENARIOS] + random_situations(RANDOM_PLANS, seed=7) + ODD
    situations = valid + INVALID
    (tmp_path / "situations.json").write_text(json.dumps(situations), encoding="utf-8")
    got = _node(HERE / "parity.mjs", SCRIPTS["core"], data_js, tmp_path / "situations.json", *LANGUAGES)
    assert {language: len(got[language]) for language in LANGUAGES} == dict.fromkeys(LANGUAGES, len(situations))
    dataset = get_dataset()
    rules = get_rules(dataset)
    different = []
    for index, raw in enumerate(situations):
        try:
            python = make_plan(parse_situation(raw, dataset), dataset, rules)
        except SituationError as exc:
            errors = {"errors": [{"field": e.field, "message": e.message, "code": e.code} for e in exc.errors]}
            expected = dict.fromkeys(LANGUAGES, errors)
        else:
            expected = {language: {"plan": plan_json(python, language)} for language in LANGUAGES}
        for language in LANGUAGES:
            theirs = json.dumps(expected[language], ensure_ascii=False)
            mine = json.dumps(got[language][index], ensure_ascii=False)
            if mine != theirs:
                at = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b), 0)
                near = slice(max(0, at - 200), at + 300)
                different.append(f"{language} {raw!r}\n  python: …{theirs[near]}\n  js:     …{mine[near]}")
    assert not different, f"{len(different)} differ; first:\n" + "\n".join(different[:3])


# --- The page, in every language ----------------------------------------------------------------------


class PlanText(HTMLParser):
    """The visible text of a plan: from the first ``start`` tag inside the element ``root`` matches, subtrees
    that ``skip`` matches left out, every block boundary a space."""

    BLOCKS = frozenset({"p", "li", "ul", "ol", "h1", "h2", "h3", "section", "div", "br", "main", "form", "fieldset"})

    def __init__(self, root, start: str | None, skip):
        super().__init__(convert_charrefs=True)
        self.root, self.start, self.skip = root, start, skip
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, inside the root, left out)
        self.started = start is None
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        inside, left_out = self.stack[-1][1:] if self.stack else (False, False)
        inside = inside or self.root(tag, attributes)
        left_out = left_out or (inside and self.skip(tag, attributes))
        if inside and tag == self.start:
            self.started = True
        if tag in self.BLOCKS:
            self.parts.append(" ")
        if tag not in VOID:
            self.stack.append((tag, inside, left_out))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append(" ")
        while self.stack and tag not in VOID:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and not self.stack[-1][2] and self.started:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def live_plan_text(body: str) -> str:
    """The live plan page's plan: what <main> says from its heading on, without the forms that need a server
    (the letter, the casebook record, "change my answers")."""

    def skip(tag, attributes):
        fold = tag == "details" and attributes.get("class") in ("letter", "keep")
        return fold or tag in ("form", "button")

    parser = PlanText(lambda tag, attributes: tag == "main", "h1", skip)
    parser.feed(body)
    return parser.text


def offline_plan_text(body: str) -> str:
    """The offline page's plan region, without its button (the live page's is in a form)."""
    parser = PlanText(lambda tag, attributes: attributes.get("id") == "plan", None, lambda tag, a: tag == "button")
    parser.feed(body)
    return parser.text


def form_answers(raw) -> dict:
    """The answers the navigator form would send for the situation ``raw``: as parsed, so both pages get the
    same form, in the shape the offline page reads it (the live page is posted the same, ticked boxes "on")."""
    dataset = get_dataset()
    parsed = parse_situation(raw, dataset)
    answers: dict = {}
    for name in situation.FIELDS:
        value = parsed.value(name)
        answers[name] = sorted(value) if name in situation.LISTS else value if value is not None else ""
    return answers


def posted(answers: dict) -> dict:
    return {name: "on" if value is True else value for name, value in answers.items() if value is not False}


def test_the_offline_page_shows_what_the_live_plan_page_shows_in_every_language(inputs, tmp_path):
    data_js, pages = inputs
    situations = [s["situation"] for s in SCENARIOS] + random_situations(RANDOM_PAGES, seed=11)
    answers = [form_answers(raw) for raw in situations]
    (tmp_path / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    shown = _node(HERE / "parity-render.mjs", data_js, pages, tmp_path / "answers.json")
    client = Client()
    different = []
    for language in LANGUAGES:
        assert len(shown[language]) == len(answers)
        for form, offline in zip(answers, shown[language], strict=True):
            response = client.post(f"/{language}/navigator/plan/", posted(form))
            assert response.status_code == 200, (language, form)
            live = live_plan_text(response.content.decode("utf-8"))
            mine = offline_plan_text(offline)
            if mine != live:
                at = next(
                    (i for i, (a, b) in enumerate(zip(mine, live, strict=False)) if a != b), min(len(mine), len(live))
                )
                context = slice(max(0, at - 80), at + 120)
                different.append(f"{language} {form}\n  live:    …{live[context]}\n  offline: …{mine[context]}")
    assert not different, f"{len(different)} of {len(answers) * len(LANGUAGES)} differ; first:\n" + "\n".join(
        different[:3]
    )


def test_the_text_comparison_sees_a_difference(inputs):
    """The comparison is worth something: a plan and a missing word, or another plan, differ."""
    form = form_answers(SCENARIOS[0]["situation"])
    body = Client().post("/en/navigator/plan/", posted(form)).content.decode("utf-8")
    text = live_plan_text(body)
    assert text.startswith("Your plan For a defender working in") and text.endswith(
        "Rules applied: "
        + ", ".join(
            make_plan(parse_situation(form, get_dataset()), get_dataset(), get_rules(get_dataset())).applied_rules
        )
    )
    assert "Download the letter" not in text and "Record a request" not in text
    assert (
        offline_plan_text('<div id="plan"><p>Your <b>plan</b></p><p><button>Change</button></p></div>') == "Your plan"
    )
