"""Output paths: unsafe ids are refused, planted links and special files are never followed."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from briefgen.batch.cache import CACHE_FILE
from briefgen.files import TEMP_PREFIX
from tests.batch.test_cache import outcome
from tests.hostile.conftest import edit

DOCX = {"relief/exec.docx", "relief/field.docx"}


def add_topic(project: Path, topic_id: str) -> Path:
    """Add a copy of the sample topic under ``topic_id``; return its file."""
    text = (project / "content" / "topics" / "relief.yaml").read_text()
    path = project / "content" / "topics" / "extra.yaml"
    path.write_text(text.replace("  id: relief\n", f"  id: {json.dumps(topic_id)}\n", 1))
    return path


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Return every entry under ``folder``: file bytes, or where a link points."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            found[rel] = path.read_bytes()
        else:
            found[rel] = "dir"
    return found


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project, with a file and a temp-looking file in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("precious\n")
    (folder / "exec.docx").write_bytes(b"not yours")
    (folder / f"{TEMP_PREFIX}mine").write_text("someone else's\n")
    return folder


UNSAFE_IDS = [
    "../x",
    "..",
    "/abs",
    "a/b",
    "a\\b",
    "CON",
    "Relief",
    "a" * 65,
    "reli\u0435f",  # Cyrillic 'е'
    "\uff52\uff45\uff4c\uff49\uff45\uff46",  # fullwidth 'relief'
    "relief\n",
    "relief.",
    " relief",
    "-relief",
    "re lief",
    "re\x00lief",
    "",
]


@pytest.mark.parametrize("bad", UNSAFE_IDS)
def test_unsafe_topic_ids_are_refused_with_a_location(
    sample: Path, cli: Callable[..., Result], bad: str
) -> None:
    add_topic(sample, bad)
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 2, result.output
    assert "content/topics/extra.yaml:2:7: " in result.output
    assert (
        "is not a valid id; use lower-case letters, digits and hyphens" in result.output
        or "text contains the control character U+0000" in result.output
    )
    assert not list((sample / "build").rglob("*.docx"))


@pytest.mark.parametrize("bad", ["../x", "/abs", "a/b", "CON", "reli\u0435f"])
def test_unsafe_audience_ids_are_refused_with_a_location(
    sample: Path, cli: Callable[..., Result], bad: str
) -> None:
    edit(sample / "content" / "audiences.yaml", "- id: field", f"- id: {json.dumps(bad)}")
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 2
    assert "content/audiences.yaml:" in result.output and "is not a valid id" in result.output
    assert not list((sample / "build").rglob("*.docx"))


@pytest.mark.parametrize("bad", ["../x", "/abs", "relief/../../x", "relief/", "CON"])
def test_unsafe_names_on_the_command_line_are_unknown(
    sample: Path, cli: Callable[..., Result], bad: str
) -> None:
    for option in ("--topic", "--audience"):
        result = cli(sample, "build", option, bad)
        assert result.exit_code == 2
        assert "error: unknown" in result.output and "valid " in result.output
    assert not list((sample / "build").rglob("*.docx"))


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("matrix:\n  topics: ['../x']\n", "briefgen.yaml:6:12: matrix.topics[0]: '../x' is not a valid id"),
        (
            "matrix:\n  audiences: [/abs]\n",
            "briefgen.yaml:6:15: matrix.audiences[0]: '/abs' is not a valid id",
        ),
        ("output: ../elsewhere\n", "output: '../elsewhere' lies outside the project"),
        ("output: /tmp\n", "output: '/tmp' lies outside the project"),
        ("build:\n  cache: ../cache\n", "build.cache: '../cache' lies outside the project"),
        ("theme: ../x\n", "briefgen.yaml:5:8: theme: '../x' is not a valid id"),
    ],
)
def test_unsafe_paths_in_the_config_are_refused(
    sample: Path, cli: Callable[..., Result], setting: str, expected: str
) -> None:
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text().replace("theme: default\n", "") + setting)
    result = cli(sample, "build")
    assert result.exit_code == 2
    assert expected in result.output
    assert not (sample / "build").exists() and not (sample.parent / "elsewhere").exists()


@pytest.mark.parametrize("bad", ["../elsewhere", "/tmp/elsewhere", "build/../../elsewhere"])
def test_unsafe_output_on_the_command_line_is_refused(
    sample: Path, cli: Callable[..., Result], bad: str
) -> None:
    result = cli(sample, "build", "--output", bad)
    assert result.exit_code == 2 and "lies outside the project" in result.output
    assert not (sample.parent / "elsewhere").exists() and not Path("/tmp/elsewhere").exists()


@pytest.mark.parametrize("reserved", ["con", "aux", "nul", "prn", "com1", "lpt9"])
def test_windows_device_names_are_refused_before_anything_is_written(
    sample: Path, cli: Callable[..., Result], reserved: str
) -> None:
    add_topic(sample, reserved)
    for command in ("validate", "build"):
        result = cli(sample, command)
        assert result.exit_code == 2
        assert f"id {reserved!r} is a reserved device name on Windows; rename it" in result.output
    assert not list((sample / "build").rglob("*.docx")) and not list((sample / "build").rglob("*.pdf"))


def test_output_folder_linked_out_of_the_project_is_refused(
    sample: Path, cli: Callable[..., Result], outside: Path
) -> None:
    before = snapshot(outside)
    (sample / "build").symlink_to(outside, target_is_directory=True)
    for args in ([], ["--clean"], ["--clean", "--force"]):
        result = cli(sample, "build", "--format", "docx", *args)
        assert result.exit_code == 2
        assert "output: 'build' lies outside the project" in result.output
    assert snapshot(outside) == before


def test_output_folder_linked_inside_the_project_is_refused(sample: Path, cli: Callable[..., Result]) -> None:
    cli(sample, "build", "--format", "docx")
    elsewhere = sample / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine\n")
    (sample / "build").rename(sample / "real-build")
    (sample / "build").symlink_to(elsewhere, target_is_directory=True)
    cache = snapshot(sample / ".briefgen-cache")
    for args in ([], ["--clean"]):
        result = cli(sample, "build", "--format", "docx", *args)
        assert result.exit_code == 2
        assert "build: output folder is a symbolic link; refusing to follow it" in result.output
        assert "replace it with a real folder" in result.output
    assert snapshot(elsewhere) == {"notes.txt": b"mine\n"}
    assert snapshot(sample / ".briefgen-cache") == cache  # --clean checked both before removing either


def test_topic_folder_linked_out_is_never_written_through(
    sample: Path, cli: Callable[..., Result], outside: Path
) -> None:
    before = snapshot(outside)
    (sample / "build").mkdir()
    (sample / "build" / "relief").symlink_to(outside, target_is_directory=True)
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 1
    assert outcome(result)["FAILED"] == DOCX
    assert "build/relief: output folder is a symbolic link; refusing to follow it" in result.output
    assert snapshot(outside) == before  # not written, and its temp-looking file not removed
    manifest = json.loads((sample / "build" / "manifest.json").read_text())
    assert manifest["outputs"] == []

    result = cli(sample, "build", "--format", "docx", "--clean")
    assert result.exit_code == 0 and outcome(result)["built"] == DOCX
    assert snapshot(outside) == before
    assert not (sample / "build" / "relief").is_symlink()


def test_output_files_linked_out_are_replaced_not_written_through(
    sample: Path, cli: Callable[..., Result], outside: Path
) -> None:
    before = snapshot(outside)
    folder = sample / "build" / "relief"
    folder.mkdir(parents=True)
    (folder / "exec.docx").symlink_to(outside / "exec.docx")
    os.link(outside / "keep.txt", folder / "field.docx")  # a hard link: rename replaces it too
    (sample / "build" / "manifest.json").symlink_to("/dev/zero")
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert outcome(result)["built"] == DOCX
    assert snapshot(outside) == before
    for name in ("exec.docx", "field.docx"):
        path = folder / name
        assert not path.is_symlink() and path.read_bytes()[:2] == b"PK"
    manifest = sample / "build" / "manifest.json"
    assert not manifest.is_symlink() and len(json.loads(manifest.read_text())["outputs"]) == 2


def test_cache_folder_linked_out_is_refused(sample: Path, cli: Callable[..., Result], outside: Path) -> None:
    before = snapshot(outside)
    (sample / ".briefgen-cache").symlink_to(outside, target_is_directory=True)
    for args in ([], ["--clean"]):
        result = cli(sample, "build", "--format", "docx", *args)
        assert result.exit_code == 2
        assert "build.cache: '.briefgen-cache' lies outside the project" in result.output
    assert snapshot(outside) == before


def test_cache_folder_linked_inside_the_project_is_refused(sample: Path, cli: Callable[..., Result]) -> None:
    elsewhere = sample / "elsewhere"
    elsewhere.mkdir()
    (sample / ".briefgen-cache").symlink_to(elsewhere, target_is_directory=True)
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 2
    assert ".briefgen-cache: build cache folder is a symbolic link; refusing to follow it" in result.output
    assert list(elsewhere.iterdir()) == []
    # --clean removes the link itself, never what it points to.
    (elsewhere / "notes.txt").write_text("mine\n")
    result = cli(sample, "build", "--format", "docx", "--clean")
    assert result.exit_code == 0, result.output
    assert snapshot(elsewhere) == {"notes.txt": b"mine\n"}
    assert not (sample / ".briefgen-cache").is_symlink()


def test_cache_file_linked_out_is_neither_read_nor_written(
    sample: Path, cli: Callable[..., Result], outside: Path
) -> None:
    assert cli(sample, "build", "--format", "docx").exit_code == 0
    cache = sample / ".briefgen-cache" / CACHE_FILE
    planted = outside / "cache.json"
    planted.write_bytes(cache.read_bytes())  # a cache that would say everything is fresh
    cache.unlink()
    cache.symlink_to(planted)
    before = snapshot(outside)
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 0
    assert outcome(result)["built"] == DOCX
    assert "ignoring unreadable build cache" in result.output and "symbolic link" in result.output
    assert snapshot(outside) == before
    assert not cache.is_symlink() and json.loads(cache.read_text())["version"] == 1


def run_within(seconds: float, action: Callable[[], Result]) -> Result:
    """Run ``action`` in a thread; fail if it blocks longer than ``seconds``."""
    box: list[Result] = []
    worker = threading.Thread(target=lambda: box.append(action()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the build blocked (on a FIFO?)"
    return box[0]


def test_fifos_and_devices_at_output_and_cache_paths_do_not_block(
    sample: Path, cli: Callable[..., Result]
) -> None:
    folder = sample / "build" / "relief"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "exec.docx")
    os.mkfifo(sample / "build" / "manifest.json")
    os.mkfifo(sample / "build" / f"{TEMP_PREFIX}fifo")
    (sample / ".briefgen-cache").mkdir()
    os.mkfifo(sample / ".briefgen-cache" / CACHE_FILE)
    result = run_within(60, lambda: cli(sample, "build", "--format", "docx"))
    assert result.exit_code == 0, result.output
    assert outcome(result)["built"] == DOCX
    assert (folder / "exec.docx").read_bytes()[:2] == b"PK"
    assert json.loads((sample / "build" / "manifest.json").read_text())["outputs"]
    (sample / ".briefgen-cache" / CACHE_FILE).unlink()
    (sample / ".briefgen-cache" / CACHE_FILE).symlink_to("/dev/zero")
    result = run_within(60, lambda: cli(sample, "build", "--format", "docx"))
    assert result.exit_code == 0 and "ignoring unreadable build cache" in result.output


def test_things_in_the_way_of_outputs_fail_their_targets_by_name(
    sample: Path, cli: Callable[..., Result]
) -> None:
    add_topic(sample, "other")
    (sample / "build" / "relief").mkdir(parents=True)
    (sample / "build" / "relief" / "exec.docx").mkdir()
    (sample / "build" / "relief" / "exec.docx" / "notes.txt").write_text("mine\n")
    (sample / "build" / "other").write_text("a file where a folder belongs\n")
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 1
    found = outcome(result)
    assert found["built"] == {"relief/field.docx"}
    assert found["FAILED"] == {"relief/exec.docx", "other/exec.docx", "other/field.docx"}
    assert "build/relief/exec.docx is a folder; move it out of the way" in result.output
    assert "build/other is not a folder; move it out of the way" in result.output
    assert (sample / "build" / "relief" / "exec.docx" / "notes.txt").read_text() == "mine\n"
    assert (sample / "build" / "other").read_text() == "a file where a folder belongs\n"


def test_clean_removes_planted_links_but_never_what_they_point_to(
    sample: Path, cli: Callable[..., Result], outside: Path
) -> None:
    before = snapshot(outside)
    build = sample / "build"
    (build / "relief").mkdir(parents=True)
    (build / "topic-link").symlink_to(outside, target_is_directory=True)
    (build / "file-link.pdf").symlink_to(outside / "keep.txt")
    (build / "relief" / "nested").symlink_to(outside, target_is_directory=True)
    (build / "relief" / "deeper").mkdir()
    (build / "relief" / "deeper" / "link").symlink_to(outside / "keep.txt")
    (build / ".hidden-link").symlink_to(outside, target_is_directory=True)
    (build / ".git").mkdir()  # build/ as a publishing checkout
    (build / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (build / "dangling").symlink_to(outside / "missing")
    os.mkfifo(build / "pipe")
    result = run_within(60, lambda: cli(sample, "build", "--format", "docx", "--clean"))
    assert result.exit_code == 0, result.output
    assert snapshot(outside) == before
    assert sorted(p.name for p in build.iterdir()) == [".git", ".hidden-link", "manifest.json", "relief"]
    assert (build / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert sorted(p.name for p in (build / "relief").iterdir()) == ["exec.docx", "field.docx"]
