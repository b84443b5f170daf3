"""The offline edition: every page works from files with no network, and the navigator in JavaScript
gives the same plan as the Python navigator.

The site is exported once for the module (English and Arabic: one left-to-right and one
right-to-left language), then checked file by file, in a real headless Chromium from
``file://`` with every other request refused, and against the Python navigator on the
scenarios and a thousand random situations in one node process.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from click.testing import CliRunner
from django.test import Client

from amparo.cli.offline import export_site as export_site_command
from amparo.guidelines import get_dataset
from amparo.navigator import SituationError, get_rules, make_plan, parse_situation
from amparo.navigator.render import plan_json
from amparo.web.edition.data import DATA_GLOBAL
from amparo.web.edition.export import (
    ZIP_DATE,
    ExportError,
    build_files,
    export_site,
    page_urls,
    zip_archive,
)
from amparo.web.edition.links import OFFLINE_CSP
from tests.browser.conftest import AXE, CHROMIUM, CHROMIUM_ARGS
from tests.navigator.strategies import random_situations

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
STATIC = REPO / "amparo" / "web" / "static" / "amparo"
NAVIGATOR_JS = STATIC / "navigator-core.js"
NAVIGATOR_SCRIPTS = (NAVIGATOR_JS, STATIC / "navigator-page.js")
PARITY = HERE / "parity.mjs"
SCENARIOS = yaml.safe_load((REPO / "tests" / "navigator" / "scenarios.yaml").read_text(encoding="utf-8"))
NODE = shutil.which("node") or "/usr/bin/node"
BUDGET = 14 * 1024
LANGUAGES = ["en", "ar"]
RANDOM_SITUATIONS = 1000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[Path, Path]:
    """(folder, zip) of the offline edition in English and Arabic."""
    dest = tmp_path_factory.mktemp("offline") / "amparo-offline"
    result = export_site(dest, LANGUAGES, zip=True)
    assert result.zip_path is not None
    return dest, result.zip_path


@pytest.fixture(scope="module")
def site(export) -> Path:
    return export[0]


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class Page(HTMLParser):
    """What the checks need from one page: links, ids, headings, and what must not be there."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.h1 = 0
        self.csp: list[str] = []
        self.problems: list[str] = []
        self.html: dict[str, str | None] = {}
        self.forms: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html = attributes
        if tag == "h1":
            self.h1 += 1
        if tag == "form":
            self.forms.append(attributes)
        if "id" in attributes:
            self.ids.add(attributes["id"] or "")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(attributes.get("content") or "")
        if tag == "style" or "style" in attributes:
            self.problems.append(f"inline style in <{tag}>")
        if tag == "script" and not attributes.get("src"):
            self.problems.append("inline script")
        if any(name.startswith("on") for name in attributes):
            self.problems.append(f"event handler on <{tag}>")
        for name in ("href", "src", "action", "formaction"):
            if attributes.get(name) is not None:
                self.links.append((tag, name, attributes[name] or ""))


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


# --- The exported files ---------------------------------------------------------------------------


def test_every_public_page_is_exported(site):
    dataset = get_dataset()
    exported = {str(p.relative_to(site)) for p in html_files(site)}
    for language in LANGUAGES:
        expected = {
            f"{language}/index.html",
            f"{language}/navigator/index.html",
            f"{language}/search/index.html",
            f"{language}/compare/exceptional/index.html",
            f"{language}/issuers/CA/missions/index.html",
            f"{language}/guidance/questions/index.html",
        }
        expected |= {f"{language}/support/{s}/index.html" for s in dataset.support_types}
        expected |= {f"{language}/issuers/{i}/index.html" for i in dataset.issuers}
        assert expected <= exported, expected - exported
        assert len([p for p in exported if p.startswith(f"{language}/")]) == len(page_urls(dataset, language)) + 2
    assert "index.html" in exported
    for name in ("amparo.css", "navigator-core.js", "navigator-page.js", "navigator-data.js"):
        name = f"static/amparo/{name}"
        assert (site / name).is_file(), name
    assert json.loads((site / "data" / "amparo.json").read_text(encoding="utf-8"))["support_types"]
    assert (site / "data" / "matrix.csv").read_text(encoding="utf-8").startswith("issuer,issuer_name,")


