"""Command line: parse arguments, configure logging, call the pipeline; no build logic here."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from briefgen import __version__
from briefgen.config import load_project
from briefgen.errors import BriefgenError
from briefgen.report import EXIT_INVALID, exit_code, summary_lines

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
@click.pass_obj
def build(
    obj: _Context,
    topic: tuple[str, ...],
    audience: tuple[str, ...],
    formats: tuple[str, ...],
    theme: str | None,
    output: str | None,
) -> None:
    """Build briefings: build/<topic>/<audience>.<format>."""
    from briefgen.build import build as run_build

    try:
        project = obj.project(theme=theme, output=output)
        report = run_build(project, topics=_split(topic), audiences=_split(audience), formats=_split(formats))
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    for line in summary_lines(report):
        click.echo(line)
    sys.exit(exit_code(report))


@main.command()
@click.option(
    "--sources",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of raw source documents: check that numbers in statements occur in the cited passage.",
)
@click.pass_obj
def validate(obj: _Context, sources: Path | None) -> None:
    """Check config, content, theme and templates; report every problem."""
    from briefgen.validate import validate_project

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
    from briefgen.loader import load_library
    from briefgen.renderers import BUILD_FORMATS

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
    for fmt in BUILD_FORMATS:
        click.echo(f"  {fmt}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--id", "source_id", help="Source id (default: from the file name).")
@click.option("--title", help="Document title (default: the title line or the key phrase).")
@click.option("--force", is_flag=True, help="Overwrite an existing source file.")
@click.pass_obj
def ingest(obj: _Context, file: Path, source_id: str | None, title: str | None, force: bool) -> None:
    """Turn a raw text document into a draft source file under content/sources/."""
    from briefgen.ingest import ingest_to_file

    try:
        project = obj.project()
        written = ingest_to_file(file, project.content_dir, source_id, force=force, title=title)
    except BriefgenError as exc:
        _fail(exc, obj.verbose)
        return
    click.echo(f"wrote {written}; edit it, then run 'briefgen validate --sources {file.parent}'")
