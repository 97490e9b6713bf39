"""Parse a raw text article into a title, headed sections, paragraphs and bullet lists."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.content.yamlread import FORBIDDEN_CHARS
from briefgen.errors import ContentError, Location
from briefgen.files import decode_text, read_regular

MAX_BYTES = 4 * 1024 * 1024
MAX_HEADING_WORDS = 20
MAX_HEADING_CHARS = 150

# Site furniture that scrapers leave in the text: a link to another article.
NOISE = re.compile(
    r"^(?:see also|read also|also read|read more|related)(?:\u00a0|\s{2,}|\s*:)", re.IGNORECASE
)
BULLET = re.compile(r"^\s*[-\u2022*\u25aa\u25cf\u2013]\s+(\S.*)$")
BULLET_ALONE = re.compile(r"^\s*[-\u2022*\u25aa\u25cf\u2013]\s*$")
# Closing quotes and brackets are looked through: 'He said “go.”' still ends a sentence.
TERMINAL = re.compile(r"[.:;?!,\u2026][\"'\u2019\u201d)\]]*$")
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
    """A run of prose; ``breaks`` are the offsets in ``text`` where later source lines begin."""

    text: str
    line: int
    breaks: tuple[int, ...] = ()

    def line_at(self, offset: int) -> int:
        """Return the source line holding the character at ``offset`` of ``text``."""
        return self.line + bisect_right(self.breaks, offset)


@dataclass(frozen=True)
class BulletItem:
    """One item of a bullet list, with the line its text stands on."""

    text: str
    line: int

    def line_at(self, offset: int) -> int:
        """Return the item's line (an item is one line whatever ``offset`` is)."""
        return self.line


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
    """A heading (None for the untitled lead-in) and the blocks under it."""

    heading: str | None
    line: int
    blocks: list[Block] = field(default_factory=list)

    def paragraphs(self) -> list[Paragraph]:
        """Return the section's paragraphs in order."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def items(self) -> list[BulletItem]:
        """Return every bullet item of the section in order."""
        return [i for b in self.blocks if isinstance(b, BulletList) for i in b.items]


@dataclass
class RawDocument:
    """A parsed raw article: optional title line, sections, and the noise lines dropped."""

    path: Path
    title: str | None
    title_line: int | None
    sections: list[RawSection]
    noise: list[int] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        """Return the headings in document order (the lead-in has none)."""
        return [s.heading for s in self.sections if s.heading is not None]


@dataclass
class _Unit:
    """A paragraph, heading candidate or bullet item before sections are formed."""

    kind: str  # "text" or "item"
    text: str
    line: int
    alone: bool = False  # a one-line block between blank lines
    breaks: tuple[int, ...] = ()


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (NO-BREAK SPACE included) to one space."""
    return " ".join(text.split())


def section_text(section: RawSection) -> str:
    """Return a section's heading, paragraphs and bullet items, one per line."""
    parts = [section.heading] if section.heading else []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.extend(item.text for item in block.items)
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


def read_document(path: Path) -> RawDocument:
    """Read a raw text document from ``path`` and parse it, or raise ContentError."""
    try:
        data = read_regular(path, MAX_BYTES, hint="split the document")
    except FileNotFoundError:
        raise ContentError.at(Location.of(path), "file not found") from None
    return parse_document(decode(data, path), path)


def decode(data: bytes, path: Path) -> str:
    """Decode raw document bytes, reporting the line of any bad byte."""
    if len(data) > MAX_BYTES:
        raise ContentError.at(
            Location.of(path, 1),
            f"file is {len(data)} bytes, more than the {MAX_BYTES} allowed; split the document",
        )
    text = decode_text(data, path, utf16=True).text
    # Form feeds, bells and the like would end up in draft YAML the loader refuses;
    # a space keeps every offset (and so every line number) where it was.
    return FORBIDDEN_CHARS.sub(" ", text)


def parse_document(text: str, path: Path) -> RawDocument:
    """Parse raw article text into a RawDocument; ``path`` is used in error messages."""
    # Split on "\n" only: str.splitlines() also breaks on form feeds and U+2028,
    # which would make line numbers disagree with what an editor shows.
    lines = [raw.rstrip("\r") for raw in text.split("\n")]
    if not any(line.strip() for line in lines):
        what = "file is empty" if not text else "file holds only whitespace"
        raise ContentError.at(Location.of(path, 1), f"{what}; give a document with text")
    noise = [n for n, line in enumerate(lines, 1) if NOISE.match(line.strip())]
    units = _units(lines, set(noise))
    if not units:
        raise ContentError.at(
            Location.of(path, noise[0] if noise else 1),
            "document has no text besides site links; give the article text",
        )
    flags = _heading_flags(units)
    title, title_line = None, None
    if flags[0]:
        # A heading-like first line is the title. This never empties ``units``:
        # a unit is only a heading when text follows it.
        title, title_line = units[0].text, units[0].line
        units, flags = units[1:], flags[1:]
    return RawDocument(path, title, title_line, _sections(units, flags), noise)


