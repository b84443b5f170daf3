"""The offline edition: the whole public site as static files, for defenders who cannot rely on a connection.

Every page is rendered by the real views through Django's test client, so the
HTML is the live site's; only what cannot work without a server is changed:
internal links become relative paths that work from ``file://`` and any static
host, a Content-Security-Policy ``<meta>`` stands in for the header, the search
form gives way to an A–Z index of every topic, and the navigator form gives way
to a page whose scripts (``navigator-core.js``, ``navigator-page.js``) evaluate the same rule file on the
device. Nothing leaves the device: the offline pages load nothing from anywhere.

Output is deterministic (same dataset, same bytes), so an archive can be
checked against a published checksum.
"""

from __future__ import annotations

import html
import io
import json
import posixpath
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from amparo.files import write_atomic
from amparo.guidelines.model import Dataset
from amparo.web.edition.data import DATA_GLOBAL, navigator_data_js  # noqa: F401  (re-exported)

# file:// pages have no headers: the policy travels in the page (frame-ancestors cannot, by design of CSP).
OFFLINE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'"
)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date ZIP can hold: archives do not change with the clock
STATIC_FILES = ("amparo/amparo.css", "amparo/navigator-core.js", "amparo/navigator-page.js")
DATA_FILES = ("/data/amparo.json", "/data/matrix.csv")
MISSING = "\x00missing"  # marks a link to something the offline edition cannot hold (the API, a server form)

_ATTRIBUTE = re.compile(r'\b(href|src|action)="([^"]*)"')
_MISSING_LINK = re.compile(r'<a\b[^>]*href="' + MISSING + r'"[^>]*>(.*?)</a>', re.DOTALL)
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL)
_SEARCH_FORM = re.compile(r'<form role="search"[^>]*>.*?</form>', re.DOTALL)
_LANGUAGE_NAV = re.compile(r'<nav aria-label="[^"]*"><ul class="langs">(.*?)</ul></nav>', re.DOTALL)
_LANGUAGE_ITEM = re.compile(r'<li><a href="/([^/"]+)/[^"]*"[^>]*>.*?</a></li>', re.DOTALL)
_OFFLINE_SECTION = re.compile(r'<section id="offline-edition".*?</section>', re.DOTALL)
_API_ITEM = re.compile(r'<li><a href="/api/[^"]*">[^<]*</a></li>')
_CASEBOOK_ITEM = re.compile(r'<li><a href="/[a-z-]+/casebook/">[^<]*</a></li>\n?')  # private, server-only
# The general sheet and the matrix travel with every offline edition; an issuer's own PDF sheet only on
# request (all of them weigh about 3 MB per language), else its link goes and the page itself is the sheet.
_ISSUER_SHEET_LINK = re.compile(r'<a href="/[^"]+/issuers/[^"/]+/sheet\.pdf"[^>]*>[^<]*</a> · ')


class ExportError(Exception):
    """The export cannot be made; the message is one line for the person who asked for it."""


@dataclass(frozen=True)
class ExportResult:
    dest: Path
    languages: tuple[str, ...]
    pages: int  # HTML files
    files: int
    total_bytes: int
    zip_path: Path | None
    zip_bytes: int | None
    seconds: float


# --- Which pages, and where each goes --------------------------------------------------------------


def page_urls(dataset: Dataset, language: str) -> list[str]:
    """The public pages rendered by the real views, as the live site addresses them."""
    from django.urls import reverse
    from django.utils import translation

    from amparo.web.views import GUIDANCE_SECTIONS

    with translation.override(language):
        names = ("home", "support-list", "issuer-list", "compare", "guidance-index", "programme-list")
        urls = [reverse(name) for name in (*names, "about", "source-list")]
        urls += [reverse("compare") + f"?category={c.id}" for c in dataset.categories]
        urls += [reverse("support-detail", args=[s]) for s in dataset.support_types]
        urls += [reverse("issuer-detail", args=[i]) for i in dataset.issuers]
        urls += [reverse("issuer-missions", args=[i.id]) for i in dataset.issuers.values() if i.has_mission_data]
        urls += [reverse("guidance-section", args=[s]) for s in GUIDANCE_SECTIONS]
    return urls


def special_urls(language: str) -> tuple[str, str]:
    """The two pages the offline edition makes itself: the navigator and the A–Z index (for search)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse("navigator"), reverse("search")


def file_for(url: str) -> str:
    """Where the page at ``url`` (path and query) lives in the export: a folder with an index.html."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if parts.query.startswith("category="):  # the matrix filtered by a category, a page of its own
        path = f"{path}/{parts.query.removeprefix('category=')}"
    return f"{path}/index.html" if path else "index.html"


