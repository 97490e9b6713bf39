"""The PDF path parses stylesheets once per worker; the pages must equal the linked-HTML path."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from briefgen.assemble.tailor import assemble
from briefgen.content.load import load_library
from briefgen.project.config import load_project
from briefgen.render.html.document import render_html
from briefgen.render.pdf.renderer import PdfRenderer, html_to_pdf, shared_styles
from briefgen.render.registry import RenderContext


def pages_as_png(pdf: bytes, folder: Path, stem: str) -> list[bytes]:
    (folder / f"{stem}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(folder / f"{stem}.pdf"), str(folder / stem)], check=True
    )
    return [p.read_bytes() for p in sorted(folder.glob(f"{stem}-*.png"))]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
@pytest.mark.parametrize("theme", ["default", "field"])
def test_shared_styles_render_the_same_pages(sample: Path, tmp_path: Path, theme: str) -> None:
    project = load_project(sample, {"theme": theme})
    library, _ = load_library(project.content_dir, project.root)
    ctx = RenderContext.for_project(project)
    briefing = assemble(library, "relief", "field", author="x", default_date=dt.date(2026, 1, 1))
    linked, _ = html_to_pdf(render_html(briefing, ctx), ctx.dirs)
    shared = PdfRenderer().render(briefing, ctx).data
    expected = pages_as_png(linked, tmp_path, "linked")
    assert len(expected) >= 3
    assert pages_as_png(shared, tmp_path, "shared") == expected


def test_shared_styles_are_parsed_once_and_refreshed_on_edit(sample: Path) -> None:
    templates = sample / "templates"
    templates.mkdir()
    (templates / "briefing.css").write_text("p { color: #123456 }\n")
    project = load_project(sample)
    ctx = RenderContext.for_project(project)
    first = shared_styles(ctx)
    assert shared_styles(ctx) is first
    (templates / "briefing.css").write_text("p { color: #654321 }\n/* edited */\n")
    assert shared_styles(ctx) is not first
