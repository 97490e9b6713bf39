"""Check a whole project (config, content, theme, templates) and list every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.checks import readability_problem
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


@dataclass
class Validation:
    """What validate found: every problem (errors and warnings), and each briefing's readability."""

    problems: list[Problem] = field(default_factory=list)
    # (audience, Flesch reading ease, its target, texts falling back) per briefing
    readability: list[tuple[str, float | None, int | None, int]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that make the project invalid (warnings do not)."""
        return [p for p in self.problems if p.severity == "error"]


def validate_project(project: Project, sources_dirs: Path | list[Path] | None = None) -> list[Problem]:
    """Return every problem found in ``project``; an empty list means it is valid and warns of nothing.

    ``sources_dirs`` are folders of raw documents to check statements' numbers against.
    """
    return check_project(project, sources_dirs).problems


def check_project(project: Project, sources_dirs: Path | list[Path] | None = None) -> Validation:
    """Check ``project`` whole: every problem, and the readability of every briefing."""
    found = Validation()
    found.problems = _check(project, sources_dirs, found)
    return found


def _wording(briefing: Briefing, seen: set[str]) -> list[Problem]:
    """Return a located warning per text the briefing shows without its audience's register."""
    problems = []
    for where in briefing.fallbacks:
        key = f"{where}:{briefing.register}"
        if key not in seen:
            seen.add(key)
            problems.append(
                Problem.warning(
                    where,
                    f"no {briefing.register!r} wording, which audience {briefing.audience_id!r} reads; "
                    "the default wording is shown",
                    code="wording.fallback",
                    hint=f"add '{briefing.register}:'",
                )
            )
    low = readability_problem(briefing)
    return problems + ([low] if low else [])


def _check(project: Project, sources_dirs: Path | list[Path] | None, found: Validation) -> list[Problem]:
    try:
        library, docs = load_library(project.content_dir, project.root)
    except BriefgenError as exc:
        return _problems(exc)
    problems: list[Problem] = list(library.warnings)
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
    problems.extend(ctx.theme.warnings)
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
                continue
            problems.extend(_wording(briefing, seen))
            found.readability.append(
                (audience, briefing.reading_ease, briefing.reading_ease_target, len(briefing.fallbacks))
            )
    return problems
