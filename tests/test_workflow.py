"""The GitHub Actions workflow: linted by actionlint, and the shard count set in one place only."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "briefings.yml"


def tool(name: str) -> str:
    """Return the path of ``name`` (the venv's bin first); required under CI=true, else skip."""
    found = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is required under CI=true (pip install -e '.[test]')")
        pytest.skip(f"{name} is not installed")
    return found


def test_actionlint_passes() -> None:
    # actionlint runs shellcheck on every run: script when it is on PATH (.ci/run installs it).
    done = subprocess.run(
        [tool("actionlint"), "-no-color", str(WORKFLOW)], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("${{ matrix.shard }}/", "${{ matrix.shrad }}/", 1))
    done = subprocess.run([tool("actionlint"), "-no-color", str(broken)], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "shrad" in done.stdout


def test_the_shard_count_is_set_only_by_the_matrix() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    build = workflow["jobs"]["build"]
    shards = build["strategy"]["matrix"]["shard"]
    assert sorted(shards) == list(range(1, len(shards) + 1))
    # Everything else reads the count from the matrix; no step, name or comment repeats it.
    text = WORKFLOW.read_text()
    outside_matrix = text.replace(f"shard: {shards}".replace("'", ""), "")
    assert not re.search(rf"/\s*{len(shards)}\b|\bof {len(shards)}\b", outside_matrix)
    assert "${{ strategy.job-total }}" in build["name"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert any("--shard ${{ matrix.shard }}/${{ strategy.job-total }}" in run for run in runs)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"\b(\d+|two|three|four|five|six|eight) shards\b", readme)


def test_ci_validates_before_it_builds() -> None:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    validate = next(i for i, run in enumerate(runs) if run.startswith("briefgen validate"))
    build = next(i for i, run in enumerate(runs) if run.startswith("briefgen build"))
    assert validate < build


def test_ci_script_runs_actionlint_and_installs_shellcheck() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "actionlint .github/workflows/" in script and "shellcheck" in script
