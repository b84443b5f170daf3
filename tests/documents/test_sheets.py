"""Action sheets read back as a person would: their text (pdftotext), pages (pdfinfo) and pixels (pdftoppm)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.cli.sheets import sheet
from amparo.documents import sheets
from amparo.guidelines import load_dataset
from amparo.guidelines.model import Dataset
from amparo.labels import LANGUAGE_NAMES

CHECKED = ("CA", "EU", "BG", "US", "MX", "OSCE")


def text_of(path: Path) -> str:
    """The PDF's text as one line: whitespace collapsed, ligatures unfolded."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", out.decode("utf-8")).split())


def info_of(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pages(path: Path) -> int:
    return int(info_of(path)["Pages"])


def ink_on_page_one(path: Path, tmp_path: Path) -> float:
    """The share of non-white pixels when page 1 is rendered: 0 means a blank or broken page."""
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    image = next(tmp_path.glob("p*.pgm")).read_bytes()
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", image)
    assert match, "pdftoppm wrote a PGM image"
    pixels = image[match.end() :]
    return sum(1 for p in pixels if p < 160) / len(pixels)


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.fixture(scope="module")
def made(dataset: Dataset, tmp_path_factory) -> dict[str, Path]:
    """Each checked issuer's sheet, the general sheet and the matrix, made once for the module."""
    folder = tmp_path_factory.mktemp("sheets")
    files = {i: write(folder / f"{i}.pdf", sheets.issuer_sheet_pdf(dataset, i, "en")) for i in CHECKED}
    files["general"] = write(folder / "general.pdf", sheets.general_sheet_pdf(dataset, "en"))
    files["matrix"] = write(folder / "matrix.pdf", sheets.matrix_pdf(dataset, "en"))
    return files


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def cited_sources(dataset: Dataset, issuer_id: str) -> set[str]:
    """Every source the issuer's records cite, gathered here independently of the sheet builder."""
    issuer = dataset.issuers[issuer_id]
    citations = [c for g in issuer.guidelines for c in g.citations]
    citations += [c for g in issuer.guidelines for r in g.revisions for c in r.citations]
    citations += [c for p in dataset.provisions_of(issuer_id) for c in p.citations]
    citations += [c for p in dataset.provisions_of(issuer_id) for n in p.nuances for c in n.citations]
    citations += [c for n in issuer.caveats for c in n.citations]
    citations += [c for cp in issuer.category_provisions for c in cp.citations]
    citations += [c for p in dataset.programmes_of(issuer_id) for c in p.citations]
    return {c.source.id for c in citations}


# Issuer sheets --------------------------------------------------------------------------


@pytest.mark.parametrize("issuer_id", CHECKED)
def test_issuer_sheet_shows_documents_years_and_sources(made, dataset, issuer_id):
    text = text_of(made[issuer_id])
    issuer = dataset.issuers[issuer_id]
    assert flat(f"Action sheet: {issuer.name.get('en')}") in text
    for guideline in issuer.guidelines:
        assert flat(guideline.title) in text
        if guideline.year is None:
            assert "Year: not known" in text
        else:
            assert f"Year: {guideline.year}" in text
        if guideline.url is None:
            assert "Link: not known" in text
    for source_id in cited_sources(dataset, issuer_id):
        source = dataset.sources[source_id]
        assert f"{source_id} {flat(source.label.get('en'))}" in text, source_id
    assert f"Last verified against its sources on {written(issuer.last_verified, 'en')}" in text
    assert f"Dataset edition {dataset.edition.edition}" in text
    assert f"Page 1 of {pages(made[issuer_id])}" in text


def test_every_issuer_sheet_has_two_to_four_pages(dataset, tmp_path):
    counts = {}
    for issuer_id in dataset.issuers:
        counts[issuer_id] = pages(write(tmp_path / f"{issuer_id}.pdf", sheets.issuer_sheet_pdf(dataset, issuer_id)))
    assert all(2 <= n <= 4 for n in counts.values()), counts


def test_unknown_year_and_private_document_are_shown_as_such(made):
    text = text_of(made["US"])
    start = text.index("Internal diplomatic guideline on human rights defenders")
    assert text[start : start + 200].count("not known") >= 2  # the year, and the languages
    assert "Not public" in text[start : start + 200]


def test_eu_member_marks_inherited_support_and_cites_the_eu_sources(made, dataset):
    text = text_of(made["BG"])
    assert "No document found in the sources we hold." in text
    assert "As an EU member State, its missions are expected to act on the EU guidelines" in text
    assert flat(dataset.issuers["EU"].guidelines[0].title) in text
    assert "Through the EU guidelines" in text  # the legend
    inherited = [p for p in dataset.provisions_of("BG") if p.status == "inherited"]
    short = text.count("Through the EU") - text.count("Through the EU guidelines")  # the column's short label
    assert inherited and short == len(inherited)
    for provision in inherited:
        assert flat(dataset.support_types[provision.support_type_id].name.get("en")) in text
    # What the EU guidelines say is shown, marked as theirs.
    eu_note = dataset.provision("EU", "focal-point").note.get("en")
    assert flat(f"The EU guidelines: {eu_note}") in text


def test_explicit_provisions_carry_note_and_source(made, dataset):
    text = text_of(made["CA"])
    provision = dataset.provision("CA", "company-intervention")
    note = flat(provision.note.get("en"))
    assert note in text
    after = text[text.index(note) + len(note) :][:120].strip()
    assert after.startswith("Source: S0 (Types of diplomatic support: targeted, 4); S29d")
    nuance = flat(provision_nuance := dataset.provision("CA", "asylum-from-abroad").nuances[0].text.get("en"))
    assert nuance in text and provision_nuance


def test_missions_count_date_and_caveat(made, dataset):
    missions = dataset.missions_of("CA")
    honorary = sum(1 for m in missions if m.honorary)
    text = text_of(made["CA"])
    assert f"{len(missions) - honorary} embassies, high commissions and consulates, and {honorary} honorary" in text
    assert f"as of {written(dataset.missions_source.as_of, 'en')}" in text
    assert "not known, which does not mean there is none" in text
    eu = text_of(made["EU"])
    assert "129 EU Delegations and offices are in our list. The list is partial" in eu
    assert "http://eeas.europa.eu/background/organisation/index_en.htm" in eu
    assert "Port-au-Prince (Haiti): evacuated." in eu and "Sudan: may be working from outside the country" in eu
    assert "Not known from the missions data we hold." in text_of(made["MX"])


def test_approach_and_cautions_come_from_the_guidance(made, dataset):
    text = text_of(made["CA"])
    for item_id in (*sheets.APPROACH_ITEMS, *sheets.CAUTION_ITEMS):
        item = dataset.guidance[item_id]
        assert flat(item.title.get("en")) in text, item_id
        assert flat(item.body.get("en").split("\n\n")[0]) in text, item_id
    for caveat in dataset.issuers["CA"].caveats:
        assert flat(caveat.text.get("en")) in text


def test_domestic_programme_and_organisation_without_measures(made, dataset):
    mexico = text_of(made["MX"])
    assert "Domestic protection programme (not diplomatic support)" in mexico
    assert mexico.count("Nothing known from the sources we hold.") == 3
    for programme in dataset.programmes_of("MX"):
        assert flat(programme.name.get("en")) in mexico
    osce = text_of(made["OSCE"])
    assert osce.count("Nothing known from the sources we hold.") == 3
    assert "Link: not known" in osce


def test_dataset_text_is_never_read_as_typst_markup(data_copy, tmp_path):
    path = data_copy / "issuers" / "CA.yaml"
    hostile = '#set page(width: 3cm) ] *not bold* $x$ #panic(\\"boom\\") <label> @ref'
    source = path.read_text()
    path.write_text(source.replace("Missions map and report violations", f"Missions {hostile} map", 1))
    dataset = load_dataset(data_copy)
    pdf = write(tmp_path / "ca.pdf", sheets.issuer_sheet_pdf(dataset, "CA"))
    assert '#set page(width: 3cm) ] *not bold* $x$ #panic("boom") <label> @ref' in text_of(pdf)
    assert info_of(pdf)["Page size"].startswith("595.276 x 841.89")


def test_unknown_issuer_is_an_error_that_names_the_ids(dataset):
    with pytest.raises(sheets.UnknownIssuerError) as error:
        sheets.issuer_sheet_data(dataset, "XX", "en")
    assert "CA" in error.value.known
    assert sheets.issuer_sheet_data(dataset, "ca", "en")["issuer"]["id"] == "CA"


# Languages ---------------------------------------------------------------------------------

OTHER = ("es", "fr", "pt", "ar")
KINDS = ("CA", "BG", "EU", "MX", "US", "general", "matrix")
# Month names and the order of a date, written here independently of the catalogues.
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
}
DATES = {
    "en": "{d} {m} {y}",
    "es": "{d} de {m} de {y}",
    "fr": "{d} {m} {y}",
    "pt": "{d} de {m} de {y}",
    "ar": "{d} {m} {y}",
}
FIRST = {"en": "1", "es": "1", "fr": "1er", "pt": "1º", "ar": "1"}


