"""Commands on content: validate, list, ingest, convert."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from briefgen.batch.report import EXIT_INVALID
from briefgen.cli.main import Session, error_format_option, handled
from briefgen.errors import ConfigError, display_path


@click.command()
@click.option(
    "--sources",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of raw source documents (repeatable): check that numbers in statements occur in the cited passage.",
)
@error_format_option
@click.pass_obj
@handled
def validate(obj: Session, sources: tuple[Path, ...]) -> None:
    """Check config, content, theme and templates; report every problem and each audience's readability."""
    from briefgen.assemble.checks import wording_summary
    from briefgen.commands.validate import check_project

    project = obj.project()
    found = check_project(project, list(sources) or None)
    problems = sorted(found.problems, key=lambda p: p.location)
    errors = found.errors
    obj.report("validate", problems, EXIT_INVALID if errors else 0)
    if errors:
        obj.say(f"{len(errors)} problem(s) found", err=True)
        sys.exit(EXIT_INVALID)
    for line in wording_summary(found.readability):
        obj.say(line)
    warned = len(problems) - len(errors)
    obj.say("project is valid" + (f" ({warned} warning(s))" if warned else ""))


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
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option("--topic", "topic_id", help="Id of the topic to draft (default: the first source's id).")
@click.option("--id", "source_id", help="Source id, for a single file (default: from the file name).")
@click.option("--title", help="Topic and document title (default: the title line or the key phrase).")
@click.option("--force", is_flag=True, help="Overwrite files an earlier ingest wrote.")
@click.pass_obj
@handled
def ingest(
    obj: Session,
    files: tuple[Path, ...],
    topic_id: str | None,
    source_id: str | None,
    title: str | None,
    force: bool,
) -> None:
    """Draft a Markdown topic, source records and entities from documents (.txt, .md, .html, .docx, .pdf)."""
    from briefgen.content.load import load_library
    from briefgen.ingest.write import ingest_files

    project = obj.project()
    library, _ = load_library(project.content_dir, project.root)
    done = ingest_files(
        list(files), project.content_dir, library, root=project.root, topic_id=topic_id,
        source_id=source_id, title=title, force=force,
    )  # fmt: skip
    for warning in done.warnings:
        click.echo(str(warning), err=True)
    for path in done.written:
        obj.say(f"wrote {display_path(path)}")
    folders = list(dict.fromkeys(display_path(f.resolve().parent) for f in files))
    here = project.root.resolve() == Path.cwd().resolve()
    at = "" if here else f" -C {shlex.quote(display_path(project.root))}"
    check = " ".join(f"--sources {shlex.quote(f)}" for f in folders)
    obj.say(
        f"next: edit the draft, then: briefgen{at} validate {check} && briefgen{at} build --topic {done.topic}"
    )


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
            f"remove {file} once you have checked {output}: a topic id may be defined only once", err=True
        )


COMMANDS = [validate, list_, ingest, convert]
