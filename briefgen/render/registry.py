"""Renderer registry: a format is one module declaring its name, suffix and render()."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

from briefgen.assemble.briefing import Briefing
from briefgen.errors import ConfigError
from briefgen.project.searchpath import TemplateDirs
from briefgen.project.themes import Theme

# Imported lazily so that planning a build never pays for WeasyPrint or python-docx.
REGISTRY: dict[str, str] = {
    "pdf": "briefgen.render.pdf.renderer:PdfRenderer",
    "docx": "briefgen.render.docx.writer:DocxRenderer",
    "html": "briefgen.render.html.document:HtmlRenderer",
}
BUILD_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class RenderContext:
    """What every renderer needs besides the Briefing: templates and theme."""

    dirs: TemplateDirs
    theme: Theme


@dataclass(frozen=True)
class Rendered:
    """A finished output: its bytes and, where the format knows it, its page count."""

    data: bytes
    pages: int | None = None
    body_pages: int | None = None  # pages from the first part to the list of sources


class Renderer(Protocol):
    """A way of turning a Briefing into the bytes of one output file."""

    name: str
    suffix: str

    def render(self, briefing: Briefing, ctx: RenderContext) -> Rendered:
        """Return the finished file."""
        ...


def get_renderer(name: str) -> Renderer:
    """Return the renderer registered under ``name``."""
    if name not in REGISTRY:
        raise ConfigError(f"unknown format {name!r}; available: {', '.join(REGISTRY)}")
    module_name, class_name = REGISTRY[name].split(":")
    renderer: Renderer = getattr(importlib.import_module(module_name), class_name)()
    return renderer
