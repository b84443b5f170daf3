"""Request letters: cited facts in every format, typed text shown as typed, and nothing stored on the way.

PDFs are read back with pdftotext and drawn with pdftoppm, DOCX with python-docx, HTML with
an HTML parser; Markdown is un-escaped the way CommonMark reads it.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import logging
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from amparo.cli.letters import letter as letter_command
from amparo.documents.letter.compose import GUIDANCE_NOT_LISTED, MEMBERS_LOCATOR, build_letter
from amparo.documents.letter.from_plan import letter_from_plan, plan_support_types, request_from_plan
from amparo.documents.letter.model import Letter
from amparo.documents.letter.render import letter_docx, letter_html, letter_markdown, letter_pdf, render_letter
from amparo.documents.letter.request import CONSENT, MAX_SUPPORT_TYPES, LetterError, clean_text, parse_letter_request
from amparo.guidelines.model import Dataset
from amparo.navigator import get_rules, make_plan, parse_situation
from amparo.web.letters import api_letter
from tests.web.test_pages import BUDGET, CSS, PageParser

CANARY = "Kq7LetterCanary"
SITUATION = {
    "country": "PH",
    "subject": "community",
    "urgency": "attacked",
    "exposure": "discreet",
    "threats": ["judicial-harassment", "surveillance"],
}
# Issuers chosen for what they test: explicit provisions (CA), provisions inherited through the EU (BG),
# several documents of which one is not public (US), and a guideline whose year is not known (NO).
CASES = {
    "CA": ("company-intervention", "trial-observation", "asylum-from-abroad"),
    "BG": ("trial-observation", "public-statement", "awards"),
    "US": ("public-statement", "awards"),
    "NO": ("focal-point", "demarche"),
}
BIDI_MARKS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F])


# Reading documents back ----------------------------------------------------------------------------------------
def squash(text: str) -> str:
    """Whitespace collapsed and the bidi marks that pdftotext adds around right-to-left runs removed."""
    return re.sub(r"\s+", " ", text.translate(BIDI_MARKS)).strip()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


class TextOf(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_text(document: str) -> str:
    parser = TextOf()
    parser.feed(document)
    return "".join(parser.parts).replace("<br>\n", "\n")


def md_unescape(text: str) -> str:
    """What CommonMark shows for backslash escapes and backslash hard line breaks."""
    return re.sub(r"\\([!-/:-@\[-`{-~\n])", r"\1", text)


def texts(letter: Letter, tmp_path: Path) -> dict[str, str]:
    """The letter's text in each format, as a reader sees it."""
    return {
        "md": md_unescape(letter_markdown(letter)),
        "html": html_text(letter_html(letter)),
        "pdf": pdf_text(letter_pdf(letter), tmp_path),
        "docx": docx_text(letter_docx(letter)),
    }


def request(dataset: Dataset, **fields):
    return parse_letter_request({"date": "2026-11-25"} | fields, dataset)


# The facts in the letter ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def letters(dataset) -> dict[str, Letter]:
    missions = {issuer: dataset.missions_of(issuer)[0].id for issuer in CASES}
    requests = {
        issuer: request(dataset, issuer=issuer, mission=missions[issuer], support_types=list(types))
        for issuer, types in CASES.items()
    }
    return {issuer: build_letter(r, dataset) for issuer, r in requests.items()}


