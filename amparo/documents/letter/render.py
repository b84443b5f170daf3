"""A request letter as Markdown, HTML, PDF (Typst) or DOCX (python-docx), and as JSON data.

Every renderer treats each text of the letter as data: Markdown and HTML escape it, Typst
receives it through ``sys.inputs`` (never spliced into markup) and python-docx writes it
as run text. So a ``#``, ``]``, ``$``, ``<script>`` or backslash that a person typed is
printed as typed and does nothing.

Each is written in the letter's language: its headings through the site's catalogues, and
right to left for Arabic (``dir`` in HTML, the text direction in Typst, ``w:bidi`` in DOCX).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import TYPE_CHECKING, Any

from amparo.documents.letter.language import Words
from amparo.documents.letter.model import Letter, Paragraph, Section, ref_label
from amparo.documents.typst import compile_pdf
from amparo.guidelines.words import gettext_noop

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph as DocxParagraph

FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
}
SOURCES_HEADING = gettext_noop("Sources")
GUIDELINES_HEADING = gettext_noop("Guidelines cited")


def _refs(numbers: tuple[int, ...]) -> str:
    return f"[{ref_label(numbers)}]" if numbers else ""


def _source_text(letter: Letter, number: int) -> str:
    """One entry of the sources list as plain text, without its addresses: label, locator (in its own language)."""
    words = Words(letter.language)
    ref = letter.references[number - 1]
    return ref.label + (words.comma + words.foreign(ref.locator) if ref.locator else "") + "."


def reference_text(letter: Letter, number: int) -> str:
    """One entry of the sources list as plain text: label, locator, addresses."""
    return _source_text(letter, number) + "".join(f" {url}" for url in letter.references[number - 1].urls)


def guideline_text(letter: Letter, index: int) -> str:
    """A guideline cited: its official title in the quotation marks of the letter's language, and its year."""
    g = letter.guidelines[index]
    return Words(letter.language).quoted(g.title, g.year) + "."


def _headings(letter: Letter) -> tuple[str, str]:
    """The headings of the guidelines cited and of the sources, in the letter's language."""
    words = Words(letter.language)
    return words(GUIDELINES_HEADING), words(SOURCES_HEADING)


# JSON ----------------------------------------------------------------------------------------------------------
def _paragraph_data(paragraph: Paragraph) -> dict[str, Any]:
    return {
        "parts": [{"text": p.text, "refs": list(p.refs), "label": _refs(p.refs)} for p in paragraph.parts],
        "text": paragraph.plain,
    }


def _section_data(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "paragraphs": [_paragraph_data(p) for p in section.paragraphs],
        "measures": [
            {"support_type": m.support_type_id, "name": m.name, "status": m.status, **_paragraph_data(m.paragraph)}
            for m in section.measures
        ],
    }


def letter_data(letter: Letter) -> dict[str, Any]:
    """The letter as JSON-ready data: for the API, and what the Typst template reads."""
    guidelines_heading, sources_heading = _headings(letter)
    return {
        "issuer": letter.issuer_id,
        "mission": letter.mission_id,
        "language": letter.language,
        "dir": "rtl" if letter.rtl else "ltr",
        "date": letter.date.isoformat(),
        "date_text": letter.date_text,
        "sender": list(letter.sender),
        "addressee": list(letter.addressee),
        "subject": letter.subject,
        "salutation": letter.salutation,
        "sections": [_section_data(s) for s in letter.sections],
        "closing": letter.closing,
        "signature": list(letter.signature),
        "guidelines_heading": guidelines_heading,
        "guidelines": [
            {
                "issuer": g.issuer_id,
                "title": g.title,
                "year": g.year,
                "url": g.url,
                "refs": list(g.refs),
                "label": _refs(g.refs),
                "text": guideline_text(letter, i),
            }
            for i, g in enumerate(letter.guidelines)
        ],
        "sources_heading": sources_heading,
        "references": [
            {
                "number": r.number,
                "source": r.source_id,
                "label": r.label,
                "locator": r.locator,
                "urls": list(r.urls),
                "text": _source_text(letter, r.number),
            }
            for r in letter.references
        ],
        "note": letter.note,
    }


# Markdown ------------------------------------------------------------------------------------------------------
_MD_ALWAYS = re.compile(r"([\\`*_\[\]<>&~|!{}$])")
_MD_LINE_START = re.compile(r"^(\s*)([#+=>-]|\d+[.)])")


def md_escape(text: str) -> str:
    """Text that CommonMark shows literally: inline markup characters and line-start markers backslash-escaped."""
    lines = []
    for line in text.split("\n"):
        line = _MD_ALWAYS.sub(r"\\\1", line)
        line = _MD_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), line)
        lines.append(line)
    return "\\\n".join(lines)  # a backslash at the end of a line is a hard line break


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[-1] in ".)" else "\\" + marker