def test_every_page_works_from_files(site):
    """No absolute link left, every link and anchor resolves, the policy is in the page, the budget holds."""
    css = len(gzip.compress((site / "static" / "amparo" / "amparo.css").read_bytes(), 9))
    parsed = {path: parse(path) for path in html_files(site)}
    problems: list[str] = []
    for path, page in parsed.items():
        name = str(path.relative_to(site))
        problems += [f"{name}: {p}" for p in page.problems]
        if page.h1 != 1:
            problems.append(f"{name}: {page.h1} <h1>")
        if page.csp != [OFFLINE_CSP]:
            problems.append(f"{name}: Content-Security-Policy meta is {page.csp}")
        if [f for f in page.forms if f.get("id") != "navigator" or "action" in f]:
            problems.append(f"{name}: a form that needs a server: {page.forms}")
        size = len(gzip.compress(path.read_bytes(), 9)) + css
        if size > BUDGET:
            problems.append(f"{name}: {size} bytes gzipped with the CSS, budget {BUDGET}")
        for tag, attribute, value in page.links:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                if tag != "a":
                    problems.append(f"{name}: <{tag} {attribute}> loads from another site: {value}")
                continue
            if value.startswith("/") or parts.query or "\x00" in value:
                problems.append(f"{name}: <{tag} {attribute}={value!r}> does not work from files")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file() or site.resolve() not in target.parents:
                problems.append(f"{name}: <{tag} {attribute}={value!r}> points to nothing")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parsed[target].ids:
                problems.append(f"{name}: {value!r}: no id {parts.fragment!r} there")
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


class Text(HTMLParser):
    """The words inside <main>, to compare a page with the live one whatever its links.

    Links to the PDF action sheets are left out: offline, the server that makes them is not there.
    """

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "main"
        if tag == "a" and (dict(attrs).get("href") or "").endswith(".pdf"):
            self.depth -= 100  # skip the link's words

    def handle_endtag(self, tag):
        self.depth -= tag == "main"
        if self.depth < 0:
            self.depth += 100 if tag == "a" else 0

    def handle_data(self, data):
        if self.depth > 0:
            self.words += [w for w in data.split() if w != "·"]


def main_text(body: str) -> list[str]:
    parser = Text()
    parser.feed(body)
    return parser.words


@pytest.mark.parametrize("url", ["/en/issuers/CA/", "/en/support/trial-observation/", "/ar/programmes/"])
def test_pages_say_what_the_live_site_says(site, url):
    live = Client().get(url)
    assert live.status_code == 200
    exported = (site / url.strip("/") / "index.html").read_text(encoding="utf-8")
    assert main_text(exported) == main_text(live.content.decode("utf-8"))


def test_matrix_filter_is_a_page_of_its_own(site):
    page = site / "en" / "compare" / "exceptional" / "index.html"
    body = page.read_text(encoding="utf-8")
    assert "../../support/asylum-from-abroad/index.html" in body
    assert "trial-observation" not in body
    links = dict((v, t) for t, a, v in parse(site / "en" / "compare" / "index.html").links if a == "href")
    assert "exceptional/index.html" in links


def test_search_gives_way_to_an_index_of_every_topic(site):
    dataset = get_dataset()
    body = (site / "en" / "search" / "index.html").read_text(encoding="utf-8")
    assert "<h1>All topics A–Z</h1>" in body
    for support_type in dataset.support_types:
        assert f'href="../support/{support_type}/index.html"' in body
    for issuer in dataset.issuers:
        assert f'href="../issuers/{issuer}/index.html"' in body
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'role="search"' not in home and '<a href="search/index.html">All topics A–Z</a>' in home


def test_navigator_page_explains_itself_without_javascript(site):
    path = site / "en" / "navigator" / "index.html"
    body = path.read_text(encoding="utf-8")
    page = parse(path)
    nojs = body[body.index('id="nojs"') : body.index("</div>", body.index('id="nojs"'))]
    assert "needs JavaScript" in nojs
    assert 'href="../support/index.html"' in nojs and 'href="../programmes/index.html"' in nojs
    assert re.search(r'<form id="navigator" method="post" novalidate hidden>', body), "the form waits for the script"
    scripts = [v for t, _a, v in page.links if t == "script"]
    assert scripts == [f"../../static/amparo/navigator-{name}.js" for name in ("data", "core", "page")]


def test_right_to_left_pages(site):
    for name in ("ar/index.html", "ar/navigator/index.html", "ar/issuers/CA/index.html"):
        page = parse(site / name)
        assert page.html.get("lang") == "ar" and page.html.get("dir") == "rtl", name
    nav = (site / "ar" / "index.html").read_text(encoding="utf-8")
    assert 'href="../en/index.html"' in nav, "the language switcher links the other exported language"
    assert 'hreflang="es"' not in nav, "no link to a language that was not exported"