def written(day, language: str) -> str:
    month = MONTHS[language].split()[day.month - 1]
    return DATES[language].format(d=FIRST[language] if day.day == 1 else day.day, m=month, y=day.year)


def sheet_pdf(dataset: Dataset, kind: str, language: str) -> bytes:
    if kind == "general":
        return sheets.general_sheet_pdf(dataset, language)
    if kind == "matrix":
        return sheets.matrix_pdf(dataset, language)
    return sheets.issuer_sheet_pdf(dataset, kind, language)


@pytest.fixture(scope="module")
def made_in(dataset: Dataset, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The checked sheets in every language, made once for the module."""
    folder = tmp_path_factory.mktemp("languages")
    return {
        (kind, language): write(folder / f"{kind}-{language}.pdf", sheet_pdf(dataset, kind, language))
        for language in sheets.LANGUAGES
        for kind in KINDS
    }


def plain(text: str) -> str:
    """Text without the invisible bidi controls (isolates, marks) that pdftotext and the sheets add."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


# pdftotext reads Arabic back in logical order, but it swaps the two letters of a lam-alef ligature, moves
# digits and punctuation within a line, and repeats a letter that carries a vowel mark (Typst maps each
# glyph to one text: typst/typst#526). Arabic is compared word by word; a word with a ligature or a mark
# is compared as well as it can be (:func:`same_word`), digits and punctuation are left out.
ARABIC_WORD = re.compile("[\u0621-\u064a\u064b-\u065f\u0670]+")
MARKS = re.compile("[\u064b-\u065f\u0670]")
LAM_ALEF = re.compile("ل[اأإآ]")
UNREADABLE = re.compile("ل[اأإآ]|[\u064b-\u065f\u0670]")


def says(text: str, expected: str, language: str) -> bool:
    """Whether the PDF text says ``expected`` (for Arabic: its words, in reading order)."""
    if language not in sheets.RIGHT_TO_LEFT:
        return flat(expected) in text
    want, got = ARABIC_WORD.findall(expected), ARABIC_WORD.findall(text)
    assert any(not MARKS.search(w) for w in want), f"nothing to check in {expected!r}"
    return any(
        all(same_word(w, g) for w, g in zip(want, got[i : i + len(want)], strict=True))
        for i in range(len(got) - len(want) + 1)
    )


def same_word(want: str, got: str) -> bool:
    """Arabic words as pdftotext gives them back: a word with a vowel mark matches any, one with a lam-alef
    ligature is compared without its lams and alefs (the two letters come back swapped)."""
    if MARKS.search(want):
        return True
    if LAM_ALEF.search(want):
        return re.sub("[لاأإآ]", "", want) == re.sub("[لاأإآ]", "", got)
    return want == got


def test_sheets_speak_every_language_of_the_site():
    from django.conf import settings

    assert {code for code, _name in settings.LANGUAGES} == set(sheets.LANGUAGES)
    for language in OTHER:
        assert sheets.translator(language)("What it foresees") != "What it foresees", f"the {language} catalogue"
    with pytest.raises(ValueError):
        sheets.Words("de")


@pytest.mark.parametrize("language", sheets.LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_sheet_per_language_renders(made_in, dataset, kind, language, tmp_path):
    path = made_in[kind, language]
    assert 2 <= pages(path) <= 4 and ink_on_page_one(path, tmp_path) > 0.01
    text = plain(text_of(path))
    _ = sheets.translator(language)
    assert says(text, _("Dataset edition %(edition)s.") % {"edition": dataset.edition.edition}, language)
    assert says(text, _("Page %(page)s of %(total)s") % {"page": 1, "total": pages(path)}, language)
    if kind in dataset.issuers:
        issuer = dataset.issuers[kind]
        assert says(text, _("Action sheet: %(name)s") % {"name": issuer.name.get(language)}, language)
        assert says(text, written(issuer.last_verified, language), language)
        assert says(text, _("What it foresees"), language)
    draft = _(
        "This translation is a draft: no native speaker who works in human rights has reviewed it yet. "
        "Where it is unclear, the English version is the reference."
    )
    assert says(text, draft, language) == (language != "en")
    # Every text of the data is translated: nothing says some are in English.
    assert flat(_("(in English)")) not in text
    assert "The guideline texts are not translated yet" not in text


@pytest.mark.parametrize("language", sheets.LANGUAGES)
def test_every_issuer_sheet_has_two_to_four_pages_in_every_language(dataset, language):
    counts = {
        i: len(re.findall(rb"/Type\s*/Page\b", sheets.issuer_sheet_pdf(dataset, i, language))) for i in dataset.issuers
    }
    assert all(2 <= n <= 4 for n in counts.values()), counts


def test_dates_are_written_as_each_language_writes_them():
    import datetime as dt

    late, first = dt.date(2026, 11, 25), dt.date(2026, 3, 1)
    site = ("en", "es", "fr", "pt", "ar")
    assert set(site) == set(sheets.LANGUAGES)
    assert [sheets.Words(lang).date(late) for lang in site] == [
        "25 November 2026",
        "25 de noviembre de 2026",
        "25 novembre 2026",
        "25 de novembro de 2026",
        "25 نوفمبر 2026",
    ]
    assert [sheets.Words(lang).date(first) for lang in site] == [
        "1 March 2026",
        "1 de marzo de 2026",
        "1er mars 2026",
        "1º de março de 2026",
        "1 مارس 2026",
    ]
    for language in sheets.LANGUAGES:
        assert [sheets.Words(language).date(dt.date(2026, m, 2)) for m in range(1, 13)] == [
            written(dt.date(2026, m, 2), language) for m in range(1, 13)
        ]


def test_languages_of_a_guideline_are_named_in_the_sheets_language(dataset, made_in):
    codes = {code for issuer in dataset.issuers.values() for g in issuer.guidelines for code in g.languages}
    assert codes <= set(LANGUAGE_NAMES), codes - set(LANGUAGE_NAMES)
    assert "Idiomas: inglés" in text_of(made_in["CA", "es"])
    assert "Langues : anglais" in text_of(made_in["CA", "fr"])
    assert "Languages: English" in text_of(made_in["CA", "en"])


# What an English sentence looks like: several of these words close together. None is a word of Spanish,
# French or Portuguese ("a", "on", "as", "no" are left out for that reason).
ENGLISH = frozenset(
    "the of and is are not be by for with which that this its their from has have was were you your it they "  # noqa: SIM905
    "what when where who will can does there should would into about been these those our we".split()
)


def english_sentences(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Runs of eight words with three or more English words, outside the ``allowed`` strings (official titles).

    A word belongs to an allowed string when a run of three words around it is one of that string's.
    """
    words = re.findall(r"[A-Za-z’']+", re.sub(r"https?://\S+", " ", plain(text)))
    lower = [w.lower() for w in words]
    known: set[tuple[str, ...]] = set()
    for name in allowed:
        parts = [w.lower() for w in re.findall(r"[A-Za-z’']+", name)]
        n = min(3, len(parts))  # a name of one or two words is known by those words
        known |= {tuple(parts[i : i + n]) for i in range(len(parts) - n + 1)}
    official = [False] * len(words)
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            if tuple(lower[i : i + n]) in known:
                official[i : i + n] = [True] * n
    free = [w for w, o in zip(lower, official, strict=True) if not o]
    hits = []
    for i in range(len(free)):
        if sum(w in ENGLISH for w in free[i : i + 8]) >= 3:
            hits.append(" ".join(free[i : i + 8]))
    return hits


def official_titles(dataset: Dataset, language: str) -> list[str]:
    """What a sheet prints in the words of others: document and source titles and addresses (a long one
    wraps, and its second line is read as words), the names of programmes and of the missions data."""
    titles = [g.title for i in dataset.issuers.values() for g in i.guidelines]
    titles += [g.url for i in dataset.issuers.values() for g in i.guidelines if g.url]
    titles += [s.label.get(language) for s in dataset.sources.values()]
    titles += [url for s in dataset.sources.values() for url in s.urls]
    titles += [p.url for p in dataset.programmes.values() if p.url]
    titles += [p.name.get(language) for p in dataset.programmes.values()]
    titles += [p.operator.get(language) for p in dataset.programmes.values()]
    titles.append(dataset.missions_source.attribution)
    return titles


def locators(dataset: Dataset) -> set[str]:
    """Every locator the sheets can print, gathered from the records that carry citations."""
    found = set()
    for issuer in dataset.issuers.values():
        data = sheets.issuer_sheet_data(dataset, issuer.id, "en")
        found |= {loc for source in data["sources"] for loc in source["locators"]}
    found |= {loc for source in sheets.general_sheet_data(dataset, "en")["sources"] for loc in source["locators"]}
    return found


def test_the_english_detector_finds_english(made_in):
    assert english_sentences(text_of(made_in["CA", "en"]))
    assert english_sentences("Fuente: the missions of the country are not known") != []
    assert english_sentences("Las misiones de la UE no se conocen en el país de origen") == []


@pytest.mark.parametrize("language", OTHER)
def test_no_english_sentence_in_another_language_but_official_titles(made_in, dataset, language):
    allowed = [*official_titles(dataset, language), *locators(dataset)]
    found = {kind: english_sentences(text_of(made_in[kind, language]), allowed) for kind in KINDS}
    assert not any(found.values()), {k: v[:5] for k, v in found.items() if v}


def test_arabic_sheet_reads_right_to_left_in_logical_order(made_in, dataset):
    """The Arabic sheet's text, as a screen reader or a copy would get it, is Arabic in reading order,
    its lines start at the right margin, and its letters are joined (contextual forms and ligatures)."""
    path = made_in["CA", "ar"]
    text = plain(text_of(path))
    _ = sheets.translator("ar")
    # Labels pdftotext reads back exactly (no lam-alef ligature, no vowel mark), found letter for letter.
    labels = [_(m) for m in ("What it foresees", "Status", "Sources", "Guidelines and policy documents", "Programmes")]
    labels = [label for label in labels if not UNREADABLE.search(label)]
    assert len(labels) >= 3
    for label in labels:
        assert re.search("[\u0600-\u06ff]", label) and flat(label) in text, label
        assert flat(label)[::-1] not in text, label
    # Right to left: the first word of a heading is the rightmost, at the right margin. (pdftotext -bbox
    # gives each word as drawn, left to right: reversed, it reads again.)
    heading = flat(_("Guidelines and policy documents")).split()
    assert not any(UNREADABLE.search(w) for w in (heading[0], heading[-1])), heading
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, check=True
    )
    lines: dict[str, list[tuple[float, float, str]]] = {}
    for x0, y0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes.stdout.decode()
    ):
        lines.setdefault(y0, []).append((float(x0), float(x1), word[::-1]))
    line = next(words for words in lines.values() if [w for _x0, _x1, w in words] == heading[::-1])
    right_margin = 595.28 - 17 * 72 / 25.4
    assert abs(line[-1][1] - right_margin) < 2, line  # the first word ends at the right margin
    assert [w for *_x, w in sorted(line, reverse=True)] == heading  # and the words go right to left
    # Shaped: an Arabic letter is drawn with several glyphs (initial, medial, final), lam-alef as one.
    forms = arabic_glyphs(path.read_bytes())
    assert max(len(g) for c, g in forms.items() if len(c) == 1) >= 3, forms
    assert any(len(c) == 2 and c[0] == "ل" for c in forms), "a lam-alef ligature"


def arabic_glyphs(pdf: bytes) -> dict[str, set[tuple[int, str]]]:
    """For each Arabic text a glyph stands for (its ToUnicode entry), the glyphs that draw it, per font."""
    import zlib

    found: dict[str, set[tuple[int, str]]] = {}
    for n, match in enumerate(re.finditer(rb"stream\r?\n", pdf)):
        end = pdf.find(b"endstream", match.end())
        try:
            stream = zlib.decompress(pdf[match.end() : end])
        except zlib.error:
            continue
        if b"begincmap" not in stream:
            continue
        for glyph, code in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", stream.split(b"endcodespacerange")[-1]):
            chars = bytes.fromhex(code.decode()).decode("utf-16-be", errors="replace")
            if re.fullmatch("[\u0621-\u064a]+", chars):
                found.setdefault(chars, set()).add((n, glyph.decode()))
    return found


def test_a_text_missing_in_the_language_is_shown_in_english_and_marked(data_copy, tmp_path):
    import polib

    context = "issuers/CA.yaml:summary"
    for language in ("es", "ar"):
        catalogue = polib.pofile(str(data_copy / "locale" / language / "issuers.po"))
        next(e for e in catalogue if e.msgctxt == context).msgstr = ""
        catalogue.save()
    dataset = load_dataset(data_copy)
    english = dataset.issuers["CA"].summary.get("en")
    for language in ("es", "ar"):
        _ = sheets.translator(language)
        data = sheets.issuer_sheet_data(dataset, "CA", language)
        assert data["issuer"]["summary"][-1].endswith(" " + _("(in English)"))
        assert flat(_("Some texts are not translated into this language yet: they are shown in English.")) in map(
            flat, data["notes"]
        )
        text = plain(text_of(write(tmp_path / f"{language}.pdf", sheets.issuer_sheet_pdf(dataset, "CA", language))))
        assert says(
            text, _("Some texts are not translated into this language yet: they are shown in English."), language
        )
        assert flat(english.split("\n\n")[0])[:60] in text and says(text, _("(in English)"), language)
    # On the right-to-left page the English is isolated, so it keeps its own direction.
    assert sheets.issuer_sheet_data(dataset, "CA", "ar")["issuer"]["summary"][0].startswith("\u2066")
    assert sheets.issuer_sheet_data(dataset, "CA", "en")["notes"] == []


# General sheet and matrix ----------------------------------------------------------------


def test_general_sheet_has_what_who_ten_things_and_questions(made, dataset):
    text = text_of(made["general"])
    for heading in ("What diplomatic support is", "Who is a human rights defender", "Ten things to keep in mind"):
        assert heading in text
    for category in dataset.categories:
        assert flat(category.description.get("en")) in text
    for kind in ("ten_things", "qa"):
        for item in dataset.guidance_of_kind(kind):
            assert flat(item.title.get("en")) in text
            assert flat(item.body.get("en").split("\n\n")[-1]) in text
            assert flat(item.citations[0].locator or item.citations[0].source.id) in text
    assert flat(dataset.sources["S0"].label.get("en")) in text
    assert 2 <= pages(made["general"]) <= 4


def test_matrix_is_landscape_and_names_every_issuer_and_column(made, dataset):
    path = made["matrix"]
    width, _, height = info_of(path)["Page size"].split()[:3]
    assert float(width) > float(height), "A4 landscape"
    text = text_of(path)
    for issuer in dataset.issuers.values():
        assert flat(issuer.name.get("en")) in text, issuer.id
    for number, support_type in enumerate(
        (dataset.support_types[s] for c in dataset.categories for g in c.groups for s in g.support_type_ids), 1
    ):
        assert flat(f"{number} {support_type.name.get('en')}") in text
    for symbol, label in (("●", "Explicit"), ("◐", "Through the EU guidelines"), ("○", "Not stated")):
        assert f"{symbol} {label}" in text
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True).stdout
    for status, symbol in (("explicit", "●"), ("inherited", "◐")):  # one mark per provision, one in the legend
        assert first_page.decode().count(symbol) == 1 + sum(1 for p in dataset.provisions if p.status == status)


@pytest.mark.parametrize("name", [*CHECKED, "general", "matrix"])
def test_page_one_renders(made, name, tmp_path):
    assert ink_on_page_one(made[name], tmp_path) > 0.01


# Command line -------------------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_writes_one_issuer_sheet(runner, tmp_path):
    target = tmp_path / "canada.pdf"
    result = runner.invoke(sheet, ["ca", "--lang", "en", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF") and "Voices at Risk" in text_of(target)
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"


def test_cli_writes_general_and_matrix_into_a_folder(runner, tmp_path):
    assert runner.invoke(sheet, ["--general", "-o", str(tmp_path)]).exit_code == 0
    assert runner.invoke(sheet, ["--matrix", "--lang", "fr", "-o", str(tmp_path)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["matrix-fr.pdf", "sheet-general-en.pdf"]


@pytest.mark.parametrize("language", sheets.LANGUAGES)
def test_cli_writes_a_sheet_in_every_language(runner, tmp_path, language):
    result = runner.invoke(sheet, ["CA", "--lang", language, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / f"sheet-CA-{language}.pdf"
    assert says(plain(text_of(path)), sheets.translator(language)("What it foresees"), language)


def test_cli_lists_the_languages(runner):
    result = runner.invoke(sheet, ["CA", "--lang", "de"])
    assert result.exit_code == 2 and all(f"'{code}'" in result.output for code in ("en", "es", "fr", "pt", "ar"))


def test_cli_writes_all_sheets_with_plain_progress_off_a_terminal(runner, dataset, tmp_path):
    folder = tmp_path / "out"
    result = runner.invoke(sheet, ["--all", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in folder.iterdir()}
    assert names == {f"sheet-{i}-en.pdf" for i in dataset.issuers} | {"sheet-general-en.pdf", "matrix-en.pdf"}
    assert all((folder / n).read_bytes().startswith(b"%PDF") for n in names)
    assert "\r" not in result.output and "\x1b" not in result.output
    assert result.output.splitlines()[-1] == f"wrote {len(names)} PDF files to {folder}"


def test_cli_unknown_issuer_is_one_line_with_the_ids(runner, tmp_path):
    result = runner.invoke(sheet, ["XX", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "unknown issuer 'XX'" in result.output and "CA, CH" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_cli_unwritable_path_is_one_line(runner, tmp_path):
    result = runner.invoke(sheet, ["CA", "-o", str(tmp_path / "missing" / "x.pdf")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write") and result.output.count("\n") == 1


@pytest.mark.parametrize("args", [[], ["CA", "--general"], ["--matrix", "--all", "-o", "x"], ["--all"]])
def test_cli_needs_exactly_one_thing_to_write(runner, args):
    result = runner.invoke(sheet, args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_cli_help_has_an_example(runner):
    result = runner.invoke(sheet, ["--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "amparo sheet CA" in result.output


# Site (the views are mounted by amparo/urls.py) -------------------------------------------


@pytest.fixture
def client() -> Client:
    return Client()


def test_issuer_sheet_download(client):
    with translation.override("en"):
        url = reverse("issuer-sheet-pdf", args=["CA"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sheet-CA-en.pdf"'
    assert response["Cache-Control"].startswith("public")
    assert response.content.startswith(b"%PDF") and not response.cookies
    assert client.get(url).content == response.content  # kept in memory, same bytes


def test_sheet_download_in_another_language(client):
    with translation.override("es"):
        url = reverse("issuer-sheet-pdf", args=["bg"])
    response = client.get(url)
    assert response.status_code == 200 and 'filename="sheet-BG-es.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("language", ["pt", "ar"])
def test_sheet_downloads_in_portuguese_and_arabic(client, language):
    with translation.override(language):
        urls = {reverse("issuer-sheet-pdf", args=["CA"]): "sheet-CA", reverse("matrix-pdf"): "matrix"}
    for url, name in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"] == f'attachment; filename="{name}-{language}.pdf"'
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "filename"), [("general-sheet-pdf", "sheet-general-en.pdf"), ("matrix-pdf", "matrix-en.pdf")]
)
def test_general_and_matrix_downloads(client, name, filename):
    with translation.override("en"):
        url = reverse(name)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_unknown_issuer_sheet_is_the_friendly_404(client):
    with translation.override("en"):
        url = reverse("issuer-sheet-pdf", args=["XX"])
    response = client.get(url)
    assert response.status_code == 404
    assert b"<h1>" in response.content and b"Traceback" not in response.content


def test_issuer_page_links_the_sheets(client):
    with translation.override("en"):
        page = client.get(reverse("issuer-detail", args=["CA"])).content.decode()
        for url in (reverse("issuer-sheet-pdf", args=["CA"]), reverse("general-sheet-pdf"), reverse("matrix-pdf")):
            assert f'href="{url}"' in page
    assert "Print this page" in page