@pytest.mark.parametrize("issuer", list(CASES))
def test_every_format_names_the_guideline_the_measures_and_the_sources(dataset, letters, issuer, tmp_path):
    letter = letters[issuer]
    published = [g for g in dataset.issuers[issuer].guidelines if g.public is True]
    if dataset.issuers[issuer].eu_member:
        published += [g for g in dataset.issuers["EU"].guidelines if g.id == "eu-guidelines-hrd"]
    assert published, "each case cites at least one guideline by title"
    for fmt, text in texts(letter, tmp_path).items():
        flat = squash(text)

        def shows(needle: str, fmt=fmt, flat=flat) -> bool:
            # Where a line wraps after a hyphen, pdftotext takes the hyphen for hyphenation and drops it.
            return needle in flat if fmt != "pdf" else needle.replace("-", "") in flat.replace("-", "")

        assert all(shows(words) for words in ("Dear Sir or Madam,", "Yours faithfully,", letter.addressee[0])), fmt
        for guideline in published:
            assert shows(guideline.title), (fmt, guideline.title)
            if guideline.year is not None:
                assert shows(f"{guideline.title}” ({guideline.year})"), (fmt, guideline.title)
        for support_type_id in CASES[issuer]:
            assert shows(dataset.support_types[support_type_id].name.get("en")), (fmt, support_type_id)
        for reference in letter.references:
            assert shows(squash(reference.label)), (fmt, reference.label)
            if reference.locator:
                assert shows(reference.locator), (fmt, reference.locator)
            if fmt != "pdf":  # pdftotext drops a hyphen where a long address wraps; the other formats keep it whole
                assert all(url in flat for url in reference.urls), (fmt, reference.urls)


def test_html_letter_stands_alone_with_no_style_no_script_and_no_load(letters):
    for letter in letters.values():
        parser = PageParser()
        parser.feed(letter_html(letter))
        assert parser.h1 == 1 and not parser.problems and parser.html_lang == "en"
        assert "<link" not in letter_html(letter) and "<img" not in letter_html(letter)


def test_the_letter_package_still_offers_the_names_of_the_former_single_module():
    import amparo.documents.letter as package

    assert package.build_letter is build_letter and package.parse_letter_request is parse_letter_request
    assert package.Letter is Letter and package.request_from_plan is request_from_plan
    assert all(hasattr(package, name) for name in package.__all__)


def test_consent_levels_are_the_situations_exposure_levels(dataset):
    assert tuple(dataset.situations["exposure"]) == CONSENT


def test_pdf_is_a4_with_embedded_fonts_and_its_first_page_draws(letters, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter_pdf(letters["BG"]))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.28 x 841.89" in info or "595.276 x 841.89" in info, "A4"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), "every font embedded"
    draw = ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")]
    subprocess.run(draw, check=True)
    assert next(tmp_path.glob("page*.png")).read_bytes().startswith(b"\x89PNG")


def test_explicit_provision_cites_the_issuers_own_document(dataset, letters):
    ca = {m.support_type_id: m for m in letters["CA"].measures}
    assert ca["company-intervention"].status == "explicit"
    assert "Voices at Risk" in ca["company-intervention"].paragraph.plain
    cited = {(r.source_id, r.locator) for r in letters["CA"].references}
    provision = dataset.provision("CA", "company-intervention")
    assert {(c.source.id, c.locator) for c in provision.citations} <= cited
    assert "Other sources qualify this" in ca["asylum-from-abroad"].paragraph.plain, "nuances are not hidden"


def test_a_measure_the_guideline_does_not_name_says_so_and_cites_why_one_may_still_ask(dataset, letters):
    measure = {m.support_type_id: m for m in letters["CA"].measures}["trial-observation"]
    assert dataset.status("CA", "trial-observation") in ("unknown", "not_stated")
    assert measure.status == "none" and "do not name this measure" in measure.paragraph.plain
    numbers = set(measure.paragraph.refs)
    cited = {(r.source_id, r.locator) for r in letters["CA"].references if r.number in numbers}
    assert cited == {(c.source.id, c.locator) for c in dataset.guidance[GUIDANCE_NOT_LISTED].citations}


def test_eu_member_without_guideline_cites_the_eu_guidelines_and_why_they_apply(dataset, letters):
    letter = letters["BG"]
    opening = letter.sections[0].paragraphs[1].plain
    assert "expected to act on the EU Guidelines" in opening and "Ensuring Protection" in opening
    assert any(r.source_id == "S0" and r.locator == MEMBERS_LOCATOR for r in letter.references)
    statuses = {m.support_type_id: m.status for m in letter.measures}
    # Public statements: the EU Delegation in Mexico issues them, but the EU Guidelines do not name them.
    assert statuses == {"trial-observation": "inherited", "public-statement": "none", "awards": "none"}


