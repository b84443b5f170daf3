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
from amparo.guidelines import get_dataset
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
                "language": "de",
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


def test_plan_page_carries_the_way_to_the_letter_and_still_meets_every_page_rule(client, dataset):
    """The plan page holds only the way in (the answers, and a button): the letter page asks for the mission, so
    the plan page stays small on a slow connection."""
    response = client.post("/en/navigator/plan/", form_data(SITUATION))
    body = response.content.decode()
    assert 'action="/en/letter/"' in body and 'name="details"' in body and 'name="recipient"' not in body
    plan = _plan(dataset)
    chooser = client.post("/en/letter/", form_data(SITUATION) | {"details": "1"})
    assert chooser.status_code == 200 and 'role="alert"' not in chooser.content.decode()
    for presence in plan.presence:
        assert f'<option value="{presence.issuer.id}"' in chooser.content.decode()
        assert all(f'<option value="{m.id}"' in chooser.content.decode() for m in presence.missions)
    _check_page(response)
    recipient = plan.presence[0].issuer.id
    details = client.post("/en/letter/", form_data(SITUATION) | {"recipient": recipient, "details": "1"})
    page = details.content.decode()
    assert details.status_code == 200 and 'role="alert"' not in page, "the whole form, with no complaint yet"
    assert f'<option value="{recipient}" selected' in page and 'name="public_consent"' in page
    assert 'value="discreet" selected' in page, "consent defaults to the exposure the defender accepted"
    assert 'name="details"' not in page, "its button downloads the letter"
    _check_page(details)
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


# Facts the defender chooses to tell ----------------------------------------------------------------------------
FACTS = {
    "country": "PH",
    "court": "Regional Trial Court, Manila",
    "hearing_date": "2027-03-14",
    "detention_place": "Camp Crame",
    "facts": "Police raided our office on 2 May.\nTwo of us were arrested",
}


def _measure(letter: Letter, support_type: str) -> str:
    return next(m.paragraph.plain for m in letter.measures if m.support_type_id == support_type)


def _body(letter: Letter) -> str:
    return " ".join(p.plain for s in letter.sections for p in (*s.paragraphs, *(m.paragraph for m in s.measures)))


def test_each_fact_is_told_with_the_measure_it_belongs_to(dataset):
    types = ["detention-visit", "demarche", "trial-observation"]
    letter = build_letter(request(dataset, issuer="DE", support_types=types, **FACTS), dataset)
    opening = " ".join(p.plain for p in letter.sections[0].paragraphs)
    assert "support for a human rights defender in the Philippines." in opening
    assert "In brief, this is what happened: Police raided our office on 2 May.\nTwo of us were arrested." in opening
    trial = _measure(letter, "trial-observation")
    assert "The next hearing is on 14 March 2027, before this court: Regional Trial Court, Manila." in trial
    assert "The defender is held in this place: Camp Crame." in _measure(letter, "detention-visit")
    assert "hearing" not in _measure(letter, "demarche") and "held" not in _measure(letter, "demarche")
    assert "Manila" not in opening and "Camp Crame" not in opening, "a fact is told once, with its measure"


def test_a_fact_is_said_only_when_given_and_never_dropped(dataset):
    bare = _body(build_letter(request(dataset, issuer="DE", support_types=["trial-observation"]), dataset))
    assert "hearing" not in bare and "happened" not in bare and "held in" not in bare
    assert "human rights defender. I can give the details" in bare
    only_date = build_letter(
        request(dataset, issuer="DE", support_types=["trial-observation"], hearing_date="2027-03-14"), dataset
    )
    assert _measure(only_date, "trial-observation").endswith("The next hearing is on 14 March 2027.")
    only_court = build_letter(request(dataset, issuer="DE", support_types=["trial-observation"], court="X"), dataset)
    assert _measure(only_court, "trial-observation").endswith("The case is before this court: X.")
    # Without the measure they belong with, the court, hearing and place of detention are told with the case.
    other = build_letter(request(dataset, issuer="DE", support_types=["demarche"], **FACTS), dataset)
    opening = " ".join(p.plain for p in other.sections[0].paragraphs)
    assert "Regional Trial Court, Manila" in opening and "Camp Crame" in opening and "14 March 2027" in opening


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"hearing_date": "2027-02-30"}, "hearing_date", "not a real date"),
        ({"hearing_date": "14/03/2027"}, "hearing_date", "YYYY-MM-DD"),
        ({"hearing_date": 20270314}, "hearing_date", "YYYY-MM-DD"),
        ({"country": "ZZ"}, "country", "ISO code"),
        ({"country": ["PH"]}, "country", "ISO code"),
        ({"court": "x" * 201}, "court", "at most 200"),
        ({"detention_place": "x" * 201}, "detention_place", "at most 200"),
        ({"facts": "x" * 2001}, "facts", "at most 2000"),
        ({"facts": 3}, "facts", "text"),
    ],
)
def test_bad_facts_are_named_with_a_clear_reason(dataset, fields, field, says):
    with pytest.raises(LetterError) as caught:
        parse_letter_request({"issuer": "DE", "support_types": ["trial-observation"]} | fields, dataset)
    problems = {e.field: e.message for e in caught.value.errors}
    assert set(problems) == {field} and says in problems[field]


