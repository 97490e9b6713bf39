"""The Word reference documents: every style the renderers use, in sync with their themes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from briefgen.content.yamlread import read_yaml
from briefgen.project.themes import ThemeSpec
from briefgen.render.docx.refdoc import REQUIRED_STYLES, build_reference

THEMES = sorted((Path(__file__).resolve().parents[3] / "templates" / "themes").glob("*/theme.yaml"))


@pytest.mark.parametrize("theme", THEMES, ids=lambda p: p.parent.name)
def test_reference_has_every_style_and_nothing_heavy(theme: Path) -> None:
    spec = ThemeSpec.model_validate(read_yaml(theme).data)
    path = theme.parent / spec.reference_docx
    document = docx.Document(str(path))
    names = {s.name.lower() for s in document.styles}  # Word's built-in names are lower case ("toc 1")
    assert [n for n in REQUIRED_STYLES if n.lower() not in names] == []
    assert len(names) < 40  # slimmed: unused built-in styles are not parsed on every render


@pytest.mark.parametrize("theme", THEMES, ids=lambda p: p.parent.name)
def test_committed_reference_matches_its_theme(theme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    spec = ThemeSpec.model_validate(read_yaml(theme).data)
    committed = (theme.parent / spec.reference_docx).read_bytes()
    assert build_reference(spec) == committed, f"regenerate: python -m briefgen.render.docx.refdoc {theme.parent}"