def test_several_documents_and_unknown_titles_or_years_are_never_made_up(dataset, letters, tmp_path):
    us = [g.title for g in letters["US"].guidelines]
    assert us == [g.title for g in dataset.issuers["US"].guidelines if g.public is True] and len(us) == 2
    assert "title not public" not in letter_markdown(letters["US"]), "an unpublished document is not quoted"
    norway = next(g for g in letters["NO"].guidelines if g.year is None)
    flat = squash(pdf_text(letter_pdf(letters["NO"]), tmp_path))
    assert f"{norway.title}”" in flat and f"{norway.title}” (" not in flat, "an unknown year is left out"
    for letter in letters.values():
        for cited in letter.guidelines:
            known = next(g for i in dataset.issuers.values() for g in i.guidelines if g.title == cited.title)
            assert (cited.year, cited.url) == (known.year, known.url)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    issuer=st.sampled_from(["AT", "CA", "CH", "DE", "EU", "FI", "GB", "IE", "NL", "NO", "SE", "US"]),
    picks=st.lists(st.integers(0, 39), min_size=1, max_size=MAX_SUPPORT_TYPES, unique=True),
)
def test_every_reference_is_a_citation_of_the_dataset(dataset, issuer, picks):
    types = [list(dataset.support_types)[i] for i in picks]
    letter = build_letter(request(dataset, issuer=issuer, support_types=types), dataset)
    known = {
        (c.source.id, c.locator)
        for p in dataset.provisions
        for c in (*p.citations, *(c for n in p.nuances for c in n.citations))
    }
    known |= {(c.source.id, c.locator) for i in dataset.issuers.values() for g in i.guidelines for c in g.citations}
    known |= {(c.source.id, c.locator) for n in dataset.issuers["EU"].caveats for c in n.citations}
    known |= {(c.source.id, c.locator) for c in dataset.guidance[GUIDANCE_NOT_LISTED].citations}
    assert {(r.source_id, r.locator) for r in letter.references} <= known
    assert [r.number for r in letter.references] == list(range(1, len(letter.references) + 1))
    for measure in letter.measures:
        status = dataset.status(issuer, measure.support_type_id)
        assert measure.status == (status if status in ("explicit", "inherited") else "none")
        assert measure.paragraph.refs, "every statement about a measure carries its sources"


# What the writer asks of the mission ---------------------------------------------------------------------------
@pytest.mark.parametrize("consent", CONSENT)
def test_consent_to_public_action_is_stated_plainly(dataset, consent):
    letter = build_letter(
        request(dataset, issuer="NL", support_types=["trial-observation"], public_consent=consent), dataset
    )
    security = next(s for s in letter.sections if s.heading == "Security and confidentiality")
    text = " ".join(p.plain for p in security.paragraphs)
    forbidding = "No public statement or visible action may be taken without my prior agreement."
    assert (forbidding in text) == (consent in ("none", "discreet"))
    if consent in ("none", "discreet"):  # observing a trial is a formal measure: seen by the court, not announced
        assert "Observation of your trial" in text, "a measure more visible than agreed is named as needing agreement"
    elif consent == "public":
        assert "agree the content and timing of any public statement with me beforehand" in text


def test_addressee_is_the_mission_the_embassy_or_the_eu_delegation(dataset):
    mission = next(m for m in dataset.missions_of("US") if m.kind == "embassy" and m.country == "PH")
    with_mission = build_letter(request(dataset, issuer="US", mission=mission.id, support_types=["awards"]), dataset)
    assert with_mission.addressee == ("Embassy of the United States", f"{mission.city}, Philippines")
    assert build_letter(request(dataset, issuer="CA", support_types=["awards"]), dataset).addressee == (
        "Embassy of Canada",
    )
    eu = build_letter(request(dataset, issuer="EU", support_types=["trial-observation"]), dataset)
    assert eu.addressee == ("Delegation of the European Union",)


