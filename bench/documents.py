"""Benchmark the documents: one action sheet, all sheets, one letter, and the offline export.

Timed in this process with the real Typst compiler; each figure is the median of
several runs, beside a baseline measured in the same run (rendering the same
issuer's page as HTML through Django), so the ratio stays meaningful on another
machine. Results replace the section between the markers in docs/benchmarks.md.

Run: python -m bench.documents   (or make bench)
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings.local")
os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-bench-docs-"))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from amparo.documents.letter.compose import build_letter  # noqa: E402
from amparo.documents.letter.render import letter_pdf  # noqa: E402
from amparo.documents.letter.request import parse_letter_request  # noqa: E402
from amparo.documents.sheets import general_sheet_pdf, issuer_sheet_pdf, matrix_pdf  # noqa: E402
from amparo.guidelines import get_dataset  # noqa: E402
from amparo.web.edition.export import build_files, zip_archive  # noqa: E402
from bench.navigator import write_section  # noqa: E402
from bench.run import DOC, ROOT, machine, versions  # noqa: E402

BEGIN, END = "<!-- bench:documents -->", "<!-- /bench:documents -->"


def timed(work: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median seconds over ``runs`` (after one warm-up run), and the last result."""
    result = work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    dataset = get_dataset()
    client = Client(HTTP_HOST="127.0.0.1")
    when = datetime.datetime.now(datetime.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    request = parse_letter_request(
        {
            "issuer": "CA",
            "support_types": ["trial-observation", "public-statement"],
            "contact": "Signal, via our lawyer",
            "confidential": "the names of the witnesses",
            "public_consent": "discreet",
            "follow_up": "a call in two weeks",
        },
        dataset,
    )
    rows = []
    baseline, _ = timed(lambda: client.get("/en/issuers/CA/?bench=1").content, 20)  # the query string skips caches
    rows.append(("Issuer page as HTML (Django, the baseline)", baseline, None))
    one, pdf = timed(lambda: issuer_sheet_pdf(dataset, "CA", "en"), 10)
    rows.append(("One action sheet, Canada (PDF)", one, len(pdf)))
    every, sizes = timed(
        lambda: (
            [len(issuer_sheet_pdf(dataset, i, "en")) for i in dataset.issuers]
            + [len(general_sheet_pdf(dataset, "en")), len(matrix_pdf(dataset, "en"))]
        ),
        2,
    )
    rows.append((f"All sheets: {len(dataset.issuers)} issuers, general, matrix (PDF)", every, sum(sizes)))
    letter, letter_bytes = timed(lambda: letter_pdf(build_letter(request, dataset)), 10)
    rows.append(("One request letter (PDF)", letter, len(letter_bytes)))
    export, files = timed(lambda: build_files(["en"]), 2)
    archive = zip_archive(files, "amparo-offline-en")
    rows.append(("Offline edition, English (all files, in memory)", export, sum(len(b) for b in files.values())))
    rows.append(("Offline edition, English, as a ZIP", None, len(archive)))
    # One edition per language the site speaks, as `amparo publish-editions` builds them (issue 12 asks for the
    # size of each): its files in all, and the ZIP a defender downloads.
    for code, name in settings.LANGUAGES:
        if code == "en":
            continue
        files = build_files([code])
        rows.append((f"Offline edition, {name} ({code}), all files", None, sum(len(b) for b in files.values())))
        rows.append(
            (f"Offline edition, {name} ({code}), as a ZIP", None, len(zip_archive(files, f"amparo-offline-{code}")))
        )

    def fmt(seconds: float | None) -> str:
        return "–" if seconds is None else f"{seconds * 1000:,.1f} ms"

    lines = [
        BEGIN,
        "## Documents: sheets, letters and the offline edition",
        "",
        f"Measured {when} by `python -m bench.documents`, in one process (Typst {_typst_version()}).",
        "",
        f"- Machine: {machine()}.",
        f"- Versions: {versions()}.",
        "",
        "| Work | Median time | × baseline | Size |",
        "|---|--:|--:|--:|",
    ]
    for name, seconds, size in rows:
        ratio = "–" if seconds is None else f"{seconds / baseline:,.1f}"
        lines.append(f"| {name} | {fmt(seconds)} | {ratio} | {'–' if size is None else f'{size / 1024:,.0f} KB'} |")
    lines += [
        "",
        "The site keeps each sheet's PDF in memory after its first request, so only the first visitor waits.",
        END,
    ]
    write_section("\n".join(lines), BEGIN, END)
    print("\n".join(lines[9:-3]))
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def _typst_version() -> str:
    from importlib.metadata import version

    return version("typst")


if __name__ == "__main__":
    sys.exit(main())
