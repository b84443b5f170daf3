"""The offline edition: the whole public site as static files, for defenders who cannot rely on a connection.

Every page is rendered by the real views and templates, with the edition in the request
(amparo.web.edition.links): the templates themselves give internal links as relative
paths that work from ``file://`` and any static host, put the Content-Security-Policy
in a ``<meta>`` (files have no headers), leave out what needs a server, and give the
search form's place to an A–Z index of every topic. The navigator form gives way to a
page whose scripts (``navigator-core.js``, ``navigator-page.js``) evaluate the same rule file on the device.
Nothing leaves the device: the offline pages load nothing from anywhere.

Output is deterministic (same dataset, same bytes), so an archive can be
checked against a published checksum.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from amparo.files import write_atomic
from amparo.guidelines.model import Dataset
from amparo.web.edition.data import navigator_data_js
from amparo.web.edition.links import EDITION_KEY, Edition, EditionError, file_for
from amparo.web.edition.pages import chooser_page, index_page, navigator_page, special_urls
from amparo.web.minify import minify_html

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date ZIP can hold: archives do not change with the clock
STATIC_FILES = ("amparo/amparo.css", "amparo/navigator-core.js", "amparo/navigator-page.js")
DATA_FILES = ("/data/amparo.json", "/data/matrix.csv")


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

    from amparo.web.templatetags.amparo import source_parts
    from amparo.web.views import GUIDANCE_SECTIONS

    with translation.override(language):
        names = ("home", "support-list", "issuer-list", "compare", "guidance-index")
        names += ("programme-list", "programme-relocation", "programme-more")
        urls = [reverse(name) for name in (*names, "about", "source-list")]
        urls += [reverse("source-part", args=[n]) for n in range(2, len(source_parts()) + 1)]
        urls += [reverse("compare") + f"?category={c.id}" for c in dataset.categories]
        urls += [reverse("support-detail", args=[s]) for s in dataset.support_types]
        urls += [reverse("issuer-detail", args=[i]) for i in dataset.issuers]
        urls += [reverse("issuer-missions", args=[i.id]) for i in dataset.issuers.values() if i.has_mission_data]
        urls += [reverse("guidance-section", args=[s]) for s in GUIDANCE_SECTIONS]
    return urls


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


@contextmanager
def _template_errors() -> Iterator[None]:
    try:
        yield
    except EditionError as exc:
        raise ExportError(str(exc)) from None


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
    edition = Edition(files=files, languages=tuple(languages), issuer_sheets=issuer_sheets)
    with translation.override(translation.get_language()), _template_errors():  # requests switch the language
        for url in fetched:
            response = client.get(url, secure=True, **{EDITION_KEY: edition.at(url)})
            if response.status_code != 200:
                raise ExportError(f"{url} answered {response.status_code}")
            output[files[url]] = minify_html(response.content.decode("utf-8")).encode()
        for language in languages:
            navigator_url, search_url = special_urls(language)
            output[files[navigator_url]] = minify_html(navigator_page(dataset, language, edition)).encode()
            output[files[search_url]] = minify_html(index_page(dataset, language, edition)).encode()
        for url in downloads:
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise ExportError(f"{url} answered {response.status_code}")
            output[files[url]] = response.content
    output["index.html"] = chooser_page(languages).encode()
    for name in STATIC_FILES:
        output[f"static/{name}"] = _static(name)
    output["static/amparo/navigator-data.js"] = navigator_data_js(dataset, languages).encode()
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
