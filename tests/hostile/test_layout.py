"""Layout and image bombs: a clean error within seconds, never a hang, a traceback or a silent drop."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from PIL import Image

import briefgen.render.pdf.guard as guard
from briefgen.errors import BriefgenError, RenderError, SecurityError
from briefgen.project.config import load_project
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.docx.writer import DocxRenderer
from briefgen.render.pdf.renderer import PdfRenderer, html_to_pdf
from briefgen.render.registry import RenderContext
from tests.hostile.conftest import briefing_for, png, recording_server, refused_with

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    + ']><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&i;</text></svg>'
)


def xxe(target: str) -> str:
    return (
        f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "{target}">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="10"><text y="10">&x;</text></svg>'
    )


def jpeg(size: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def dirs(tmp_path: Path) -> TemplateDirs:
    folder = tmp_path / "tpl"
    folder.mkdir()
    files = {
        "ok.png": png(8, 8),
        "truncated.png": png(64, 64)[:60],
        "truncated.jpg": jpeg()[:300],
        "garbage.png": b"\x89PNG\r\n\x1a\nnot really",
        "bomb.png": png(50_000, 50_000, idat=b"x\x9c\x03\x00\x00\x00\x00\x01"),
        "laughs.svg": LAUGHS.encode(),
        "xxe-file.svg": xxe("file:///etc/hostname").encode(),
        "broken.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><g>',
        "broken.ttf": b"\x00\x01\x00\x00 not a font",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return TemplateDirs((folder.resolve(),))


def pdf(html: str, dirs: TemplateDirs) -> tuple[bytes, int]:
    return html_to_pdf('<html lang="en">' + html, dirs)


def test_giant_font_sizes_lay_out(dirs: TemplateDirs) -> None:
    data, pages = pdf('<p style="font-size: 10000pt">Hello world</p>', dirs)
    assert data.startswith(b"%PDF") and pages >= 1


def test_font_sizes_weasyprint_cannot_handle_are_a_clean_error(dirs: TemplateDirs) -> None:
    message = refused_with(RenderError, lambda: pdf('<p style="font-size: 1e9px">x</p>', dirs))
    assert "WeasyPrint could not lay out the document (ZeroDivisionError" in message


def test_giant_pages_are_refused(dirs: TemplateDirs) -> None:
    message = refused_with(RenderError, lambda: pdf("<style>@page { size: 100000mm }</style><p>x</p>", dirs))
    assert "page 1 is 100000 x 100000 mm; PDF pages may be at most 5080 mm a side" in message


def test_twenty_thousand_nested_elements_are_refused_before_layout(dirs: TemplateDirs) -> None:
    html = "<div>" * 20_000 + "x" + "</div>" * 20_000
    message = refused_with(RenderError, lambda: pdf(html, dirs))
    assert f"more than the {guard.MAX_DEPTH} allowed; simplify the template" in message


def test_nesting_that_would_exhaust_the_stack_is_a_clean_error(dirs: TemplateDirs) -> None:
    html = "<div>" * (guard.MAX_DEPTH + 5) + "x" + "</div>" * (guard.MAX_DEPTH + 5)
    assert "nests elements" in refused_with(RenderError, lambda: pdf(html, dirs))


def test_thirty_thousand_page_breaks_are_refused_before_layout(dirs: TemplateDirs) -> None:
    html = '<p style="break-after: page">x</p>' * 30_000
    message = refused_with(RenderError, lambda: pdf(html, dirs))
    assert f"elements, more than the {guard.MAX_ELEMENTS} allowed" in message


def test_too_many_pages_are_refused(dirs: TemplateDirs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_PAGES", 3)
    message = refused_with(RenderError, lambda: pdf('<p style="break-after: page">x</p>' * 5, dirs))
    assert "the PDF would have 5 pages, more than the 3 allowed" in message


def test_huge_html_is_refused_before_layout(dirs: TemplateDirs) -> None:
    message = refused_with(RenderError, lambda: pdf("<p>" + "word " * 500_000 + "</p>", dirs))
    assert f"more than the {guard.MAX_HTML_CHARS} WeasyPrint is given" in message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("truncated.png", "image is damaged or not an image (image file is truncated)"),
        ("truncated.jpg", "image is damaged or not an image"),
        ("garbage.png", "image is damaged or not an image"),
        ("bomb.png", "image has 2500000000 pixels, more than the 25000000 allowed; scale it down"),
        ("laughs.svg", "SVG declares a DTD or entities"),
        ("xxe-file.svg", "SVG declares a DTD or entities"),
    ],
)
def test_damaged_and_bomb_images_fail_by_name(dirs: TemplateDirs, name: str, expected: str) -> None:
    for html in (f'<img src="{name}" alt="x">', f"<p style=\"background: url('{name}')\">x</p>"):
        message = refused_with(SecurityError, lambda html=html: pdf(html, dirs))
        assert f"refused to use {name!r}: {expected}" in message


def test_an_svg_weasyprint_cannot_read_fails_instead_of_vanishing(dirs: TemplateDirs) -> None:
    # Refused by name before WeasyPrint sees it (render/images.py), not drawn as nothing.
    message = refused_with(SecurityError, lambda: pdf('<img src="broken.svg" alt="x">', dirs))
    assert "refused to use 'broken.svg': SVG is not well-formed XML (line 1); save it again" in message


def test_a_font_weasyprint_cannot_read_fails_instead_of_falling_back(dirs: TemplateDirs) -> None:
    html = '<style>@font-face { font-family: Broken; src: url("broken.ttf") } p { font-family: Broken }</style><p>x</p>'
    assert "Font-face 'Broken' cannot be loaded" in refused_with(RenderError, lambda: pdf(html, dirs))


def test_svg_external_entities_to_the_network_are_not_fetched(dirs: TemplateDirs) -> None:
    with recording_server() as (address, hits):
        (dirs.dirs[0] / "xxe-net.svg").write_text(xxe(f"http://{address}/x"))
        message = refused_with(SecurityError, lambda: pdf('<img src="xxe-net.svg" alt="x">', dirs))
    assert "SVG declares a DTD or entities" in message
    assert hits == []


def test_inline_svg_entities_are_not_expanded_or_read(dirs: TemplateDirs) -> None:
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "no-such-host"
    for svg in (LAUGHS, xxe("file:///etc/hostname")):
        data, _ = pdf(svg.split("?>", 1)[1], dirs)
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
        assert "aaaaaaaaaa" not in text and (hostname not in text or len(hostname) < 3)
        assert len(data) < 100_000


def test_a_bomb_logo_in_a_theme_fails_both_formats_cleanly(sample: Path) -> None:
    theme = sample / "templates" / "themes" / "evil"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: evil\nlogo: bomb.png\n")
    (theme / "bomb.png").write_bytes(png(50_000, 50_000, idat=b"x\x9c\x03\x00\x00\x00\x00\x01"))
    briefing, _ = briefing_for(sample)
    ctx = RenderContext.for_project(load_project(sample), "evil")
    for renderer in (PdfRenderer(), DocxRenderer()):
        message = refused_with(BriefgenError, lambda r=renderer: r.render(briefing, ctx))
        assert (
            "bomb.png" in message and "image has 2500000000 pixels" in message and "scale it down" in message
        )


def test_an_svg_logo_with_entities_fails_the_word_output(sample: Path) -> None:
    theme = sample / "templates" / "themes" / "evil"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: evil\nlogo: logo.svg\n")
    (theme / "logo.svg").write_text(LAUGHS)
    briefing, _ = briefing_for(sample)
    ctx = RenderContext.for_project(load_project(sample), "evil")
    message = refused_with(SecurityError, lambda: DocxRenderer().render(briefing, ctx))
    assert "logo.svg: SVG declares a DTD or entities" in message