@pytest.mark.django_db(transaction=True)
def test_site_form_tells_the_mission_the_facts_chosen_and_logs_none(client, caplog, dataset):
    plan = _plan(dataset)
    caplog.set_level(logging.DEBUG)
    facts = {k: v for k, v in FACTS.items() if k != "country"} | {"facts": CANARY + " raided our office"}
    data = form_data(SITUATION) | {"recipient": plan.presence[0].issuer.id, "where": "PH", "format": "md"} | facts
    response = client.post("/en/letter/", data)
    assert response.status_code == 200
    text = md_unescape(response.content.decode())
    assert "a human rights defender in the Philippines." in text
    assert f"In brief, this is what happened: {CANARY} raided our office." in text
    assert "Regional Trial Court, Manila" in text and "14 March 2027" in text and "Camp Crame" in text
    assert CANARY not in caplog.text and "Camp Crame" not in caplog.text


def test_site_refuses_bad_facts_clearly_and_keeps_everything_typed(client):
    data = form_data(SITUATION) | {
        "recipient": "CA",
        "where": "ZZ",
        "court": "<i>High Court</i>",
        "hearing_date": "2027-02-30",
        "detention_place": "Camp Crame",
        "facts": "Raided on 2 May\nTwo arrested",
        "format": "md",
    }
    response = client.post("/en/letter/", data)
    body = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in body
    for field in ("where", "hearing_date"):
        assert f'href="#l-{field}"' in body and f'id="e-{field}"' in body
    assert "Please write a real date, for example 2027-03-14." in body
    assert 'value="&lt;i&gt;High Court&lt;/i&gt;"' in body and 'value="2027-02-30"' in body
    assert 'value="Camp Crame"' in body and ">Raided on 2 May\nTwo arrested</textarea>" in body


def test_letter_page_offers_the_facts_to_tell_with_no_country_named_by_default(client):
    data = form_data(SITUATION | {"location": "KE"}) | {"recipient": "DE", "details": "1"}
    body = client.post("/en/letter/", data).content.decode()
    form = body[body.index('action="/en/letter/"') :]
    for name in ("court", "hearing_date", "detention_place", "facts"):
        assert f'name="{name}"' in form
    assert 'type="date"' in form
    where = form[form.index('id="l-where"') : form.index("</select>", form.index('id="l-where"'))]
    assert '<option value="">' in where and 'value="PH"' in where and 'value="KE"' in where
    assert " selected" not in where, "no country is named unless the defender chooses it"


def test_api_takes_the_facts_and_names_a_bad_one(dataset):
    body = {"issuer": "DE", "support_types": ["trial-observation"], "date": "2026-11-25"} | FACTS
    payload = json.loads(api(body).content)
    trial = next(m for s in payload["letter"]["sections"] for m in s["measures"])
    assert "before this court: Regional Trial Court, Manila." in trial["text"]
    bad = api(body | {"hearing_date": "2027-13-01"})
    errors = json.loads(bad.content)["errors"]
    assert bad.status_code == 400 and [e["field"] for e in errors] == ["hearing_date"]
    assert "not a real date" in errors[0]["message"]


def test_cli_tells_the_facts_given_as_options():
    args = ["--issuer", "DE", "--support-type", "detention-visit", "--support-type", "trial-observation"]
    args += ["--country", "ph", "--court", "Regional Trial Court, Manila", "--hearing-date", "2027-03-14"]
    args += ["--detention-place", "Camp Crame", "--facts", "Police raided our office"]
    result = CliRunner().invoke(letter_command, args)
    assert result.exit_code == 0, result.output
    text = squash(md_unescape(result.output))
    assert "a human rights defender in the Philippines." in text
    assert "The next hearing is on 14 March 2027, before this court: Regional Trial Court, Manila." in text
    assert "The defender is held in this place: Camp Crame." in text
    assert "In brief, this is what happened: Police raided our office." in text
    bad = CliRunner().invoke(letter_command, [*args[:4], "--hearing-date", "14.03.2027"])
    assert bad.exit_code == 2 and "hearing_date: must be a date written YYYY-MM-DD" in bad.output


