"""Action sheets read back as a person would: their text (pdftotext), pages (pdfinfo) and pixels (pdftoppm)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
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
    assert f"Last verified against its sources on {issuer.last_verified.isoformat()}" in text
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
    date = dataset.missions_source.as_of.isoformat()
    assert f"{len(missions) - honorary} embassies, high commissions and consulates, and {honorary} honorary" in text
    assert f"as of {date}" in text and "not known, which does not mean there is none" in text
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


def test_other_languages_translate_labels_and_say_texts_are_english(dataset, tmp_path):
    _ = sheets.translator("es")
    assert _("Programmes") != "Programmes", "the Spanish catalogue is read"
    text = text_of(write(tmp_path / "es.pdf", sheets.issuer_sheet_pdf(dataset, "CA", "es")))
    assert flat(_("Guidelines and policy documents")) in text and flat(_("Programmes")) in text
    assert flat(_("The guideline texts are not translated yet: they are shown in English.")) in text
    arabic = write(tmp_path / "ar.pdf", sheets.issuer_sheet_pdf(dataset, "BG", "ar"))
    assert 2 <= pages(arabic) <= 4 and ink_on_page_one(arabic, tmp_path) > 0.01


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
