"""Command line: parse arguments, configure logging, call the pipeline; no build logic here."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from briefgen import __version__
from briefgen.batch.report import EXIT_INVALID, choose_progress, exit_code, summary_lines
from briefgen.errors import BriefgenError
from briefgen.project.config import load_project

log = logging.getLogger("briefgen")


def _split(values: tuple[str, ...]) -> list[str] | None:
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    return names or None


def _setup_logging(verbose: int) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


class _Context:
    def __init__(self, root: Path, verbose: int) -> None:
        self.root = root
        self.verbose = verbose

    def project(self, **overrides: Any) -> Any:
        return load_project(self.root, overrides)


def _fail(exc: BriefgenError, verbose: int) -> None:
    if verbose > 1:
        raise exc
    click.echo(f"error: {exc}" if exc.args and exc.args[0] else str(exc), err=True)
    sys.exit(EXIT_INVALID)


@click.group()
@click.version_option(__version__, prog_name="briefgen")
@click.option(
    "-C",
    "--project",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Project folder (holding briefgen.yaml). Default: the current folder.",
)
@click.option("-v", "--verbose", count=True, help="More output; -vv also shows tracebacks.")
@click.pass_context
def main(ctx: click.Context, root: Path, verbose: int) -> None:
    """Turn structured content into tailored PDF and Word briefings."""
    _setup_logging(verbose)
    ctx.obj = _Context(root, verbose)


@main.command()
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
@click.pass_obj
def build(
    obj: _Context,
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
) -> None:
    """Build briefings: build/<topic>/<audience>.<format>, skipping fresh ones."""
    from briefgen.batch.build import build as run_build
    from briefgen.batch.build import clean as run_clean
    from briefgen.batch.build import jobs_for
    from briefgen.batch.plan import parse_shard

    overrides = {"jobs": jobs, "timeout": timeout, "memory_mib": memory}
    try:
        project = obj.project(theme=theme, output=output, build=overrides)
        part = parse_shard(shard) if shard else None
        if clean:
            run_clean(project)
        progress = choose_progress(sys.stdout, jobs_for(project))
        report = run_build(
            project,
            topics=_split(topic),
            audiences=_split(audience),
            formats=_split(formats),
            force=force,
            shard=part,
            progress=progress,
        )
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    for line in summary_lines(report, verbose=obj.verbose > 0):
        click.echo(line)
    sys.exit(exit_code(report))


@main.group()
def manifest() -> None:
    """Work with build manifests (build/manifest.json)."""


@manifest.command()
@click.argument("manifests", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Merged manifest."
)
@click.option("--verify", is_flag=True, help="Also check every listed file beside its manifest by sha256.")
@click.pass_obj
def merge(obj: _Context, manifests: tuple[Path, ...], output: Path, verify: bool) -> None:
    """Combine the manifests of sharded builds into one."""
    from briefgen.batch.manifest import merge_manifests, save

    try:
        merged = merge_manifests(list(manifests), verify=verify)
        save(output, merged)
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    click.echo(f"merged {len(manifests)} manifests: {len(merged['outputs'])} outputs -> {output}")


@main.command()
@click.option(
    "--sources",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of raw source documents: check that numbers in statements occur in the cited passage.",
)
@click.pass_obj
def validate(obj: _Context, sources: Path | None) -> None:
    """Check config, content, theme and templates; report every problem."""
    from briefgen.commands.validate import validate_project

    try:
        project = obj.project()
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    problems = validate_project(project, sources)
    for problem in sorted(problems, key=lambda p: p.location):
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(EXIT_INVALID)
    click.echo("project is valid")


@main.command(name="list")
@click.pass_obj
def list_(obj: _Context) -> None:
    """Show topics, audiences and formats."""
    from briefgen.content.load import load_library
    from briefgen.formats import FORMATS

    try:
        project = obj.project()
        library, _ = load_library(project.content_dir, project.root)
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    click.echo("topics:")
    for topic in library.topics.values():
        click.echo(f"  {topic.id:<28} {topic.title}")
    click.echo("audiences:")
    for audience in library.audiences.values():
        budget = f" (budget {audience.page_budget} pages)" if audience.page_budget else ""
        click.echo(f"  {audience.id:<28} {audience.title}{budget}")
    click.echo("formats:")
    for spec in FORMATS.values():
        click.echo(f"  {spec.name:<28} {spec.description}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--id", "source_id", help="Source id (default: from the file name).")
@click.option("--title", help="Document title (default: the title line or the key phrase).")
@click.option("--force", is_flag=True, help="Overwrite an existing source file.")
@click.pass_obj
def ingest(obj: _Context, file: Path, source_id: str | None, title: str | None, force: bool) -> None:
    """Turn a raw text document into a draft source file under content/sources/."""
    from briefgen.ingest.draft import ingest_to_file

    try:
        project = obj.project()
        written = ingest_to_file(file, project.content_dir, source_id, force=force, title=title)
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    click.echo(f"wrote {written}; edit it, then run 'briefgen validate --sources {file.parent}'")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.pass_obj
def init(obj: _Context, directory: Path, force: bool) -> None:
    """Start a project in DIRECTORY: config, an example source, topic and audiences, README."""
    from briefgen.commands.scaffold import init_project

    try:
        written = init_project(directory, force=force)
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: cd {directory} && briefgen validate --sources raw && briefgen build")


@main.group()
def templates() -> None:
    """List the built-in templates and themes, or copy one into the project to edit."""


@templates.command(name="list")
@click.pass_obj
def templates_list(obj: _Context) -> None:
    """Show built-in templates and themes, and which ones the project overrides."""
    from briefgen.commands.scaffold import list_templates
    from briefgen.project.searchpath import TemplateDirs

    try:
        project = obj.project()
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    dirs = TemplateDirs.for_project(project.templates_dir)
    entries, project_only = list_templates(dirs)
    click.echo(f"built-in ({dirs.dirs[-1]}); overrides come from {project.config.templates}/")
    for entry in entries:
        mine = ", ".join(f"{project.config.templates}/{name}" for name in entry.overrides)
        note = f"overridden by {mine}" if entry.overrides else entry.description
        click.echo(f"  {entry.name:<28} {entry.kind:<10} {note}".rstrip())
    for name in project_only:
        click.echo(f"  {name:<28} {'project':<10} only in {project.config.templates}/")
    click.echo("copy one to edit: briefgen templates eject NAME  (a theme: themes/NAME)")


@templates.command()
@click.argument("name")
@click.option("--as", "dest", help="Copy under another name, e.g. themes/mine for a new theme.")
@click.option("--force", is_flag=True, help="Overwrite files the project already has.")
@click.pass_obj
def eject(obj: _Context, name: str, dest: str | None, force: bool) -> None:
    """Copy built-in template or folder NAME into the project's templates folder."""
    from briefgen.commands.scaffold import eject as run_eject
    from briefgen.project.searchpath import TemplateDirs

    try:
        project = obj.project()
        dirs = TemplateDirs.for_project(project.templates_dir)
        written = run_eject(name, dirs, project.templates_dir, dest=dest, force=force)
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@click.option("--host", help="Address to listen on (overrides serve: host; default 127.0.0.1).")
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    help="Port (overrides serve: port; default 8000; 0: any free).",
)
@click.option("--theme", help="Theme name (overrides 'theme:' in briefgen.yaml).")
@click.pass_obj
def serve(obj: _Context, host: str | None, port: int | None, theme: str | None) -> None:
    """Preview briefings in a browser; pages reload when content, templates or theme change."""
    from briefgen.commands.serve import is_loopback
    from briefgen.commands.serve import serve as run_serve

    try:
        options = obj.project(serve={"host": host, "port": port}).config.serve
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    host, port = options.host, options.port

    if not is_loopback(host):
        click.echo(f"warning: serving on {host}: anyone who can reach it can read the briefings", err=True)
    try:
        run_serve(obj.root, host=host, port=port, theme=theme, announce=_announce)
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INVALID)
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl+C it handled
        click.echo("stopped")


def _announce(url: str) -> None:
    click.echo(f"serving {url}  (Ctrl+C to stop)")