def test_contact_confidentiality_and_follow_up_are_in_the_letter(dataset):
    letter = build_letter(
        request(
            dataset,
            issuer="CA",
            support_types=["company-intervention"],
            contact="Only through our lawyer, Signal",
            confidential="The witness's name",
            follow_up="a call within two weeks",
            sender="Ana",
            organisation="Red Defensoras",
        ),
        dataset,
    )
    text = " ".join(p.plain for s in letter.sections for p in s.paragraphs)
    assert "Please get in touch only in this way: Only through our lawyer, Signal." in text
    assert "The following must stay confidential: The witness's name." in text
    assert "As a next step, I propose: a call within two weeks." in text
    assert letter.signature == ("Ana", "Red Defensoras") and letter.date_text == "25 November 2026"


# Checking the request ------------------------------------------------------------------------------------------
def test_bad_requests_are_reported_field_by_field(dataset):
    with pytest.raises(LetterError) as caught:
        parse_letter_request(
            {
                "issuer": "CA",
                "mission": "Q1",
                "support_types": ["trial-observation", "nope"],
                "sender": "x" * 201,
                "contact": "y" * 2001,
                "public_consent": "loud",
                "date": "tomorrow",
                "language": "fr",
                "colour": "red",
            },
            dataset,
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"mission", "support_types", "sender", "contact", "public_consent", "date", "language", "letter"}
    assert all(len(e.message) < 200 for e in caught.value.errors)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"support_types": ["awards"]}, "issuer"),
        ({"issuer": "ZZ", "support_types": ["awards"]}, "issuer"),
        ({"issuer": "MX", "support_types": ["awards"]}, "issuer"),  # a domestic programme: no diplomatic support
        ({"issuer": "OSCE", "support_types": ["awards"]}, "issuer"),
        ({"issuer": "CA"}, "support_types"),
        ({"issuer": "CA", "support_types": list(range(3))}, "support_types"),
        ({"issuer": "CA", "support_types": ["awards"] + ["x"] * 40}, "support_types"),
        ({"issuer": "CA", "support_types": ["awards"], "mission": 12}, "mission"),
        ({"issuer": "CA", "support_types": ["awards"], "sender": ["a"]}, "sender"),
    ],
)
def test_each_bad_field_is_named(dataset, fields, field):
    with pytest.raises(LetterError) as caught:
        parse_letter_request(fields, dataset)
    assert field in {e.field for e in caught.value.errors}


def test_at_most_eight_measures_and_a_mission_of_another_issuer_is_refused(dataset):
    nine = list(dataset.support_types)[:9]
    with pytest.raises(LetterError, match="at most 8"):
        parse_letter_request({"issuer": "NL", "support_types": nine}, dataset)
    german = dataset.missions_of("DE")[0].id
    with pytest.raises(LetterError, match="not a mission of Canada"):
        parse_letter_request({"issuer": "CA", "mission": german, "support_types": ["awards"]}, dataset)
    assert parse_letter_request({"issuer": "ca", "support_types": "awards"}, dataset).issuer_id == "CA"


def test_typed_text_loses_control_characters_and_keeps_every_script():
    assert clean_text("A\x00n\x1ba\u202e \u2066x\u2069\ud800\ufffe") == "Ana x"
    assert clean_text("  line one \r\n\r\n\tline two  ", multiline=True) == "line one\nline two"
    assert clean_text("one\ntwo") == "one two"
    assert clean_text("مرحبا Олег 李 שלום") == "مرحبا Олег 李 שלום"


# From a plan ---------------------------------------------------------------------------------------------------
def _plan(dataset, situation=SITUATION):
    return make_plan(parse_situation(situation, dataset), dataset, get_rules(dataset))


def test_a_letter_from_a_plan_asks_for_what_the_issuer_foresees_in_plan_order(dataset):
    urgent = {"exposure": "public", "urgency": "immediate-danger", "needs": ["relocation", "recognition"]}
    situation = SITUATION | urgent
    plan = _plan(dataset, situation)
    for presence in plan.presence:
        issuer = presence.issuer.id
        chosen = plan_support_types(plan, issuer)
        order = [r.support_type.id for r in plan.recommendations]
        foreseen = [sid for sid in order if dataset.status(issuer, sid) in ("explicit", "inherited")]
        assert list(chosen) == foreseen[:5]
    issuer = plan.presence[0].issuer.id
    letter = letter_from_plan(plan, issuer, dataset, follow_up="a call")
    assert tuple(m.support_type_id for m in letter.measures) == plan_support_types(plan, issuer)
    assert request_from_plan(plan, {"issuer": issuer}, dataset).public_consent == "public", "consent from exposure"
    with pytest.raises(LetterError, match="not among the issuers of this plan"):
        letter_from_plan(plan, "MX", dataset)


