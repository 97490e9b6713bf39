"""Themes as data: the built-in themes differ in PDF and Word, and refdoc follows theme.yaml."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
import pytest
from click.testing import Result
from docx.shared import Mm

from briefgen.errors import BriefgenError
from briefgen.project.searchpath import TemplateDirs, builtin_dir
from briefgen.project.themes import Fonts, available_themes, load_theme
from briefgen.render.docx.refdoc import build_reference
from tests.render.html.test_environment import html_for

BUILTIN = TemplateDirs((builtin_dir().resolve(),))
A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)


def rgb(hex_colour: str) -> tuple[float, ...]:
    """Return '#rrggbb' as the 0-1 floats pdfplumber reports."""
    value = hex_colour.lstrip("#")
    return tuple(round(int(value[i : i + 2], 16) / 255, 3) for i in (0, 2, 4))


def rounded(colour: object) -> tuple[float, ...]:
    return tuple(round(float(c), 3) for c in colour) if isinstance(colour, tuple | list) else ()


@pytest.fixture
def outputs(sample: Path, cli: Callable[..., Result]) -> dict[str, Path]:
    """Build the sample's exec briefing with each built-in theme; return the output folders."""
    folders = {}
    for theme in ("default", "field"):
        result = cli(sample, "build", "-t", "relief", "-a", "exec", "--theme", theme, "-o", f"out-{theme}")
        assert result.exit_code == 0, result.output
        folders[theme] = sample / f"out-{theme}" / "relief"
    return folders


def test_at_least_two_builtin_themes_load() -> None:
    assert {"default", "field"} <= set(available_themes(BUILTIN))
    field = load_theme("field", BUILTIN)
    assert field.spec.page.size == "Letter"
    assert field.spec.fonts.body[0] == field.spec.fonts.heading[0] == "Lato"
    assert field.stylesheet_url == "themes/field/field.css"
    assert field.logo_url == "themes/field/logo.svg"
    assert field.reference_docx.parent.name == "field"
    names = {p.name for p in field.files}
    assert {"theme.yaml", "field.css", "logo.svg", "reference.docx", "Lato-Regular.ttf"} <= names


def test_theme_changes_pdf_page_fonts_and_colours(outputs: dict[str, Path]) -> None:
    seen = {}
    for theme, folder in outputs.items():
        spec = load_theme(theme, BUILTIN).spec
        with pdfplumber.open(folder / "exec.pdf") as pdf:
            size = (round(pdf.pages[0].width, 1), round(pdf.pages[0].height, 1))
            fonts = Counter(c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars)
            words = pdf.pages[1].extract_words(extra_attrs=["fontname", "non_stroking_color"])
            heading = next(w for w in words if w["text"].lower() == "bottom")
            cover = [r for r in pdf.pages[0].rects if r["width"] >= pdf.pages[0].width - 1]
            seen[theme] = (size, fonts, rounded(heading["non_stroking_color"]), heading["text"])
            assert rounded(heading["non_stroking_color"]) == rgb(spec.colours.primary)
            assert rgb(spec.colours.primary) in {rounded(r["non_stroking_color"]) for r in cover}
            if theme == "field":
                # The dark cover fills the whole page, not just the marking band.
                assert any(r["height"] >= pdf.pages[0].height - 1 for r in cover)
    assert seen["default"][0] == A4 and seen["field"][0] == LETTER
    assert any(name.startswith("Noto-Serif") for name in seen["default"][1])
    assert all(name.startswith("Lato") for name in seen["field"][1])
    assert seen["default"][2] != seen["field"][2]
    assert seen["default"][3] == "Bottom" and seen["field"][3] == "BOTTOM"  # heading_caps


def test_theme_changes_docx_styles_and_page(outputs: dict[str, Path]) -> None:
    for theme, folder in outputs.items():
        spec = load_theme(theme, BUILTIN).spec
        document = docx.Document(str(folder / "exec.docx"))
        styles = document.styles
        assert styles["Heading 1"].font.name == spec.fonts.heading[0]
        assert styles["Body Text"].font.name == spec.fonts.body[0]
        assert str(styles["Heading 1"].font.color.rgb) == spec.colours.primary.lstrip("#").upper()
        assert str(styles["Heading 2"].font.color.rgb) == spec.colours.subheading_colour().lstrip("#").upper()
        assert bool(styles["Heading 1"].font.all_caps) == spec.fonts.heading_caps
        section = document.sections[-1]  # the body's; the cover's section has no margins
        width = {"A4": Mm(210), "Letter": Mm(215.9)}[spec.page.size]
        assert abs(section.page_width - width) < Mm(0.5)
        assert abs(section.left_margin - Mm(spec.page.margin_inner_mm)) < Mm(0.5)
        cover_pictures = document.inline_shapes
        assert (len(cover_pictures) > 0) == (spec.logo is not None)
    default_body = docx.Document(str(outputs["default"] / "exec.docx")).styles["Body Text"].font.name
    field_body = docx.Document(str(outputs["field"] / "exec.docx")).styles["Body Text"].font.name
    assert (default_body, field_body) == ("Noto Serif", "Lato")


def test_reference_declares_fonts_with_word_fallbacks() -> None:
    spec = load_theme("default", BUILTIN).spec
    table = zipfile.ZipFile(io.BytesIO(build_reference(spec))).read("word/fontTable.xml").decode()
    assert '<w:font w:name="Lato"><w:altName w:val="DejaVu Sans"/><w:family w:val="swiss"/>' in table
    assert '<w:font w:name="Noto Serif"><w:altName w:val="DejaVu Serif"/><w:family w:val="roman"/>' in table
    document = docx.Document(io.BytesIO(build_reference(spec)))
    assert abs(document.sections[0].page_height - Mm(297)) < Mm(0.5)


def test_generic_family_follows_the_fallbacks() -> None:
    assert Fonts(body=["Noto Serif", "DejaVu Serif"]).generic("body") == "serif"
    assert Fonts(body=["Lato", "DejaVu Sans"]).generic("body") == "sans-serif"
    assert Fonts(body=["Georgia"]).generic("body") == "serif"
    assert Fonts(heading=["Inter"]).generic("heading") == "sans-serif"


def test_project_theme_with_own_stylesheet_reaches_the_html(sample: Path) -> None:
    theme = sample / "templates" / "themes" / "plain"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: Plain\nstylesheet: extra.css\ncolours: {primary: '#123456'}\n")
    (theme / "extra.css").write_text("h1 { letter-spacing: 0.2em; }\n")
    (sample / "briefgen.yaml").write_text((sample / "briefgen.yaml").read_text().replace("default", "plain"))
    html = html_for(sample)
    assert '<link rel="stylesheet" href="themes/plain/extra.css">' in html
    assert "--primary: #123456;" in html
    assert '--body-font: "Noto Serif", "DejaVu Serif", serif;' in html


@pytest.mark.parametrize("value", ["../../outside.css", "/etc/passwd", "missing.css"])
def test_theme_resources_outside_or_missing_are_refused(sample: Path, value: str) -> None:
    theme = sample / "templates" / "themes" / "bad"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text(f"name: Bad\nstylesheet: {value}\n")
    dirs = TemplateDirs.for_project(sample / "templates")
    with pytest.raises(BriefgenError) as info:
        load_theme("bad", dirs)
    assert "stylesheet" in str(info.value) or value in str(info.value)
