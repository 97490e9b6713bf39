"""Text no font can draw: fallback to the system's fonts, and a located warning for what is still missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest

from briefgen.render.coverage import (
    Coverage,
    coverage,
    coverage_problems,
    merge,
    parse_charset,
    system_ranges,
)
from briefgen.render.docx.writer import DocxRenderer
from briefgen.render.html.renderer import HtmlRenderer
from briefgen.render.pdf.renderer import PdfRenderer
from tests.hostile.conftest import briefing_for

CHINESE = "共享仓库缩短了交货时间"
KOREAN = "공유 창고는 배송 시간을 단축합니다"
EMOJI = "🚚📦"
PRIVATE = "\ue000"  # private use: no installed font has a glyph for it
TOPIC = Path("content/topics/relief.yaml")


def _installed(family: str) -> bool:
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return family in listed


needs_fonts = pytest.mark.skipif(
    not (_installed("Noto Sans CJK") and _installed("Noto Color Emoji")),
    reason="needs fonts-noto-cjk and fonts-noto-color-emoji (README: system packages)",
)


def _write_statements(project: Path, first: str, second: str) -> tuple[int, int]:
    """Put ``first`` and ``second`` in the bottom line's statements; return the line of each."""
    path = project / TOPIC
    text = path.read_text()
    text = text.replace("Joint planning is the **single biggest** factor in relief success.", first)
    text = text.replace("Shared depots cut delivery times.", second)
    path.write_text(text)
    lines = text.splitlines()
    return tuple(next(n for n, line in enumerate(lines, 1) if s in line) for s in (first, second))  # type: ignore[return-value]


def test_charsets_parse_merge_and_answer() -> None:
    ranges = merge([*parse_charset("20-7e a0-17f 4e00"), (0x7F, 0x9F), (0x4E01, 0x4E05)])
    assert ranges == ((0x20, 0x17F), (0x4E00, 0x4E05))
    cover = Coverage(ranges, system=True)
    assert cover.covers(ord("A")) and cover.covers(0x4E03) and not cover.covers(0x1F600)
    assert not cover.covers(0x10)


def test_theme_fonts_alone_lack_cjk_and_the_warning_names_statement_and_characters(sample: Path) -> None:
    line = _write_statements(sample, f"Depots {CHINESE} work.", f"Trucks {PRIVATE} move.")[1]
    briefing, ctx = briefing_for(sample)
    theme_only = coverage(ctx.theme.face_files, use_system=False)
    problems = coverage_problems(briefing, theme_only, "PDF")
    assert [str(p.location).rsplit(":", 2)[0] for p in problems] == [str(TOPIC), str(TOPIC)]
    assert "U+5171" in problems[0].message  # 共
    assert f":{line}:" in str(problems[1].location) and "U+E000" in problems[1].message
    assert "fc-list could not list system fonts" in problems[0].message


@needs_fonts
def test_cjk_hangul_and_emoji_fall_back_to_installed_fonts_in_the_pdf(sample: Path, tmp_path: Path) -> None:
    line = _write_statements(sample, f"Depots {CHINESE}. {KOREAN}.", f"Trucks {EMOJI} and {PRIVATE} move.")[1]
    briefing, ctx = briefing_for(sample)
    rendered = PdfRenderer().render(briefing, ctx)
    path = tmp_path / "scripts.pdf"
    path.write_bytes(rendered.data)
    with pdfplumber.open(path) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)
    for wanted in (CHINESE, KOREAN.replace(" ", ""), *EMOJI):
        assert wanted in text.replace(" ", "")
    fonts_of = {c["text"]: c["fontname"] for c in chars}
    assert "CJK" in fonts_of["共"] and "CJK" in fonts_of["공"] and "Emoji" in fonts_of["🚚"]
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK" in listed or "Noto-Serif-CJK" in listed
    assert "Noto-Color-Emoji" in listed
    # What nothing covers is named, with its statement's place; the rest is not.
    assert len(rendered.warnings) == 1
    warning = rendered.warnings[0]
    assert warning.startswith(f"{TOPIC}:{line}:") and "U+E000" in warning
    assert "empty boxes in the PDF" in warning and "fonts-noto-cjk" in warning
    assert "U+5171" not in warning and "U+1F69A" not in warning


@needs_fonts
@pytest.mark.parametrize(("renderer", "name"), [(DocxRenderer, "Word file"), (HtmlRenderer, "HTML page")])
def test_word_and_html_warn_of_characters_no_font_covers(sample: Path, renderer: type, name: str) -> None:
    line = _write_statements(sample, f"Depots {CHINESE} {EMOJI}.", f"Trucks {PRIVATE} move.")[1]
    briefing, ctx = briefing_for(sample)
    rendered = renderer().render(briefing, ctx)
    missing = [w for w in rendered.warnings if "U+" in w]
    assert len(missing) == 1 and missing[0].startswith(f"{TOPIC}:{line}:") and name in missing[0]
    assert CHINESE in rendered.data.decode("utf-8", "replace") or name == "Word file"


@needs_fonts
def test_system_fonts_are_listed_once_per_process() -> None:
    first = system_ranges()
    assert first is not None and first is system_ranges()
    assert all(Coverage(first, system=True).covers(ord(c)) for c in f"A{CHINESE}{EMOJI}")