def test_a_letter_from_a_plan_keeps_what_the_defender_asked_for_though_it_goes_further_than_accepted(dataset):
    """Trial observation asked for with discreet exposure only: in the plan with a caution, and in the letter."""
    situation = SITUATION | {"exposure": "discreet", "threats": ["judicial-harassment"], "needs": ["trial-observation"]}
    plan = _plan(dataset, situation)
    asked = [r for r in plan.recommendations if r.support_type.id == "trial-observation"]
    assert asked and asked[0].beyond_exposure == "discreet"
    for presence in plan.presence:
        if dataset.status(presence.issuer.id, "trial-observation") in ("explicit", "inherited"):
            assert "trial-observation" in plan_support_types(plan, presence.issuer.id), presence.issuer.id


# Typed text is shown as typed ----------------------------------------------------------------------------------
META = [*"#[]$*_`<>\\&|{}()!-+=.~/@\"'", "<script>", "</p>", "#set", "#{", "\\\\", "$x$", "**", "[1]"]
SCRIPTS = [*"مرحبا שלום Олег", "\u200f", "\n"]
typed = st.lists(st.sampled_from(META + SCRIPTS + list("Ana ")), min_size=1, max_size=24).map("".join)
JSON = "application/json"
RTL = re.compile(r"[\u0590-\u08ff]+")  # right-to-left letters
RTL_CONTEXT = re.compile(r"[\u0590-\u08ff\u200f]")  # what makes a line's neutral characters flow right to left


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sender=typed, organisation=typed, contact=typed, confidential=typed, follow_up=typed)
def test_metacharacters_and_right_to_left_text_appear_literally_in_every_format(
    dataset, tmp_path, sender, organisation, contact, confidential, follow_up
):
    fields = {
        "sender": sender,
        "organisation": organisation,
        "contact": contact,
        "confidential": confidential,
        "follow_up": follow_up,
    }
    letter = build_letter(request(dataset, issuer="CA", support_types=["company-intervention"], **fields), dataset)
    expected = [clean_text(v, multiline=k in ("contact", "confidential", "follow_up")) for k, v in fields.items()]
    document = letter_html(letter)
    assert "<script>" not in document and "<p>" not in document.split("<body>")[0]
    outputs = texts(letter, tmp_path)
    for fmt, text in outputs.items():
        for value in filter(None, expected):
            if fmt == "pdf":
                # pdftotext writes mixed-direction lines in visual order: compare left-to-right text whole,
                # and each right-to-left word by itself.
                flat = squash(text).replace(" ", "")
                for word in RTL.findall(value):
                    assert word in flat, (fmt, word)
                if not RTL_CONTEXT.search(value):
                    assert squash(value).replace(" ", "").replace("-", "") in flat.replace("-", ""), (fmt, value)
            else:
                for line in value.split("\n"):
                    assert line in text, (fmt, line)
    for value in filter(None, expected):
        for line in value.split("\n"):
            assert html.escape(line) in document, "HTML gets the text escaped, never as markup"


# The site ------------------------------------------------------------------------------------------------------
def form_data(situation: dict) -> dict:
    return {k: v for k, v in situation.items() if not isinstance(v, bool)} | {
        k: "on" for k, v in situation.items() if v is True
    }


@pytest.fixture
def client():
    return Client()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("html", "text/html; charset=utf-8", b"<!doctype html>"),
        ("md", "text/markdown; charset=utf-8", b""),
    ],
)
def test_site_form_downloads_the_letter_stores_nothing_logs_nothing(client, caplog, dataset, fmt, content_type, magic):
    plan = _plan(dataset)
    presence = next(p for p in plan.presence if p.known)
    caplog.set_level(logging.DEBUG)
    data = form_data(SITUATION) | {
        "recipient": presence.missions[0].id,
        "sender": CANARY,
        "contact": "Signal",
        "public_consent": "discreet",
        "format": fmt,
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/en/letter/", data)
    assert response.status_code == 200
    assert len(queries) == 0, "writing a letter never touches the database"
    assert response["Content-Type"] == content_type and response.content.startswith(magic)
    assert response["Content-Disposition"].startswith('attachment; filename="letter-')
    assert CANARY not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] and not response.cookies
    assert CANARY not in caplog.text and "judicial-harassment" not in caplog.text
    if fmt in ("md", "html"):
        assert CANARY in response.content.decode() and presence.missions[0].city in response.content.decode()


