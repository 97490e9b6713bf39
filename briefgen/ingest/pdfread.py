"""Read a PDF (pypdfium2): headings by font size and weight; running headers, footers and page numbers dropped.

PDFium gives each character with its font size, weight and box. Characters are joined
into lines, lines that repeat at the top or bottom of pages (digits aside) or only
number the page are dropped, and the rest become headings (larger or bold short lines),
bullet items and paragraphs (split where the gap between lines widens). A place in a
PDF is a page and the line on that page.
"""

from __future__ import annotations

import ctypes
import dataclasses
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import ContentError, Location, Problem
from briefgen.ingest.document import RawDocument, Unit, build_document

MAX_PAGES = 2_000
MARGIN_SHARE = 0.1  # the top and bottom tenth of a page hold running headers and footers
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-\u2013(]?\s*(?:\d+|[ivxlcdm]+)\s*[-\u2013)]?(?:\s*(?:of|/)\s*\d+)?$", re.I
)
_BULLET = re.compile(r"^[\u2022\u25e6\u25aa\u25cf\u2023\u2043\u2013*-]\s+(?=\S)")
_TERMINAL = re.compile(r"[.:;,!]$")
_SENTENCE_END = re.compile(r"[.!?:][\"'\u2019\u201d)]*$")


@dataclass
class _Line:
    text: str
    size: float
    bold: bool
    top: float
    bottom: float
    left: float
    page: int
    number: int = 0  # the line's place on its page, top to bottom


def read_pdf(path: Path, data: bytes) -> RawDocument:
    """Parse PDF bytes into a RawDocument."""
    import pypdfium2

    # A damaged file raises PdfiumError, which read_document reports with the formats it reads.
    pdf = pypdfium2.PdfDocument(data)
    try:
        if len(pdf) > MAX_PAGES:
            raise ContentError.at(
                Location.of(path), f"PDF has {len(pdf)} pages, more than {MAX_PAGES}; split it"
            )
        pages = [_page_lines(pdf[index], index + 1) for index in range(len(pdf))]
    finally:
        pdf.close()
    warnings: list[Problem] = []
    lines = _drop_furniture(pages)
    if not lines:
        raise ContentError.at(
            Location.of(path), "PDF has no text layer (a scan?); run OCR first or give the text another way"
        )
    return build_document(path, _units(lines), warnings)


