"""Plan the matrix, skip what is fresh, render the rest in worker processes, record it all.

The parent reads and checks everything first (content, config, theme), then hands each
stale target to a worker (workers.py) and owns everything else: the cache, the manifest
and the report. When no content file changed since the last build, the content is not
even parsed: its hash selects the snapshot the cache kept of it.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cache import (
    ENVIRONMENT,
    Cache,
    Entry,
    Snapshot,
    briefing_digest,
    content_key,
    format_digest,
    target_inputs,
)
from briefgen.config import Project
from briefgen.errors import ConfigError
from briefgen.loader import content_files, load_library
from briefgen.manifest import MANIFEST_NAME, write_manifest
from briefgen.model import Library
from briefgen.output import remove_stale_temps, safe_output_dir
from briefgen.plan import Shard, Target, plan_targets, shard_targets
from briefgen.report import BuildReport, Progress, Result
from briefgen.templating import TemplateDirs
from briefgen.themes import Theme, load_theme

if TYPE_CHECKING:
    from briefgen.briefing import Briefing
    from briefgen.renderers import RenderContext

__all__ = ["BuildReport", "Result", "Target", "build", "clean", "plan", "render_context"]

log = logging.getLogger(__name__)


def plan(
    project: Project,
    library: Library,
    topics: list[str] | None = None,
    audiences: list[str] | None = None,
    formats: list[str] | None = None,
) -> list[Target]:
    """Return the targets to build from a loaded library, in a stable order."""
    return plan_targets(project, list(library.topics), list(library.audiences), topics, audiences, formats)


def render_context(project: Project, theme_name: str | None = None) -> RenderContext:
    """Return the template search path and loaded theme for ``project``."""
    from briefgen.renderers import RenderContext  # the registry pulls in the Briefing model

    dirs = TemplateDirs.for_project(project.templates_dir)
    return RenderContext(dirs=dirs, theme=load_theme(theme_name or project.config.theme, dirs))


def jobs_for(project: Project) -> int:
    """Return the number of worker processes: the configured number, or one per usable core."""
    jobs = project.config.build.jobs
    if jobs != "auto":
        return jobs
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class _Content:
    """The project's content, loaded and assembled only when the cache cannot answer."""

    def __init__(self, project: Project, cache: Cache) -> None:
        self.project = project
        self.key = content_key(project, content_files(project.content_dir))
        self._library: Library | None = None
        self.briefings: dict[str, Briefing] = {}
        snapshot = cache.snapshot
        if snapshot is None or snapshot.key != self.key:
            library = self.library()
            snapshot = Snapshot(self.key, sorted(library.topics), sorted(library.audiences))
        self.snapshot = snapshot

    def library(self) -> Library:
        """Read, validate and cross-check every content file (once)."""
        if self._library is None:
            self._library, _docs = load_library(self.project.content_dir, self.project.root)
        return self._library

    def briefing(self, pair: str) -> Briefing:
        """Return the assembled Briefing of 'topic/audience' (once)."""
        if pair not in self.briefings:
            topic, audience = pair.split("/")
            config = self.project.config
            from briefgen.assemble import assemble

            self.briefings[pair] = assemble(
                self.library(), topic, audience, author=config.author, default_date=config.date
            )
            self.snapshot.briefings[pair] = briefing_digest(self.briefings[pair])
        return self.briefings[pair]

    def digest(self, pair: str) -> str:
        """Return the hash of the Briefing of 'topic/audience', assembling it only if unknown."""
        if pair not in self.snapshot.briefings:
            self.briefing(pair)
        return self.snapshot.briefings[pair]


