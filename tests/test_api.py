"""The public Python API: briefgen.load_project, briefgen.build, briefgen.BriefgenError, lazily."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import briefgen
from tests.conftest import REPO


def test_load_and_build_through_the_public_names(sample: Path) -> None:
    project = briefgen.load_project(sample)
    report = briefgen.build(project, audiences=["exec"], formats=["docx"])
    assert [(r.status, r.path) for r in report.results] == [("built", "relief/exec.docx")]
    assert (sample / "build" / "relief" / "exec.docx").is_file()
    with pytest.raises(briefgen.BriefgenError, match="unknown topic 'nope'"):
        briefgen.build(project, topics=["nope"])
    assert sorted(dir(briefgen)) == ["BriefgenError", "__version__", "build", "load_project"]


def test_importing_briefgen_imports_nothing_heavy() -> None:
    script = (
        "import sys, briefgen; "
        "print(sorted(m for m in ('pydantic', 'yaml', 'jinja2', 'weasyprint', 'docx', 'click') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
