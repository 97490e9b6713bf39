"""The command line's trunk: the group, shared options, logging and the one error handler.

Each command lives with its stage's concern (cli/build.py, cli/content.py,
cli/project.py) and is registered on ``main`` here; commands parse arguments, call the
pipeline and own the exit code, and no build logic lives in the command line.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefgen import __version__
from briefgen.batch.report import EXIT_INVALID
from briefgen.errors import BriefgenError

if TYPE_CHECKING:
    from briefgen.project.config import Project

log = logging.getLogger("briefgen")
F = TypeVar("F", bound=Callable[..., Any])


def split_names(values: tuple[str, ...]) -> list[str] | None:
    """Return the names given to a repeatable, comma-separated option, or None for none."""
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    return names or None


def _setup_logging(verbose: int) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


class Session:
    """What every command gets: the project folder and how much to say."""

    def __init__(self, root: Path, verbose: int) -> None:
        self.root = root
        self.verbose = verbose

    def project(self, **overrides: Any) -> Project:
        """Load the project, with command-line overrides of its settings."""
        # Imported here, not above: commands that need no project (init, manifest merge,
        # --help) should not pay for the configuration's schema and YAML reader.
        from briefgen.project.config import load_project

        return load_project(self.root, overrides)


def handled(command: F) -> F:
    """Report a BriefgenError once, as located problems and exit code 2; tracebacks only with -vv."""

    @functools.wraps(command)
    def run(obj: Session, *args: Any, **kwargs: Any) -> Any:
        try:
            return command(obj, *args, **kwargs)
        except BriefgenError as exc:
            if obj.verbose > 1:
                raise
            click.echo(f"error: {exc}" if exc.args and exc.args[0] else str(exc), err=True)
            sys.exit(EXIT_INVALID)

    return run  # type: ignore[return-value]


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
    """Turn structured content into tailored PDF, Word and HTML briefings."""
    _setup_logging(verbose)
    ctx.obj = Session(root, verbose)



def _register() -> None:
    """Attach every command to ``main`` (their modules import this one, so this runs last)."""
    from briefgen.cli import build, content, project

    for module in (build, content, project):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