def build(
    project: Project,
    *,
    topics: list[str] | None = None,
    audiences: list[str] | None = None,
    formats: list[str] | None = None,
    theme: str | None = None,
    force: bool = False,
    shard: Shard | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build every planned target that is not fresh; never stop at one failure."""
    start = time.perf_counter()
    out_dir = safe_output_dir(project.root, project.output_dir)
    remove_stale_temps(out_dir)
    _refuse_shared(project, project.cache_dir, "build.cache")
    cache = Cache.load(project.cache_dir)
    content = _Content(project, cache)
    snap = content.snapshot
    targets = shard_targets(
        plan_targets(project, snap.topics, snap.audiences, topics, audiences, formats), shard
    )
    dirs = TemplateDirs.for_project(project.templates_dir)
    look = load_theme(theme or project.config.theme, dirs)
    setups = {f: format_digest(project, dirs.dirs, look, f) for f in {t.format for t in targets}}
    results, stale = _sort_out(project, cache, content, targets, setups, force)
    # Read everything, then write: every briefing is assembled before any worker starts.
    briefings = {t: content.briefing(t.pair) for t in stale}
    if progress:
        progress.start(len(targets))
        for target in targets:
            if target in results:
                progress.advance(results[target])

    def record(result: Result) -> None:
        briefing, setup = content.digest(result.target.pair), setups[result.target.format]
        result.inputs = target_inputs(briefing, setup)
        results[result.target] = result
        log.info("%s %s (%.2fs)", result.status, result.path, result.seconds)
        if result.status == "built":
            cache.entries[_key(project, out_dir / result.path)] = _entry(result, briefing, setup)
        if progress:
            progress.advance(result)

    try:
        if briefings:
            _render(project, dirs, look, briefings, record)
    finally:
        # Whatever finished is recorded, even if the build is interrupted.
        cache.snapshot = content.snapshot
        cache.save()
        if progress:
            progress.close()
    remove_stale_temps(out_dir)  # a killed worker may have left one behind
    report = BuildReport([results[t] for t in targets])
    write_manifest(out_dir / MANIFEST_NAME, report.results)
    report.seconds = time.perf_counter() - start
    return report


def _sort_out(
    project: Project,
    cache: Cache,
    content: _Content,
    targets: list[Target],
    setups: dict[str, str],
    force: bool,
) -> tuple[dict[Target, Result], list[Target]]:
    """Return the results of the fresh targets, and the stale ones, longest first."""
    results: dict[Target, Result] = {}
    stale: list[Target] = []
    for target in targets:
        key = _key(project, project.output_dir / target.relpath())
        entry, why = cache.check(key, content.digest(target.pair), setups[target.format], project.root / key)
        if entry is None or force:
            log.info("building %s: %s", target.relpath(), "--force" if force else why)
            stale.append(target)
        else:
            results[target] = _cached(target, entry)
    # Longest first (by the last build's times), so no long target starts last and runs alone.
    stale.sort(key=lambda t: -_expected_seconds(cache, _key(project, project.output_dir / t.relpath()), t))
    return results, stale


def _render(
    project: Project,
    dirs: TemplateDirs,
    look: Theme,
    briefings: dict[Target, Briefing],
    record: Callable[[Result], None],
) -> None:
    """Render the stale targets in worker processes under the configured limits."""
    # Only a build with work to do pays for these imports.
    from briefgen.renderers import RenderContext
    from briefgen.workers import Task, run_tasks

    ctx = RenderContext(dirs, look)
    out_dir = project.output_dir
    environ = tuple((name, os.environ.get(name)) for names in ENVIRONMENT.values() for name in names)
    tasks = [Task(t, b, ctx, out_dir / t.relpath(), t.relpath(), environ) for t, b in briefings.items()]
    options = project.config.build
    run_tasks(
        tasks,
        jobs=jobs_for(project),
        timeout=options.timeout,
        memory_mib=options.memory_mib,
        on_result=record,
    )


def _key(project: Project, output: Path) -> str:
    """Return the cache key of an output: its path inside the project."""
    return output.relative_to(project.root).as_posix()


def _expected_seconds(cache: Cache, key: str, target: Target) -> float:
    """Return how long ``target`` took last time, or a guess by format."""
    entry = cache.entries.get(key)
    if entry is not None:
        return entry.seconds
    return 1.0 if target.format == "pdf" else 0.2


def _cached(target: Target, entry: Entry) -> Result:
    return Result(
        target,
        "cached",
        target.relpath(),
        entry.size,
        entry.pages,
        entry.seconds,
        body_pages=entry.body_pages,
        warnings=list(entry.warnings),
        sha256=entry.sha256,
        inputs=entry.inputs,
    )


def _entry(result: Result, briefing: str, setup: str) -> Entry:
    return Entry(
        inputs=result.inputs,
        briefing=briefing,
        setup=setup,
        sha256=result.sha256,
        size=result.size,
        pages=result.pages,
        body_pages=result.body_pages,
        seconds=round(result.seconds, 3),
        warnings=list(result.warnings),
    )


def clean(project: Project) -> None:
    """Remove every output and the build cache (the output folder's top-level dot-files stay)."""
    for folder, what in ((project.output_dir, "output"), (project.cache_dir, "build.cache")):
        _refuse_shared(project, folder, what)
    cache = project.cache_dir
    if cache.is_symlink():
        cache.unlink()
    elif cache.is_dir():
        shutil.rmtree(cache)
    out = safe_output_dir(project.root, project.output_dir)
    for child in out.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        elif not child.name.startswith("."):
            child.unlink()


def _refuse_shared(project: Project, folder: Path, what: str) -> None:
    """Refuse to write into or clean a folder that holds the project's own files."""
    resolved = folder.resolve()
    precious = [project.root, project.content_dir, project.templates_dir]
    if project.config_path:
        precious.append(project.config_path)
    if any(p.resolve().is_relative_to(resolved) for p in precious):
        raise ConfigError(
            f"{what}: {folder.relative_to(project.root).as_posix() or '.'!r} holds the project's own "
            "files; point it at a folder of its own"
        )


def known_formats() -> list[str]:
    """Return every registered format name."""
    from briefgen.renderers import REGISTRY

    return list(REGISTRY)
