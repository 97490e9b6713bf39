"""The one exception family: every failure a user can act on is a BriefgenError."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a project file; line and column are 1-based, 0 when unknown; path "" for no file."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path

    @classmethod
    def of(cls, path: Path | str, line: int = 0, col: int = 0) -> Location:
        """Build a location whose path is shown relative to the working folder."""
        return cls(display_path(path), line, col)


def display_path(path: Path | str) -> str:
    """Return ``path`` relative to the working folder when it lies inside it."""
    try:
        cwd = os.getcwd()
    except OSError:  # the working folder was removed
        return str(path)
    return _display_path(str(path), cwd)


@functools.lru_cache(maxsize=4096)  # a content file's every statement is located: resolve each file once
def _display_path(path: str, cwd: str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError):
        return str(p)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at a place, with what to do about it.

    An error stops what it concerns; a warning is something a build dropped, fell back on
    or could not draw, reported where it happened so it is never silent. ``code`` is a
    stable dotted name for tools (``content.unknown-key``); ``hint`` says what to do, when
    the message does not already.
    """

    location: Location
    message: str
    severity: Severity = "error"
    code: str = ""
    hint: str = ""

    def __str__(self) -> str:
        tag = "warning: " if self.severity == "warning" else ""
        hint = f"; {self.hint}" if self.hint else ""
        where = f"{self.location}: " if self.location.path else ""  # Location(""): about no file
        return f"{where}{tag}{self.message}{hint}"

    @classmethod
    def warning(cls, location: Location, message: str, *, code: str = "", hint: str = "") -> Problem:
        """Build a located warning."""
        return cls(location, message, "warning", code, hint)


class BriefgenError(Exception):
    """Root of every error briefgen reports to a user.

    ``code`` names the family for tools; a problem the error carries without a code of
    its own gets it, so every reported problem has a stable code.
    """

    code = "briefgen.error"

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = [p if p.code else replace(p, code=self.code) for p in problems or []]

    @classmethod
    def at(cls, location: Location, message: str, *, code: str = "", hint: str = "") -> BriefgenError:
        """Build an error for a single problem at ``location``."""
        return cls("", [Problem(location, message, code=code, hint=hint)])

    def all_problems(self) -> list[Problem]:
        """Return the problems, or the message as one unlocated problem when there are none."""
        return self.problems or [Problem(Location(""), str(self), code=self.code)]

    def __str__(self) -> str:
        head = self.args[0] if self.args else ""
        if not self.problems:
            return str(head)
        lines = [str(p) for p in sorted(self.problems, key=lambda p: p.location)]
        if head:
            lines.insert(0, str(head))
        return "\n".join(lines)


class ConfigError(BriefgenError):
    """The project configuration (briefgen.yaml) or a command-line choice is wrong."""

    code = "config.invalid"


class ContentError(BriefgenError):
    """A content file is unreadable, malformed or refers to something missing."""

    code = "content.invalid"


class TemplateError(BriefgenError):
    """A template cannot be found, parsed or rendered."""

    code = "template.failed"


class SecurityError(TemplateError):
    """A template or content tried to reach something outside the project."""

    code = "security.refused"


class RenderError(BriefgenError):
    """A renderer (WeasyPrint, python-docx) failed to produce an output."""

    code = "render.failed"


class OutputError(BriefgenError):
    """An output (or the build cache) cannot be written safely."""

    code = "output.unsafe"


class ProblemCollector:
    """Gather problems across a whole file set so they can be reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: Location, message: str, *, code: str = "", hint: str = "") -> None:
        """Record one problem."""
        self.problems.append(Problem(location, message, code=code, hint=hint))

    def extend(self, problems: list[Problem]) -> None:
        """Record several problems."""
        self.problems.extend(problems)

    def raise_if_any(self, error: type[BriefgenError], summary: str) -> None:
        """Raise ``error`` carrying every collected problem, if there are any."""
        if self.problems:
            count = len(self.problems)
            noun = "problem" if count == 1 else "problems"
            raise error(f"{summary}: {count} {noun}", self.problems)