def _blank_layout(lines: list[str]) -> bool:
    """Tell whether blocks are separated by blank lines (rather than one block per line)."""
    text_lines = sum(1 for line in lines if line.strip())
    gaps = sum(
        1
        for before, line, after in zip(lines, lines[1:], lines[2:], strict=False)
        if not line.strip() and before.strip() and after.strip()
    )
    # A stray blank line or two does not make a layout; blank separators throughout do.
    return gaps >= 2 and gaps * 3 >= text_lines


def _units(lines: list[str], noise: set[int]) -> list[_Unit]:
    """Turn lines into paragraphs and bullet items, dropping noise lines."""
    blank_layout = _blank_layout(lines)
    units: list[_Unit] = []
    pending_bullet = False
    block_start = True  # the previous line was blank (or the start of the file)
    for number, raw in enumerate(lines, 1):
        line = normalize_space(raw)
        if number in noise:
            continue
        if not line:
            block_start, pending_bullet = True, False
            continue
        bullet = BULLET.match(raw)
        if BULLET_ALONE.match(raw):
            pending_bullet = True
        elif bullet or pending_bullet:
            item = normalize_space(bullet.group(1)) if bullet else line
            units.append(_Unit("item", item, number))
            pending_bullet = False
        elif blank_layout and not block_start and units:
            _continue(units[-1], line)
        else:
            units.append(_Unit("text", line, number, alone=blank_layout))
        block_start = False
    return units


def _continue(unit: _Unit, line: str) -> None:
    """Join a wrapped line onto the paragraph or item it continues."""
    if unit.kind == "text":
        unit.breaks = (*unit.breaks, len(unit.text) + 1)
        unit.alone = False
    unit.text = f"{unit.text} {line}"


def _heading_flags(units: list[_Unit]) -> list[bool]:
    """Mark each unit that reads as a heading; decided backwards so heading runs work."""
    flags = [False] * len(units)
    for i in range(len(units) - 1, -1, -1):
        unit = units[i]
        after = units[i + 1] if i + 1 < len(units) else None
        # A heading introduces prose (or a sub-heading), never a bullet list or nothing.
        if unit.kind != "text" or after is None or after.kind != "text":
            continue
        before = units[i - 1] if i > 0 else None
        flags[i] = _heading_score(unit, before, after, flags[i + 1]) >= 2
    return flags


def _heading_score(unit: _Unit, before: _Unit | None, after: _Unit, after_is_heading: bool) -> int:
    """Score how much a text unit looks like a heading; below 0 means it cannot be one."""
    # A section number ("2.", "3.1") is not a sentence of its own.
    text = re.sub(r"^\d+(?:\.\d+)*\.?\s+(?=\S)", "", unit.text)
    words = text.split()
    if (
        unit.breaks
        or TERMINAL.search(text)
        or len(words) > MAX_HEADING_WORDS
        or len(text) > MAX_HEADING_CHARS
        or not re.match(r"[\"'\u201c\u2018(]?[A-Z0-9]", text)
        or len(split_sentences(text)) > 1
    ):
        return -1
    score = 2 if len(words) <= 12 else 0
    score += 1 if title_case_ratio(text) >= 0.5 else 0
    score += 1 if unit.alone else 0
    if after_is_heading or TERMINAL.search(after.text) or len(after.text) >= 2 * len(text):
        score += 1
    # A line after "... include:" is more likely an unmarked list item than a heading.
    if before is not None and before.text.endswith(":"):
        score -= 2
    return score


def title_case_ratio(text: str) -> float:
    """Return the share of significant words that start with a capital letter."""
    words = [w.strip("\"'\u201c\u201d\u2018\u2019()[]") for w in text.split()]
    significant = [w for w in words if w and w.lower() not in MINOR_WORDS and w[0].isalpha()]
    if not significant:
        return 0.0
    return sum(1 for w in significant if w[0].isupper()) / len(significant)


def _sections(units: list[_Unit], flags: list[bool]) -> list[RawSection]:
    """Group units under their headings."""
    sections: list[RawSection] = []
    current = RawSection(None, units[0].line)
    for unit, is_heading in zip(units, flags, strict=True):
        if is_heading:
            if current.blocks or current.heading is not None:
                sections.append(current)
            current = RawSection(unit.text, unit.line)
        elif unit.kind == "item":
            item = BulletItem(unit.text, unit.line)
            last = current.blocks[-1] if current.blocks else None
            if isinstance(last, BulletList):
                current.blocks[-1] = BulletList((*last.items, item))
            else:
                current.blocks.append(BulletList((item,)))
        else:
            current.blocks.append(Paragraph(unit.text, unit.line, unit.breaks))
    sections.append(current)
    return sections