def test_zip_is_deterministic_and_holds_the_folder(export):
    site, archive_path = export
    with zipfile.ZipFile(archive_path) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names) and all(n.startswith(f"{site.name}/") for n in names)
        assert {i.date_time for i in infos} == {ZIP_DATE}
        assert archive.read(f"{site.name}/en/issuers/CA/index.html") == (site / "en/issuers/CA/index.html").read_bytes()
        assert len(names) == sum(1 for p in site.rglob("*") if p.is_file())
    again = zip_archive(build_files(LANGUAGES), site.name)
    assert again == archive_path.read_bytes(), "the same dataset gives the same archive, byte for byte"


def test_export_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="not an empty folder"):
        export_site(tmp_path, ["en"])
    with pytest.raises(ExportError, match="unknown language xx"):
        export_site(tmp_path / "new", ["xx"])
    assert (tmp_path / "keep.txt").read_text() == "mine"


# --- The navigator in JavaScript and in Python ------------------------------------------------------


# Valid, though not as a form sends them: read the same way by both navigators.
ODD = [
    {"country": "MX", "subject": "group", "urgency": "attacked", "exposure": "none", "uses_violence": None},
    {"country": "mx", "location": "MX ", "subject": "group", "urgency": "attacked", "exposure": "none"},
    {"country": "ß", "subject": "community", "urgency": "planning", "exposure": "formal", "needs": "funding"},
    {"country": "GB", "subject": "group", "urgency": "attacked", "exposure": "none", "fields": [], "needs": ""},
]
INVALID = [
    {},
    {"country": "XX", "subject": "individual", "urgency": "planning", "exposure": "none"},
    {"country": 12, "subject": "robot", "urgency": None, "exposure": ""},
    {"country": "MX", "location": "ZZ", "subject": ["individual"], "urgency": "pressure", "exposure": "public"},
    {"country": "MX", "subject": "group", "urgency": "pressure", "exposure": "formal", "fields": "nope"},
    {"country": "MX", "subject": "group", "urgency": "pressure", "exposure": "formal", "fields": [1, "journalism"]},
    {"country": "MX", "subject": "group", "urgency": "pressure", "exposure": "formal", "threats": [None, True, 1.5]},
    {"country": "MX", "subject": "group", "urgency": "pressure", "exposure": "formal", "needs": ["é" * 50, "🙂" * 45]},
    {"country": "MX", "subject": "group", "urgency": "pressure", "exposure": "formal", "needs": ["funding"] * 33},
    {"country": "MX", "subject": "group", "urgency": "pressure", "exposure": "formal", "fields": {"a": 1}},
    {"country": "MX", "subject": "group", "urgency": "attacked", "exposure": "none", "family_at_risk": "maybe"},
    {"country": "MX", "subject": "group", "urgency": "attacked", "exposure": "none", "unhcr_registered": 1},
    {"country": "PH", "subject": "group", "urgency": "attacked", "exposure": "none", "name": "x", "phone": "y"},
    {"country": "", "location": "", "subject": "", "urgency": "", "exposure": ""},
    [],
    "MX",
    None,
]


def python_result(raw) -> dict:
    dataset = get_dataset()
    try:
        plan = make_plan(parse_situation(raw, dataset), dataset, get_rules(dataset))
    except SituationError as exc:
        return {"errors": [{"field": e.field, "message": e.message, "code": e.code} for e in exc.errors]}
    return {"plan": plan_json(plan, "en")}


