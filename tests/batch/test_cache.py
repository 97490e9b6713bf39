"""Incremental builds: what is rebuilt after which change, and what is left alone."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from briefgen.batch.cache import CACHE_FILE, file_sha256
from briefgen.project.config import load_project
from tests.conftest import REPO

ALL = {"relief/exec.pdf", "relief/exec.docx", "relief/field.pdf", "relief/field.docx"}


def outcome(result: Result) -> dict[str, set[str]]:
    """Return the paths of each status from the per-target lines of a build's output."""
    found: dict[str, set[str]] = {"built": set(), "cached": set(), "FAILED": set()}
    for line in result.output.splitlines():
        match = re.match(r"(built|cached|FAILED) +([^ :]+/[^ :]+)", line)
        if match:
            found[match[1]].add(match[2])
    return found


def build(cli: Callable[..., Result], root: Path, *args: str) -> dict[str, set[str]]:
    result = cli(root, "build", *args)
    assert result.exit_code == 0, result.output
    return outcome(result)


def test_second_build_reports_everything_cached(sample: Path, cli: Callable[..., Result]) -> None:
    assert build(cli, sample)["built"] == ALL
    result = cli(sample, "build")
    assert result.exit_code == 0
    assert outcome(result) == {"built": set(), "cached": ALL, "FAILED": set()}
    assert "0 built, 0 failed, 4 cached" in result.output
    manifest = json.loads((sample / "build" / "manifest.json").read_text())
    assert [o["path"] for o in manifest["outputs"]] == sorted(ALL)
    for item in manifest["outputs"]:
        output = sample / "build" / item["path"]
        assert item["sha256"] == file_sha256(output) and item["size"] == output.stat().st_size
        assert len(item["inputs"]) == 64 and item["seconds"] > 0
        assert item["pages"] == (
            None if item["format"] == "docx" else {"exec": 2, "field": 4}[item["audience"]]
        )
    # The cache sits outside the output folder and ignores itself in git.
    assert (sample / ".briefgen-cache" / CACHE_FILE).is_file()
    assert (sample / ".briefgen-cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_touching_one_template_rebuilds_its_dependents_only(sample: Path, cli: Callable[..., Result]) -> None:
    templates = sample / "templates"
    (templates / "themes").mkdir(parents=True)
    shutil.copytree(REPO / "templates" / "themes" / "default", templates / "themes" / "default")
    override = templates / "briefing.html"
    override.write_text('{% extends "!briefing.html" %}\n')
    assert build(cli, sample)["built"] == ALL

    override.write_text('{% extends "!briefing.html" %}\n{# a comment changes nothing visible #}\n')
    # The PDFs, and the Word file of the audience with a page budget: its cut to the budget
    # comes from the PDF's layout, which the PDF templates shape.
    rebuilt = {"relief/exec.pdf", "relief/field.pdf", "relief/exec.docx"}
    assert build(cli, sample) == {"built": rebuilt, "cached": ALL - rebuilt, "FAILED": set()}
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text().replace("paginate: none", "paginate: auto"))
    if shutil.which("soffice"):  # numbered from LibreOffice's layout: no more PDF dependence than the cut
        assert build(cli, sample)["built"] == {"relief/exec.docx", "relief/field.docx"}  # a new numbering
        override.write_text('{% extends "!briefing.html" %}\n{# another comment #}\n')
        assert build(cli, sample) == {"built": rebuilt, "cached": ALL - rebuilt, "FAILED": set()}

    reference = templates / "themes" / "default" / "reference.docx"
    reference.write_bytes(reference.read_bytes())  # same bytes, new mtime: nothing to do
    assert build(cli, sample)["built"] == set()
    with zipfile.ZipFile(reference, "a") as archive:  # still a valid Word file, other bytes
        archive.comment = b"restyled"
    assert build(cli, sample)["built"] == {"relief/exec.docx", "relief/field.docx"}


def test_changing_one_content_file_rebuilds_exactly_its_targets(
    sample: Path, cli: Callable[..., Result]
) -> None:
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text() + "matrix:\n  formats: [docx]\n")  # dependencies are per briefing
    topics = sample / "content" / "topics"
    other = topics / "other.yaml"
    other.write_text((topics / "relief.yaml").read_text().replace("id: relief", "id: other", 1))
    both = {f"{t}/{a}.docx" for t in ("relief", "other") for a in ("exec", "field")}
    assert build(cli, sample)["built"] == both

    other.write_text(other.read_text().replace("title: Relief Coordination", "title: Other Coordination"))
    assert build(cli, sample)["built"] == {p for p in both if p.startswith("other/")}

    # The glossary appears only in the field teams' briefings (audiences.yaml).
    glossary = sample / "content" / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("Harbour Relief Operation", "Harbour Relief Op."))
    assert build(cli, sample)["built"] == {p for p in both if "/field." in p}

    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(audiences.read_text().replace("purpose: Decide quickly.", "purpose: Decide fast."))
    assert build(cli, sample)["built"] == {p for p in both if "/exec." in p}

    # Settings that only steer the build (jobs, timeout) change no output.
    config.write_text(config.read_text() + "build:\n  jobs: 1\n  timeout: 120\n")
    assert build(cli, sample)["built"] == set()
    config.write_text(config.read_text().replace("author: Test cell", "author: Other cell"))
    assert build(cli, sample)["built"] == both


