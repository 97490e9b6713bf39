"""Paths as a preview page may show them: project-relative, never where the server's files are."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from briefgen.errors import BriefgenError, Location
from briefgen.project.searchpath import builtin_dir

# An absolute path of two parts or more in a message: not part of a URL (http://...), of a
# relative path or of markup (</p>) a template error quotes.
_PART = r"[^\s'\"`:,;()<>\[\]{}|/]+"
_ABSOLUTE = re.compile(rf"(?<![\w/:.~<-])/(?:{_PART}/)+{_PART}")


def project_path(path: str, root: Path) -> str:
    """Return ``path`` (absolute, or relative to the working folder) as the page may show it.

    Relative to the project when inside it, 'built-in templates/...' for the built-ins,
    and only its name otherwise: a preview page never shows where the server's files are.
    """
    full = Path(os.path.normpath(Path.cwd() / path))
    for folder, label in ((root, ""), (builtin_dir().resolve(), "built-in templates/")):
        if full.is_relative_to(folder):
            return label + (full.relative_to(folder).as_posix() or ".")
    return full.name


def shown_text(exc: Exception, root: Path) -> str:
    """Return the text of ``exc`` with every path in it made project-relative (see project_path)."""
    if isinstance(exc, BriefgenError) and exc.problems:
        lines = [exc.args[0]] if exc.args and exc.args[0] else []
        for problem in sorted(exc.problems, key=lambda p: p.location):
            where = problem.location
            moved = Location(project_path(where.path, root), where.line, where.col) if where.path else where
            lines.append(str(replace(problem, location=moved)))
        text = "\n".join(lines)
    else:
        text = str(exc)
    text = _ABSOLUTE.sub(lambda match: project_path(match.group(0), root), text)
    inside = os.path.relpath(root)  # a message's path relative to the working folder
    return text if inside == "." or inside.startswith("..") else text.replace(inside + os.sep, "")