# No broken sentence, whatever is given -------------------------------------------------------------------------
def _maybe(*values):
    return st.one_of(st.none(), st.sampled_from(values))


# Measures with facts of their own, foreseen by some issuers and not by others, discreet to public.
PROPERTY_MEASURES = ("trial-observation", "principled-trial-observation", "detention-visit", "demarche")
PROPERTY_MEASURES += ("awards", "public-statement", "emergency-visa", "focal-point")
letter_requests = st.fixed_dictionaries(
    {
        "issuer": st.sampled_from(["CA", "DE", "EU", "US", "NO", "BG", "NL"]),
        "support_types": st.lists(
            st.sampled_from(PROPERTY_MEASURES),
            min_size=1,
            max_size=5,
            unique=True,
        ),
        "public_consent": st.sampled_from(CONSENT),
    },
    optional={
        "sender": _maybe("Ana", "Олег", "مرحبا"),
        "organisation": _maybe("Red Defensoras", "Rights Watch (Manila)"),
        "contact": _maybe("Signal: +63 900 000", "Only through our lawyer.", "Email\nor Signal"),
        "confidential": _maybe("The witness's name", "Names of the children."),
        "follow_up": _maybe("a call within two weeks", "A meeting?"),
        "country": _maybe("PH", "KE", "US", "CD"),
        "court": _maybe("Regional Trial Court, Manila", "High Court."),
        "hearing_date": _maybe("2027-03-14", "2026-12-01"),
        "detention_place": _maybe("Camp Crame", "Women's prison, block C."),
        "facts": _maybe("Police raided our office.", "Arrested on 2 May\nReleased on bail", "Threats online"),
    },
)
SENTENCE_STARTS_LOWER = re.compile(r"[.!?] +[a-z]")
DANGLING_AND = re.compile(r"\b(and|or)\s*([.,;:)\]]|$)")


def sentence_problems(text: str) -> list[str]:
    """What would show a sentence glued together wrongly, in a paragraph's text as a reader sees it."""
    problems = []
    if "  " in text:
        problems.append("doubled space")
    if SENTENCE_STARTS_LOWER.search(text):
        problems.append("sentence starts in lower case")
    if re.search(r"\(\s*\)", text):
        problems.append("empty parentheses")
    if "None" in text:
        problems.append("None")
    if DANGLING_AND.search(text):
        problems.append("dangling and")
    if re.search(r" [.,;:]|\.\.", text):
        problems.append("stray punctuation")
    return problems


def body_paragraphs(letter: Letter) -> list[str]:
    return [p.plain for s in letter.sections for p in (*s.paragraphs, *(m.paragraph for m in s.measures))]


class MainParagraphs(HTMLParser):
    """The text of each <p> and <li> of the HTML letter's <main>."""

    def __init__(self):
        super().__init__()
        self.inside, self.current, self.found = False, None, []

    def handle_starttag(self, tag, attrs):
        self.inside |= tag == "main"
        if self.inside and tag in ("p", "li"):
            self.current = []
        elif tag == "br" and self.current is not None:
            self.current.append("\n")

    def handle_endtag(self, tag):
        if tag in ("p", "li") and self.current is not None:
            self.found.append("".join(self.current).replace("\n\n", "\n"))
            self.current = None
        self.inside &= tag != "main"

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=letter_requests)
def test_no_combination_of_optional_parts_breaks_a_sentence(fields):
    dataset = get_dataset()
    letter = build_letter(request(dataset, **fields), dataset)
    for paragraph in body_paragraphs(letter):
        for line in paragraph.split("\n"):
            assert not sentence_problems(line), (sentence_problems(line), line)
        assert paragraph.endswith((".", "?")), paragraph
    given_facts = [v for k, v in fields.items() if k in ("court", "detention_place", "facts") and v]
    body = "\n".join(body_paragraphs(letter))
    assert all(value in body for value in given_facts), "a fact told is never dropped"