def _page_lines(page: object, number: int) -> list[_Line]:
    """Join a page's characters into lines, top to bottom, with each line's font size and weight."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()  # type: ignore[attr-defined]
    height = float(page.get_height())  # type: ignore[attr-defined]
    raw = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    lines: list[_Line] = []
    chars: list[str] = []
    sizes: Counter[float] = Counter()
    bold = total = 0
    box: tuple[float, float, float] | None = None
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, index))
        if char in "\r\n":
            if char == "\n" and chars:
                lines.append(_make_line(chars, sizes, bold, total, box, number, height))
                chars, sizes, bold, total, box = [], Counter(), 0, 0, None
            continue
        chars.append(char)
        if char.isspace() or pdfium_c.FPDFText_IsGenerated(raw, index):
            continue
        sizes[round(pdfium_c.FPDFText_GetFontSize(raw, index), 1)] += 1
        total += 1
        bold += pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600
        if box is None:
            pdfium_c.FPDFText_GetCharBox(raw, index, left, right, bottom, top)
            box = (top.value, bottom.value, left.value)
    if chars:
        lines.append(_make_line(chars, sizes, bold, total, box, number, height))
    textpage.close()
    # Reading order: top to bottom (PDF y grows upwards), then left to right.
    lines = _merge_rows(sorted((ln for ln in lines if ln.text), key=lambda ln: (-ln.top, ln.left)))
    for place, line in enumerate(lines, 1):
        line.number = place
    return lines


def _make_line(
    chars: list[str],
    sizes: Counter[float],
    bold: int,
    total: int,
    box: tuple[float, float, float] | None,
    page: int,
    height: float,
) -> _Line:
    top, bottom, left = box if box is not None else (height, height, 0.0)
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    text = " ".join("".join(chars).split())
    return _Line(text, size, total > 0 and bold * 2 > total, top / height, bottom / height, left, page)


def _merge_rows(lines: list[_Line]) -> list[_Line]:
    """Join pieces that share a row (a list marker drawn apart from its text) into one line, left to right."""
    rows: list[list[_Line]] = []
    for line in lines:
        row = rows[-1] if rows else None
        if row is not None:
            top, bottom = min(ln.top for ln in row), max(ln.bottom for ln in row)
            overlap = min(top, line.top) - max(bottom, line.bottom)
            if overlap > 0.5 * min(top - bottom, line.top - line.bottom):
                row.append(line)
                continue
        rows.append([line])
    merged: list[_Line] = []
    for row in rows:
        row.sort(key=lambda ln: ln.left)
        main = max(row, key=lambda ln: len(ln.text))
        text = " ".join(ln.text for ln in row)
        merged.append(dataclasses.replace(main, text=text, top=max(ln.top for ln in row), left=row[0].left))
    return merged


def _furniture_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


def _drop_furniture(pages: list[list[_Line]]) -> list[_Line]:
    """Drop page numbers and lines repeated in the page margins of several pages."""
    margin = [ln for page in pages for ln in page if ln.top > 1 - MARGIN_SHARE or ln.bottom < MARGIN_SHARE]
    repeats = Counter(_furniture_key(ln) for ln in margin)
    needed = 2 if len(pages) >= 2 else 99
    kept: list[_Line] = []
    for page in pages:
        for line in page:
            in_margin = line.top > 1 - MARGIN_SHARE or line.bottom < MARGIN_SHARE
            if in_margin and (repeats[_furniture_key(line)] >= needed or _PAGE_NUMBER.match(line.text)):
                continue
            kept.append(line)
    return kept


def _body_metrics(lines: list[_Line]) -> tuple[float, float]:
    """Return the body text's font size (the size most text is set in) and its usual line gap."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    body = weights.most_common(1)[0][0]
    gaps = sorted(
        a.bottom - b.top
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and a.size == b.size == body and a.bottom > b.top
    )
    return body, gaps[len(gaps) // 2] if gaps else 0.0


def _units(lines: list[_Line]) -> list[Unit]:
    """Turn lines into a title, headings, bullet items and paragraphs."""
    body, spacing = _body_metrics(lines)
    largest = max(line.size for line in lines)
    units: list[Unit] = []
    current: list[_Line] = []
    kind = "text"
    item_left = 0.0

    def flush() -> None:
        if current:
            units.append(_unit(kind, current))
            current.clear()

    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        heading = _is_heading(line, body)
        bullet = _BULLET.match(line.text)
        if heading:
            same_heading = (
                previous is not None
                and kind in ("heading", "title")
                and current
                and previous.size == line.size
            )
            if not same_heading or previous is None or previous.page != line.page:
                flush()
                title = not units and index == 0 and line.size >= largest and line.size > body
                kind = "title" if title else "heading"
            current.append(line)
            continue
        if bullet:
            flush()
            kind, item_left = "item", line.left
            current.append(dataclasses.replace(line, text=line.text[bullet.end() :]))
            continue
        gap = (previous.bottom - line.top) if previous is not None and previous.page == line.page else 0.0
        # Across a page break only punctuation tells: a paragraph that ended a page ended a sentence.
        page_break = (
            previous is not None and previous.page != line.page and bool(_SENTENCE_END.search(previous.text))
        )
        new_block = (
            kind in ("heading", "title")
            or bool(spacing and gap > spacing * 1.6)
            or line.size != body
            or page_break
        )
        if kind == "item" and line.left > item_left + 1 and not new_block:
            current.append(line)  # the wrapped rest of a bullet item, indented past its bullet
            continue
        if new_block or kind == "item":
            flush()
            kind = "text"
        current.append(line)
    flush()
    return units


def _is_heading(line: _Line, body: float) -> bool:
    words = len(line.text.split())
    if words == 0 or words > 20 or _TERMINAL.search(line.text) or _BULLET.match(line.text):
        return False
    return line.size >= body * 1.15 or (line.bold and line.size >= body * 0.95 and words <= 15)


def _unit(kind: str, lines: list[_Line]) -> Unit:
    """Join lines into one unit; a line ending in a hyphen joins the next without a space."""
    text = ""
    breaks: list[int] = []
    for line in lines:
        if text:
            if not text.endswith("-"):
                text += " "
            breaks.append(len(text))
        text += line.text
    first = lines[0]
    return Unit(
        kind,
        text,
        first.number,
        first.page,
        tuple(breaks),
        tuple(ln.number for ln in lines),
        tuple(ln.page for ln in lines),
    )
