"""Plan the matrix, skip what is fresh, render the rest in worker processes, record it all.

The parent reads and checks everything first (content, config, theme), then hands each
stale target to a worker (workers.py) and owns everything else: the cache, the manifest
and the report. When no content file changed since the last build, the content is not
even parsed: its hash selects the snapshot the cache kept of it, once checked against
the content files (snapshot.py).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.batch import stamp as stamps
from briefgen.batch.cache import CACHE_FIX, Cache, Entry, Saver
from briefgen.batch.early import Early
from briefgen.batch.finish import finish_outputs, finishing_formats
from briefgen.batch.inputs import Setups, target_inputs
from briefgen.batch.manifest import MANIFEST_NAME, publish_manifest
from briefgen.batch.output import safe_output_dir
from briefgen.batch.plan import Pair, Shard, Target, layout_partners, plan_targets, shard_targets
from briefgen.batch.report import BuildReport, Progress, Result
from briefgen.batch.snapshot import Content, SnapshotMismatch
from briefgen.content.ids import ID_PATTERN
from briefgen.errors import ConfigError, OutputError
from briefgen.files import is_device_name, removal_blocker, remove_stale_temps, where
from briefgen.formats import FORMATS
from briefgen.project.config import Project
from briefgen.render.registry import RenderContext

if TYPE_CHECKING:
    from briefgen.assemble.briefing import Briefing
    from briefgen.batch.workers import Pool
    from briefgen.content.model import Library

__all__ = ["BuildReport", "Result", "Target", "build", "clean", "plan"]

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


def jobs_for(project: Project) -> int:
    """Return the number of worker processes: the configured number, or one per usable core."""
    jobs = project.config.build.jobs
    if jobs != "auto":
        return jobs
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


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
    selection: dict[str, Any] | None = None,
    head: Pool | None = None,
) -> BuildReport:
    """Build every planned target that is not fresh; never stop at one failure.

    With ``selection`` (the command's choices, stamp.selection) the build hashes its
    inputs first and, ending with every target in place, leaves the up-to-date stamp that
    lets the next such build answer without planning (stamp.py). ``head`` is a worker the
    command started before reading the project (early.head_start); the build takes it or
    stops it.
    """
    start = time.perf_counter()
    stamp = stamps.begin_build(project, selection)
    out_dir, cache = _prepare(project)
    saver = Saver(cache)
    content = Content(project, cache, saver.warnings)
    ctx = RenderContext.for_project(project, theme)
    picked = (topics, audiences, formats)
    # Workers start once the stale targets are known, before assembling.
    early = Early(jobs_for(project), project.config.build.memory_mib, _worker_folders(project), head)
    try:
        try:
            work = _plan_work(project, cache, content, ctx, picked, shard, force, early)
        except SnapshotMismatch as exc:
            # The content, read for a target, contradicts the snapshot the plan was made from.
            saver.warnings.append(f"build cache {where(cache.path)}: {exc}")
            cache.snapshot = None
            content = Content(project, cache, saver.warnings)
            work = _plan_work(project, cache, content, ctx, picked, shard, force, early)
    except BaseException:
        early.close()
        raise
    targets, setups, results, stale, briefings = work
    cache.snapshot = content.snapshot
    if progress:
        progress.start(len(targets))
        for target in targets:
            if target in results:
                progress.advance(results[target])

    held: list[Result] = []  # built outputs of formats whose finishing step has work, until it ran
    finishing = finishing_formats(ctx, {t.format for t in stale}) if stale else set()

    def arrived(result: Result) -> None:
        (held.append if result.status == "built" and result.target.format in finishing else record)(result)

    def record(result: Result) -> None:
        briefing, setup = content.digest(result.target.pair), setups.of(result.target)
        result.inputs = target_inputs(briefing, setup)
        if result.status == "built" and not _written(out_dir / result.path, result.size):
            result = _vanished(result)
        results[result.target] = result
        log.info("%s %s (%.2fs)", result.status, result.path, result.seconds)
        if result.status == "built" and result.final:
            saver.record(_key(project, out_dir / result.path), _entry(result, briefing, setup))
        if progress:
            progress.advance(result)

    problem = None  # until the build ends, the manifest lists only the outputs it leaves as they are
    if stale:  # if that fails, the old one is gone and the build says so (not written again)
        stamps.forget(stamp)  # outputs are about to change
        problem = publish_manifest(out_dir / MANIFEST_NAME, list(results.values()), complete=False)
    try:
        if stale:
            _render(project, ctx, stale, briefings, arrived, early)
        notes = finish_outputs(
            ctx, held, out_dir, jobs=jobs_for(project), timeout=project.config.build.timeout
        )
        for result in held:
            record(result)
    finally:
        early.close()  # started for targets the build never rendered (interrupted)
        # Whatever finished is recorded, even if the build is interrupted.
        saver.save()
        if progress:
            progress.close()
    remove_stale_temps(out_dir)  # a killed worker may have left one behind
    # The theme's missing fonts, then the cache's troubles; the report adds "warning" itself.
    warnings = [str(replace(p, severity="error")) for p in ctx.theme.warnings] + saver.warnings
    report = BuildReport([results[t] for t in targets], warnings=warnings, notes=notes)
    problem = problem or publish_manifest(out_dir / MANIFEST_NAME, report.results)
    if problem:
        report.errors.append(problem)
    # A no-op writes nothing, unless it replaces a stale stamp of the same selection.
    if stamp is not None:
        keys = {t: _key(project, out_dir / t.relpath()) for t in targets}
        stamps.end_build(stamp, report, keys, cache.entries, jobs_for(project), worked=bool(stale))
    report.seconds = time.perf_counter() - start
    return report


def _plan_work(
    project: Project,
    cache: Cache,
    content: Content,
    ctx: RenderContext,
    picked: tuple[list[str] | None, list[str] | None, list[str] | None],
    shard: Shard | None,
    force: bool,
    early: Early,
) -> tuple[list[Target], Setups, dict[Target, Result], list[Target], dict[Pair, Briefing]]:
    """Plan the targets, sort out the fresh ones, start the workers and assemble the Briefings of the rest."""
    snap = content.snapshot
    targets = shard_targets(plan_targets(project, snap.topics, snap.audiences, *picked), shard)
    setups = Setups(project, ctx, targets, set(snap.fitted))
    results, stale = _sort_out(project, cache, content, targets, setups, force)
    stale += [t for t in layout_partners(targets, stale, ctx.paginator) if results.pop(t, None) is not None]
    # The workers start importing their renderers now; they write nothing before every
    # Briefing is assembled (read everything, then write), so a content error stops them idle.
    early.start(stale)
    briefings = {t.pair: content.briefing(t.pair) for t in stale}
    return targets, setups, results, stale, briefings


def _prepare(project: Project) -> tuple[Path, Cache]:
    """Check and create the output and cache folders, tidy them, and load the cache."""
    for folder, what in ((project.output_dir, "output"), (project.cache_dir, "build.cache")):
        _refuse_shared(project, folder, what)
    out_dir = safe_output_dir(project.root, project.output_dir)
    cache_dir = safe_output_dir(project.root, project.cache_dir, "build cache folder", CACHE_FIX)
    for folder in (out_dir, cache_dir):
        remove_stale_temps(folder)  # left by an earlier build that was killed
    return out_dir, Cache.load(cache_dir)


def _written(path: Path, size: int) -> bool:
    """Return whether ``path`` is a regular file of ``size`` bytes (a worker's output, in place)."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == size


def _vanished(result: Result) -> Result:
    """Return a failure for a target its worker reported written that is not there."""
    error = (
        f"the worker reported {result.path} written, but it is not there (removed meanwhile?); build again"
    )
    return Result(result.target, "failed", result.path, seconds=result.seconds, error=error, code="output.vanished")


def _sort_out(
    project: Project,
    cache: Cache,
    content: Content,
    targets: list[Target],
    setups: Setups,
    force: bool,
) -> tuple[dict[Target, Result], list[Target]]:
    """Return the results of the fresh targets, and the stale ones, longest first."""
    results: dict[Target, Result] = {}
    stale: list[Target] = []
    for target in targets:
        problem = _unsafe_path(target)
        if problem:
            results[target] = Result(target, "failed", target.relpath(), error=problem, code="output.unsafe")
            continue
        key = _key(project, project.output_dir / target.relpath())
        entry, why = cache.check(key, content.digest(target.pair), setups.of(target), project.root / key)
        if entry is None or force:
            log.info("building %s: %s", target.relpath(), "--force" if force else why)
            stale.append(target)
        else:
            results[target] = entry.result(target)
    # Longest first (by the last build's times), so no long target starts last and runs alone.
    stale.sort(key=lambda t: -_expected_seconds(cache, _key(project, project.output_dir / t.relpath()), t))
    return results, stale


def _render(
    project: Project,
    ctx: RenderContext,
    stale: list[Target],
    briefings: dict[Pair, Briefing],
    record: Callable[[Result], None],
    early: Early,
) -> None:
    """Render the stale targets in worker processes under the configured limits.

    The stale formats of one Briefing make one job, PDF first, so a later format can use
    what the PDF's layout decided; jobs keep the order of their first (longest) target.
    """
    # Only a build with work to do pays for these imports.
    from briefgen.batch.jobs import Job, Output
    from briefgen.batch.workers import run_jobs

    grouped: dict[Pair, list[Target]] = {}
    for target in stale:
        grouped.setdefault(target.pair, []).append(target)
    out_dir = project.output_dir
    jobs = [
        Job(
            briefings[pair],
            ctx,
            tuple(Output(t, out_dir / t.relpath(), t.relpath()) for t in sorted(targets, key=_format_order)),
        )
        for pair, targets in grouped.items()
    ]
    options = project.config.build
    run_jobs(
        jobs,
        workers=jobs_for(project),
        timeout=options.timeout,
        memory_mib=options.memory_mib,
        on_result=record,
        folders=_worker_folders(project),
        pool=early.take(),
    )


def _worker_folders(project: Project) -> tuple[Path, ...]:
    """Return the project's folders: a project's files never run, so none is on a worker's import path."""
    return (project.root, project.content_dir, project.templates_dir, project.output_dir, project.cache_dir)


def _format_order(target: Target) -> int:
    """Order a job's targets: paginated formats (PDF) first, then the table's order."""
    spec = FORMATS[target.format]
    return (0 if spec.paginated else 1) * 100 + list(FORMATS).index(target.format)


def _unsafe_path(target: Target) -> str | None:
    """Return why ``target``'s output path is unsafe or unportable, if it is."""
    for kind, name in (("topic", target.topic), ("audience", target.audience)):
        # Ids were checked on load; a target named from a tampered cache snapshot was not.
        if not re.fullmatch(ID_PATTERN, name):
            return f"{kind} id {name!r} is not a valid id, so it cannot name an output file"
        if is_device_name(name):
            return (
                f"{kind} id {name!r} is a reserved device name on Windows, so {target.relpath()} "
                f"could not be copied or synced there; rename the {kind}"
            )
    return None


def _key(project: Project, output: Path) -> str:
    """Return the cache key of an output: its path inside the project."""
    return output.relative_to(project.root).as_posix()


def _expected_seconds(cache: Cache, key: str, target: Target) -> float:
    """Return how long ``target`` took last time, or a guess by format."""
    entry = cache.entries.get(key)
    if entry is not None:
        return entry.seconds
    return 1.0 if target.format == "pdf" else 0.2


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
        reading_ease=result.reading_ease,
        reading_target=result.reading_target,
        fallbacks=result.fallbacks,
    )


def clean(project: Project) -> None:
    """Remove every output and the build cache; the output folder's top-level dot-entries stay.

    Links are removed, never followed: nothing outside the two folders is ever deleted. A
    dot-folder (build/.git of a publishing checkout) is not briefgen's to remove.
    """
    for folder, what in ((project.output_dir, "output"), (project.cache_dir, "build.cache")):
        _refuse_shared(project, folder, what)
    # Check the output folder before removing anything, so a refusal leaves the cache too.
    out = safe_output_dir(project.root, project.output_dir)
    cache = project.cache_dir
    doomed = [cache] if cache.is_symlink() or cache.is_dir() else []
    doomed += [child for child in sorted(out.iterdir()) if not child.name.startswith(".")]
    # All or nothing: find what cannot be removed before removing anything (the cache included).
    for path in doomed:
        blocker = removal_blocker(path)
        if blocker is not None:
            raise OutputError(
                f"--clean: cannot remove {where(path)}: {where(blocker)} is not writable; nothing was removed; "
                "make it writable or remove it by hand"
            )
    for path in doomed:
        _remove(path)


def _remove(path: Path) -> None:
    """Remove a file, a link (not what it points to) or a whole folder, for --clean."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)  # removes links inside, never descends through them
        else:
            path.unlink()
    except OSError as exc:
        raise OutputError(
            f"--clean: cannot remove {where(path)}: {exc.strerror or exc}; make it writable or remove it by hand"
        ) from None


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