@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=letter_requests)
def test_no_output_form_breaks_a_sentence(tmp_path, fields):
    dataset = get_dataset()
    letter = build_letter(request(dataset, **fields), dataset)
    parser = MainParagraphs()
    parser.feed(letter_html(letter))
    markdown = md_unescape(letter_markdown(letter))
    body = markdown[markdown.index(letter.salutation) + len(letter.salutation) : markdown.index(letter.closing)]
    document = docx_text(letter_docx(letter))
    forms = {
        "html": parser.found[1:],  # after the salutation
        "md": [re.sub(r"^\d+\. ", "", p).replace("**", "") for p in body.split("\n\n")[1:] if not p.startswith("#")],
        "docx": document[
            document.index(letter.salutation) + len(letter.salutation) : document.index(letter.closing)
        ].split("\n"),
    }
    for fmt, paragraphs in forms.items():
        for paragraph in filter(None, paragraphs):
            for line in paragraph.split("\n"):
                assert not sentence_problems(line), (fmt, sentence_problems(line), line)
    pdf = squash(pdf_text(letter_pdf(letter), tmp_path))
    pdf = pdf[pdf.index(letter.salutation) + len(letter.salutation) : pdf.index(letter.closing)]
    assert not [p for p in sentence_problems(pdf) if p != "doubled space"], pdf


# Any issuer whose guideline foresees a measure of the plan -----------------------------------------------------
WIDE = SITUATION | {"exposure": "public", "threats": ["judicial-harassment", "arbitrary-detention"]}


def test_a_letter_can_go_to_every_issuer_that_foresees_a_measure_of_the_plan(client, dataset):
    """Not only the issuers of the plan's first measures: those that foresee a later one too (CA, CH, US here)."""
    plan = _plan(dataset, WIDE)
    foreseeing = {o.issuer.id for r in plan.recommendations for o in r.issuers}
    beyond = foreseeing - {p.issuer.id for p in plan.presence}
    assert beyond, "this situation has issuers beyond the plan's first measures"
    body = client.post("/en/letter/", form_data(WIDE) | {"details": "1"}).content.decode()
    form = body[body.index('id="l-recipient"') :]
    form = form[: form.index("</select>")]
    for issuer in sorted(foreseeing):
        assert f'<option value="{issuer}"' in form, issuer
    issuer = sorted(beyond)[0]
    letter = letter_from_plan(plan, issuer, dataset)
    assert letter.measures and all(m.status in ("explicit", "inherited") for m in letter.measures)
    data = form_data(WIDE) | {"recipient": issuer, "format": "md"}
    response = client.post("/en/letter/", data)
    assert response.status_code == 200
    assert f"Embassy of {_issuer_in_text(dataset, issuer)}" in response.content.decode()
    api_letter_data = json.loads(api({"issuer": issuer, "situation": WIDE}).content)["letter"]
    assert api_letter_data["addressee"] == [f"Embassy of {_issuer_in_text(dataset, issuer)}"]


def _issuer_in_text(dataset, issuer_id):
    from amparo.documents.letter.compose import _the

    return _the(dataset.issuers[issuer_id])


def test_an_issuer_with_no_mission_in_the_data_is_written_to_generically(dataset):
    """Where the missions data has no row for the country, the letter names no address it does not know."""
    plan = _plan(dataset, SITUATION | {"country": "NU"})
    recipient = next(p for p in plan.presence if not p.known and p.issuer.id != "EU")
    letter = letter_from_plan(plan, recipient.issuer.id, dataset)
    assert letter.addressee == (f"Embassy of {_issuer_in_text(dataset, recipient.issuer.id)}",)
    if any(p.issuer.id == "EU" for p in plan.presence):
        assert letter_from_plan(plan, "EU", dataset).addressee == ("Delegation of the European Union",)


# Official publications first -----------------------------------------------------------------------------------
def test_where_several_sources_back_a_statement_the_issuers_own_publication_is_cited_first(dataset):
    """A statement may rest on the issuer's own page and on mirrors or commentaries: of the sources a sentence
    brings into the letter, the issuer's own publications are numbered first, so they head the sources list."""
    reordered = 0
    for issuer in dataset.issuers.values():
        foreseen = [p for p in dataset.provisions_of(issuer.id) if p.status in ("explicit", "inherited")]
        if not foreseen:
            continue
        picks = [p.support_type_id for p in foreseen][:MAX_SUPPORT_TYPES]
        letter = build_letter(request(dataset, issuer=issuer.id, support_types=picks), dataset)
        seen = 0
        parts = [
            part
            for s in letter.sections
            for p in (*s.paragraphs, *(m.paragraph for m in s.measures))
            for part in p.parts
        ]
        for part in parts:
            new = [letter.references[n - 1] for n in part.refs if n > seen]
            kinds = [dataset.sources[r.source_id].kind == "official" for r in new]
            assert kinds == sorted(kinds, reverse=True), (issuer.id, part.text, [r.source_id for r in new])
            reordered += any(kinds) and not all(kinds)
            seen = max([seen, *part.refs])
        for provision in foreseen:
            kinds = [c.source.kind for c in provision.citations]
            reordered += "official" in kinds[1:] and kinds[0] != "official"
    assert reordered, "the dataset has statements resting on official and other sources, not official first"


