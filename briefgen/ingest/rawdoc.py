"""Read plain text documents: three layouts (one block per line, blank-line paragraphs, titled), and text decoding.

Plain text has no markup, so headings are recognised by how they read: short,
capitalised lines without closing punctuation that introduce prose or a bullet list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefgen.content.yamlread import FORBIDDEN_CHARS
from briefgen.errors import ContentError, Location, Problem
from briefgen.files import decode_text
from briefgen.ingest.document import (
    BulletItem,
    BulletList,
    Paragraph,
    RawDocument,
    RawSection,
    normalize_space,
    split_sentences,
    title_case_ratio,
)

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


@dataclass
class _Unit:
    """A paragraph, heading candidate or bullet item before sections are formed."""

    kind: str  # "text" or "item"
    text: str
    line: int
    alone: bool = False  # a one-line block between blank lines
    breaks: tuple[int, ...] = ()


def decode(data: bytes, path: Path, warnings: list[Problem] | None = None) -> str:
    """Decode a text document (UTF-8, UTF-16, else Latin-1 with a warning), with control characters blanked."""
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        text = data.decode(utf16, errors="replace")
        _warn(
            warnings, path, f"no byte-order mark: read as {utf16.upper()} (a guess); save the file as UTF-8"
        )
    else:
        decoded = decode_text(data, path, utf16=True, latin1=True)
        text = decoded.text
        if decoded.guessed:
            _warn(
                warnings,
                path,
                "not valid UTF-8: read as Latin-1 (a guess); check accented letters, or save as UTF-8",
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Form feeds, bells and the like would end up in draft YAML the loader refuses;
    # a space keeps every offset (and so every line number) where it was.
    return FORBIDDEN_CHARS.sub(" ", text)


def _warn(warnings: list[Problem] | None, path: Path, message: str) -> None:
    if warnings is not None:
        warnings.append(Problem.warning(Location.of(path, 1), message))


def _bomless_utf16(data: bytes) -> str | None:
    """Tell UTF-16 without a byte-order mark by its zero bytes: every other one, in mostly-ASCII text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even == 0:
        return "utf-16-le"
    if even > 0.3 * half and odd == 0:
        return "utf-16-be"
    return None


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
        # A heading introduces prose, a sub-heading or a bullet list; never nothing.
        if unit.kind != "text" or after is None:
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
    if after.kind == "item":
        # Straight into bullets: a heading ("Key Tasks"), unless it reads like a lead-in clause.
        score += 1 if title_case_ratio(text) == 1.0 and len(words) <= 8 else -2
    elif after_is_heading or TERMINAL.search(after.text) or len(after.text) >= 2 * len(text):
        score += 1
    # A line after "... include:" is more likely an unmarked list item than a heading.
    if before is not None and before.text.endswith(":"):
        score -= 2
    return score


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
