"""The up-to-date stamp: a build with nothing to do answers from it, and every change takes the full path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import briefgen.batch.build as batch_build
from briefgen.batch.stamp import STAMP_FILE
from tests.batch.test_cache import outcome

DOCX = ("--format", "docx")  # Word files only: the stamp does not depend on the renderer
BOTH = {"relief/exec.docx", "relief/field.docx"}
STAMP = Path(".briefgen-cache") / STAMP_FILE


class Spy:
    """Counts the builds that took the full path (planned), as opposed to the stamp's answer."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = batch_build.build

        def build(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(batch_build, "build", build)

    def run(
        self, cli: Callable[..., Result], root: Path, *args: str
    ) -> tuple[bool, dict[str, set[str]], str]:
        """Build; return whether the full path ran, each status's paths, and the summary text."""
        before = self.calls
        result = cli(root, "build", *DOCX, *args)
        assert result.exit_code == 0, result.output
        summary = "\n".join(
            line for line in result.output.splitlines() if " in " not in line and "total" not in line
        )
        return self.calls > before, outcome(result), summary


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(monkeypatch)


def test_an_unchanged_project_is_answered_from_the_stamp_as_the_full_path_would(
    sample: Path, cli: Callable[..., Result], spy: Spy
) -> None:
    planned, found, _ = spy.run(cli, sample)
    assert planned and found["built"] == BOTH and (sample / STAMP).is_file()
    stamp = (sample / STAMP).read_bytes()
    # The full path's no-op (the stamp is set aside for one build), then the stamp's answer.
    (sample / STAMP).rename(sample / "kept")
    planned, full, full_text = spy.run(cli, sample)
    assert planned and full["cached"] == BOTH and not (sample / STAMP).exists()  # a no-op writes nothing
    (sample / "kept").rename(sample / STAMP)
    planned, replayed, replayed_text = spy.run(cli, sample)
    assert not planned and replayed == full and replayed_text == full_text
    assert "warning" not in replayed_text and (sample / STAMP).read_bytes() == stamp  # and writes nothing


def test_the_stamp_answers_without_loading_the_schema_the_content_or_the_plan(
    sample: Path, cli: Callable[..., Result]
) -> None:
    assert cli(sample, "build", *DOCX).exit_code == 0
    code = (
        "import sys\n"
        "from briefgen.cli.main import main\n"
        "try:\n"
        "    main.main(sys.argv[1:], standalone_mode=False)\n"
        "except SystemExit as exc:\n"
        "    print(exc.code)\n"
        "heavy = ('pydantic', 'yaml', 'briefgen.project.config', 'briefgen.batch.build', 'docx', 'weasyprint')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "-C", str(sample), "build", *DOCX, "-q"],
        capture_output=True,
        text=True,
        cwd=sample,
        check=True,
    )
    assert done.stdout.splitlines() == ["0", "[]"], done.stdout + done.stderr


CHANGES: dict[str, Callable[[Path], object]] = {
    "a comment in a content file": lambda root: (root / "content" / "orgs.yaml").write_text(
        (root / "content" / "orgs.yaml").read_text() + "\n# reviewed\n"
    ),
    "a new file in the content folder": lambda root: (root / "content" / "notes.txt").write_text("draft\n"),
    "a template folder created": lambda root: (root / "templates").mkdir(),
    "a comment in briefgen.yaml": lambda root: (root / "briefgen.yaml").write_text(
        (root / "briefgen.yaml").read_text() + "# reviewed\n"
    ),
    "the manifest edited": lambda root: (root / "build" / "manifest.json").write_text("{}\n"),
    "SOURCE_DATE_EPOCH set": lambda root: os.environ.__setitem__("SOURCE_DATE_EPOCH", "1700000000"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_to_what_decides_freshness_takes_the_full_path_once(
    change: str, sample: Path, cli: Callable[..., Result], spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    spy.run(cli, sample)
    CHANGES[change](sample)
    planned, _, _ = spy.run(cli, sample)
    assert planned, f"{change}: answered from a stale stamp"
    # That build replaced the stale stamp (even where it rendered nothing): the next one is answered.
    planned, found, _ = spy.run(cli, sample)
    assert not planned and found["cached"] == BOTH


@pytest.mark.parametrize("how", ["deleted", "edited"])
def test_an_output_deleted_or_edited_by_hand_is_rebuilt(
    how: str, sample: Path, cli: Callable[..., Result], spy: Spy
) -> None:
    spy.run(cli, sample)
    output = sample / "build" / "relief" / "exec.docx"
    if how == "deleted":
        output.unlink()
    else:
        output.write_bytes(output.read_bytes() + b"edited")
    planned, found, _ = spy.run(cli, sample)
    assert planned and found["built"] == {"relief/exec.docx"} and found["cached"] == {"relief/field.docx"}


def test_another_selection_or_force_takes_the_full_path(
    sample: Path, cli: Callable[..., Result], spy: Spy
) -> None:
    spy.run(cli, sample)
    assert spy.run(cli, sample, "--audience", "exec")[0]
    assert spy.run(cli, sample, "--force")[0]
    assert not spy.run(cli, sample)[0]  # --force rebuilt everything: its stamp serves the plain build


def test_a_build_with_work_removes_the_stamp_before_rendering_and_a_failure_writes_none(
    sample: Path, cli: Callable[..., Result], spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy.run(cli, sample)
    seen: list[bool] = []
    render = batch_build._render

    def failing(*args: object, **kwargs: object) -> None:
        seen.append((sample / STAMP).exists())
        raise RuntimeError("interrupted")

    monkeypatch.setattr(batch_build, "_render", failing)
    with pytest.raises(RuntimeError):
        cli(sample, "build", *DOCX, "--force")
    assert seen == [False] and not (sample / STAMP).exists()
    monkeypatch.setattr(batch_build, "_render", render)
    assert spy.run(cli, sample)[0]


@pytest.mark.parametrize(
    "tamper",
    [
        "not json",
        "outside",
        "wrong type",
    ],
)
def test_a_damaged_or_planted_stamp_is_ignored(
    tamper: str, sample: Path, cli: Callable[..., Result], spy: Spy
) -> None:
    spy.run(cli, sample)
    path = sample / STAMP
    data = json.loads(path.read_text())
    if tamper == "not json":
        path.write_text("{")
    elif tamper == "outside":
        # Pointing the content folder at one outside the project: never read, the full path runs.
        data["folders"]["content"] = "../elsewhere"
        path.write_text(json.dumps(data))
    else:
        data["targets"][0]["entry"]["size"] = "big"
        path.write_text(json.dumps(data))
    planned, found, _ = spy.run(cli, sample)
    assert planned and found["cached"] == BOTH
