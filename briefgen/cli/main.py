"""The command line's trunk: the group, shared options, logging and the one error handler.

Each command lives with its stage's concern (cli/build.py, cli/content.py,
cli/project.py) and is registered on ``main`` here; commands parse arguments, call the
pipeline and own the exit code, and no build logic lives in the command line.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefgen import __version__
from briefgen.batch.report import EXIT_INVALID
from briefgen.cli.output import ERROR_FORMATS, GitHub, document, dumps
from briefgen.errors import BriefgenError, Problem, display_path

if TYPE_CHECKING:
    from briefgen.project.config import Project

log = logging.getLogger("briefgen")
F = TypeVar("F", bound=Callable[..., Any])


def split_names(values: tuple[str, ...], option: str = "") -> list[str] | None:
    """Return the names given to a repeatable, comma-separated option, or None when it was not given.

    An option given with nothing in it (``--format ''``) is an error naming ``option``,
    not "every format": an empty shell variable must not widen a build.
    """
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    if values and not names:
        raise click.UsageError(f"{option or 'option'} was given an empty value; name at least one, or leave it out")
    return names or None


def _setup_logging(verbose: int, quiet: bool = False) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    level = logging.ERROR if quiet else level
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger().setLevel(level)  # again: -v or -q after the subcommand come later
    # watchfiles says "KeyboardInterrupt caught, stopping watch" as a warning; Ctrl-C is the way to stop.
    logging.getLogger("watchfiles").setLevel(level if verbose > 1 else max(level, logging.ERROR))


# The settings command-line options override, so that a bad value is blamed on its option.
OPTION_NAMES = {
    "theme": "--theme",
    "output": "--output",
    "build.jobs": "--jobs",
    "build.timeout": "--timeout",
    "build.memory_mib": "--memory",
    "serve.host": "--host",
    "serve.port": "--port",
}


class Session:
    """What every command gets: the project folder, how much to say, and how tools read problems."""

    def __init__(
        self, root: Path, verbose: int, quiet: bool = False, github: GitHub | None = None, named: bool = True
    ) -> None:
        self.root = root
        self.named = named  # the folder was given with -C (else found from the working folder)
        self.verbose = verbose
        self.quiet = quiet
        self.error_format = "text"
        self.github = github  # set under GitHub Actions: problems also become workflow commands

    @property
    def json(self) -> bool:
        """Return whether stdout carries one JSON document (--error-format json)."""
        return self.error_format == "json"

    def project(self, **overrides: Any) -> Project:
        """Load the project, with command-line overrides of its settings."""
        # Imported here, not above: commands that need no project (init, manifest merge,
        # --help) should not pay for the configuration's schema and YAML reader.
        from briefgen.errors import ConfigError
        from briefgen.project.config import load_project
        from briefgen.project.locate import is_project

        if not is_project(self.root):
            # Not a project: building here would leave build/ and a cache wherever one stands.
            shown = display_path(self.root)
            where = "this folder and the folders above it are" if not self.named else "this folder is"
            where = f"{shown!r} is" if self.named and shown != "." else where
            raise ConfigError(
                f"{where} not a briefgen project (no briefgen.yaml, no content folder); "
                "start one with 'briefgen init', or name the project folder with -C DIR"
            )
        return load_project(self.root, overrides, options=OPTION_NAMES)

    def say(self, message: str = "", *, err: bool = False) -> None:
        """Print what a person wants to know, unless -q; under --error-format json only to stderr."""
        if not self.quiet:
            click.echo(message, err=err or self.json)

    def annotate(self, problems: list[Problem]) -> None:
        """Under GitHub Actions, print each problem as a workflow command (an annotation on its line)."""
        if self.github is not None:
            # To stdout, as GitHub documents; to stderr (which the runner reads too) when JSON is there.
            for problem in problems:
                click.echo(self.github.command(problem), err=self.json)

    def report(self, command: str, problems: list[Problem], exit_code: int, **extra: Any) -> None:
        """Report problems: as text on stderr or one JSON document on stdout, and as workflow commands."""
        self.annotate(problems)
        if self.json:
            click.echo(dumps(document(command, problems, exit_code, **extra)))
            return
        for problem in problems:
            click.echo(str(problem), err=True)


def handled(command: F) -> F:
    """Report a BriefgenError once, as located problems and exit code 2; tracebacks only with -vv."""

    @functools.wraps(command)
    def run(obj: Session, *args: Any, **kwargs: Any) -> Any:
        try:
            return command(obj, *args, **kwargs)
        except BriefgenError as exc:
            if obj.verbose > 1:
                raise
            if obj.json:
                obj.report(click.get_current_context().info_name or "", exc.all_problems(), EXIT_INVALID)
            else:
                obj.annotate(exc.all_problems())
                click.echo(f"error: {exc}" if exc.args and exc.args[0] else str(exc), err=True)
            sys.exit(EXIT_INVALID)

    return run  # type: ignore[return-value]


def _set_error_format(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(Session).error_format = value


error_format_option = click.option(
    "--error-format",
    type=click.Choice(ERROR_FORMATS),
    expose_value=False,
    callback=_set_error_format,
    help="text (default), or json: one JSON document on stdout with every problem (see the README).",
)


def _more_verbose(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    session = ctx.find_object(Session)
    if value and session is not None:
        if session.quiet:
            raise click.UsageError("-v and -q contradict each other; give one of them", ctx)
        session.verbose += value
        _setup_logging(session.verbose)


def _be_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    session = ctx.find_object(Session)
    if value and session is not None:
        if session.verbose:
            raise click.UsageError("-v and -q contradict each other; give one of them", ctx)
        session.quiet = True
        _setup_logging(0, quiet=True)


def _add_session_options(command: click.Command) -> None:
    """Let -v and -q follow the subcommand too (``briefgen build -v``), on every command and subcommand."""
    command.params += [
        click.Option(
            ["-v", "--verbose"], count=True, expose_value=False, callback=_more_verbose, help="More output."
        ),
        click.Option(
            ["-q", "--quiet"], is_flag=True, expose_value=False, callback=_be_quiet, help="Only problems."
        ),
    ]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _add_session_options(sub)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option(
    "-C",
    "--project",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (holding briefgen.yaml). Default: the nearest folder up from here that holds one.",
)
@click.option("-v", "--verbose", count=True, help="More output; -vv also shows tracebacks (also after the command).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems: no progress, summary or notes.")
@click.pass_context
def main(ctx: click.Context, root: Path | None, verbose: int, quiet: bool) -> None:
    """Turn structured content into tailored PDF, Word and HTML briefings."""
    if verbose and quiet:
        raise click.UsageError("-v and -q contradict each other; give one of them", ctx)
    from briefgen.cli.streams import protect_streams

    protect_streams()  # a closed or full stdout must not stop a build
    _setup_logging(verbose, quiet)
    named = root is not None
    if root is None:
        from briefgen.project.locate import find_project_root

        root = find_project_root(Path.cwd()) or Path(".")
    ctx.obj = Session(root, verbose, quiet, GitHub.from_environ(os.environ), named)


def _register() -> None:
    """Attach every command to ``main`` (their modules import this one, so this runs last)."""
    from briefgen.cli import build, content, project, schema

    for module in (build, content, project, schema):
        for command in module.COMMANDS:
            _add_session_options(command)
            main.add_command(command)


_register()
