"""What counts as a change, for `serve` and `build --watch` alike, and the status line of a rebuild."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from watchfiles import Change

from briefgen.batch.plan import Target
from briefgen.batch.report import BuildReport, Result
from briefgen.commands.serve import Preview
from briefgen.commands.watch import status_line, watch_filter, watch_paths
from briefgen.project.searchpath import builtin_dir


def test_inputs_count_and_outputs_cache_logs_and_droppings_do_not(sample: Path) -> None:
    (sample / "briefgen.yaml").write_text(
        (sample / "briefgen.yaml").read_text() + "output: out\nbuild:\n  cache: cachedir\n"
    )
    accept = watch_filter(sample)
    root = sample.resolve()
    for changed in (
        "content/topics/relief.yaml",
        "content/new/deep.yaml",
        "templates/briefing.css",
        "briefgen.yaml",
    ):
        assert accept(Change.modified, str(root / changed)), changed
    for ignored in (
        "out/relief/exec.pdf",
        "cachedir/cache.json",
        "build.log",  # a log redirected into the project must not trigger a rebuild loop
        "schemas/topic.schema.json",
        ".git/index",
        "content/.hidden/x.yaml",
        "content/topics/.relief.yaml.swp",
        "content/topics/relief.yaml~",
        "templates/__pycache__/x.pyc",
    ):
        assert not accept(Change.modified, str(root / ignored)), ignored
    builtin = builtin_dir().resolve()
    assert accept(Change.modified, str(builtin / "briefing.html"))
    assert builtin in watch_paths(sample) or builtin.is_relative_to(root)


def test_serve_uses_the_same_rules(sample: Path) -> None:
    preview = Preview(sample)
    assert preview.watch_paths() == watch_paths(sample)
    accept = preview.watch_filter()
    assert accept(Change.modified, str(sample.resolve() / "content" / "topics" / "relief.yaml"))
    assert not accept(Change.modified, str(sample.resolve() / "build" / "relief" / "exec.pdf"))


def test_a_broken_config_still_ignores_the_default_outputs(sample: Path) -> None:
    (sample / "briefgen.yaml").write_text("title: [broken\n")
    accept = watch_filter(sample)
    assert accept(Change.modified, str(sample.resolve() / "briefgen.yaml"))
    assert not accept(Change.added, str(sample.resolve() / "build" / "x.pdf"))


def test_status_line_says_when_what_and_why(sample: Path) -> None:
    now = dt.datetime(2026, 1, 15, 9, 30, 5)
    target = Target("relief", "exec", "pdf")
    report = BuildReport([Result(target, "built"), Result(target, "cached"), Result(target, "cached")], seconds=1.25)
    root = sample.resolve()
    assert status_line(sample, set(), report, now=now) == "09:30:05 1 built, 2 cached, 0 failed in 1.2s"
    changed = {str(root / "content" / f"{n}.yaml") for n in "abcd"}
    assert status_line(sample, changed, report, now=now).endswith(
        "after content/a.yaml, content/b.yaml, content/c.yaml and 1 more changed"
    )
    assert status_line(sample, {str(root / "briefgen.yaml")}, None, 3, now=now) == (
        "09:30:05 not built: 3 problem(s) after briefgen.yaml changed; fix them and save"
    )
