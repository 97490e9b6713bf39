"""What tools read: problems as one JSON document, as GitHub workflow commands, and a build's job summary.

The JSON document (``--error-format json``) has a stable layout, pinned by a test and
documented in the README; ``JSON_VERSION`` changes only if a field changes meaning or
goes away. The build engine records a target's failure and warnings as text
(``batch/report.py: Result``); they become Problems here, at the edge, and nowhere else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.batch.report import BuildReport, Result
from briefgen.errors import Location, Problem, Severity

JSON_VERSION = 1
ERROR_FORMATS = ("text", "json")
# A located line of an error's text, as BriefgenError prints it: "path:line[:col]: message".
_LOCATED = re.compile(r"^(?P<path>[^\s:][^:\n]*):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<message>.+)$")


def problem_data(problem: Problem) -> dict[str, Any]:
    """Return one problem as the JSON document lists it."""
    where = problem.location
    return {
        "file": where.path or None,
        "line": where.line or None,
        "column": where.col or None,
        "severity": problem.severity,
        "code": problem.code or "briefgen.error",
        "message": problem.message,
        "hint": problem.hint or None,
    }


def result_problems(result: Result) -> list[Problem]:
    """Return a target's warnings and failure as problems, located where the text names a file line."""
    problems = [p for warning in result.warnings for p in from_text(warning, "warning", "build.warning")]
    if result.status == "failed":
        code = result.code or "render.failed"
        located = from_text(result.error, "error", code)
        if all(not p.location.path for p in located):
            # An error that names no file line is about the target as a whole: say which.
            located = [Problem(Location(""), f"{result.path}: {result.error.strip() or 'failed'}", code=code)]
        problems += located
    return problems


def from_text(text: str, severity: Severity, code: str) -> list[Problem]:
    """Read problems back from an error's text: "path:line:col: message" lines, each with its indented lines.

    Lines before the first located one (an error's summary) are kept only when no line is located.
    """
    entries: list[tuple[Location, list[str]]] = []
    head: list[str] = []
    for line in text.splitlines():
        match = _LOCATED.match(line)
        if match:
            where = Location(match["path"], int(match["line"]), int(match["col"] or 0))
            entries.append((where, [match["message"]]))
        elif entries and line.startswith(" "):
            entries[-1][1].append(line)
        elif line.strip():
            head.append(line)
    if not entries:
        entries = [(Location(""), head or ["(no message)"])]
    # Here, not above: content.validation imports pydantic, which --help and init never need.
    from briefgen.content.validation import split_hint

    problems = []
    for where, (first, *rest) in entries:
        message, hint = split_hint(first)
        problems.append(Problem(where, "\n".join([message, *rest]), severity, code, hint))
    return problems


def build_problems(report: BuildReport) -> list[Problem]:
    """Return every problem of a build once: the build's own, then the targets' in plan order.

    One template error fails every target that uses the template: it is listed once here
    (each target still lists it among its own).
    """
    problems = [p for error in report.errors for p in from_text(error, "error", "build.failed")]
    problems += [p for warning in report.warnings for p in from_text(warning, "warning", "build.warning")]
    for result in report.results:
        problems += result_problems(result)
    return list(dict.fromkeys(problems))


def document(
    command: str, problems: list[Problem], exit_code: int, report: BuildReport | None = None
) -> dict[str, Any]:
    """Return the JSON document of one run of ``command``; a build also lists every target."""
    data: dict[str, Any] = {
        "version": JSON_VERSION,
        "briefgen": __version__,
        "command": command,
        "ok": exit_code == 0,
        "exit_code": exit_code,
        "problems": [problem_data(p) for p in problems],
    }
    if command == "build":
        results = report.results if report else []
        data["targets"] = [_target_data(r) for r in results]
        data["counts"] = {s: sum(1 for r in results if r.status == s) for s in ("built", "cached", "failed")}
        data["counts"]["total"] = len(results)
        data["seconds"] = round(report.seconds, 3) if report else 0.0
    return data