def _relative(target: str, page: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


# --- Rewriting a page ------------------------------------------------------------------------------


def _rewrite_link(value: str, page_url: str, page_file: str, files: dict[str, str]) -> str:
    raw = html.unescape(value)
    if raw.startswith("?"):
        raw = urljoin(page_url, raw)
    if not raw.startswith("/") or raw.startswith("//"):
        return value  # a fragment, or another site: untouched
    parts = urlsplit(raw)
    key = parts.path + (f"?{parts.query}" if parts.query else "")
    target = files.get(key)
    if target is None:
        return MISSING
    link = _relative(target, page_file)
    return html.escape(link + (f"#{parts.fragment}" if parts.fragment else ""), quote=True)


def _languages_nav(match: re.Match, exported: set[str]) -> str:
    items = [m.group(0) for m in _LANGUAGE_ITEM.finditer(match.group(1)) if m.group(1) in exported]
    if len(items) < 2:
        return ""
    return match.group(0).replace(match.group(1), "".join(items))


def offline_page(body: str, page_url: str, page_file: str, files: dict[str, str], languages: set[str]) -> str:
    """The live page made to work from files: relative links, the policy in a meta, no server forms."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    language = page_url.split("/")[1]
    meta = f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_CSP}">'
    body = body.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n{meta}', 1)
    with translation.override(language):
        index = html.escape(_("All topics A–Z"))
    body = _SEARCH_FORM.sub(f'<p class="offline-search"><a href="/{language}/search/">{index}</a></p>', body, count=1)
    body = _OFFLINE_SECTION.sub("", body)
    body = _API_ITEM.sub("", body)
    body = _CASEBOOK_ITEM.sub("", body)
    if f"/{language}/issuers/" not in "".join(url for url in files if url.endswith("/sheet.pdf")):
        body = _ISSUER_SHEET_LINK.sub("", body)
    body = _LANGUAGE_NAV.sub(lambda m: _languages_nav(m, languages), body)

    def attribute(match: re.Match) -> str:
        name, value = match.group(1), match.group(2)
        return f'{name}="{_rewrite_link(value, page_url, page_file, files)}"'

    body = _ATTRIBUTE.sub(attribute, body)
    body = _FORM.sub(lambda m: "" if MISSING in m.group(0) else m.group(0), body)  # a form that needs a server
    return _MISSING_LINK.sub(r"\1", body)  # a link to what is not here: keep its words


# --- The pages the offline edition makes -----------------------------------------------------------


def _labels(dataset: Dataset, language: str) -> dict[str, Any]:
    """The navigator's words in ``language``, from the catalogues the live plan page uses."""
    from django.template.defaultfilters import date as date_filter
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from amparo.web.navigator import ERROR_MESSAGES
    from amparo.web.templatetags.amparo import EXPOSURE_LABELS, FIELD_LABELS, MISSION_KINDS, VISIBILITY_LABELS

    return {
        "your_plan": _("Your plan"),
        "intro": _(
            "For a defender working in %(country)s. Nothing you entered has been stored; "
            "print or save this page if you want to keep it."
        ),
        "rules_colon": _("Rules:"),
        "visibility": _("Visibility:"),
        "visibility_warning": _(
            "you said visibility could put your family or community at risk. Weigh every formal or public step "
            "with them before you ask for it, and tell the mission."
        ),
        "explain": _(
            "Each measure says why it is suggested (and by which rules), and which guidelines foresee it. "
            "* marks a provision whose source is uncertain: see the issuer's page."
        ),
        "ranked": _("What to ask for, most relevant first"),
        "escalation": _("Escalation path"),
        "escalation_note": _(
            "Start discreetly; move to formal and then public steps only if needed and only with your consent."
        ),
        "excluded": _("Left out, and why"),
        "exposure_reason": _("it is a measure of %(kind)s visibility, and you accept: %(accepted)s."),
        "missions": _("Which missions to approach"),
        "host": _(
            "%(name)s is the State you work in: its own programmes are not diplomatic support, "
            "so it is not listed here."
        ),
        "missions_note": _(
            "Missions serving %(where)s according to Wikidata (as of %(date)s). A missing mission means not known, "
            "not absent; EU Delegations are not in this data."
        ),
        "missions_date": date_filter(dataset.missions_source.as_of),
        "not_known": _("not known from this data"),
        "cautions": _("Watch out for"),
        "checklist": _("Before you make contact"),
        "change": _("Change my answers"),
        "applied": _("Rules applied:"),
        "emergency": _("Emergency"),
        "last_resort": _("Last resort"),
        "rules_paren": _("rules:"),
        "condition": _("Condition:"),
        "foreseen": _("Foreseen by:"),
        "no_explicit": _("no guideline explicitly; you can still ask"),
        "inherited": {
            str(n): ngettext(
                "and %(counter)s EU member State through the EU guidelines",
                "and %(counter)s EU member States through the EU guidelines",
                n,
            )
            % {"counter": n}
            for n in range(1, len(dataset.issuers) + 1)
        },
        "source": _("Source:"),
        "problems": _("Please check these answers"),
        "errors": {code: str(message) for code, message in ERROR_MESSAGES.items()},
        "fields": {name: str(label) for name, label in FIELD_LABELS.items()},
        "visibilities": {key: str(label) for key, label in VISIBILITY_LABELS.items()},
        "exposures": {key: str(label) for key, label in EXPOSURE_LABELS.items()},
        "mission_kinds": {key: str(label) for key, label in MISSION_KINDS.items()},
    }


def _render(template: str, context: dict[str, Any], url: str, language: str) -> str:
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    with translation.override(language):
        request = RequestFactory().get(url)
        return render_to_string(template, context, request=request)


def navigator_page(dataset: Dataset, language: str, page_file: str, files: dict[str, str]) -> str:
    """The offline navigator: the live form, and a region where ``navigator-page.js`` shows the plan."""
    from django.urls import reverse
    from django.utils import translation

    from amparo.web.navigator import form_context

    navigator_url, _search = special_urls(language)

    def link(url: str) -> str:
        return _relative(files[url], page_file)

    with translation.override(language):
        support, issuers = reverse("support-list"), reverse("issuer-list")
        context = form_context({"exposure": "discreet", "subject": "individual"}, {})
        context |= {
            "labels_json": json.dumps(_labels(dataset, language), ensure_ascii=False),
            "urls_json": json.dumps(
                {
                    "support": _relative(file_for(support + "{id}/"), page_file),
                    "issuer": _relative(file_for(issuers + "{id}/"), page_file),
                    "programmes": link(reverse("programme-list")),
                    "guidance": link(reverse("guidance-index")),
                    "sources": link(reverse("source-list")),
                }
            ),
        }
    return _render("web/offline_navigator.html", context, navigator_url, language)


@dataclass(frozen=True)
class _Topic:
    id: str
    title: str


def index_page(dataset: Dataset, language: str) -> str:
    """Every topic from A to Z, in place of search (which needs a server): the search page's own layout."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from amparo.guidelines.search import KINDS, fold

    _navigator, search_url = special_urls(language)
    topics = {
        "support_type": [(s.id, s.name) for s in dataset.support_types.values()],
        "issuer": [(i.id, i.name) for i in dataset.issuers.values()],
        "guidance": [(g.id, g.title) for g in dataset.guidance.values()],
        "programme": [(p.id, p.name) for p in dataset.programmes.values()],
    }
    groups = [
        (kind, sorted((_Topic(i, t.get(language)) for i, t in topics[kind]), key=lambda h: fold(h.title)))
        for kind in KINDS
    ]
    body = _render("web/search.html", {"query": "", "groups": groups, "searched": True}, search_url, language)
    with translation.override(language):
        title = html.escape(_("All topics A–Z"))
        note = html.escape(
            _(
                "Search needs a connection to the site. In this offline edition every topic is listed here, "
                "from A to Z: use your browser's find in page."
            )
        )
    body = re.sub(r"<title>.*?·", f"<title>{title} ·", body, count=1, flags=re.DOTALL)
    return re.sub(r"<h1>.*?</h1>", f'<h1>{title}</h1>\n<p class="muted">{note}</p>', body, count=1, flags=re.DOTALL)


def chooser_page(languages: list[str]) -> str:
    """DEST/index.html: the language chooser, in every exported language at once."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    names = dict(settings.LANGUAGES)
    items = []
    for code in languages:
        with translation.override(code):
            tagline = _("Diplomatic support for human rights defenders")
            direction = "rtl" if translation.get_language_bidi() else "ltr"
        items.append(
            f'<li lang="{code}" dir="{direction}"><a href="{code}/index.html" hreflang="{code}">'
            f"{html.escape(names[code])}</a>: {html.escape(tagline)}</li>"
        )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_CSP}">'
    return (
        '<!doctype html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        f'{meta}\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n<title>Amparo</title>\n'
        '<link rel="stylesheet" href="static/amparo/amparo.css">\n</head>\n<body>\n<main id="main">\n'
        "<h1>Amparo</h1>\n<ul>" + "".join(items) + "</ul>\n</main>\n</body>\n</html>\n"
    )


