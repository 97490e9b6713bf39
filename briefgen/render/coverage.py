"""Which characters of a briefing no font can draw, as located warnings instead of silent empty boxes.

A character is drawable when the theme's own font files (their cmap, read with HarfBuzz)
or any font fontconfig knows (one ``fc-list`` call per process, the charsets Pango falls
back through) has a glyph for it. The PDF draws such characters with the fallback font;
Word and a browser fall back through the reader's fonts, which at least this machine has.
What nothing covers is named by statement (file:line:col) and code point.
"""

from __future__ import annotations

import bisect
import functools
import logging
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.checks import as_warning
from briefgen.assemble.markup import plain
from briefgen.errors import Location, Problem
from briefgen.project.themes import fontconfig_faces

log = logging.getLogger(__name__)

Ranges = tuple[tuple[int, int], ...]  # sorted, non-overlapping, inclusive code point ranges
PLACES_LISTED = 5  # places a build names before "and N more"
CHARS_LISTED = 8  # characters a warning names before "and N more"
# Debian packages that give the fallback fonts, for the hint (README: "Fonts and scripts").
PACKAGES = "fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji"


@dataclass(frozen=True)
class Coverage:
    """The code points some font can draw, and whether the system's fonts were consulted."""

    ranges: Ranges
    system: bool

    def covers(self, code: int) -> bool:
        """Return whether a font has a glyph for ``code``."""
        at = bisect.bisect_right(self.ranges, (code, 0x10FFFF + 1)) - 1
        return at >= 0 and self.ranges[at][0] <= code <= self.ranges[at][1]


def merge(ranges: Iterable[tuple[int, int]]) -> Ranges:
    """Return ``ranges`` sorted and merged where they overlap or touch."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def parse_charset(text: str) -> Iterator[tuple[int, int]]:
    """Yield the ranges of a fontconfig charset as ``fc-list`` prints it ("20-7e a0-17f 2010")."""
    for item in text.split():
        lo, _, hi = item.partition("-")
        try:
            yield int(lo, 16), int(hi or lo, 16)
        except ValueError:
            continue


@functools.cache
def system_ranges() -> Ranges | None:
    """Return what the fonts fontconfig knows cover, or None when fontconfig cannot say."""
    faces = fontconfig_faces()
    if faces is None:
        return None
    return merge(r for _families, charset in faces for r in parse_charset(charset))


@functools.cache
def _face_ranges(path: str, mtime_ns: int) -> Ranges:
    # HarfBuzz reads a cmap in well under a millisecond; fontTools took ~10 ms a face.
    import uharfbuzz

    codes = sorted(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(path), 0).unicodes)
    return merge((c, c) for c in codes)


def face_ranges(path: Path) -> Ranges:
    """Return the code points font file ``path`` has glyphs for (read once per file version)."""
    return _face_ranges(str(path), path.stat().st_mtime_ns)


def coverage(faces: Sequence[Path], *, system: Ranges | None = None, use_system: bool = True) -> Coverage:
    """Return what the theme's font files ``faces`` and (``use_system``) the system's fonts cover."""
    found = system_ranges() if use_system and system is None else system
    ranges = [r for face in faces for r in face_ranges(face)]
    return Coverage(merge([*ranges, *(found or ())]), found is not None)


def needs_glyph(char: str) -> bool:
    """Return whether ``char`` is drawn with a glyph (not a control, a space or a variation selector)."""
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp"):
        return False
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def texts(briefing: Briefing) -> Iterator[tuple[str, str, str]]:
    """Yield (where, what, text) for every text ``briefing`` shows, statements by their own place."""
    topic = str(briefing.where or "")
    cover = [
        briefing.title,
        briefing.subtitle,
        briefing.marking,
        *(f"{r.label} {r.value}" for r in briefing.cover),
    ]
    yield topic, "the title or cover", " ".join(cover)
    yield topic, "the summary", plain(briefing.summary)
    for part in briefing.parts:
        where = part.where or topic
        yield where, f"the heading of section {part.number}", part.heading
        yield where, f"the introduction of section {part.number}", plain(part.intro)
        for paragraph in part.paragraphs:
            yield paragraph.where or where, f"statement {paragraph.ref}".strip(), plain(paragraph.spans)
        if part.table is not None:
            cells = [part.table.caption, *part.table.columns, *(c for row in part.table.rows for c in row)]
            yield where, f"the table of section {part.number}", " ".join(cells)
        if part.chart is not None:
            yield where, f"the chart of section {part.number}", part.chart.description
    sources = [f"{s.key} {s.title} {s.file} {s.date} {' '.join(s.sections)}" for s in briefing.sources]
    yield topic, "the list of sources", " ".join(sources)


def missing(briefing: Briefing, cover: Coverage) -> list[tuple[str, str, list[str]]]:
    """Return (where, what, characters) for each text holding characters no font covers, in order."""
    found: list[tuple[str, str, list[str]]] = []
    for where, what, text in texts(briefing):
        chars = [c for c in dict.fromkeys(text) if needs_glyph(c) and not cover.covers(ord(c))]
        if chars:
            found.append((where, what, chars))
    return found


def describe(chars: Sequence[str]) -> str:
    """Return characters as a message names them: "U+E000, U+1F9FF ('🧿')", the first few only."""

    def one(char: str) -> str:
        name = unicodedata.name(char, "")
        return f"U+{ord(char):04X}" + (f" {name}" if name else "")

    more = f" and {len(chars) - CHARS_LISTED} more" if len(chars) > CHARS_LISTED else ""
    return ", ".join(one(c) for c in chars[:CHARS_LISTED]) + more


def coverage_problems(briefing: Briefing, cover: Coverage, fmt: str) -> list[Problem]:
    """Return a located warning for each text in ``briefing`` that ``fmt`` ("PDF", "Word file") cannot draw."""
    found = missing(briefing, cover)
    fonts = (
        "no installed font" if cover.system else "no font of the theme (fc-list could not list system fonts)"
    )
    hint = f"install a font that covers them (on Debian: {PACKAGES}) or remove them from the text"
    problems = [
        Problem.warning(
            Location(where),
            f"{what} has characters {fonts} can draw, shown as empty boxes in the {fmt}: {describe(chars)}",
            code="render.missing-glyphs",
            hint=hint,
        )
        for where, what, chars in found[:PLACES_LISTED]
    ]
    if len(found) > PLACES_LISTED:
        rest = found[PLACES_LISTED:]
        places = ", ".join(where for where, _, _ in rest)
        problems.append(
            Problem.warning(
                Location(rest[0][0]),
                f"{len(rest)} more texts have characters {fonts} can draw: {places}",
                code="render.missing-glyphs",
                hint=hint,
            )
        )
    return problems


def coverage_warnings(briefing: Briefing, faces: Sequence[Path], fmt: str) -> tuple[str, ...]:
    """Return the build-report lines for the characters of ``briefing`` nothing can draw in ``fmt``.

    The system's fonts (an ``fc-list`` call, 0.1-0.4 s) are consulted only for the
    characters the theme's own files lack: with those covering everything, nothing is missing.
    """
    if not missing(briefing, coverage(faces, use_system=False)):
        return ()
    return tuple(as_warning(p) for p in coverage_problems(briefing, coverage(faces), fmt))
