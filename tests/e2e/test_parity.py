"""Parity: every topic x audience has the same headings, statements and notes in PDF, Word and HTML."""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from lxml import html as lxml_html

pytestmark = pytest.mark.slow

HEADING_STYLES = {"Heading 1", "Heading 2", "Heading 3", "Callout Heading"}
STATEMENT_STYLES = {"Body Text", "List Bullet", "Callout"}


def squash(text: str) -> str:
    """Compare text without whitespace, punctuation or layout hyphens."""
    return re.sub(r"[\W_]+", "", text).lower()


def docx_parts(path: Path) -> tuple[list[str], list[str]]:
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name in HEADING_STYLES]
    statements = [
        p.text.removeprefix("•\u00a0\u00a0")
        for p in document.paragraphs
        if p.style.name in STATEMENT_STYLES and p.text.strip()
    ]
    return headings, statements


def pdf_outline_in_order(path: Path) -> list[str]:
    reader = pypdf.PdfReader(path)
    titles: list[str] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


# pdfium reports sizes in the PDF's user units; WeasyPrint draws in CSS pixels (0.75 pt).
PT = 1 / 0.75


@functools.cache
def pdf_chars(path: Path) -> tuple[tuple[str, float], ...]:
    """Return every character of a PDF with its font size in points, in drawing order.

    pdfium (pypdfium2, already briefgen's PDF reader for ingest) reads the 32 briefings in
    a few seconds; pdfplumber's layout analysis took minutes, most of the slow set's time.
    """
    found: list[tuple[str, float]] = []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            text = page.get_textpage()
            for index in range(text.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(text.raw, index))
                found.append((char, pdfium_c.FPDFText_GetFontSize(text.raw, index) / PT))
            found.append(("\n", 0.0))
    finally:
        document.close()
    return tuple(found)


def pdf_text(path: Path, keep: Callable[[float], bool] = lambda size: True) -> str:
    """Return the PDF's text drawn at a size ``keep`` accepts."""
    return "".join(char for char, size in pdf_chars(path) if keep(size))


def pdf_body_text(path: Path) -> str:
    # Body, callouts, bullets and tables are 8.5pt and up; running heads, footers and
    # footnotes (and footnote calls) are smaller, so filtering by size leaves the flow.
    return pdf_text(path, lambda size: size > 8.2)


def outputs(full_build: Path) -> list[tuple[Path, Path]]:
    pairs = sorted((p, p.with_suffix(".docx")) for p in full_build.glob("*/*.pdf"))
    assert len(pairs) >= 32
    return pairs


def test_same_headings_in_same_order(full_build: Path) -> None:
    for pdf, word in outputs(full_build):
        headings, _ = docx_parts(word)
        assert pdf_outline_in_order(pdf) == headings, pdf


def test_same_statements_in_same_order(full_build: Path) -> None:
    for pdf, word in outputs(full_build):
        _, statements = docx_parts(word)
        assert statements, word
        body = squash(pdf_body_text(pdf))
        position = 0
        for statement in statements:
            found = body.find(squash(statement), position)
            assert found >= 0, f"{pdf.name}: {statement!r} missing or out of order"
            position = found


def word_footnotes(word: Path) -> list[str]:
    """Return the text of a Word file's real footnotes or endnotes (not separators), squashed, in order."""
    found = []
    with zipfile.ZipFile(word) as z:
        for kind in ("footnote", "endnote"):
            name = f"word/{kind}s.xml"
            xml = z.read(name).decode() if name in z.namelist() else ""
            notes = re.findall(rf"<w:{kind}( [^>]*)?>(.*?)</w:{kind}>", xml, re.S)
            # Separator notes carry a w:type; real notes do not.
            found += [squash(re.sub(r"<[^>]+>", "", body)) for attrs, body in notes if "w:type=" not in attrs]
    return found


def test_footnotes_match(full_build: Path) -> None:
    with_notes = 0
    for pdf, word in outputs(full_build):
        word_notes = word_footnotes(word)
        small = squash(pdf_text(pdf, lambda size: size < 7.5))
        if not word_notes:
            # An audience without notes (the public): no compact note ("BS §2") in the PDF either.
            text = pdf_text(pdf)
            assert not re.search(r"\b[A-Z]{2,6}\s§\d", text), pdf
            continue
        with_notes += 1
        position = 0
        for note in word_notes:
            found = small.find(note, position)
            assert found >= 0, f"{pdf.name}: footnote {note!r} missing in PDF"
            position = found
    assert with_notes >= 24


def html_parts(path: Path) -> tuple[list[str], list[str], list[str]]:
    """Return the body headings, statements and endnotes of an HTML briefing, in order."""
    tree = lxml_html.fromstring(path.read_bytes())
    for ref in tree.xpath("//sup[@class='note-ref']"):
        ref.drop_tree()  # the note number, like the PDF's footnote call, is not statement text
    found = tree.xpath("//main//h2 | //main//h3 | //section[@id='sources']/h2")
    headings = [" ".join(h.text_content().split()) for h in found]
    kinds = "contains(@class, 'body') or contains(@class, 'bullet') or contains(@class, 'intro')"
    flow = f"//main//*[self::p or self::li][{kinds}]"
    statements = [" ".join(e.text_content().split()) for e in tree.xpath(flow)]
    notes = [
        " ".join(li.text_content().replace("\u21a9", "").split())
        for li in tree.xpath("//li[@class='endnote']")
    ]
    return headings, statements, notes


def test_html_has_the_same_headings_statements_and_notes(full_build: Path) -> None:
    pages = sorted(full_build.glob("*/*.html"))
    assert len(pages) >= 32
    for page in pages:
        headings, statements, notes = html_parts(page)
        word_headings, word_statements = docx_parts(page.with_suffix(".docx"))
        assert headings == word_headings, page
        assert [squash(s) for s in statements] == [squash(s) for s in word_statements], page
        assert [squash(n) for n in notes] == word_footnotes(page.with_suffix(".docx")), page
