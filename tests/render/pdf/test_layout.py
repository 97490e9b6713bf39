"""The PDF's layout, handed to the later formats of the same Briefing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import briefgen.batch.jobs as jobs
from briefgen.batch.jobs import Job, Output, render_job
from briefgen.batch.plan import Target
from briefgen.render.pdf.renderer import PdfRenderer
from briefgen.render.registry import Layout, get_renderer
from tests.hostile.conftest import briefing_for


def test_the_layout_places_every_part_in_page_order(sample: Path) -> None:
    briefing, ctx = briefing_for(sample)
    rendered = PdfRenderer().render(briefing, ctx)
    layout = rendered.layout
    assert layout is not None and layout.pages == rendered.pages and layout.body_pages == rendered.body_pages
    pages = [layout.page_of(part.anchor) for part in briefing.parts]
    assert None not in pages and pages == sorted(pages)  # type: ignore[type-var]
    assert pages[0] == 3  # after the cover and the contents
    assert layout.page_of("sources") == layout.pages and layout.page_of("no-such-id") is None


def test_a_job_hands_the_pdf_layout_to_its_word_file(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    briefing, ctx = briefing_for(sample)
    seen: dict[str, Layout | None] = {}

    def recording(name: str) -> Any:
        renderer = get_renderer(name)

        class Recording:
            def render(self, b: Any, c: Any, layout: Layout | None = None) -> Any:
                seen[name] = layout
                return renderer.render(b, c, layout)

        return Recording()

    monkeypatch.setattr(jobs, "get_renderer", recording)
    outputs = tuple(
        Output(Target("relief", "field", f), tmp_path / f"field.{f}", f"relief/field.{f}") for f in ("pdf", "docx")
    )
    results = list(render_job(Job(briefing, ctx, outputs)))
    assert [r.status for r in results] == ["built", "built"]
    assert seen["pdf"] is None
    docx_layout = seen["docx"]
    assert docx_layout is not None and docx_layout.pages == results[0].pages
