"""Edges of the command line and its environment: empty and out-of-range options, a stdout that is
closed or gone, running from a subfolder or outside any project, and --clean that cannot finish."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli.main import main
from tests.hostile.test_failure import permissions_apply, read_only

HTML = {"relief/exec.html", "relief/field.html"}


def run(
    cwd: Path, *args: str, stdout: int | None = subprocess.PIPE, **options: object
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m briefgen ARGS`` in ``cwd`` (no -C), with plain output."""
    env = {**os.environ, "CI": "true"}
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
        check=False,
        **options,  # type: ignore[arg-type]
    )


def outputs(root: Path) -> set[str]:
    build = root / "build"
    return {p.relative_to(build).as_posix() for p in build.rglob("*.html")} if build.is_dir() else set()


@pytest.mark.parametrize("option", ["--format", "--topic", "--audience"])
def test_an_empty_name_option_is_an_error_naming_it(
    sample: Path, cli: Callable[..., Result], option: str
) -> None:
    result = cli(sample, "build", option, "", "--clean")
    assert result.exit_code == 2
    assert f"{option} was given an empty value" in result.output
    assert not (sample / "build").exists()  # nothing built, nothing cleaned


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--timeout", "100000"), "--timeout: Input should be less than or equal to"),
        (("--memory", "99999999"), "--memory: Input should be less than or equal to"),
        (("--output", "/tmp/elsewhere"), "--output: '/tmp/elsewhere' lies outside the project"),
        (("--theme", "Not An Id"), "--theme: 'Not An Id' is not a valid id"),
        (("--theme", "nope"), "--theme: unknown theme 'nope'; available: default, field"),
    ],
)
def test_a_bad_option_value_is_blamed_on_the_option(
    sample: Path, cli: Callable[..., Result], args: tuple[str, ...], message: str
) -> None:
    result = cli(sample, "build", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "briefgen.yaml" not in result.output  # the file says nothing of it
    assert "YAML reads" not in result.output


def test_a_closed_pipe_finishes_the_build_without_a_traceback(sample: Path) -> None:
    # `briefgen build | head -1`: the reader goes away after the first line.
    reader = subprocess.Popen(["head", "-1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    done = run(sample, "build", "--format", "html", stdout=reader.stdin)
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait(timeout=30)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 0
    assert outputs(sample) == HTML  # the batch did not stop at the first failed write


@pytest.mark.parametrize("where", ["closed", "full"])
def test_a_closed_or_full_stdout_finishes_the_build(sample: Path, where: str) -> None:
    if where == "full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    if where == "closed":
        done = run(sample, "build", "--format", "html", stdout=None, preexec_fn=lambda: os.close(1))
    else:
        with open("/dev/full", "w") as full:
            done = run(sample, "build", "--format", "html", stdout=full.fileno())
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0
    assert outputs(sample) == HTML
    for name in HTML:  # nothing meant for the terminal landed in an output
        assert (sample / "build" / name).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_run_from_a_subfolder_finds_the_project(sample: Path) -> None:
    inner = sample / "content" / "topics"
    done = run(inner, "build", "--format", "html")
    assert done.returncode == 0, done.stderr
    assert outputs(sample) == HTML
    assert not (inner / "build").exists() and not (inner / ".briefgen-cache").exists()
    assert "relief" in run(inner, "list").stdout


def test_outside_any_project_nothing_is_created(tmp_path: Path, sample: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run(empty, "build")
    assert done.returncode == 2
    assert "not a briefgen project" in done.stderr and "briefgen init" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(empty.iterdir()) == []
    # -C still names the project, from anywhere.
    result = CliRunner().invoke(main, ["-C", str(empty), "build"])
    assert result.exit_code == 2 and f"{str(empty)!r} is not a briefgen project" in result.output
    assert list(empty.iterdir()) == []
    assert run(empty, "-C", str(sample), "list").returncode == 0


def test_clean_removes_nothing_when_the_outputs_cannot_all_be_removed(
    sample: Path, cli: Callable[..., Result]
) -> None:
    assert cli(sample, "build", "--format", "html").exit_code == 0
    cache = sample / ".briefgen-cache"
    assert cache.is_dir()
    before = sorted(p.relative_to(sample) for p in (sample / "build").rglob("*")) + sorted(cache.rglob("*"))
    options = permissions_apply()
    with read_only(sample / "build" / "relief"):
        done = run(sample, "build", "--clean", "--format", "html", **options)
    assert done.returncode == 2, done.stderr
    assert (
        "--clean: cannot remove build/relief: build/relief is not writable; nothing was removed"
        in done.stderr
    )
    after = sorted(p.relative_to(sample) for p in (sample / "build").rglob("*")) + sorted(cache.rglob("*"))
    assert after == before  # the cache too is still there
    assert cli(sample, "build", "--clean", "--format", "html").exit_code == 0