# --- The export ------------------------------------------------------------------------------------


def _client_host() -> str:
    """A host the site accepts, so the test client passes the same checks a visitor's browser does."""
    from django.conf import settings

    for host in settings.ALLOWED_HOSTS:
        name = host.lstrip(".")
        if host == "*":
            return "localhost"
        if name and "*" not in name:
            return name
    return "localhost"


def _static(name: str) -> bytes:
    from django.contrib.staticfiles import finders

    found = finders.find(name)
    if not found:
        raise ExportError(f"static file {name} not found")
    return Path(found).read_bytes()


def sheet_urls(dataset: Dataset, language: str, issuer_sheets: bool) -> list[str]:
    """The PDF sheets the edition carries: the general sheet and the matrix, and each issuer's if asked."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        urls = [reverse("general-sheet-pdf"), reverse("matrix-pdf")]
        if issuer_sheets:
            urls += [reverse("issuer-sheet-pdf", args=[issuer]) for issuer in dataset.issuers]
    return urls


def build_files(languages: list[str] | None = None, issuer_sheets: bool = False) -> dict[str, bytes]:
    """Every file of the offline edition, by its path inside the export."""
    from django.conf import settings
    from django.test import Client
    from django.utils import translation

    from amparo.guidelines import get_dataset

    languages = _languages(languages)
    dataset = get_dataset()
    files = {"/": "index.html"}
    fetched: list[str] = []
    downloads: list[str] = list(DATA_FILES)
    for language in languages:
        urls = page_urls(dataset, language)
        fetched += urls
        files |= {url: file_for(url) for url in (*urls, *special_urls(language))}
        sheets = sheet_urls(dataset, language, issuer_sheets)
        downloads += sheets
        files |= {url: url.lstrip("/") for url in sheets}
    for name in (*STATIC_FILES, "amparo/navigator-data.js"):
        files[f"{settings.STATIC_URL}{name}"] = f"static/{name}"
    files |= {url: url.lstrip("/") for url in DATA_FILES}

    output: dict[str, bytes] = {}
    client = Client(HTTP_HOST=_client_host())
    exported = set(languages)
    with translation.override(translation.get_language()):  # the requests below switch the thread's language
        for url in fetched:
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise ExportError(f"{url} answered {response.status_code}")
            page = files[url]
            output[page] = offline_page(response.content.decode("utf-8"), url, page, files, exported).encode()
        for language in languages:
            navigator_url, search_url = special_urls(language)
            page = files[navigator_url]
            body = navigator_page(dataset, language, page, files)
            output[page] = offline_page(body, navigator_url, page, files, exported).encode()
            page = files[search_url]
            output[page] = offline_page(index_page(dataset, language), search_url, page, files, exported).encode()
        for url in downloads:
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise ExportError(f"{url} answered {response.status_code}")
            output[files[url]] = response.content
    output["index.html"] = chooser_page(languages).encode()
    for name in STATIC_FILES:
        output[f"static/{name}"] = _static(name)
    output["static/amparo/navigator-data.js"] = navigator_data_js(dataset).encode()
    return dict(sorted(output.items()))


def zip_archive(files: dict[str, bytes], folder: str) -> bytes:
    """A deterministic archive: sorted entries under one folder, fixed dates and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below are read as such
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def export_site(
    dest: Path, languages: list[str] | None = None, zip: bool = False, issuer_sheets: bool = False
) -> ExportResult:
    """Write the offline edition into ``dest`` (a new or empty folder), and ``dest``.zip beside it if asked."""
    started = time.monotonic()
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ExportError(f"{dest} exists and is not an empty folder: choose a new one")
    languages = _languages(languages)
    files = build_files(languages, issuer_sheets)
    zip_path = dest.parent / f"{dest.name}.zip" if zip else None
    try:
        for name, content in files.items():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        size = None
        if zip_path:
            archive = zip_archive(files, dest.name)
            write_atomic(zip_path, archive)
            size = len(archive)
    except OSError as exc:
        raise ExportError(f"cannot write {exc.filename or dest}: {exc.strerror or exc}") from None
    return ExportResult(
        dest=dest,
        languages=tuple(languages),
        pages=sum(1 for name in files if name.endswith(".html")),
        files=len(files),
        total_bytes=sum(len(content) for content in files.values()),
        zip_path=zip_path,
        zip_bytes=size,
        seconds=time.monotonic() - started,
    )


def _languages(languages: list[str] | None) -> list[str]:
    from django.conf import settings

    known = [code for code, _name in settings.LANGUAGES]
    chosen = list(dict.fromkeys(languages or known))
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise ExportError(f"unknown language {', '.join(unknown)}; choose from {', '.join(known)}")
    return chosen


def zip_bytes(language: str) -> bytes:
    """The offline edition in one language as a ZIP, built in memory (for the download view)."""
    return zip_archive(build_files(_languages([language])), f"amparo-offline-{language}")