def test_deleted_or_edited_output_is_rebuilt(sample: Path, cli: Callable[..., Result]) -> None:
    build(cli, sample)
    (sample / "build" / "relief" / "exec.pdf").unlink()
    edited = sample / "build" / "relief" / "field.docx"
    data = bytearray(edited.read_bytes())
    data[100] ^= 1  # same size, same mtime second: only the hash can tell
    edited.write_bytes(bytes(data))
    assert build(cli, sample)["built"] == {"relief/exec.pdf", "relief/field.docx"}


def test_force_rebuilds_and_clean_removes_outputs_and_cache(sample: Path, cli: Callable[..., Result]) -> None:
    (sample / "build").mkdir()
    (sample / "build" / ".gitignore").write_text("*\n")
    build(cli, sample, "--format", "docx")
    assert build(cli, sample, "--format", "docx", "--force")["built"] == {
        "relief/exec.docx",
        "relief/field.docx",
    }
    stray = sample / "build" / "old-topic" / "exec.pdf"
    stray.parent.mkdir()
    stray.write_bytes(b"%PDF-1.7 left from an earlier content set")
    assert build(cli, sample, "--format", "docx", "--clean")["built"] == {
        "relief/exec.docx",
        "relief/field.docx",
    }
    assert not stray.parent.exists()
    assert (sample / "build" / ".gitignore").is_file()  # dot-files at the top stay
    assert sorted(p.name for p in (sample / "build").iterdir()) == [".gitignore", "manifest.json", "relief"]


def test_clean_refuses_a_folder_holding_the_project(sample: Path, cli: Callable[..., Result]) -> None:
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text() + "build:\n  cache: .\n")
    for args in (["--clean"], []):
        result = cli(sample, "build", *args)
        assert result.exit_code == 2
        assert (
            "build.cache: '.' holds the project's own files; point it at a folder of its own" in result.output
        )
    assert (sample / "content").is_dir() and not (sample / ".gitignore").exists()


def test_damaged_cache_means_a_full_build(sample: Path, cli: Callable[..., Result]) -> None:
    build(cli, sample, "--format", "docx")
    (sample / ".briefgen-cache" / CACHE_FILE).write_text('{"version": 1, "entries": [')
    assert build(cli, sample, "--format", "docx")["built"] == {"relief/exec.docx", "relief/field.docx"}
    assert build(cli, sample, "--format", "docx")["built"] == set()


def test_build_settings_come_from_config_and_cli_overrides_one(sample: Path) -> None:
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text() + "build:\n  jobs: 3\n  timeout: 7.5\n  cache: .cache/briefgen\n")
    project = load_project(sample, {"build": {"jobs": 1, "timeout": None}})
    assert project.config.build.jobs == 1
    assert project.config.build.timeout == 7.5 and project.config.build.memory_mib == 2048
    assert project.cache_dir == sample / ".cache" / "briefgen"


def test_invalid_build_settings_are_located(sample: Path, cli: Callable[..., Result]) -> None:
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text() + "build:\n  jobs: 0\n  cache: ../elsewhere\n")
    result = cli(sample, "build")
    assert result.exit_code == 2
    assert "briefgen.yaml:7:9: build.jobs" in result.output


NO_OP = """
import sys, time
from pathlib import Path
from briefgen.batch.build import build
from briefgen.project.config import load_project
start = time.perf_counter()
report = build(load_project(Path(sys.argv[1])))
seconds = time.perf_counter() - start
heavy = ("weasyprint", "docx", "pydyf", "cairosvg", "jinja2", "fontTools", "briefgen.assemble.tailor")
heavy = sorted(m for m in heavy if m in sys.modules)
print(report.count("cached"), len(report.results), heavy, seconds)
"""


def no_op(root: Path) -> tuple[int, int, list[str], float]:
    """Run a build in a fresh interpreter; return cached, total, heavy modules imported, seconds."""
    out = subprocess.run(
        [sys.executable, "-c", NO_OP, str(root)], check=True, capture_output=True, text=True, cwd=REPO
    ).stdout.split(" ", 3)
    return int(out[0]), int(out[1]), json.loads(out[2].replace("'", '"')), float(out[3])


def test_no_op_build_reads_no_content_and_imports_no_renderer(
    sample: Path, cli: Callable[..., Result]
) -> None:
    build(cli, sample)
    cached, total, heavy, _ = no_op(sample)
    assert (cached, total, heavy) == (4, 4, [])