def test_official_sources_are_the_issuers_own_pages_and_say_where(dataset):
    official = [s for s in dataset.sources.values() if s.kind == "official"]
    assert len(official) >= 30 and all(s.urls for s in official), "an official publication has its address"
    assert dataset.sources["S5"].kind != "official", "a mirror is not the issuer's publication"


def test_the_data_check_refuses_an_official_source_with_no_address_and_an_unknown_kind(data_copy):
    from amparo.guidelines import DataError, load_dataset

    path = data_copy / "sources.yaml"
    original = path.read_text()
    for kind, urls, says in [("official", "[]", "official source needs the address"), ("copied", "[]", "kind")]:
        path.write_text(original + f"S999:\n  label: {{en: A page}}\n  read: null\n  urls: {urls}\n  kind: {kind}\n")
        with pytest.raises(DataError) as caught:
            load_dataset(data_copy, full_check=True)
        assert says in " ".join(str(p) for p in caught.value.problems), kind


# The request in the defender's own order -----------------------------------------------------------------------
def test_measures_are_asked_for_in_the_order_given_on_every_interface(dataset):
    order = ["public-statement", "trial-observation", "awards", "demarche"]  # not the dataset's order
    assert order != [sid for sid in dataset.support_types if sid in order]
    letter = build_letter(request(dataset, issuer="BG", support_types=order), dataset)
    assert [m.support_type_id for m in letter.measures] == order
    consent = letter.sections[2].paragraphs[-1].plain
    names = [dataset.support_types[sid].name.get("en") for sid in order]
    assert consent.index(names[0]) < consent.index(names[1]), "what goes further is listed in the same order"
    payload = json.loads(api({"issuer": "BG", "support_types": order}).content)["letter"]
    assert [m["support_type"] for s in payload["sections"] for m in s["measures"]] == order
    args = ["--issuer", "BG", *[arg for sid in order for arg in ("--support-type", sid)], "--format", "html"]
    output = CliRunner().invoke(letter_command, args).output
    positions = [output.index(f"<strong>{html.escape(name)}.</strong>") for name in names]
    assert positions == sorted(positions)


def test_a_letter_from_a_plan_asks_for_the_measures_chosen_among_the_plans_in_the_order_chosen(dataset):
    plan = _plan(dataset, WIDE)
    issuer = plan.presence[0].issuer.id
    ids = [r.support_type.id for r in plan.recommendations]
    chosen = [ids[3], ids[0]]
    letter = letter_from_plan(plan, issuer, dataset, support_types=chosen)
    assert [m.support_type_id for m in letter.measures] == chosen
    with pytest.raises(LetterError, match="not among the measures of this plan"):
        letter_from_plan(plan, issuer, dataset, support_types=[ids[0], "shelter-city-stay-x"])


def test_letter_page_lets_the_defender_choose_the_measures_and_keeps_the_choice(client, dataset):
    plan = _plan(dataset, WIDE)
    issuer = plan.presence[0].issuer.id
    ids = [r.support_type.id for r in plan.recommendations]
    page = client.post("/en/letter/", form_data(WIDE) | {"recipient": issuer, "details": "1"}).content.decode()
    for sid in ids:
        assert f'name="support_types" value="{sid}"' in page
    for sid in plan_support_types(plan, issuer):
        assert f'name="support_types" value="{sid}" checked' in page, "the plan's measures it foresees, at first"
    data = form_data(WIDE) | {"recipient": issuer, "choose": "1", "format": "md"}
    response = client.post("/en/letter/", data | {"support_types": [ids[2], ids[0]]})
    text = md_unescape(response.content.decode())
    names = [dataset.support_types[sid].name.get("en") for sid in (ids[2], ids[0])]  # in the order sent
    assert response.status_code == 200 and text.index(f"**{names[0]}.**") < text.index(f"**{names[1]}.**")
    none = client.post("/en/letter/", data | {"sender": "Ana"})
    body = none.content.decode()
    assert none.status_code == 400 and 'href="#l-support_types"' in body and 'value="Ana"' in body
    assert 'name="support_types" value="' in body and " checked" not in body.split('id="l-support_types"')[1][:3000]