def test_site_refuses_get_and_keeps_every_value_when_input_is_bad(client):
    assert client.get("/en/letter/").status_code == 405
    data = form_data(SITUATION) | {
        "recipient": "MX",
        "sender": "<b>Ana</b>",
        "contact": "Signal only",
        "follow_up": "x" * 2001,
        "public_consent": "formal",
        "format": "exe",
    }
    response = client.post("/en/letter/", data)
    body = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in body
    for field in ("recipient", "follow_up", "format"):
        assert f'href="#l-{field}"' in body and f'id="l-{field}"' in body
    assert 'value="&lt;b&gt;Ana&lt;/b&gt;"' in body and ">Signal only</textarea>" in body
    assert 'value="formal" selected' in body and 'name="threats" value="surveillance"' in body
    assert "no-store" in response["Cache-Control"] and not response.cookies


def test_site_without_the_situation_says_where_to_start_again(client):
    response = client.post("/en/letter/", {"recipient": "CA", "format": "pdf"})
    assert response.status_code == 400 and 'href="/en/navigator/"' in response.content.decode()


def _check_page(response) -> None:
    parser = PageParser()
    parser.feed(response.content.decode())
    assert parser.h1 == 1 and not parser.problems
    assert len(parser.ids) == len(set(parser.ids)), "duplicate id attributes"
    assert response.headers["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert len(gzip.compress(response.content, 9)) + len(gzip.compress(CSS, 9)) <= BUDGET


def test_plan_page_carries_the_letter_form_and_still_meets_every_page_rule(client, dataset):
    response = client.post("/en/navigator/plan/", form_data(SITUATION))
    body = response.content.decode()
    assert 'action="/en/letter/"' in body and 'name="recipient"' in body and 'name="public_consent"' in body
    assert 'value="discreet" selected' in body, "consent defaults to the exposure the defender accepted"
    plan = _plan(dataset)
    for presence in plan.presence:
        assert f'<option value="{presence.issuer.id}"' in body
        assert all(f'<option value="{m.id}"' in body for m in presence.missions)
    _check_page(response)
    _check_page(client.post("/en/letter/", form_data(SITUATION) | {"recipient": "", "format": "pdf"}))


# The API -------------------------------------------------------------------------------------------------------
def api(body, content_type="application/json", method="post"):
    factory = RequestFactory()
    if method == "get":
        return api_letter(factory.get("/api/v1/letter"))
    data = body if isinstance(body, str) else json.dumps(body)
    return api_letter(factory.post("/api/v1/letter", data=data, content_type=content_type))


def test_api_gives_the_same_letter_as_the_model(dataset):
    body = {"issuer": "BG", "support_types": ["trial-observation"], "sender": "Ana", "date": "2026-11-25"}
    response = api(body)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    payload = json.loads(response.content)
    expected = build_letter(parse_letter_request(body, dataset), dataset)
    assert payload["ok"] is True and payload["letter"]["references"][0]["locator"] == expected.references[0].locator
    assert [m["name"] for s in payload["letter"]["sections"] for m in s["measures"]] == ["Observation of your trial"]
    pdf = api(body | {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="letter-bg-2026-11-25.pdf"'


def test_api_writes_from_a_situation(dataset):
    plan = _plan(dataset)
    issuer = plan.presence[0].issuer.id
    payload = json.loads(api({"issuer": issuer, "situation": SITUATION}).content)
    measures = [m["support_type"] for s in payload["letter"]["sections"] for m in s["measures"]]
    assert measures == list(plan_support_types(plan, issuer))


@pytest.mark.parametrize(
    ("body", "content_type", "status", "field"),
    [
        ("{not json", "application/json", 400, "letter"),
        ("[1, 2]", "application/json", 400, "letter"),
        ("issuer=CA", "application/x-www-form-urlencoded", 415, "letter"),
        ({"issuer": "ZZ", "support_types": ["awards"]}, "application/json", 400, "issuer"),
        ({"issuer": "CA", "support_types": ["awards"], "format": "exe"}, "application/json", 400, "format"),
        ({"issuer": "CA", "support_types": ["awards"], "situation": SITUATION}, JSON, 400, "support_types"),
        ({"issuer": "CA", "situation": {"country": "ZZ"}}, "application/json", 400, "situation.country"),
        ({"issuer": "MX", "situation": SITUATION}, "application/json", 400, "issuer"),
        ({"issuer": "CA", "support_types": ["awards"], "sender": "x" * 500_000}, JSON, 400, "sender"),
        ('{"a": ' * 5000 + "1" + "}" * 5000, "application/json", 400, "letter"),
    ],
)
def test_api_errors_have_the_apis_one_shape(body, content_type, status, field):
    response = api(body, content_type)
    payload = json.loads(response.content)
    assert response.status_code == status and payload["ok"] is False and payload["status"] == status
    assert field in {e["field"] for e in payload["errors"]}


def test_api_refuses_get():
    response = api(None, method="get")
    assert response.status_code == 405 and response["Allow"] == "POST"


# The command line ----------------------------------------------------------------------------------------------
def test_cli_writes_markdown_to_stdout_and_pdf_to_a_file(tmp_path):
    runner = CliRunner()
    result = runner.invoke(letter_command, ["--issuer", "CA", "--support-type", "company-intervention"])
    assert result.exit_code == 0 and "Voices at Risk" in result.output
    assert "Intervention with a company" in result.output
    target = tmp_path / "letter.pdf"
    args = ["--issuer", "NO", "--support-type", "demarche", "--sender", "Олег #1", "--format", "pdf", "-o", str(target)]
    result = runner.invoke(letter_command, args)
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF") and [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]
    assert "Олег #1" in pdf_text(target.read_bytes(), tmp_path)


def test_cli_writes_from_a_situation_file(tmp_path, dataset):
    path = tmp_path / "situation.yaml"
    path.write_text(yaml.safe_dump(SITUATION))
    issuer = _plan(dataset).presence[0].issuer.id
    result = CliRunner().invoke(letter_command, ["--issuer", issuer, "--plan", str(path), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<!doctype html>")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--issuer", "ZZ", "--support-type", "nope"], "issuer:"),
        (["--issuer", "CA", "--support-type", "awards", "--format", "pdf"], "needs -o FILE"),
        (["--issuer", "CA"], "--support-type"),
        (["--issuer", "CA", "--support-type", "awards", "--plan", "PLAN"], "not both"),
        (["--issuer", "CA", "--support-type", "awards", "--sender", "x" * 300], "sender: too long"),
        (["--issuer", "CA", "--plan", "BAD"], "country:"),
        (["--issuer", "CA", "--support-type", "awards", "--public-consent", "loud"], "loud"),
    ],
)
def test_cli_reports_bad_input_in_one_line_and_exits_2(tmp_path, args, says):
    (tmp_path / "PLAN").write_text(yaml.safe_dump(SITUATION))
    (tmp_path / "BAD").write_text("country: ZZ\n")
    args = [str(tmp_path / a) if a in ("PLAN", "BAD") else a for a in args]
    result = CliRunner().invoke(letter_command, args)
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output


def test_cli_help_has_an_example():
    result = CliRunner().invoke(letter_command, ["--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "amparo letter --issuer" in result.output


def test_render_letter_names_files_without_typed_text(dataset):
    letter = build_letter(request(dataset, issuer="CA", support_types=["awards"], sender="Secret Name"), dataset)
    for fmt in ("md", "html", "docx"):
        _body, _type, name = render_letter(letter, fmt)
        assert name == f"letter-ca-2026-11-25.{fmt}"
    assert "Secret Name" in letter_markdown(letter)
