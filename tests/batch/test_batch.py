"""Batch builds: failures and hangs stay contained, shards split the plan, manifests merge."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from briefgen.batch.manifest import MANIFEST_VERSION, ManifestError, merge_manifests
from briefgen.batch.plan import Shard, Target, parse_shard, shard_targets
from briefgen.batch.report import BarProgress, BuildReport, LineProgress, choose_progress
from briefgen.batch.report import Result as TargetResult
from briefgen.formats import DEFAULT_FORMATS
from tests.batch.test_cache import ALL, outcome
from tests.conftest import REPO

# A template that breaks one audience's PDF and makes the other's long enough (1.6 million
# characters in one paragraph, just inside the renderer's own guards) that WeasyPrint would
# lay it out for 20-40 s: the first fails at once, the second by the 8 s time limit (room
# for a worker's first Word file, which subsets the theme's fonts, on a loaded machine).
# Word output does not use it.
HOSTILE = """{% extends "!briefing.html" %}
{% block body %}{% if briefing.audience_id == "exec" %}{{ missing_var }}{% else %}
<p>{% for chunk in "ab" %}{{ "word " * 160000 }}{% endfor %}</p>
{% endif %}{{ super() }}{% endblock %}
"""


def configure(root: Path, settings: str) -> None:
    config = root / "briefgen.yaml"
    config.write_text(config.read_text() + settings)


def test_failing_and_hanging_targets_leave_the_rest_built(sample: Path, cli: Callable[..., Result]) -> None:
    configure(sample, "build:\n  timeout: 8\n")
    # Without a page budget no Word file waits on its PDF's layout for a cut.
    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(audiences.read_text().replace("    page_budget: 2\n", ""))
    (sample / "templates").mkdir()
    (sample / "templates" / "briefing.html").write_text(HOSTILE)
    result = cli(sample, "build", "-j", "2")
    assert result.exit_code == 1
    assert outcome(result) == {
        "built": {"relief/exec.docx", "relief/field.docx"},
        "cached": set(),
        "FAILED": {"relief/exec.pdf", "relief/field.pdf"},
    }
    assert "relief/field.pdf: time limit exceeded: still rendering after 8s" in result.output
    assert "templates/briefing.html:2: undefined variable: 'missing_var' is undefined" in result.output
    assert "2 built, 2 failed, 0 cached" in result.output
    out = sample / "build" / "relief"
    assert sorted(p.name for p in out.iterdir()) == ["exec.docx", "field.docx"]  # no temp files
    manifest = json.loads((sample / "build" / "manifest.json").read_text())
    assert [o["path"] for o in manifest["outputs"]] == ["relief/exec.docx", "relief/field.docx"]

    # Fixed: only the failed targets are built; the good ones were recorded as they finished.
    (sample / "templates" / "briefing.html").write_text('{% extends "!briefing.html" %}\n')
    result = cli(sample, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    assert outcome(result)["built"] == {"relief/exec.pdf", "relief/field.pdf"}


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads the peak address space from /proc")
def test_workers_over_the_memory_limit_fail_their_targets(sample: Path, cli: Callable[..., Result]) -> None:
    # 64 MiB is less than a worker with WeasyPrint loaded already holds: laying out fails.
    configure(sample, "build:\n  memory_mib: 64\n")
    result = cli(sample, "build", "--format", "pdf")
    assert result.exit_code == 1
    pdfs = {"relief/exec.pdf", "relief/field.pdf"}
    assert outcome(result)["FAILED"] == pdfs
    # Each says so: as a MemoryError, a worker that died, or a library's own error at the limit.
    failures = result.output.split("FAILED  ")[-2:]
    assert sorted(f.split(":")[0] for f in failures) == sorted(pdfs)
    for failure in failures:
        assert "out of memory" in failure or "reached its memory limit of 64 MiB" in failure, failure
    assert not (sample / "build" / "relief").exists()
    result = cli(sample, "build", "--format", "pdf", "--memory", "2048")
    assert result.exit_code == 0 and outcome(result)["built"] == pdfs


def test_shards_are_disjoint_and_cover_the_matrix() -> None:
    targets = [Target(t, a, f) for t in "abcdefg" for a in ("x", "y", "z") for f in DEFAULT_FORMATS]
    for count in range(1, 9):
        parts = [shard_targets(targets, Shard(k, count)) for k in range(1, count + 1)]
        flat = [t for part in parts for t in part]
        assert sorted(flat, key=str) == sorted(targets, key=str)  # covered, none twice
        sizes = sorted(len({t.pair for t in part}) for part in parts)
        assert sizes[-1] - sizes[0] <= 1  # balanced by briefing
        for part in parts:  # both formats of a briefing on the same runner
            assert {(t.pair, f) for t in part for f in DEFAULT_FORMATS} == {(t.pair, t.format) for t in part}
    assert shard_targets(targets, Shard(2, 3)) == shard_targets(list(reversed(targets)), Shard(2, 3))[::-1]


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0", "-1/2"])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(Exception, match="--shard"):
        parse_shard(text)


def test_sharded_builds_merge_into_the_whole(
    sample: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    manifests = []
    for k in (1, 2):
        result = cli(sample, "build", "--shard", f"{k}/2", "--clean")
        assert result.exit_code == 0, result.output
        shard_dir = tmp_path / f"shard-{k}"
        (sample / "build").rename(shard_dir)
        manifests.append(shard_dir / "manifest.json")
    parts = [{o["path"] for o in json.loads(m.read_text())["outputs"]} for m in manifests]
    assert parts[0].isdisjoint(parts[1]) and parts[0] | parts[1] == ALL
    merged = tmp_path / "merged.json"
    result = cli(sample, "manifest", "merge", *map(str, manifests), "-o", str(merged), "--verify")
    assert result.exit_code == 0, result.output
    assert "merged 2 manifests: 4 outputs" in result.output
    assert [o["path"] for o in json.loads(merged.read_text())["outputs"]] == sorted(ALL)
    result = cli(sample, "build", "--shard", "3/2")
    assert result.exit_code == 2 and "K must be between 1 and N" in result.output


def manifest(
    tmp_path: Path, name: str, outputs: list[dict[str, Any]], generator: str = "briefgen 0.1.0"
) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"version": MANIFEST_VERSION, "generator": generator, "outputs": outputs}))
    return path


def record(path: str, sha: str) -> dict[str, Any]:
    topic, rest = path.split("/")
    audience, fmt = rest.split(".")
    return {
        "path": path,
        "topic": topic,
        "audience": audience,
        "format": fmt,
        "inputs": "i" * 64,
        "sha256": sha,
        "size": 10,
        "pages": None,
        "seconds": 0.5,
    }


def test_merge_refuses_contradictions(tmp_path: Path) -> None:
    a = manifest(tmp_path, "a.json", [record("t/x.pdf", "1" * 64), record("t/y.pdf", "2" * 64)])
    same = manifest(tmp_path, "same.json", [record("t/x.pdf", "1" * 64)])
    merged = merge_manifests([a, same])
    assert [o["path"] for o in merged["outputs"]] == ["t/x.pdf", "t/y.pdf"]
    other = manifest(tmp_path, "other.json", [record("t/x.pdf", "3" * 64)])
    with pytest.raises(ManifestError, match=r"t/x.pdf: .* list different files"):
        merge_manifests([a, other])
    newer = manifest(tmp_path, "newer.json", [record("t/z.pdf", "4" * 64)], "briefgen 9.9")
    with pytest.raises(ManifestError, match="different briefgen versions"):
        merge_manifests([a, newer])
    escape = manifest(tmp_path, "escape.json", [record("t/x.pdf", "1" * 64) | {"path": "../x.pdf"}])
    with pytest.raises(ManifestError, match="leaves the output folder"):
        merge_manifests([escape])
    with pytest.raises(ManifestError, match="missing"):
        merge_manifests([a], verify=True)
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(ManifestError, match="cannot read manifest"):
        merge_manifests([tmp_path / "broken.json"])
    # A build still running (or killed) lists only part of its outputs: not a shard to merge.
    partial = manifest(tmp_path, "partial.json", [record("t/x.pdf", "1" * 64)])
    partial.write_text(json.dumps(json.loads(partial.read_text()) | {"complete": False}))
    with pytest.raises(ManifestError, match="did not finish"):
        merge_manifests([a, partial])


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def results() -> list[TargetResult]:
    return [
        TargetResult(Target("t", "a", "pdf"), "built", "t/a.pdf", 2048, 3, 1.5),
        TargetResult(Target("t", "a", "docx"), "cached", "t/a.docx", 1024),
        TargetResult(Target("t", "b", "pdf"), "failed", "t/b.pdf", seconds=2.0, error="boom\nmore"),
    ]


def test_progress_bar_on_a_terminal_and_lines_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    terminal = Terminal()
    bar = choose_progress(terminal, jobs=2)
    assert isinstance(bar, BarProgress)
    bar.start(4)
    for r in results():
        bar.advance(r)
    assert (
        "[##############################----------] 3/4  cached 1  failed 1  ETA 00:00" in terminal.getvalue()
    )
    assert "FAILED  t/b.pdf: boom\n" in terminal.getvalue()
    monkeypatch.setenv("CI", "true")
    assert isinstance(choose_progress(terminal, jobs=2), LineProgress)
    plain = io.StringIO()
    lines = choose_progress(plain, jobs=2)
    for r in results():
        lines.advance(r)
    assert plain.getvalue().splitlines() == [
        "built   t/a.pdf (2 KiB, 3 pages, 1.50s)",
        "cached  t/a.docx",
        "FAILED  t/b.pdf: boom",
    ]


def test_summary_table_counts_and_times() -> None:
    from briefgen.batch.report import summary_lines

    lines = summary_lines(BuildReport(results(), seconds=4.25))
    assert lines[:3] == ["FAILED  t/b.pdf:", "    boom", "    more"]
    assert "built          1       1.5" in lines
    assert "cached         1" in lines and "failed         1       2.0" in lines
    assert lines[-1] == "1 built, 1 failed, 1 cached in 4.2s"


def test_workflow_builds_in_shards_and_merges() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "briefings.yml").read_text())
    assert True in workflow or "on" in workflow  # YAML 1.1 reads the key 'on' as true
    jobs = workflow["jobs"]
    shards = jobs["build"]["strategy"]["matrix"]["shard"]
    runs = "\n".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "--shard ${{ matrix.shard }}/${{ strategy.job-total }}" in runs  # tests/test_workflow.py
    assert sorted(shards) == list(range(1, len(shards) + 1))
    assert "libpango-1.0-0" in runs
    uploads = [
        s for s in jobs["build"]["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact")
    ]
    assert uploads and "matrix.shard" in uploads[0]["with"]["name"]
    merge = jobs["merge"]
    assert merge["needs"] == "build"
    merge_runs = "\n".join(step.get("run", "") for step in merge["steps"])
    assert "briefgen manifest merge" in merge_runs and "--verify" in merge_runs
    assert any(str(s.get("uses", "")).startswith("actions/download-artifact") for s in merge["steps"])
