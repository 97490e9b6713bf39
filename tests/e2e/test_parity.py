"""PDF/DOCX parity: every topic x audience has the same headings and statements in both."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pdfplumber
import pypdf
import pytest

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


def pdf_body_text(path: Path) -> str:
    # Body, callouts, bullets and tables are 8.5pt and up; running heads, footers and
    # footnotes (and footnote calls) are smaller, so filtering by size leaves the flow.
    with pdfplumber.open(path) as pdf:
        return "\n".join(
            page.filter(
                lambda obj: obj.get("object_type") != "char" or obj.get("size", 0) > 8.2
            ).extract_text()
            for page in pdf.pages
        )


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


def test_footnotes_match(full_build: Path) -> None:
    import zipfile

    for pdf, word in outputs(full_build):
        with zipfile.ZipFile(word) as z:
            xml = z.read("word/footnotes.xml").decode() if "word/footnotes.xml" in z.namelist() else ""
        notes = re.findall(r"<w:footnote( [^>]*)?>(.*?)</w:footnote>", xml, re.S)
        # Separator footnotes carry a w:type; real notes do not.
        word_notes = [squash(re.sub(r"<[^>]+>", "", body)) for attrs, body in notes if "w:type=" not in attrs]
        with pdfplumber.open(pdf) as doc:
            small = squash(
                "".join(
                    page.filter(
                        lambda o: o.get("object_type") != "char" or o.get("size", 99) < 7.5
                    ).extract_text()
                    for page in doc.pages
                )
            )
        assert word_notes, word
        position = 0
        for note in word_notes:
            found = small.find(note, position)
            assert found >= 0, f"{pdf.name}: footnote {note!r} missing in PDF"
            position = found