def _md_paragraph(paragraph: Paragraph) -> str:
    return "".join(md_escape(p.text) + (f" {_refs(p.refs)}" if p.refs else "") for p in paragraph.parts)


def letter_markdown(letter: Letter) -> str:
    guidelines_heading, sources_heading = _headings(letter)
    lines: list[str] = []
    lines += [md_escape(line) + "  " for line in letter.sender]
    lines += ["", letter.date_text, ""]
    lines += [md_escape(line) + "  " for line in letter.addressee]
    lines += ["", f"# {md_escape(letter.subject)}", "", md_escape(letter.salutation), ""]
    for section in letter.sections:
        if section.heading:
            lines += [f"## {md_escape(section.heading)}", ""]
        for paragraph in section.paragraphs:
            lines += [_md_paragraph(paragraph), ""]
        for number, measure in enumerate(section.measures, 1):
            lines.append(f"{number}. **{md_escape(measure.name)}.** {_md_paragraph(measure.paragraph)}")
        if section.measures:
            lines.append("")
    lines += [md_escape(letter.closing), ""]
    lines += [md_escape(line) + "  " for line in letter.signature]
    if letter.guidelines:
        lines += ["", f"## {md_escape(guidelines_heading)}", ""]
        for i, g in enumerate(letter.guidelines):
            url = f" <{g.url}>" if g.url else ""
            lines.append(f"- {md_escape(guideline_text(letter, i))}{url} {_refs(g.refs)}".rstrip())
    lines += ["", f"## {md_escape(sources_heading)}", ""]
    for ref in letter.references:
        text = md_escape(_source_text(letter, ref.number))
        lines.append(f"{ref.number}. {text}" + "".join(f" <{url}>" for url in ref.urls))
    lines += ["", md_escape(letter.note)]
    return "\n".join(lines).replace("\n\n\n", "\n\n").lstrip("\n") + "\n"


# HTML ----------------------------------------------------------------------------------------------------------
def _h(text: str) -> str:
    """Escaped text, line breaks kept."""
    return html.escape(text, quote=True).replace("\n", "<br>\n")


def _html_refs(numbers: tuple[int, ...]) -> str:
    if not numbers:
        return ""
    links = ", ".join(f'<a href="#ref-{n}">{n}</a>' for n in numbers)
    return f" <sup>[{links}]</sup>"


def _html_paragraph(paragraph: Paragraph) -> str:
    return "".join(_h(p.text) + _html_refs(p.refs) for p in paragraph.parts)


def _html_link(url: str) -> str:
    safe = url if url.startswith(("https://", "http://")) else None
    return f'<a href="{html.escape(safe)}" rel="noreferrer">{_h(url)}</a>' if safe else _h(url)


