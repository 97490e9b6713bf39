"""Renderer registry: the render context every format gets, and the renderer of each format.

Renderers are imported only when rendering (from the format table's ``renderer``
entry), so planning a build and answering from the cache never pay for WeasyPrint
or python-docx.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from briefgen.formats import FORMATS, format_spec
from briefgen.project.searchpath import TemplateDirs
from briefgen.project.themes import Theme, load_theme

if TYPE_CHECKING:
    from briefgen.assemble.briefing import Briefing
    from briefgen.assemble.fit import Cut
    from briefgen.project.config import Project


@dataclass(frozen=True)
class RenderContext:
    """What every renderer needs besides the Briefing: templates, theme and byte-changing settings.

    Values, not process state: SOURCE_DATE_EPOCH is read once when the project loads
    and handed down here, so workers never read or rewrite the environment.
    """

    dirs: TemplateDirs
    theme: Theme
    zip_epoch: int | None = None  # zip entry time stamp (Word); None: 1980-01-01
    # Where Word's contents get their page numbers: "libreoffice VERSION" (the build's
    # post-step lays the file out), "pdf" (the same briefing's PDF pagination), "none"
    # (no numbers) or "" (a layout handed to the renderer, if any). Hashed: it changes the bytes.
    paginator: str = ""
    soffice: str | None = field(default=None, compare=False)  # LibreOffice's program; not hashed

    @classmethod
    def for_project(cls, project: Project, theme: str | None = None) -> RenderContext:
        """Return the context for ``project``: its search path, its theme (or ``theme``), its settings."""
        from briefgen.render.office import paginator_for

        dirs = TemplateDirs.for_project(project.templates_dir)
        paginator, soffice = paginator_for(project.config.word.paginate)
        return cls(
            dirs=dirs,
            theme=load_theme(theme or project.config.theme, dirs),
            zip_epoch=project.source_date_epoch,
            paginator=paginator,
            soffice=soffice,
        )

    def settings(self, names: tuple[str, ...]) -> dict[str, Any]:
        """Return the named byte-changing settings (a format's ``settings``), for its inputs hash."""
        return {name: getattr(self, name) for name in names}


@dataclass(frozen=True)
class Layout:
    """Where a paginated format's layout put things, for the later formats of the same Briefing.

    A Briefing's formats render in one job, paginated ones (PDF) first; the job hands
    this to each later renderer, so Word can, for example, number its contents from the
    same pagination without laying the document out again, and applies the cut fitting
    to the page budget decided.
    """

    pages: int
    body_pages: int | None  # the parts only: the sources and endnotes after them are not counted
    anchor_pages: tuple[tuple[str, int], ...]  # element id -> 1-based page, in document order
    # What fitting the body to its page budget cut: later formats apply the same cut, so
    # a Word file says what its PDF says.
    cut: Cut | None = None

    def page_of(self, anchor: str) -> int | None:
        """Return the page holding element ``anchor``, or None if the layout has no such element."""
        return next((page for name, page in self.anchor_pages if name == anchor), None)


@dataclass(frozen=True)
class Rendered:
    """A finished output: its bytes and, where the format knows it, its pages and layout."""

    data: bytes
    pages: int | None = None
    body_pages: int | None = None  # pages from the first part's first page to the last part's last (not the back matter)
    layout: Layout | None = None
    warnings: tuple[str, ...] = ()  # what the renderer fell back on or had to shorten


@dataclass(frozen=True)
class Finished:
    """What a format's finishing step (its ``finisher``, run over the files a build wrote) did to one file."""

    pages: int | None = None  # the file's page count, where the step laid it out
    note: str = ""  # how it was finished, for the build report
    warning: str = ""  # what it fell back on instead
    final: bool = True  # False: the file is usable, but a fallback; build it again next time


class Renderer(Protocol):
    """A way of turning a Briefing into the bytes of one output file."""

    name: str

    def render(self, briefing: Briefing, ctx: RenderContext, layout: Layout | None = None) -> Rendered:
        """Return the finished file; ``layout`` is an earlier format's layout of the same Briefing."""
        ...


class Paginator(Renderer, Protocol):
    """A renderer that lays out pages, and so decides the cut to a page budget for every format."""

    def layout(self, briefing: Briefing, ctx: RenderContext) -> Layout:
        """Return the layout (and cut) ``render`` would give ``briefing``, without making the file."""
        ...


def get_paginator() -> Paginator:
    """Return the renderer of the first paginated format (PDF), which decides page-budget cuts."""
    name = next(spec.name for spec in FORMATS.values() if spec.paginated)
    renderer: Paginator = get_renderer(name)  # type: ignore[assignment]
    return renderer


def get_renderer(name: str) -> Renderer:
    """Return the renderer of format ``name``, importing its module now."""
    module_name, class_name = format_spec(name).renderer.split(":")
    renderer: Renderer = getattr(importlib.import_module(module_name), class_name)()
    return renderer
