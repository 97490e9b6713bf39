"""How a build's results reach people and tools: progress, the summary or JSON, GitHub, and `--watch`."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from briefgen.batch.report import BuildReport, Progress, choose_progress, exit_code, summary_lines
from briefgen.cli.main import Session
from briefgen.cli.output import build_problems, result_problems
from briefgen.errors import BriefgenError


def progress_for(obj: Session, jobs: int) -> Progress | None:
    """Return the progress display: none with -q, on stderr when stdout carries JSON."""
    if obj.quiet:
        return None
    return choose_progress(sys.stderr if obj.json else sys.stdout, jobs)


def show_build(obj: Session, report: BuildReport) -> int:
    """Print a build's outcome in the chosen form, annotate it under GitHub Actions; return the exit code."""
    code = exit_code(report)
    problems = build_problems(report)
    if obj.github is not None:
        try:
            obj.github.append_summary(report)
        except OSError as exc:  # the build stands; the summary page just lacks its table
            click.echo(f"warning: cannot append to the job summary {obj.github.summary}: {exc}", err=True)
    if obj.json:
        obj.report("build", problems, code, report=report)
        return code
    obj.annotate(problems)
    if obj.quiet:
        for problem in problems:
            click.echo(str(problem), err=True)
        return code
    for line in summary_lines(report, verbose=obj.verbose > 0):
        click.echo(line)
    return code


def watch_builds(obj: Session, once: Callable[[], BuildReport]) -> None:
    """Build, then build again after every change to the project's files, until Ctrl-C."""
    from briefgen.commands.watch import project_changes, status_line

    try:
        for changed in project_changes(obj.root):
            try:
                report = once()
            except BriefgenError as exc:  # the project is invalid: say so and wait for the fix
                for problem in exc.all_problems():
                    click.echo(str(problem), err=True)
                click.echo(status_line(obj.root, changed, None, len(exc.all_problems())))
                continue
            # Problems of targets rendered this time; a cached target's were shown when it was built.
            for result in report.results:
                if result.status != "cached":
                    for problem in result_problems(result):
                        click.echo(str(problem), err=True)
            for error in report.errors:
                click.echo(f"error: {error}", err=True)
            click.echo(status_line(obj.root, changed, report))
            if not changed:
                obj.say("watching for changes; Ctrl-C stops")
    except KeyboardInterrupt:  # raised while a build ran; between builds the watcher just ends
        pass
    obj.say("stopped")