def _target_data(result: Result) -> dict[str, Any]:
    target = result.target
    return {
        "topic": target.topic,
        "audience": target.audience,
        "format": target.format,
        "path": result.path,
        "status": result.status,
        "pages": result.pages,
        "size": result.size if result.status != "failed" else None,
        "seconds": round(result.seconds, 3),
        "problems": [problem_data(p) for p in result_problems(result)],
    }


def dumps(data: dict[str, Any]) -> str:
    """Return the JSON text of a document (stable key order, UTF-8 as is)."""
    return json.dumps(data, indent=2, ensure_ascii=False)


# --- GitHub Actions -------------------------------------------------------------------


def _escape_data(text: str) -> str:
    # The escaping rules of workflow commands, as actions/toolkit's command.ts applies them.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class GitHub:
    """Running under GitHub Actions: where the checkout is and where the job summary goes."""

    workspace: Path | None = None
    summary: Path | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> GitHub | None:
        """Return the settings when GITHUB_ACTIONS=true, else None (read once, at the edge)."""
        if environ.get("GITHUB_ACTIONS", "").lower() != "true":
            return None
        workspace, summary = environ.get("GITHUB_WORKSPACE"), environ.get("GITHUB_STEP_SUMMARY")
        return cls(Path(workspace) if workspace else None, Path(summary) if summary else None)

    def command(self, problem: Problem) -> str:
        """Return ``problem`` as an ::error or ::warning workflow command (an annotation on its line)."""
        where = problem.location
        props: list[tuple[str, str]] = []
        if where.path:
            props.append(("file", self._repo_path(where.path)))
            if where.line:
                props.append(("line", str(where.line)))
                if where.col:
                    props.append(("col", str(where.col)))
        props.append(("title", f"briefgen {problem.code or 'briefgen.error'}"))
        text = problem.message + (f"; {problem.hint}" if problem.hint else "")
        joined = ",".join(f"{key}={_escape_property(value)}" for key, value in props)
        return f"::{problem.severity} {joined}::{_escape_data(text)}"

    def _repo_path(self, path: str) -> str:
        """Return ``path`` relative to the checkout, where GitHub places annotations."""
        if self.workspace is None:
            return path
        try:
            return Path(path).resolve().relative_to(self.workspace.resolve()).as_posix()
        except (ValueError, OSError):
            return path

    def append_summary(self, report: BuildReport) -> None:
        """Append a Markdown table of built, cached and failed targets to the job summary file."""
        if self.summary is None:
            return
        with self.summary.open("a", encoding="utf-8") as handle:
            handle.write(summary_markdown(report))


def summary_markdown(report: BuildReport) -> str:
    """Return the job summary of a build: counts, then one row per target, failures first."""
    built, cached, failed = (report.count(s) for s in ("built", "cached", "failed"))
    lines = [
        "## briefgen build",
        "",
        f"**{built} built, {cached} cached, {failed} failed** of {len(report.results)} targets "
        f"in {report.seconds:.1f} s",
        "",
        "| target | status | pages | size | seconds | problem |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    order = {"failed": 0, "built": 1, "cached": 2}
    for result in sorted(report.results, key=lambda r: order.get(r.status, 3)):
        problems = result_problems(result)
        first = str(problems[0]).splitlines()[0] if problems else ""
        size = f"{result.size / 1024:.0f} KiB" if result.status != "failed" else ""
        cells = [
            f"`{result.path}`",
            result.status,
            str(result.pages or ""),
            size,
            f"{result.seconds:.2f}" if result.status != "cached" else "",
            first,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    for error in report.errors:
        lines += ["", f"**build error:** {_cell(error.splitlines()[0] if error else '')}"]
    return "\n".join(lines) + "\n\n"


def _cell(text: str) -> str:
    # A pipe would end the cell, a line break the row.
    return text.replace("|", "\\|").replace("\n", " ")
