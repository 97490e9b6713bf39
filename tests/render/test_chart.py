"""The Word file's chart picture: drawn by resvg with the theme's own fonts, labels included."""

from __future__ import annotations

import io
import re

from PIL import Image

from briefgen.assemble.briefing import Chart, TimelineItem
from briefgen.project.searchpath import TemplateDirs
from briefgen.project.themes import load_theme
from briefgen.render.chart import LABEL_W, chart_png, timeline_svg

SCALE = 2.5
CHART = Chart(
    "Missions by year",
    (TimelineItem("UNIFIL", 1978, None), TimelineItem("MINUSMA", 2013, 2023)),
    first_year=1975,
    last_year=2024,
)


def _dark_pixels(png: bytes, right: int) -> int:
    """Return how many pixels left of ``right`` are drawn darker than light grey."""
    image = Image.open(io.BytesIO(png)).convert("LA")
    return sum(1 for x in range(right) for y in range(image.height) if image.getpixel((x, y))[1] > 128)


def test_labels_are_drawn_with_the_theme_font_and_no_system_font(tmp_path) -> None:
    theme = load_theme("default", TemplateDirs.for_project(tmp_path / "templates"))
    families = theme.spec.fonts.heading
    files = theme.files_of(families)
    assert files and all(f.endswith(".ttf") for f in files)
    svg = timeline_svg(CHART, colour="#1f3a5f", accent="#c8102e", muted="#5a6270", fonts=families)
    png = chart_png(svg, files, system=False, scale=SCALE)
    # The label column holds only the mission names: with no font found it would be empty.
    labels = _dark_pixels(png, int(LABEL_W * SCALE) - 5)
    bare = chart_png(re.sub(r"<text[^>]*>[^<]*</text>", "", svg), files, system=False, scale=SCALE)
    assert labels > 200 and _dark_pixels(bare, int(LABEL_W * SCALE) - 5) == 0
    assert chart_png(svg, files, system=False, scale=SCALE) == png  # the same bytes every time


def test_family_names_are_quoted_so_a_name_with_digits_keeps_the_list_valid() -> None:
    svg = timeline_svg(
        CHART, colour="#000", accent="#111", muted="#222", fonts=["Source Sans 3", "sans-serif"]
    )
    assert "font-family='\"Source Sans 3\", sans-serif'" in svg
