"""A build cache that disagrees with the content, and what the cache writes and when.

The cache is a hint, never an authority: a content snapshot tampered with (naming a topic
that does not exist, leaving one out, with its seal made to fit or not) never crashes a
build nor makes it build less than ``briefgen list`` shows; the build reads the content
instead and says so. Each finished output is one journal line; the whole file is written
once at the end of a build, and never by a build that changed nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

import briefgen.batch.cache
from briefgen.batch.cache import CACHE_FILE, JOURNAL_FILE, Cache, Entry, Snapshot
from briefgen.batch.snapshot import disagreement, seal
from briefgen.errors import OutputError
from tests.batch.test_cache import outcome
from tests.hostile.test_failure import add_topic

FOUR = {"relief/exec.docx", "relief/field.docx", "second/exec.docx", "second/field.docx"}
MISMATCH = "warning build cache .briefgen-cache/build-cache.json: its snapshot of the content"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with a second topic, built in Word once for the whole module."""
    from click.testing import CliRunner

    from briefgen.cli.main import main
    from tests.conftest import copy_project

    root = copy_project("sample", tmp_path_factory.mktemp("built"))
    add_topic(root, "second")
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--format", "docx"], catch_exceptions=False)
    assert result.exit_code == 0 and outcome(result)["built"] == FOUR, result.output
    return root


