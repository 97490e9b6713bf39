"""Commands of the batch: build, and merging the manifests of sharded builds."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefgen.batch.report import BuildReport
from briefgen.cli.main import Session, error_format_option, handled, split_names


@click.command()
@click.option(
    "--topic", "-t", multiple=True, help="Topic id(s), comma-separated. Default: the configured matrix."
)
@click.option("--audience", "-a", multiple=True, help="Audience id(s), comma-separated.")
@click.option("--format", "-f", "formats", multiple=True, help="Format(s): pdf, docx.")
@click.option("--theme", help="Theme name (overrides 'theme:' in briefgen.yaml).")
@click.option("--output", "-o", help="Output folder inside the project (overrides 'output:').")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    help="Worker processes (overrides build.jobs; default: cores).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds per target (overrides build.timeout).",
)
@click.option("--memory", type=click.IntRange(64), help="MiB per worker (overrides build.memory_mib).")
@click.option("--force", is_flag=True, help="Rebuild every target, fresh or not.")
@click.option("--clean", is_flag=True, help="Remove all outputs and the build cache first.")
@click.option("--shard", help="Build only part K of N of the plan (K/N, 1-based), for CI runners.")
@click.option(
    "--watch",
    "-w",
    is_flag=True,
    help="Then rebuild what changed whenever a project file changes (Ctrl-C stops).",
)
@error_format_option
@click.pass_obj
@handled
def build(
    obj: Session,
    topic: tuple[str, ...],
    audience: tuple[str, ...],
    formats: tuple[str, ...],
    theme: str | None,
    output: str | None,
    jobs: int | None,
    timeout: float | None,
    memory: int | None,
    force: bool,
    clean: bool,
    shard: str | None,
    watch: bool,
) -> None:
    """Build briefings: build/<topic>/<audience>.<format>, skipping fresh ones."""
    from briefgen.batch.plan import parse_shard
    from briefgen.batch.stamp import replay, selection
    from briefgen.cli.results import progress_for, show_build

    if watch and obj.json:
        raise click.UsageError(
            "--watch prints a status line per rebuild; it does not combine with --error-format json"
        )
    overrides = {"jobs": jobs, "timeout": timeout, "memory_mib": memory}
    part = parse_shard(shard) if shard else None
    # Before anything is cleaned or built: an empty --format is an error, not "every format".
    topics, audiences = split_names(topic, "--topic"), split_names(audience, "--audience")
    format_names = split_names(formats, "--format")
    choices = {"topics": topics, "audiences": audiences, "formats": format_names, "theme": theme}
    key = selection(obj.root, {**choices, "output": output, "build": overrides, "shard": shard})
    if not (clean or force or watch):
        # Nothing changed since a build left every target in place: answer from its stamp.
        replayed = replay(obj.root, key)
        if replayed is not None:
            report, workers = replayed
            progress = progress_for(obj, workers)
            if progress:
                progress.start(len(report.results))
                for result in report.results:
                    progress.advance(result)
                progress.close()
            sys.exit(show_build(obj, report))
    from briefgen.batch.build import build as run_build
    from briefgen.batch.build import clean as run_clean
    from briefgen.batch.build import jobs_for
    from briefgen.batch.early import head_start
    from briefgen.cli.results import watch_builds

    # Named formats: one worker starts importing their renderers now, while the project is
    # read and planned (not under --watch, whose threads make forking unsafe).
    head = None if watch else head_start(obj.root, format_names)

    def once() -> BuildReport:
        # Loaded again for every build: under --watch, briefgen.yaml may have changed.
        project = obj.project(theme=theme, output=output, build=overrides)
        return run_build(
            project,
            topics=topics,
            audiences=audiences,
            formats=format_names,
            force=force,
            shard=part,
            progress=None if watch else progress_for(obj, jobs_for(project)),
            selection=key,
            head=head,
        )

    try:
        if clean:
            run_clean(obj.project(theme=theme, output=output, build=overrides))
        if watch:
            watch_builds(obj, once)
            return
        sys.exit(show_build(obj, once()))
    finally:
        if head is not None:
            head.close()  # if the build did not take it (a configuration error, nothing stale)


@click.group()
def manifest() -> None:
    """Work with build manifests (build/manifest.json)."""


@manifest.command()
@click.argument("manifests", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Merged manifest."
)
@click.option("--verify", is_flag=True, help="Also check every listed file beside its manifest by sha256.")
@click.pass_obj
@handled
def merge(obj: Session, manifests: tuple[Path, ...], output: Path, verify: bool) -> None:
    """Combine the manifests of sharded builds into one."""
    from briefgen.batch.manifest import merge_manifests, save

    merged = merge_manifests(list(manifests), verify=verify)
    save(output, merged)
    click.echo(f"merged {len(manifests)} manifests: {len(merged['outputs'])} outputs -> {output}")


COMMANDS = [build, manifest]
