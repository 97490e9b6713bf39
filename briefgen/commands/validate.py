"""Check a whole project (config, content, theme, templates) and list every problem."""

from __future__ import annotations

from pathlib import Path

import jinja2

from briefgen.assemble.tailor import assemble_for
from briefgen.content.load import load_library
from briefgen.errors import BriefgenError, Location, Problem
from briefgen.project.config import Project
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.html.document import render_html
from briefgen.render.html.environment import make_environment
from briefgen.render.registry import RenderContext


def _problems(exc: BriefgenError) -> list[Problem]:
    return exc.all_problems()


def check_templates(dirs: TemplateDirs) -> list[Problem]:
    """Parse every template along the search path; report syntax errors."""
    env = make_environment(dirs, {})
    problems = []
    for folder in dirs.dirs:
        for path in sorted(folder.rglob("*.html")):
            try:
                env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
            except jinja2.TemplateSyntaxError as exc:
                problems.append(
                    Problem(
                        Location.of(path, exc.lineno or 0),
                        f"template syntax error: {exc.message}",
                        code="template.syntax",
                    )
                )
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(Location.of(path), f"cannot read template: {exc}", code="file.unreadable"))
    return problems


def validate_project(project: Project, sources_dirs: Path | list[Path] | None = None) -> list[Problem]:
    """Return every problem found in ``project``; an empty list means it is valid.

    ``sources_dirs`` are folders of raw documents to check statements' numbers against.
    """
    try:
        library, docs = load_library(project.content_dir, project.root)
    except BriefgenError as exc:
        return _problems(exc)
    problems: list[Problem] = []
    if not library.topics:
        problems.append(
            Problem(
                Location.of(project.content_dir),
                "no topic found",
                code="content.no-topic",
                hint="add a file with a 'topic:' key",
            )
        )
    if not library.audiences:
        problems.append(
            Problem(
                Location.of(project.content_dir),
                "no audience found",
                code="content.no-audience",
                hint="add an 'audiences:' file",
            )
        )
    if sources_dirs:
        from briefgen.ingest.provenance import check_provenance

        problems.extend(check_provenance(library, docs, sources_dirs))
    try:
        ctx = RenderContext.for_project(project)
    except BriefgenError as exc:
        return problems + _problems(exc)
    template_problems = check_templates(ctx.dirs)
    problems.extend(template_problems)
    if template_problems:
        return problems
    seen: set[str] = set()
    for topic in sorted(library.topics):
        for audience in sorted(library.audiences):
            try:
                briefing = assemble_for(project.config, library, topic, audience)
                render_html(briefing, ctx)
            except BriefgenError as exc:
                for problem in _problems(exc):
                    if str(problem) not in seen:
                        seen.add(str(problem))
                        problems.append(problem)
    return problems