def letter_html(letter: Letter) -> str:
    """A standalone document: no style, no script, nothing loaded (its own policy forbids every load)."""
    guidelines_heading, sources_heading = _headings(letter)
    out = [
        "<!doctype html>",
        f'<html lang="{html.escape(letter.language)}" dir="{"rtl" if letter.rtl else "ltr"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(letter.subject)}</title>",
        "</head>",
        "<body>",
        "<header>",
    ]
    if letter.sender:
        out.append("<address>" + "<br>\n".join(_h(line) for line in letter.sender) + "</address>")
    out.append(f'<p><time datetime="{letter.date.isoformat()}">{_h(letter.date_text)}</time></p>')
    out.append("<address>" + "<br>\n".join(_h(line) for line in letter.addressee) + "</address>")
    out += ["</header>", "<main>", f"<h1>{_h(letter.subject)}</h1>", f"<p>{_h(letter.salutation)}</p>"]
    for section in letter.sections:
        if section.heading:
            out.append(f"<section>\n<h2>{_h(section.heading)}</h2>")
        out += [f"<p>{_html_paragraph(p)}</p>" for p in section.paragraphs]
        if section.measures:
            out.append("<ol>")
            out += [f"<li><strong>{_h(m.name)}.</strong> {_html_paragraph(m.paragraph)}</li>" for m in section.measures]
            out.append("</ol>")
        if section.heading:
            out.append("</section>")
    out.append(f"<p>{_h(letter.closing)}</p>")
    if letter.signature:
        out.append("<p>" + "<br>\n".join(_h(line) for line in letter.signature) + "</p>")
    out += ["</main>", "<footer>"]
    if letter.guidelines:
        out += [f"<h2>{_h(guidelines_heading)}</h2>", "<ul>"]
        for i, g in enumerate(letter.guidelines):
            url = f" {_html_link(g.url)}" if g.url else ""
            out.append(f"<li>{_h(guideline_text(letter, i))}{url}{_html_refs(g.refs)}</li>")
        out.append("</ul>")
    out += [f"<h2>{_h(sources_heading)}</h2>", "<ol>"]
    for ref in letter.references:
        text = _h(_source_text(letter, ref.number))
        links = "".join(f" {_html_link(url)}" for url in ref.urls)
        out.append(f'<li id="ref-{ref.number}">{text}{links}</li>')
    out += ["</ol>", f"<p>{_h(letter.note)}</p>", "</footer>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# PDF -----------------------------------------------------------------------------------------------------------
def letter_pdf(letter: Letter) -> bytes:
    """A4 PDF with embedded fonts, through ``typst/letter.typ``; the letter goes in as data only."""
    return compile_pdf("letter", letter_data(letter))


# DOCX ----------------------------------------------------------------------------------------------------------
def _docx_paragraph(target: DocxParagraph, paragraph: Paragraph) -> None:
    for part in paragraph.parts:
        target.add_run(part.text)
        if part.refs:
            target.add_run(f" {_refs(part.refs)}")


# Word's language tags for the letter's languages (the site's Portuguese is Brazilian, its English British).
DOCX_LANGUAGES = {"en": "en-GB", "es": "es-ES", "fr": "fr-FR", "pt": "pt-BR", "ar": "ar-SA"}
# What follows w:bidi in a paragraph's properties (ECMA-376 order), so that it is inserted in its place.
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _docx_language(document: Any, letter: Letter) -> None:
    """The language of the document's text, for spelling and for the fonts Word picks (Normal style)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = DOCX_LANGUAGES.get(letter.language, letter.language)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB" if letter.rtl else tag)  # Latin text in an Arabic letter: the titles
    if letter.rtl:
        lang.set(qn("w:bidi"), tag)
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    rpr.append(lang)


def _docx_right_to_left(document: Any) -> None:
    """Every paragraph right to left (``w:bidi``) and every run too (``w:rtl``), bold kept for Arabic script."""
    from docx.oxml import OxmlElement

    for paragraph in document.paragraphs:
        properties = paragraph._p.get_or_add_pPr()
        properties.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
        for run in paragraph.runs:
            run.font.rtl = True
            if run.bold:
                run.font.cs_bold = True


def letter_docx(letter: Letter) -> bytes:
    """A Word document: the letter with headings, numbered measures and a sources list; no author recorded.

    Its paragraphs run right to left in an Arabic letter.
    """
    from docx import Document

    guidelines_heading, sources_heading = _headings(letter)
    document = Document()
    _docx_language(document, letter)
    properties = document.core_properties
    properties.title = letter.subject
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    properties.language = letter.language
    moment = dt.datetime.combine(letter.date, dt.time())
    properties.created = moment
    properties.modified = moment
    if letter.sender:
        document.add_paragraph("\n".join(letter.sender))
    document.add_paragraph(letter.date_text)
    document.add_paragraph("\n".join(letter.addressee))
    document.add_heading(letter.subject, level=1)
    document.add_paragraph(letter.salutation)
    for section in letter.sections:
        if section.heading:
            document.add_heading(section.heading, level=2)
        for paragraph in section.paragraphs:
            _docx_paragraph(document.add_paragraph(), paragraph)
        for measure in section.measures:
            item = document.add_paragraph(style="List Number")
            item.add_run(f"{measure.name}.").bold = True
            item.add_run(" ")
            _docx_paragraph(item, measure.paragraph)
    document.add_paragraph(letter.closing)
    if letter.signature:
        document.add_paragraph("\n".join(letter.signature))
    if letter.guidelines:
        document.add_heading(guidelines_heading, level=2)
        for i, g in enumerate(letter.guidelines):
            text = guideline_text(letter, i) + (f" {g.url}" if g.url else "") + (f" {_refs(g.refs)}" if g.refs else "")
            document.add_paragraph(text, style="List Bullet")
    document.add_heading(sources_heading, level=2)
    for ref in letter.references:
        document.add_paragraph(f"[{ref.number}] {reference_text(letter, ref.number)}")
    document.add_paragraph(letter.note)
    if letter.rtl:
        _docx_right_to_left(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_letter(letter: Letter, fmt: str) -> tuple[bytes, str, str]:
    """``(content, content type, file name)`` for one of :data:`FORMATS`."""
    content_type, extension = FORMATS[fmt]
    if fmt == "pdf":
        body = letter_pdf(letter)
    elif fmt == "docx":
        body = letter_docx(letter)
    elif fmt == "html":
        body = letter_html(letter).encode("utf-8")
    else:
        body = letter_markdown(letter).encode("utf-8")
    return body, content_type, letter.filename(extension)
