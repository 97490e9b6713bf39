"""One table of format facts: config, plan, cache, workers and the registry all read it.

A format is one renderer module plus one entry here (Sphinx builders declare their
traits the same way). Nothing here imports a renderer: planning a build, hashing its
inputs and answering from the cache never pay for WeasyPrint or python-docx.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from briefgen.errors import ConfigError

# Every render reads the inline-Markdown parser's output; these shape every format's bytes.
_COMMON = ("markdown-it-py",)
_TEMPLATES = ("jinja2", "markupsafe")


@dataclass(frozen=True)
class FormatSpec:
    """What the rest of briefgen needs to know about one output format."""

    name: str
    suffix: str
    renderer: str  # "module:Class", imported only when rendering
    libraries: tuple[str, ...]  # distributions whose versions change the bytes
    # Template-side files that change the bytes: any file on the search path (Jinja
    # templates, CSS, fonts, images), or only the theme's own files.
    reads: Literal["search-path", "theme"]
    settings: tuple[str, ...] = ()  # RenderContext fields that change the bytes
    # "module:function" a build runs over the files of this format its workers wrote
    # (Word: LibreOffice numbers the contents), batched, so a slow tool starts once; the
    # module's wanted(ctx) says whether it has work (results wait for it only then).
    finisher: str | None = None
    paginated: bool = False  # the renderer counts pages (and the body pages, for the budget)
    footnotes: bool = False  # can set notes at the foot of a page; if not, footnotes become endnotes
    description: str = ""

    @property
    def module(self) -> str:
        """Return the module holding the renderer."""
        return self.renderer.split(":", 1)[0]


FORMATS: dict[str, FormatSpec] = {
    spec.name: spec
    for spec in (
        FormatSpec(
            "pdf",
            ".pdf",
            "briefgen.render.pdf.renderer:PdfRenderer",
            (
                "weasyprint",
                "pydyf",
                "fonttools",
                "tinycss2",
                "cssselect2",
                "tinyhtml5",
                "pyphen",
                "pillow",
                *_TEMPLATES,
                *_COMMON,
            ),
            reads="search-path",
            paginated=True,
            footnotes=True,
            description="print layout by WeasyPrint: tagged PDF/UA, footnotes, embedded fonts",
        ),
        FormatSpec(
            "docx",
            ".docx",
            "briefgen.render.docx.writer:DocxRenderer",
            ("python-docx", "lxml", "resvg-py", "cairosvg", "cairocffi", "pillow", "fonttools", "uharfbuzz", *_COMMON),
            reads="theme",
            settings=("zip_epoch", "paginator"),
            finisher="briefgen.render.docx.paginate:finish",
            footnotes=True,
            description="Word, styled by the theme's reference document",
        ),
        FormatSpec(
            "html",
            ".html",
            "briefgen.render.html.renderer:HtmlRenderer",
            ("fonttools", "uharfbuzz", "pillow", *_TEMPLATES, *_COMMON),
            reads="search-path",
            description="one self-contained web page: styles, fonts and images inline, no script",
        ),
    )
}
# What `briefgen build` makes unless briefgen.yaml or --format says otherwise. HTML is
# opt-in: briefgen serve already shows authors each briefing on screen.
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "docx")


def format_spec(name: str) -> FormatSpec:
    """Return the spec of format ``name``; refuse an unknown one, suggesting the nearest."""
    spec = FORMATS.get(name)
    if spec is None:
        close = difflib.get_close_matches(name, list(FORMATS), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"unknown format {name!r}{hint}; available: {', '.join(FORMATS)}")
    return spec
