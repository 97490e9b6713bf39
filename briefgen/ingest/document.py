"""A raw document as every reader gives it: title, headed sections, paragraphs and bullet lists, each located.

A place is a line of the original file (plain text, Markdown, HTML), a paragraph
number (Word) or a page and a line on it (PDF). Sentences are split here too, so the
drafting, the facts and the provenance check all see the same sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.errors import Problem

SENTENCE_END = re.compile(r"(?P<end>[.!?]+[\"'\u2019\u201d)\]]*)\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "st", "no", "fig", "approx", "cf"}
    | {"jr", "sr", "prof", "gen", "col", "lt", "sgt", "u.s", "u.n", "u.k"}
)
MINOR_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "from"}
    | {"by", "with", "as", "via", "vs", "into", "onto", "upon", "per", "amid", "over", "than"}
    | {"its", "their", "our"}
)


@dataclass(frozen=True)
class Paragraph:
    """A run of prose; ``breaks`` are the offsets in ``text`` where later source lines begin.

    ``lines`` and ``pages`` give the line and page of each of those segments when they
    are not simply consecutive lines (a PDF paragraph may run onto the next page).
    """

    text: str
    line: int
    breaks: tuple[int, ...] = ()
    page: int | None = None
    lines: tuple[int, ...] = ()
    pages: tuple[int, ...] = ()

    def line_at(self, offset: int) -> int:
        """Return the source line holding the character at ``offset`` of ``text``."""
        index = bisect_right(self.breaks, offset)
        return self.lines[index] if self.lines else self.line + index

    def page_at(self, offset: int) -> int | None:
        """Return the page holding the character at ``offset`` (None when the format has no pages)."""
        return self.pages[bisect_right(self.breaks, offset)] if self.pages else self.page


@dataclass(frozen=True)
class BulletItem:
    """One item of a bullet list, with the place its text starts."""

    text: str
    line: int
    page: int | None = None

    def line_at(self, offset: int) -> int:
        """Return the item's line (an item is located by where it starts)."""
        return self.line

    def page_at(self, offset: int) -> int | None:
        """Return the item's page."""
        return self.page


@dataclass(frozen=True)
class BulletList:
    """Consecutive bullet items."""

    items: tuple[BulletItem, ...]

    @property
    def line(self) -> int:
        """Return the line of the first item."""
        return self.items[0].line


Block = Paragraph | BulletList


@dataclass
class RawSection:
    """A heading (None for the untitled lead-in) and the blocks under it, in order."""

    heading: str | None
    line: int
    blocks: list[Block] = field(default_factory=list)
    page: int | None = None

    def paragraphs(self) -> list[Paragraph]:
        """Return the section's paragraphs in order."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def items(self) -> list[BulletItem]:
        """Return every bullet item of the section in order."""
        return [i for b in self.blocks if isinstance(b, BulletList) for i in b.items]

    def units(self) -> list[Paragraph | BulletItem]:
        """Return the paragraphs and bullet items in document order."""
        return [u for b in self.blocks for u in (b.items if isinstance(b, BulletList) else (b,))]


@dataclass
class RawDocument:
    """A parsed raw document: optional title, sections, dropped noise lines and reading warnings."""

    path: Path
    title: str | None
    title_line: int | None
    sections: list[RawSection]
    noise: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        """Return the headings in document order (the lead-in has none)."""
        return [s.heading for s in self.sections if s.heading is not None]


@dataclass(frozen=True)
class Unit:
    """What a structured reader (Markdown, HTML, Word, PDF) found, before sections are formed."""

    kind: str  # "heading" | "text" | "item" | "title"
    text: str
    line: int
    page: int | None = None
    breaks: tuple[int, ...] = ()
    lines: tuple[int, ...] = ()
    pages: tuple[int, ...] = ()


def build_document(path: Path, units: list[Unit], warnings: list[Problem] | None = None) -> RawDocument:
    """Group a reader's units under their headings; a leading title unit becomes the title."""
    title, title_line = None, None
    kept = [u for u in units if u.text.strip()]
    if kept and kept[0].kind == "title":
        title, title_line = kept[0].text, kept[0].line
        kept = kept[1:]
    sections: list[RawSection] = []
    current: RawSection | None = None
    for unit in kept:
        if unit.kind in ("heading", "title"):
            if current is not None and (current.blocks or current.heading is not None):
                sections.append(current)
            current = RawSection(unit.text, unit.line, page=unit.page)
            continue
        if current is None:
            current = RawSection(None, unit.line, page=unit.page)
        if unit.kind == "item":
            item = BulletItem(unit.text, unit.line, unit.page)
            last = current.blocks[-1] if current.blocks else None
            if isinstance(last, BulletList):
                current.blocks[-1] = BulletList((*last.items, item))
            else:
                current.blocks.append(BulletList((item,)))
        else:
            current.blocks.append(
                Paragraph(unit.text, unit.line, unit.breaks, unit.page, unit.lines, unit.pages)
            )
    if current is not None:
        sections.append(current)
    # A heading with nothing under it, before the next heading, stays a section of its own.
    return RawDocument(path, title, title_line, sections, warnings=list(warnings or []))


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (NO-BREAK SPACE included) to one space."""
    return " ".join(text.split())


def section_text(section: RawSection) -> str:
    """Return a section's heading, paragraphs and bullet items, one per line."""
    parts = [section.heading] if section.heading else []
    parts.extend(unit.text for unit in section.units())
    return "\n".join(parts)


def find_section(doc: RawDocument, heading: str) -> RawSection | None:
    """Return the section whose heading equals ``heading`` after whitespace normalisation."""
    wanted = normalize_space(heading)
    for section in doc.sections:
        if section.heading is not None and section.heading == wanted:
            return section
    return None


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split prose into sentences, each with its character offset in ``text``."""
    sentences: list[tuple[int, str]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        words = text[start : match.start()].split()
        last = words[-1].lstrip("\"'\u201c\u2018(").lower() if words else ""
        # "e.g. Mali", "the U.S. Army" and initials ("J. Smith") do not end a sentence.
        if match.group("end")[0] == "." and (last in ABBREVIATIONS or re.fullmatch(r"[a-z]", last)):
            continue
        sentences.append((start, text[start : match.end("end")]))
        start = match.end()
    if text[start:].strip():
        sentences.append((start, text[start:].rstrip()))
    return sentences


def title_case_ratio(text: str) -> float:
    """Return the share of significant words that start with a capital letter."""
    words = [w.strip("\"'\u201c\u201d\u2018\u2019()[]") for w in text.split()]
    significant = [w for w in words if w and w.lower() not in MINOR_WORDS and w[0].isalpha()]
    if not significant:
        return 0.0
    return sum(1 for w in significant if w[0].isupper()) / len(significant)
