"""Commands on content: validate, list, ingest."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefgen.batch.report import EXIT_INVALID
from briefgen.cli.main import Session, handled


@click.command()
@click.option(
    "--sources",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of raw source documents: check that numbers in statements occur in the cited passage.",
)
@click.pass_obj
@handled
def validate(obj: Session, sources: Path | None) -> None:
    """Check config, content, theme and templates; report every problem and each audience's readability."""
    from briefgen.assemble.checks import wording_summary
    from briefgen.commands.validate import check_project

    project = obj.project()
    found = check_project(project, sources)
    for problem in sorted(found.problems, key=lambda p: p.location):
        click.echo(str(problem), err=True)
    if found.errors:
        click.echo(f"{len(found.errors)} problem(s) found", err=True)
        sys.exit(EXIT_INVALID)
    for line in wording_summary(found.readability):
        click.echo(line)
    warnings = len(found.problems)
    click.echo("project is valid" + (f" ({warnings} warning(s))" if warnings else ""))


@click.command(name="list")
@click.pass_obj
@handled
def list_(obj: Session) -> None:
    """Show topics, audiences and formats."""
    from briefgen.content.load import load_library
    from briefgen.formats import FORMATS

    project = obj.project()
    library, _ = load_library(project.content_dir, project.root)
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


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--id", "source_id", help="Source id (default: from the file name).")
@click.option("--title", help="Document title (default: the title line or the key phrase).")
@click.option("--force", is_flag=True, help="Overwrite an existing source file.")
@click.pass_obj
@handled
def ingest(obj: Session, file: Path, source_id: str | None, title: str | None, force: bool) -> None:
    """Turn a raw text document into a draft source file under content/sources/."""
    from briefgen.ingest.draft import ingest_to_file

    project = obj.project()
    written = ingest_to_file(file, project.content_dir, source_id, force=force, title=title)
    click.echo(f"wrote {written}; edit it, then run 'briefgen validate --sources {file.parent}'")


COMMANDS = [validate, list_, ingest]