@pytest.fixture
def two_topics(built_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of that built project (cache keys and content keys are project-relative)."""
    root = tmp_path / "project"
    shutil.copytree(built_once, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


def listed(root: Path, cli: Callable[..., Result]) -> set[str]:
    """Return the Word outputs of every topic x audience ``briefgen list`` shows."""
    result = cli(root, "list")
    assert result.exit_code == 0, result.output
    groups: dict[str, list[str]] = {}
    for line in result.output.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            group = groups.setdefault(line[:-1], [])
        elif line.startswith("  "):
            group.append(line.split()[0])
    return {f"{t}/{a}.docx" for t in groups["topics"] for a in groups["audiences"]}


def tamper(root: Path, change: Callable[[dict[str, Any]], None], *, reseal: bool) -> None:
    """Edit the cache file's snapshot; with ``reseal``, make its seal fit the edit."""
    path = root / ".briefgen-cache" / CACHE_FILE
    data = json.loads(path.read_text())
    change(data["snapshot"])
    if reseal:
        data["snapshot"]["seal"] = seal(Snapshot(**data["snapshot"]))
    path.write_text(json.dumps(data))


TAMPERING: dict[str, Callable[[dict[str, Any]], None]] = {
    "a topic that does not exist": lambda s: s["topics"].append("ghost"),
    "a topic left out": lambda s: s["topics"].remove("second"),
    "an audience left out": lambda s: s["audiences"].remove("field"),
    "an audience that does not exist": lambda s: s["audiences"].append("ghost"),
    # An id the content holds, but not a topic's: only reading the content tells.
    "a topic swapped for another id": lambda s: s.update(topics=["exec", "relief"]),
    "no topics at all": lambda s: s.update(topics=[], briefings={}),
}


@pytest.mark.parametrize("reseal", [False, True], ids=["seal left", "seal made to fit"])
@pytest.mark.parametrize("kind", TAMPERING)
def test_tampered_snapshot_builds_what_list_shows_and_warns(
    two_topics: Path, cli: Callable[..., Result], kind: str, reseal: bool
) -> None:
    tamper(two_topics, TAMPERING[kind], reseal=reseal)
    result = cli(two_topics, "build", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    found = outcome(result)
    assert found["cached"] | found["built"] == listed(two_topics, cli) == FOUR
    assert found["FAILED"] == set()
    assert result.output.count(MISMATCH) == 1, result.output
    # The snapshot was written again from the content: the next build trusts it quietly.
    again = cli(two_topics, "build", "--format", "docx")
    assert outcome(again)["cached"] == FOUR and "warning" not in again.output


def test_untouched_snapshot_is_trusted_without_reading_the_content(
    two_topics: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.content.load

    def refuse(*args: object) -> None:
        raise AssertionError("the content was read")

    monkeypatch.setattr(briefgen.content.load, "load_library", refuse)
    result = cli(two_topics, "build", "--format", "docx")
    assert result.exit_code == 0 and outcome(result)["cached"] == FOUR
    assert "warning" not in result.output


# --- what the cache writes, and when -----------------------------------------------------


def count_saves(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every whole write of a cache file from now on."""
    writes: list[Path] = []
    real = briefgen.batch.cache.atomic_write

    def counting(path: Path, data: bytes, *args: Any, **kwargs: Any) -> None:
        if path.name == CACHE_FILE:
            writes.append(path)
        real(path, data, *args, **kwargs)

    monkeypatch.setattr(briefgen.batch.cache, "atomic_write", counting)
    return writes


def test_no_op_build_writes_no_cache(
    two_topics: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = two_topics / ".briefgen-cache" / CACHE_FILE
    before = path.stat()
    writes = count_saves(monkeypatch)
    result = cli(two_topics, "build", "--format", "docx")
    assert outcome(result)["cached"] == FOUR
    after = path.stat()
    assert writes == [] and (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not (path.parent / JOURNAL_FILE).exists()


def test_a_build_writes_the_cache_once_and_journals_each_output(
    sample: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = count_saves(monkeypatch)
    lines: list[str] = []
    real = Cache.append

    def journaling(self: Cache, key: str, entry: Entry) -> None:
        real(self, key, entry)
        lines.append(self.journal.read_text().splitlines()[-1])

    monkeypatch.setattr(Cache, "append", journaling)
    add_topic(sample, "second")
    result = cli(sample, "build", "--format", "docx")
    assert outcome(result)["built"] == FOUR
    assert len(writes) == 1  # at the end, whatever the number of outputs
    assert sorted(json.loads(line)["key"] for line in lines) == sorted(f"build/{p}" for p in FOUR)
    # The journal is folded into the file, then removed.
    assert not (sample / ".briefgen-cache" / JOURNAL_FILE).exists()
    saved = json.loads((sample / ".briefgen-cache" / CACHE_FILE).read_text())
    assert set(saved["entries"]) == {f"build/{p}" for p in FOUR}


def test_journal_is_read_on_top_of_the_file_and_a_cut_line_is_a_warning(tmp_path: Path) -> None:
    cache = Cache(tmp_path / CACHE_FILE, entries={"build/a.pdf": Entry("i", "s", 1)})
    cache.save()
    cache.append("build/a.pdf", Entry("i2", "s2", 2))
    cache.append("build/b.pdf", Entry("i3", "s3", 3))
    journal = tmp_path / JOURNAL_FILE
    journal.write_bytes(journal.read_bytes() + b'{"version": 1, "key": "build/c.pd')  # killed mid-line
    loaded = Cache.load(tmp_path)
    assert {k: e.sha256 for k, e in loaded.entries.items()} == {"build/a.pdf": "s2", "build/b.pdf": "s3"}
    assert len(loaded.warnings) == 1 and "1 damaged line(s) of the build cache journal" in loaded.warnings[0]
    assert loaded.save() and not journal.exists()
    assert not Cache.load(tmp_path).save()  # nothing changed since: nothing written


@pytest.mark.parametrize("kind", ["link", "folder", "fifo"])
def test_journal_that_is_not_a_plain_file_is_ignored(tmp_path: Path, kind: str) -> None:
    journal = tmp_path / JOURNAL_FILE
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n")
    if kind == "link":
        journal.symlink_to(outside)
    elif kind == "folder":
        journal.mkdir()
    else:
        os.mkfifo(journal)
    cache = Cache.load(tmp_path)
    assert cache.entries == {} and len(cache.warnings) == 1, cache.warnings
    with pytest.raises(OutputError):
        cache.append("build/a.pdf", Entry("i", "s", 1))
    assert outside.read_text() == "keep\n"


def test_snapshot_check_reads_ids_however_yaml_writes_them(tmp_path: Path) -> None:
    """No false alarm: flow style, quotes, a Markdown topic named by its file, odd-looking ids."""
    (tmp_path / "a.yaml").write_text("topic: {\"id\": 'alpha', title: A}\n")
    (tmp_path / "b.md").write_text("---\ntitle: B\n---\n# Summary\n")
    (tmp_path / "aud.yaml").write_text(
        "audiences:\n  - {id: 'no', title: N}\n  - id: \"010\"\n    title: O\n"
    )
    files = sorted(tmp_path.iterdir())
    snapshot = Snapshot("k", ["alpha", "b"], ["010", "no"])
    snapshot.seal = seal(snapshot)
    assert disagreement(snapshot, files) is None
    for topics, audiences, why in [
        (["alpha"], ["010", "no"], "2 topic files"),
        (["alpha", "ghost"], ["010", "no"], "'ghost', which no content file defines"),
        (["alpha", "b"], ["no"], "leaves out audience '010'"),
    ]:
        forged = Snapshot("k", topics, audiences)
        forged.seal = seal(forged)
        assert why in (disagreement(forged, files) or "")
