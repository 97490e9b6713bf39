"""LibreOffice as a sandboxed layout engine: its version read cheaply, a broken or hung one contained."""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from briefgen.errors import ConfigError
from briefgen.project.config import load_project
from briefgen.render import office
from briefgen.render.docx.paginate import finish, pages_of
from briefgen.render.docx.writer import DocxRenderer
from briefgen.render.registry import Layout, RenderContext
from tests.render.docx.test_writer import layout_for, relief


def fake_office(folder: Path, script: str) -> str:
    """Write an executable standing in for a LibreOffice that misbehaves as ``script`` says."""
    program = folder / "soffice"
    program.write_text("#!/bin/sh\n" + script + "\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return str(program)


def test_the_installed_version_is_read_without_starting_it() -> None:
    program = shutil.which("soffice")
    if program is None:
        pytest.skip("LibreOffice not installed")
    version = office._version_of(program)
    assert version is not None and version.split(".")[0].isdigit() and version.count(".") >= 2


def test_paginate_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert office.paginator_for("pdf") == ("pdf", None)
    assert office.paginator_for("none") == ("none", None)
    monkeypatch.setattr(office, "find_office", lambda: None)
    assert office.paginator_for("auto") == ("pdf", None)
    with pytest.raises(ConfigError, match=r"word\.paginate is 'libreoffice' but LibreOffice"):
        office.paginator_for("libreoffice")
    monkeypatch.setattr(office, "find_office", lambda: office.Office("/x/soffice", "7.4.7.2"))
    assert office.paginator_for("auto") == ("libreoffice 7.4.7.2", "/x/soffice")


def word_files(sample: Path, count: int) -> tuple[RenderContext, list[Path], Layout]:
    ctx, briefing = relief(sample)
    layout = layout_for(briefing)
    data = DocxRenderer().render(briefing, ctx, layout).data
    files = []
    for index in range(count):
        path = sample / f"word-{index}.docx"
        path.write_bytes(data)
        files.append(path)
    return ctx, files, layout


def test_a_broken_libreoffice_leaves_the_files_as_written_with_a_warning(sample: Path, tmp_path: Path) -> None:
    ctx, files, _layout = word_files(sample, 3)
    before = [f.read_bytes() for f in files]
    broken = RenderContext(ctx.dirs, ctx.theme, paginator="libreoffice 0.0", soffice=fake_office(tmp_path, "exit 3"))
    outcomes, note = finish(broken, files, jobs=2, timeout=30)
    assert [f.read_bytes() for f in files] == before  # the PDF's numbers stay
    for path in files:
        assert outcomes[path].final is False and "could not lay this file out" in outcomes[path].warning
    assert "3 file(s)" in note


def test_a_hung_libreoffice_is_killed_with_everything_it_started(sample: Path, tmp_path: Path) -> None:
    ctx, files, _layout = word_files(sample, 1)
    marker = tmp_path / "child.pid"
    # The launcher starts a child (as oosplash starts soffice.bin) and both hang.
    hung = fake_office(tmp_path, f"sleep 300 & echo $! > {marker}\nwait")
    slow = RenderContext(ctx.dirs, ctx.theme, paginator="libreoffice 0.0", soffice=hung)
    outcomes, _note = finish(slow, files, jobs=1, timeout=1.5)  # returns: the 300 s sleep was killed
    assert "did not finish within 1.5s" in outcomes[files[0]].warning
    child = int(marker.read_text())
    for _ in range(50):  # the kill is delivered at once; reaping may take a moment
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the hung LibreOffice's child survived the time limit")


def test_nothing_runs_without_libreoffice(sample: Path) -> None:
    ctx = RenderContext.for_project(load_project(sample))  # the sample says word.paginate: none
    assert ctx.paginator == "none"
    _ctx, files, layout = word_files(sample, 1)
    assert finish(ctx, files, jobs=1, timeout=5) == ({}, "")
    assert set(pages_of(files[0].read_bytes()).values()) <= {str(p) for _a, p in layout.anchor_pages}
