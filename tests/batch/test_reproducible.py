"""Reproducible builds: the same inputs give byte-identical PDF, Word and HTML files."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from click.testing import Result

from tests.batch.test_cache import ALL, outcome
from tests.conftest import REPO

EPOCH = 1_700_000_000  # 2023-11-14 22:13:20 UTC


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.*")) if p.is_file()
    }


def manifest_records(folder: Path) -> list[tuple[str, str, str]]:
    data = json.loads((folder / "manifest.json").read_text())
    return [(o["path"], o["inputs"], o["sha256"]) for o in data["outputs"]]


def test_two_clean_builds_are_byte_identical(
    sample: Path, cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert cli(sample, "build", "-j", "2", "-f", "pdf,docx,html").exit_code == 0
    first = tmp_path / "first"
    shutil.copytree(sample / "build", first)

    # Again from scratch, in another interpreter with another hash seed, one worker.
    env = {**os.environ, "PYTHONHASHSEED": "4321", "SOURCE_DATE_EPOCH": str(EPOCH), "CI": "true"}
    subprocess.run(
        [sys.executable, "-m", "briefgen", "-C", str(sample), "build", "--clean", "-j", "1", "-f", "pdf,docx,html"],
        check=True,
        env=env,
        cwd=tmp_path,
        capture_output=True,
    )
    second = files(sample / "build")
    pages = {"relief/exec.html", "relief/field.html"}
    assert sorted(second) == sorted([*ALL, *pages, "manifest.json"])
    for name, data in files(first).items():
        if name != "manifest.json":  # it records build times
            assert second[name] == data, f"{name} differs between two clean builds"
    assert manifest_records(first) == manifest_records(sample / "build")  # same inputs hashes too

    with zipfile.ZipFile(sample / "build" / "relief" / "field.docx") as archive:
        stamp = dt.datetime.fromtimestamp(EPOCH, dt.UTC)
        expected = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
        assert {info.date_time for info in archive.infolist()} == {expected}
    # The document date comes from the content (the topic's date), never from the clock.
    metadata = pypdf.PdfReader(sample / "build" / "relief" / "field.pdf").metadata
    assert metadata is not None and metadata["/CreationDate"] == "D:20260115"

    # SOURCE_DATE_EPOCH changes Word's bytes only, so only the Word files are rebuilt.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 86_400))
    result = cli(sample, "build")
    assert outcome(result)["built"] == {"relief/exec.docx", "relief/field.docx"}
    with zipfile.ZipFile(sample / "build" / "relief" / "field.docx") as archive:
        assert archive.infolist()[0].date_time[:3] == (2023, 11, 15)


def test_the_cache_keys_are_the_same_in_every_process(tmp_path: Path) -> None:
    """The content's and each briefing's hash must not depend on hash seeds or folders."""
    script = (
        "import sys; from pathlib import Path; from briefgen.batch.snapshot import Content; "
        "from briefgen.batch.plan import Pair; "
        "from briefgen.batch.cache import Cache; from briefgen.project.config import load_project; "
        "p = load_project(Path(sys.argv[1])); c = Content(p, Cache(Path('x')), []); "
        "print(c.key, sorted((str(k), c.digest(k)) for k in [Pair('relief', 'exec'), Pair('relief', 'field')]))"
    )
    outputs = set()
    for seed in ("1", "2"):
        root = tmp_path / f"copy{seed}" / "sample"
        shutil.copytree(REPO / "tests" / "projects" / "sample", root, ignore=shutil.ignore_patterns("build"))
        run = subprocess.run(
            [sys.executable, "-c", script, str(root)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
            text=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
