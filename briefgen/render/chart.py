"""Draw the missions timeline as SVG (vector in the PDF, rasterised for Word)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from briefgen.assemble.briefing import Chart
from briefgen.assemble.markup import xml_text
from briefgen.project.themes import GENERIC_FAMILIES

WIDTH = 660
LABEL_W = 120
ROW_H = 24
TOP = 30
BOTTOM = 34
RIGHT_PAD = 80  # room for the year label after the last bar


def _ticks(first: int, last: int) -> list[int]:
    span = last - first
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 10)
    start = (first // step) * step
    return list(range(start, last + step, step))


def timeline_svg(chart: Chart, *, colour: str, accent: str, muted: str, fonts: Sequence[str]) -> str:
    """Return a standalone SVG document drawing ``chart``."""
    ticks = _ticks(chart.first_year, chart.last_year)
    lo, hi = ticks[0], max(ticks[-1], chart.last_year)
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    height = TOP + ROW_H * len(chart.items) + BOTTOM

    def x(year: float) -> float:
        return round(LABEL_W + (year - lo) / (hi - lo) * plot_w, 2)

    # Each name quoted, so a family such as "Source Sans 3" is not an invalid list.
    names = (xml_text(f).strip() for f in fonts)
    family = quoteattr(", ".join(n if n.casefold() in GENERIC_FAMILIES else f'"{n}"' for n in names))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family={family} font-size="11">',
        f"<title>{escape(xml_text(chart.caption))}</title>",
    ]
    axis_y = TOP + ROW_H * len(chart.items) + 6
    for year in ticks:
        out.append(
            f'<line x1="{x(year)}" y1="{TOP - 8}" x2="{x(year)}" y2="{axis_y}" '
            f'stroke="{muted}" stroke-opacity="0.35" stroke-width="0.6"/>'
        )
        out.append(f'<text x="{x(year)}" y="{axis_y + 16}" text-anchor="middle" fill="{muted}">{year}</text>')
    for row, item in enumerate(chart.items):
        y = TOP + row * ROW_H
        mid = y + ROW_H / 2
        out.append(
            f'<text x="{LABEL_W - 10}" y="{mid + 4}" text-anchor="end" fill="{colour}" '
            f'font-weight="bold">{escape(xml_text(item.label))}</text>'
        )
        if item.end is not None:
            width = max(x(item.end) - x(item.start), 4)
            out.append(
                f'<rect x="{x(item.start)}" y="{mid - 6}" width="{width}" height="12" rx="2" fill="{colour}"/>'
            )
            label = f"{item.start}–{item.end}"
            out.append(f'<text x="{x(item.start) + width + 6}" y="{mid + 4}" fill="{muted}">{label}</text>')
        else:
            # No end year in the sources: mark the start only, never imply a duration.
            out.append(f'<circle cx="{x(item.start)}" cy="{mid}" r="6" fill="{accent}"/>')
            out.append(
                f'<text x="{x(item.start) + 12}" y="{mid + 4}" fill="{muted}">{item.start} (start)</text>'
            )
    out.append(
        f'<line x1="{LABEL_W}" y1="{axis_y}" x2="{LABEL_W + plot_w}" y2="{axis_y}" stroke="{muted}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


def chart_png(svg: str, fonts: tuple[str, ...], *, system: bool, scale: float = 2.5) -> bytes:
    """Rasterise a chart this module drew, for Word (python-docx cannot place SVG).

    resvg draws it in ~50 ms where CairoSVG takes ~0.3 s to import (cairocffi parses C
    headers at every start). ``fonts`` are the theme's files of the chart's families;
    without ``system`` (the first family is one of them) no system font is read, so the
    picture is the same on every machine. Only for drawings made here: resvg would read
    files an ``<image>`` names, which this module never writes.
    """
    import resvg_py

    png = resvg_py.svg_to_bytes(
        svg_string=svg, zoom=scale, skip_system_fonts=not system, font_files=list(fonts) or None
    )
    return bytes(png)


@lru_cache(maxsize=32)
def svg_to_png(svg: str, scale: float = 2.5) -> bytes:
    """Rasterise an SVG from the project (a cover logo) with CairoSVG, which reads no file it names."""
    import cairosvg

    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, unsafe=False)
    assert isinstance(png, bytes)
    return png