def test_javascript_navigator_gives_the_python_plan(site, tmp_path):
    """Same keys in the same order, same lists in the same order, same values; same errors for bad input."""
    valid = [s["situation"] for s in SCENARIOS] + random_situations(RANDOM_SITUATIONS) + ODD
    situations = valid + INVALID
    (tmp_path / "situations.json").write_text(json.dumps(situations), encoding="utf-8")
    run = subprocess.run(
        [
            NODE,
            str(PARITY),
            str(NAVIGATOR_JS),
            str(site / "static" / "amparo" / "navigator-data.js"),
            str(tmp_path / "situations.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert len(results) == len(situations)
    different = []
    kinds, plans = [], []
    for situation, got in zip(situations, results, strict=True):
        expected = python_result(situation)
        kinds.append(next(iter(expected)))
        plans.append(expected.get("plan"))
        if json.dumps(got, ensure_ascii=False) != json.dumps(expected, ensure_ascii=False):
            different.append(
                f"{situation!r}\n  python: {json.dumps(expected)[:600]}\n  js:     {json.dumps(got)[:600]}"
            )
    assert not different, f"{len(different)} of {len(situations)} differ; first:\n" + "\n".join(different[:3])
    assert kinds == ["plan"] * len(valid) + ["errors"] * len(INVALID)
    # The random draw is only worth something if it reaches every part of a plan.
    drawn = plans[len(SCENARIOS) : len(SCENARIOS) + RANDOM_SITUATIONS]
    assert sum(1 for p in drawn if p["emergency"]) > 100
    assert sum(1 for p in drawn if p["host_issuer"]) > 100
    assert sum(1 for p in drawn if p["excluded"]) > 100
    assert sum(1 for p in drawn if p["notices"]) > 50
    assert sum(1 for p in drawn if "location" in p["situation"]) > 100
    assert sum(1 for p in drawn if any(not m["known"] for m in p["missions"])) > 10


@pytest.mark.parametrize("script", NAVIGATOR_SCRIPTS, ids=lambda p: p.name)
def test_navigator_script_builds_the_page_safely(script):
    # Comments out (a line comment ends at its line: under DOTALL, ".*" would run to the end of the file).
    source = re.sub(r"/\*.*?\*/|^\s*//[^\n]*", "", script.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(", "fetch("):
        assert forbidden not in source, forbidden
    for forbidden in ("XMLHttpRequest", "localStorage", "sessionStorage", "indexedDB", "sendBeacon", "cookie"):
        assert forbidden not in source, forbidden


def test_navigator_data_is_a_script_that_only_assigns_data(site):
    text = (site / "static" / "amparo" / "navigator-data.js").read_text(encoding="utf-8")
    head, body = text.split("\n", 1)
    assert head.startswith("/*") and head.endswith("*/")
    prefix = f"globalThis.{DATA_GLOBAL} = "
    assert body.startswith(prefix) and body.endswith(";\n")
    data = json.loads(body[len(prefix) : -2])
    assert [s["id"] for s in data["support_types"]] == list(get_dataset().support_types)
    assert "</" not in body


# --- The command and the download ------------------------------------------------------------------


def test_command_exports_and_reports_sizes(tmp_path):
    runner = CliRunner()
    help_text = runner.invoke(export_site_command, ["--help"]).output
    assert "Example:" in help_text and "--zip" in help_text and "--lang" in help_text
    result = runner.invoke(export_site_command, [str(tmp_path / "site"), "--lang", "en", "--zip"])
    assert result.exit_code == 0, result.output
    assert re.search(r"exported \d+ pages in 1 language\(s\) \(en\) .*\d+\.\d MB", result.output)
    assert re.search(r"zip: .*site\.zip, \d+\.\d MB", result.output)
    assert (tmp_path / "site" / "en" / "index.html").is_file() and (tmp_path / "site.zip").is_file()
    again = runner.invoke(export_site_command, [str(tmp_path / "site")])
    assert again.exit_code == 1 and len(again.output.strip().splitlines()) == 1 and "Traceback" not in again.output
    wrong = runner.invoke(export_site_command, [str(tmp_path / "other"), "--lang", "xx"])
    assert wrong.exit_code == 1 and "unknown language xx" in wrong.output


@pytest.fixture
def editions_dir(tmp_path, settings, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("AMPARO_DATA_DIR", str(tmp_path))  # for the build's child process too
    return tmp_path / "editions"


def test_a_download_never_waits_for_a_build(editions_dir):
    """Issue 10: cold downloads built the ZIP inside the request and tied up every thread."""
    started = time.monotonic()
    response = Client().get("/data/amparo-offline-es.zip")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 503 and response["Retry-After"]
    assert "being prepared" in response.content.decode()
    assert not editions_dir.exists(), "the request built nothing"


def test_the_server_builds_editions_in_the_background_and_pages_answer_meanwhile(editions_dir):
    from amparo.web.edition.publish import start_edition_builds

    builder = start_edition_builds()
    client = Client()
    while builder.poll() is None:
        started = time.monotonic()
        assert client.get("/en/about/").status_code == 200
        assert time.monotonic() - started < 5.0, "the public site keeps answering during a build"
        time.sleep(0.2)
    assert builder.returncode == 0
    assert sorted(p.name.split("-")[2] for p in editions_dir.iterdir()) == ["ar", "en", "es", "fr", "pt"]
    assert Client().get("/data/amparo-offline-fr.zip").status_code == 200


def test_a_stale_edition_is_replaced(editions_dir):
    from amparo.web.edition.publish import build_edition

    editions_dir.mkdir()
    stale = editions_dir / "amparo-offline-en-0000000000000000.zip"
    stale.write_bytes(b"an edition of older data")
    assert Client().get("/data/amparo-offline-en.zip").status_code == 503, "a stale file is never served"
    fresh = build_edition("en")
    assert not stale.exists() and fresh.exists()


def test_site_offers_the_offline_edition_as_a_download(editions_dir):
    from amparo.web.edition.publish import build_edition

    client = Client()
    about = client.get("/en/about/").content.decode("utf-8")
    for code in ("en", "es", "fr", "ar"):
        assert f'href="/data/amparo-offline-{code}.zip"' in about
    build_edition("en")
    response = client.get("/data/amparo-offline-en.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="amparo-offline-en.zip"'
    assert not response.cookies
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(__import__("io").BytesIO(content)) as archive:
        names = archive.namelist()
    assert "amparo-offline-en/en/navigator/index.html" in names and "amparo-offline-en/index.html" in names
    assert not [n for n in names if n.startswith("amparo-offline-en/es/")]
    assert len(content) < 2_000_000, "one language fits a slow connection"
    assert client.get("/data/amparo-offline-xx.zip").status_code == 404


# --- In a real browser, from file://, with the network cut ---------------------------------------


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does).")
    from playwright.sync_api import sync_playwright

    # Playwright keeps an asyncio loop running in this thread; these tests touch no database.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Offline:
    """A browser context where only file:// loads; every other request is refused and remembered."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(15_000)
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def page(self):
        page = self.context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        return page

    def close(self):
        self.context.close()


def url_of(path: Path) -> str:
    return path.resolve().as_uri()


@pytest.mark.browser
def test_pages_open_from_files_with_no_network(chromium, site):
    offline = Offline(chromium)
    try:
        page = offline.page()
        for name in ("index.html", "en/index.html", "en/issuers/CA/index.html", "ar/compare/index.html"):
            page.goto(url_of(site / name))
            assert page.evaluate("getComputedStyle(document.body).maxWidth") == "960px", f"{name}: no stylesheet"
        page.click("text=English")
        assert page.url.endswith("/en/compare/index.html")
        page.click("header >> text=Countries and the EU")
        assert page.url.endswith("/en/issuers/index.html")
    finally:
        offline.close()
    assert not offline.refused, offline.refused
    assert not offline.errors, offline.errors


@pytest.mark.browser
def test_offline_navigator_shows_the_plan_on_the_device(chromium, site):
    offline = Offline(chromium)
    try:
        page = offline.page()
        page.goto(url_of(site / "en" / "navigator" / "index.html"))
        assert page.locator("#nojs").is_hidden() and page.locator("#navigator").is_visible()

        page.click("button[type=submit]")  # no country, no urgency: errors, no plan
        problems = page.locator("#problems")
        assert problems.is_visible() and problems.locator("li").count() == 2
        assert page.evaluate("document.activeElement.id") == "problems"
        assert page.locator("#country").get_attribute("aria-invalid") == "true"
        assert page.locator("#plan").is_hidden()

        page.select_option("#country", "MX")
        page.check("#urgency-immediate-danger")
        page.check("#needs-relocation")
        page.click("button[type=submit]")
        plan = page.locator("#plan")
        assert plan.is_visible() and problems.is_hidden() and page.locator("#navigator").is_hidden()
        assert page.evaluate("document.activeElement.id") == "plan-title"
        emergency = page.locator("#plan section.alert[aria-labelledby=emergency]")
        assert emergency.locator("h3").inner_text() == "First, if your life is in danger now"
        assert "Mexico" in plan.inner_text()
        dataset = get_dataset()
        situation = {"country": "MX", "urgency": "immediate-danger", "needs": ["relocation"]}
        situation |= {"subject": "individual", "exposure": "discreet"}
        expected = make_plan(parse_situation(situation, dataset), dataset, get_rules(dataset))
        assert expected.emergency
        for programme in expected.emergency.programmes:  # each with its routes; or, with none, where to look
            link = f":scope > ul.routes a[href='../programmes/index.html#{programme.id}']"
            assert emergency.locator(link).count() == 1
        assert emergency.locator(":scope > ul.routes > li").count() == len(expected.emergency.programmes)
        if not expected.emergency.reachable:
            assert emergency.locator("p > a[href='../programmes/index.html']").count() == 1
        shown = page.eval_on_selector_all("#plan li[id^=r-]", "items => items.map(i => i.id.slice(2))")
        assert shown == [r.support_type.id for r in expected.recommendations], "the plan, in the Python order"
        assert expected.emergency and shown[0] == expected.emergency.recommendations[0].support_type.id
        applied = page.locator("#plan p.muted").last.text_content()  # in the "Sources and rules" fold
        assert applied == "Rules applied: " + ", ".join(expected.applied_rules)

        page.click("text=Change my answers")
        assert page.locator("#navigator").is_visible() and plan.is_hidden()
        assert page.locator("#country").input_value() == "MX", "the answers are still there to change"
    finally:
        offline.close()
    assert not offline.refused, f"requests left file://: {offline.refused}"
    assert not offline.errors, offline.errors


@pytest.mark.browser
def test_offline_navigator_without_javascript_points_to_the_pages(chromium, site):
    offline = Offline(chromium, java_script_enabled=False)
    try:
        page = offline.page()
        page.goto(url_of(site / "en" / "navigator" / "index.html"))
        assert page.locator("#nojs").is_visible() and page.locator("#navigator").is_hidden()
        page.click("#nojs >> text=Emergency help")
        assert page.url.endswith("/en/programmes/index.html")
    finally:
        offline.close()
    assert not offline.refused


# One exported page of each type, like the live site's browser tests (tests/browser/conftest.py).
OFFLINE_AXE_PAGES = (
    "",
    "support/",
    "support/trial-observation/",
    "issuers/",
    "issuers/CA/",
    "issuers/BG/",
    "issuers/US/missions/",
    "compare/",
    "guidance/",
    "guidance/questions/",
    "programmes/",
    "search/",
    "about/",
    "sources/",
)


@pytest.mark.browser
def test_axe_finds_no_violation_offline(chromium, site):
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make test does)"
    offline = Offline(chromium, bypass_csp=True)  # only to inject axe
    problems = []
    try:
        page = offline.page()
        pages = [
            ("en/navigator/index.html", True),
            *((f"en/{path}index.html", False) for path in OFFLINE_AXE_PAGES),
        ]
        for name, fill in pages:
            page.goto(url_of(site / name))
            if fill:  # check the plan the script draws, not only the empty form
                page.select_option("#country", "CO")
                page.select_option("#location", "EC")
                page.check("#urgency-attacked")
                page.check("#exposure-public")
                page.check("#family_at_risk")
                page.check("#uses_violence")
                page.click("button[type=submit]")
                page.locator("#plan-title").wait_for()
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            for violation in result["violations"]:
                node = violation["nodes"][0]
                problems.append(f"{name}: {violation['id']} {violation['help']}: {node['target']} {node['html'][:160]}")
    finally:
        offline.close()
    assert not problems, "\n".join(problems)
    assert not offline.refused


def test_sheets_travel_with_the_edition(site):
    """The general sheet and the matrix are always there; issuer pages then link only to what exists."""
    for name in ("general.pdf", "matrix.pdf"):
        assert (site / "en" / "sheets" / name).read_bytes().startswith(b"%PDF")
    canada = (site / "en" / "issuers" / "CA" / "index.html").read_text()
    assert "../../sheets/general.pdf" in canada and "sheet.pdf" not in canada.replace("sheets/", "")


def test_issuer_sheets_on_request():
    from amparo.web.edition.export import build_files

    files = build_files(["en"], issuer_sheets=True)
    assert files["en/issuers/CA/sheet.pdf"].startswith(b"%PDF")
    assert 'href="sheet.pdf"' in files["en/issuers/CA/index.html"].decode()


@pytest.mark.browser
def test_exported_pages_are_valid_html(site):
    """The Nu HTML checker over every exported English page, in one run (it is slow to start)."""
    from tests.browser.conftest import nu_checker_messages

    messages = nu_checker_messages(site / "en")
    problems = [f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]
    assert not problems, "\n".join(problems[:20])


def test_an_edition_in_one_language_carries_no_other_language_s_words():
    from amparo.guidelines import get_dataset
    from amparo.web.edition.data import navigator_data_js

    dataset = get_dataset()
    name = dataset.support_types["trial-observation"].name
    spanish = navigator_data_js(dataset, ["es"])
    assert name.get("es") in spanish and name.get("en") in spanish  # its language, and English to fall back to
    assert name.get("fr") not in spanish and name.get("ar") not in spanish
    assert len(spanish) < 0.8 * len(navigator_data_js(dataset))
