"""Shared fixtures: sample projects copied to a temp folder, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefgen.cli.main import main

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SEEDS = REPO.parent / "shared" / "seeds"


def copy_project(name: str, dest: Path) -> Path:
    """Copy tests/projects/NAME into ``dest`` and return the copy's root."""
    target = dest / name
    # Never carry over outputs or a build cache left by someone running briefgen in there.
    ignore = shutil.ignore_patterns("build", ".briefgen-cache")
    shutil.copytree(TESTS / "projects" / name, target, ignore=ignore)
    return target


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the small sample project, made the working folder."""
    root = copy_project("sample", tmp_path)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the briefgen CLI in-process: cli(project, "build", ...)."""

    def run(project: Path, *args: str) -> Result:
        return CliRunner().invoke(main, ["-C", str(project), *args], catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def full_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """Build the bundled project's whole matrix, HTML too, once per run; return the folder and report.

    The suite runs on two processes (pytest-xdist): the first to get here builds, under a
    lock in the folder both share, and the other reads its report, instead of both
    building the matrix at once on two cores.
    """
    import fcntl
    import os
    import pickle

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "full" / "project"
    saved = shared / "full" / "report.pickle"
    with (shared / "full.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if saved.exists():
            report = pickle.loads(saved.read_bytes())  # written by the other test process, just now
        else:
            report = _build_full(root)
            saved.write_bytes(pickle.dumps(report))
    assert not report.failed, [r.error for r in report.failed]
    return root / "build", report


def _build_full(root: Path) -> Any:
    from briefgen.batch.build import build
    from briefgen.project.config import load_project

    root.mkdir(parents=True)
    for name in ("content", "briefgen.yaml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return build(load_project(root), formats=["pdf", "docx", "html"])


@pytest.fixture(scope="session")
def full_build(full_report: tuple[Path, Any]) -> Path:
    """The output folder of the whole bundled matrix."""
    return full_report[0]
