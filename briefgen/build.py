"""Plan the topic x audience x format matrix, render each target, write atomically."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.assemble import assemble
from briefgen.briefing import Briefing
from briefgen.config import Project
from briefgen.errors import BriefgenError, ConfigError
from briefgen.loader import load_library
from briefgen.model import Library
from briefgen.output import atomic_write, remove_stale_temps, safe_output_dir
from briefgen.renderers import BUILD_FORMATS, REGISTRY, RenderContext, get_renderer
from briefgen.templating import TemplateDirs
from briefgen.themes import load_theme

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """One cell of the build matrix."""

    topic: str
    audience: str
    format: str

    def relpath(self, suffix: str) -> str:
        """Return the output path relative to the output folder."""
        return f"{self.topic}/{self.audience}{suffix}"


@dataclass
class Result:
    """What happened to one target."""

    target: Target
    status: str  # built | failed
    path: str = ""
    size: int = 0
    pages: int | None = None
    seconds: float = 0.0
    error: str = ""
    body_pages: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    """Every target's result, in plan order."""

    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Result]:
        """Return the results that failed."""
        return [r for r in self.results if r.status == "failed"]


def _choose(
    requested: list[str] | None, configured: list[str] | str, available: list[str], what: str
) -> list[str]:
    """Pick names from the CLI, else the config ('all' or a list); refuse unknown ones."""
    names = requested if requested else (available if configured == "all" else list(configured))
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ConfigError(
            f"unknown {what} {', '.join(repr(n) for n in unknown)}; valid {what}s: {', '.join(available) or 'none'}"
        )
    return list(dict.fromkeys(names))


def plan(
    project: Project,
    library: Library,
    topics: list[str] | None = None,
    audiences: list[str] | None = None,
    formats: list[str] | None = None,
) -> list[Target]:
    """Return the targets to build, in a stable order."""
    matrix = project.config.matrix
    t = _choose(topics, matrix.topics, sorted(library.topics), "topic")
    a = _choose(audiences, matrix.audiences, sorted(library.audiences), "audience")
    f = _choose(formats, list(matrix.formats), list(BUILD_FORMATS), "format")
    return [Target(topic, audience, fmt) for topic in t for audience in a for fmt in f]


def render_context(project: Project, theme_name: str | None = None) -> RenderContext:
    """Return the template search path and loaded theme for ``project``."""
    dirs = TemplateDirs.for_project(project.templates_dir)
    return RenderContext(dirs=dirs, theme=load_theme(theme_name or project.config.theme, dirs))


def budget_warning(briefing: Briefing, body: int | None) -> str | None:
    """Return a message when a PDF's body runs past the audience's page budget."""
    if body is None or briefing.page_budget is None:
        return None
    if body <= briefing.page_budget:
        return None
    return (
        f"body is {body} pages, over the {briefing.page_budget}-page budget of audience "
        f"{briefing.audience_id!r}; shorten the content or raise page_budget"
    )


def build_target(target: Target, briefing: Briefing, ctx: RenderContext, out_dir: Path) -> Result:
    """Render one target and write it atomically; report failure instead of raising."""
    start = time.perf_counter()
    renderer = get_renderer(target.format)
    rel = target.relpath(renderer.suffix)
    try:
        rendered = renderer.render(briefing, ctx)
        atomic_write(out_dir / rel, rendered.data)
    except BriefgenError as exc:
        return Result(target, "failed", rel, seconds=time.perf_counter() - start, error=str(exc))
    except Exception as exc:  # a renderer bug must not stop the batch
        log.debug("target %s failed", target, exc_info=True)
        message = f"{type(exc).__name__}: {exc}"
        return Result(target, "failed", rel, seconds=time.perf_counter() - start, error=message)
    result = Result(
        target,
        "built",
        rel,
        len(rendered.data),
        rendered.pages,
        time.perf_counter() - start,
        body_pages=rendered.body_pages,
    )
    warning = budget_warning(briefing, rendered.body_pages)
    if warning:
        result.warnings.append(warning)
    return result


def build(
    project: Project,
    *,
    topics: list[str] | None = None,
    audiences: list[str] | None = None,
    formats: list[str] | None = None,
    theme: str | None = None,
) -> BuildReport:
    """Read and check everything, then build every planned target; never stop at one failure."""
    start = time.perf_counter()
    library, _docs = load_library(project.content_dir, project.root)
    targets = plan(project, library, topics, audiences, formats)
    ctx = render_context(project, theme)
    out_dir = safe_output_dir(project.root, project.output_dir)
    remove_stale_temps(out_dir)
    report = BuildReport()
    briefings: dict[tuple[str, str], Briefing] = {}
    for target in targets:
        key = (target.topic, target.audience)
        if key not in briefings:
            briefings[key] = assemble(
                library,
                target.topic,
                target.audience,
                author=project.config.author,
                default_date=project.config.date,
            )
        result = build_target(target, briefings[key], ctx, out_dir)
        log.info("%s %s (%.2fs)", result.status, result.path, result.seconds)
        report.results.append(result)
    report.seconds = time.perf_counter() - start
    return report


def known_formats() -> list[str]:
    """Return every registered format name."""
    return list(REGISTRY)
