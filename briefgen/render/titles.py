"""How a long title adapts, the same in PDF, HTML and Word: a smaller cover title, a shortened running header.

The cover stays one page and the running header one line whatever the title's length
(the content model allows 500 characters). Widths are counted in half-width characters:
a CJK character or an emoji takes two.
"""

from __future__ import annotations

import dataclasses
import unicodedata

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.checks import as_warning
from briefgen.errors import Location, Problem

# (widest title, scale of the cover title's size): 30 pt up to 70 characters, then smaller.
COVER_STEPS: tuple[tuple[int, float], ...] = ((70, 1.0), (140, 0.8), (240, 0.65), (360, 0.55))
SMALLEST_SCALE = 0.5  # 15 pt: 500 characters in about 9 lines of the 150 mm title block
SUBTITLE_STEPS: tuple[tuple[int, float], ...] = ((120, 1.0), (240, 0.8))
SMALLEST_SUBTITLE = 0.65
COVER_DETAIL_CHARS = 400  # a cover detail (the purpose) longer than this is cut when the cover overflows
HEADER_CHAR_MM = 1.5  # a generous mean advance at the running header's 8 pt
HEADER_SHARE = 0.65  # the running header's title box: 65% of the text width (briefing.css @top-left)


def text_width(text: str) -> int:
    """Return ``text``'s width in half-width characters (wide and full-width ones count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _scale(text: str, steps: tuple[tuple[int, float], ...], smallest: float) -> float:
    width = text_width(text)
    return next((scale for widest, scale in steps if width <= widest), smallest)


def cover_scale(title: str) -> float:
    """Return the factor the cover title's type size takes so that a long title keeps the cover one page."""
    return _scale(title, COVER_STEPS, SMALLEST_SCALE)


def subtitle_scale(subtitle: str) -> float:
    """Return the factor of the cover subtitle's size (smaller for a long one)."""
    return _scale(subtitle, SUBTITLE_STEPS, SMALLEST_SUBTITLE)


def size_class(scale: float) -> str:
    """Return the CSS class naming a scale ("scale-75"), or '' for full size."""
    return "" if scale >= 1 else f"scale-{round(scale * 100)}"


def header_room(text_width_mm: float) -> int:
    """Return how many half-width characters the running header's title holds on one line."""
    return max(20, int(text_width_mm * HEADER_SHARE / HEADER_CHAR_MM))


def running_title(title: str, room: int) -> str:
    """Return ``title`` as the running header shows it: whole if it fits ``room``, else cut at a word with "…"."""
    if text_width(title) <= room:
        return title
    kept, width = [], 0
    for char in title:
        width += text_width(char)
        if width > room - 1:
            break
        kept.append(char)
    cut = "".join(kept)
    # At a space when one is near the end (not for CJK titles, which have none).
    space = cut.rfind(" ")
    if space > len(cut) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


def short_cover(briefing: Briefing, limit: int = COVER_DETAIL_CHARS) -> tuple[Briefing, tuple[str, ...]]:
    """Return ``briefing`` with cover details over ``limit`` characters cut at a word, and a warning for each."""
    rows, warnings = [], []
    for row in briefing.cover:
        if len(row.value) > limit:
            cut = row.value[:limit]
            cut = cut[: cut.rfind(" ")] if " " in cut[limit // 2 :] else cut
            row = dataclasses.replace(row, value=cut.rstrip(" ,;:") + " …")
            where = briefing.profile if row.label == "Purpose" and briefing.profile else briefing.where
            problem = Problem.warning(
                where or Location(""),
                f"the cover's {row.label.lower()} is too long for one page and was cut to {limit} characters",
                code="render.cover-cut",
                hint="shorten it in the content",
            )
            warnings.append(as_warning(problem))
        rows.append(row)
    return dataclasses.replace(briefing, cover=tuple(rows)), tuple(warnings)
