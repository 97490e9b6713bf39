"""Planted code: Python files in a project never run, whatever command runs in it.

A hostile contributor to a shared briefing repository can add any file. Each planted
module here records that it ran (a marker file outside the project) and then exits the
process, so a planted module that ran is seen either way. Every command runs as users
run it: the installed ``briefgen`` script or ``python -m briefgen``, in the project folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from briefgen.batch.isolation import briefgen_home, safe_path, unsafe_folders

SCRIPT = Path(sys.executable).parent / "briefgen"
# Modules a build, its workers or Python's start-up would import if they came from the project.
SHADOWED = (
    "yaml",
    "weasyprint",
    "docx",
    "jinja2",
    "pydantic",
    "click",
    "json",
    "multiprocessing",
    "sitecustomize",
    "usercustomize",
)
# Where in the project: its root (the current folder) and its own folders.
FOLDERS = ("", "content", "content/topics", "raw", "build")
# `python -m` imports these before briefgen runs (Python's own doing, see README "Safety").
BEFORE_BRIEFGEN = ("types",)


def plant(project: Path, markers: Path, *, package: bool = True, early: bool = True) -> None:
    """Plant modules shadowing briefgen, its libraries and the standard library all over ``project``."""
    markers.mkdir(exist_ok=True)
    for folder in FOLDERS:
        where = project / folder
        where.mkdir(parents=True, exist_ok=True)
        tag = folder.replace("/", "-") or "root"
        names = [*SHADOWED, *(BEFORE_BRIEFGEN if early else ())]
        files = [where / f"{name}.py" for name in names]
        if package:
            (where / "briefgen").mkdir(exist_ok=True)
            files += [where / "briefgen" / "__init__.py", where / "briefgen" / "__main__.py"]
        for file in files:
            marker = markers / f"{tag}-{file.relative_to(where).as_posix().replace('/', '-')}"
            file.write_text(f"open({str(marker)!r}, 'w').write('ran')\nraise SystemExit(97)\n")


def ran(markers: Path) -> list[str]:
    return sorted(p.name for p in markers.iterdir())


def run(project: Path, *args: str, module: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefgen"] if module else [str(SCRIPT)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [*command, *args], cwd=project, env={**env, "CI": "true"}, capture_output=True, text=True, timeout=600
    )


def assert_built(project: Path, done: subprocess.CompletedProcess[str], *names: str) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    for name in names:
        path = project / "build" / name
        if name.endswith(".pdf"):
            reader = PdfReader(path)
            assert len(reader.pages) >= 2
            assert "Relief" in reader.pages[0].extract_text()
        else:
            assert any("Relief" in p.text for p in Document(str(path)).paragraphs)


@pytest.fixture
def markers(sample: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "markers"
    plant(sample, folder)
    return folder


def test_validate_and_builds_with_workers_never_run_planted_code(sample: Path, markers: Path) -> None:
    done = run(sample, "validate")
    assert done.returncode == 0 and "project is valid" in done.stdout, done.stdout + done.stderr
    # A pool of one worker and of two (started from a fork server), and one briefing (a forked worker).
    assert_built(sample, run(sample, "build", "--force", "-j", "1", "--format", "docx"), "relief/exec.docx")
    assert_built(sample, run(sample, "build", "--force", "-j", "2"), "relief/exec.pdf", "relief/field.docx")
    done = run(sample, "build", "--force", "--topic", "relief", "--audience", "field", "--format", "pdf")
    assert_built(sample, done, "relief/field.pdf")
    assert ran(markers) == []


def test_python_m_takes_the_current_folder_off_the_path(sample: Path, tmp_path: Path) -> None:
    # Python itself imports a planted briefgen package, or what runpy needs, before briefgen
    # runs (README "Safety"); everything imported after that must not come from the project.
    markers = tmp_path / "markers"
    plant(sample, markers, package=False, early=False)
    done = run(sample, "validate", module=True)
    assert done.returncode == 0 and "project is valid" in done.stdout, done.stdout + done.stderr
    done = run(sample, "build", "--force", "-j", "2", module=True)
    assert_built(sample, done, "relief/exec.pdf", "relief/exec.docx", "relief/field.pdf")
    done = run(sample, "build", "--force", "--topic", "relief", "--audience", "exec", module=True)
    assert_built(sample, done, "relief/exec.pdf", "relief/exec.docx")
    assert ran(markers) == []


def test_serve_and_ingest_never_run_planted_code(sample: Path, markers: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    server = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port)],
        cwd=sample,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = ""
        deadline = time.monotonic() + 120
        while not page and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/relief/exec/", timeout=60) as answer:
                    page = answer.read().decode()
            except OSError:
                time.sleep(0.3)
        assert "Relief" in page, f"serve gave no page (exit code {server.poll()})"
    finally:
        server.terminate()
        server.wait(timeout=30)
    (sample / "raw" / "drafted.txt").write_text((sample / "raw" / "relief.txt").read_text())
    done = run(sample, "ingest", "raw/drafted.txt", "--topic", "drafted")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (sample / "content" / "topics" / "drafted.md").is_file()
    assert ran(markers) == []


def test_python_m_refuses_to_go_on_after_importing_from_the_current_folder(
    sample: Path, tmp_path: Path
) -> None:
    # What Python imported from the folder before briefgen ran has run; briefgen stops there.
    marker = tmp_path / "early-ran"
    (sample / "early.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    program = "import sys, early; from briefgen.__main__ import run; sys.argv = ['briefgen', 'build']; run()"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=sample, env=env, capture_output=True, text=True
    )
    assert marker.is_file()  # the setting of the test: it did run
    assert done.returncode == 2
    assert "refusing to run" in done.stderr and "early" in done.stderr and "briefgen` command" in done.stderr
    assert not (sample / "build").exists()


def test_the_import_path_keeps_the_environment_and_briefgen_and_drops_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    unsafe = unsafe_folders([project])
    prefix = Path(sys.prefix)
    entries = ["", ".", str(project), str(project / "content"), str(prefix), str(briefgen_home()), "rel/dir"]
    assert safe_path(entries, unsafe) == [str(prefix), str(briefgen_home())]
    # A project's own virtual environment stays: it is the Python environment in use.
    venv = project / ".venv"
    (venv / "lib" / "site-packages").mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(venv))
    kept = [str(venv / "lib" / "site-packages"), str(project / "lib")]
    assert safe_path(kept, unsafe) == kept[:1]
