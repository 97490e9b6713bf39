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
    """Check config, content, theme and templates; report every problem."""
    from briefgen.commands.validate import validate_project

    project = obj.project()
    problems = validate_project(project, sources)
    for problem in sorted(problems, key=lambda p: p.location):
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(EXIT_INVALID)
    click.echo("project is valid")


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


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--to",
    "to",
    type=click.Choice(["md", "yaml"]),
    required=True,
    help="Write the topic as Markdown or YAML.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: print it).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file.")
@click.pass_obj
@handled
def convert(obj: Session, file: Path, to: str, output: Path | None, force: bool) -> None:
    """Convert a topic between YAML and Markdown without loss."""
    from briefgen.content.topicfile import convert_topic
    from briefgen.errors import ConfigError
    from briefgen.files import atomic_write

    text = convert_topic(file, "md" if to == "md" else "yaml")
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise ConfigError(f"{output} already exists; pass --force to overwrite it")
    atomic_write(output, text.encode("utf-8"), "choose another -o")
    click.echo(f"wrote {output}", err=True)
    if output.resolve().parent == file.resolve().parent and output.resolve() != file.resolve():
        click.echo(
            f"remove {file} once you have checked {output}: one topic id may be defined once", err=True
        )


COMMANDS = [validate, list_, ingest, convert]
