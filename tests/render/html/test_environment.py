"""Templates: search path and "!" overrides (hostile templates: tests/hostile/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen.assemble.tailor import assemble
from briefgen.content.load import load_library
from briefgen.project.config import load_project
from briefgen.render.html.document import render_html
from briefgen.render.registry import RenderContext


def html_for(project: Path) -> str:
    proj = load_project(project)
    library, _ = load_library(proj.content_dir, proj.root)
    briefing = assemble(library, "relief", "field", author="x", default_date=dt.date(2026, 1, 1))
    return render_html(briefing, RenderContext.for_project(proj))


def test_override_replaces_one_block_only(sample: Path) -> None:
    original = html_for(sample)
    (sample / "templates").mkdir()
    (sample / "templates" / "base.html").write_text(
        '{% extends "!base.html" %}{% block notes %}<p class="custom">Handled by the desk</p>{% endblock %}'
    )
    changed = html_for(sample)
    assert '<p class="custom">Handled by the desk</p>' in changed
    assert 'id="sources"' in original and 'id="sources"' not in changed
    assert changed.split("<main>")[0] == original.split("<main>")[0]
    assert changed.split("<main>")[1].split("</main>")[0] == original.split("<main>")[1].split("</main>")[0]
