"""Commands on the project: init, templates list and eject, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefgen.batch.report import EXIT_INVALID
from briefgen.cli.main import Session, handled

FORMAT_NAMES = {"pdf": "PDF", "html": "HTML", "docx": "Word", "serve": "preview"}


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.pass_obj
@handled
def init(obj: Session, directory: Path, force: bool) -> None:
    """Start a project in DIRECTORY: config, an example source, topic and audiences, README."""
    from briefgen.commands.scaffold import init_project

    written = init_project(directory, force=force)
    for path in written:
        obj.say(f"wrote {path}")
    obj.say(f"next: cd {directory} && briefgen validate --sources raw && briefgen build")


@click.group()
def templates() -> None:
    """List the built-in templates and themes, or copy one into the project to edit."""


@templates.command(name="list")
@click.pass_obj
@handled
def templates_list(obj: Session) -> None:
    """Show built-in templates and themes, and which ones the project overrides."""
    from briefgen.commands.scaffold import list_templates
    from briefgen.project.searchpath import TemplateDirs

    project = obj.project()
    dirs = TemplateDirs.for_project(project.templates_dir)
    entries, project_only = list_templates(dirs)
    click.echo(f"built-in ({dirs.dirs[-1]}); overrides come from {project.config.templates}/")
    for entry in entries:
        mine = ", ".join(f"{project.config.templates}/{name}" for name in entry.overrides)
        note = f"overridden by {mine}" if entry.overrides else entry.description
        if entry.overrides and not entry.reaches_word:
            note += " (does not reach Word: Word takes its look from the theme)"
        shapes = ", ".join(FORMAT_NAMES[f] for f in entry.formats)
        click.echo(f"  {entry.name:<28} {entry.kind:<10} {shapes:<16} {note}".rstrip())
    for name in project_only:
        click.echo(f"  {name:<28} {'project':<10} {'':<16} only in {project.config.templates}/")
    click.echo("copy one to edit: briefgen templates eject NAME  (a theme: themes/NAME)")
    click.echo(
        "Word is written from the briefing, not from these templates: it takes its styles from the "
        "theme's reference.docx and its page, cover and fonts from theme.yaml "
        "(after editing theme.yaml: briefgen templates refdoc THEME)"
    )


@templates.command()
@click.argument("name")
@click.option("--as", "dest", help="Copy under another name, e.g. themes/mine for a new theme.")
@click.option("--force", is_flag=True, help="Overwrite files the project already has.")
@click.pass_obj
@handled
def eject(obj: Session, name: str, dest: str | None, force: bool) -> None:
    """Copy built-in template or folder NAME into the project's templates folder."""
    from briefgen.commands.scaffold import eject as run_eject
    from briefgen.project.searchpath import TemplateDirs

    project = obj.project()
    dirs = TemplateDirs.for_project(project.templates_dir)
    written = run_eject(name, dirs, project.templates_dir, dest=dest, force=force)
    for path in written:
        obj.say(f"wrote {path}")


@templates.command()
@click.argument("theme")
@click.pass_obj
@handled
def refdoc(obj: Session, theme: str) -> None:
    """Regenerate the Word reference document of the project's THEME from its theme.yaml."""
    from briefgen.commands.scaffold import regenerate_reference
    from briefgen.project.searchpath import TemplateDirs

    project = obj.project()
    dirs = TemplateDirs.for_project(project.templates_dir)
    click.echo(f"wrote {regenerate_reference(theme, dirs, project.templates_dir)}")


@click.command()
@click.option("--host", help="Address to listen on (overrides serve: host; default 127.0.0.1).")
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    help="Port (overrides serve: port; default 8000; 0: any free).",
)
@click.option("--theme", help="Theme name (overrides 'theme:' in briefgen.yaml).")
@click.pass_obj
@handled
def serve(obj: Session, host: str | None, port: int | None, theme: str | None) -> None:
    """Preview briefings in a browser; pages reload when content, templates or theme change."""
    from briefgen.commands.serve import is_loopback
    from briefgen.commands.serve import serve as run_serve

    options = obj.project(serve={"host": host, "port": port}).config.serve
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


COMMANDS = [init, templates, serve]
