"""The template search path and the sandboxed Jinja environment that reads from it.

Lookup order: the project's own templates folder, then the built-in set shipped with
briefgen. A name starting with "!" (``{% extends "!base.html" %}``) skips the project's
folder and loads the built-in original, so an override can change a single block.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError as JinjaSecurityError

from briefgen.errors import Location, SecurityError, TemplateError
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.html.sandbox import BriefingSandbox, LimitExceeded, budget

BUILTIN_PREFIX = "!"
MAX_OUTPUT_CHARS = 20_000_000


class SearchPathLoader(jinja2.BaseLoader):
    """Load templates from TemplateDirs, with the "!" prefix for built-in originals."""

    def __init__(self, dirs: TemplateDirs) -> None:
        self.dirs = dirs

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        builtin_only = template.startswith(BUILTIN_PREFIX)
        name = template[1:] if builtin_only else template
        path = self.dirs.find(name, builtin_only=builtin_only)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        text = path.read_text(encoding="utf-8")
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.stat().st_mtime == mtime


def make_environment(dirs: TemplateDirs, filters: dict[str, Callable[..., Any]]) -> jinja2.Environment:
    """Return the sandboxed, autoescaping, strict Jinja environment for ``dirs``."""
    env = BriefingSandbox(
        loader=SearchPathLoader(dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(filters)
    # Helpers templates do not need and that widen the attack surface.
    for name in ("range", "dict", "lipsum", "cycler", "joiner", "namespace"):
        env.globals.pop(name, None)
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``, turning every Jinja failure into a located TemplateError."""
    try:
        with budget() as spent:
            template = env.get_template(name)
            chunks: list[str] = []
            size = 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateError(
                        f"template {name!r} produced more than {MAX_OUTPUT_CHARS} characters; stopped"
                    )
                spent.check_time()
                chunks.append(chunk)
        return "".join(chunks)
    except TemplateError:
        raise
    except LimitExceeded as exc:
        raise TemplateError.at(_template_frame(exc, name), str(exc), code="template.limit") from None
    except jinja2.TemplateSyntaxError as exc:
        where = Location.of(exc.filename or name, exc.lineno or 0)
        raise TemplateError.at(
            where, f"template syntax error: {exc.message}{_source_line(exc.filename, exc.lineno)}", code="template.syntax"
        ) from None
    except jinja2.TemplateNotFound as exc:
        missing = f"template {exc.name!r} not found in the template folders"
        raise TemplateError.at(Location(""), missing, code="template.not-found") from None
    except JinjaSecurityError as exc:
        where = _template_frame(exc, name)
        raise SecurityError.at(
            where, f"unsafe template code refused: {exc}{_source_line(where.path, where.line)}", code="template.unsafe"
        ) from None
    except jinja2.UndefinedError as exc:
        where = _template_frame(exc, name)
        raise TemplateError.at(
            where, f"undefined variable: {exc.message}{_source_line(where.path, where.line)}", code="template.undefined"
        ) from None
    except RecursionError as exc:
        raise TemplateError.at(
            _template_frame(exc, name),
            "template recursed too deeply (a macro or include calls itself)",
            code="template.recursion",
        ) from None
    except Exception as exc:
        where = _template_frame(exc, name)
        raise TemplateError.at(
            where, f"template failed: {type(exc).__name__}: {exc}{_source_line(where.path, where.line)}"
        ) from None


def _template_frame(exc: BaseException, name: str) -> Location:
    """Return the innermost template file and line in the traceback of ``exc``."""
    found = Location.of(name)
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".css", ".svg", ".txt", ".j2")):
            found = Location.of(filename, lineno)
    return found


def _source_line(filename: str | None, lineno: int | None) -> str:
    if not filename or not lineno:
        return ""
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    if 0 < lineno <= len(lines):
        return f"\n    {lineno} | {lines[lineno - 1].strip()}"
    return ""
