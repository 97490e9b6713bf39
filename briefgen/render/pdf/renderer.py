"""Render a Briefing to PDF: the HTML renderer's output laid out by WeasyPrint."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from briefgen.assemble.briefing import Briefing
from briefgen.errors import BriefgenError, RenderError, SecurityError
from briefgen.files import read_regular
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.html.document import STYLESHEET, THEME_CSS, font_face_css, render_html, theme_css
from briefgen.render.images import image_problem
from briefgen.render.pdf.guard import check_document, check_html, dropped_resources, short
from briefgen.render.registry import RenderContext, Rendered

log = logging.getLogger(__name__)

MIME = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".gif": "image/gif",
}
MAX_RESOURCE_BYTES = 20 * 1024 * 1024


class Refused(FatalURLFetchingError):  # type: ignore[misc]
    """A resource request the fetcher refused; stops the render (never silently dropped)."""


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Serve only regular files from the template folders; refuse everything else.

    Relative URLs resolve against the first template folder; a path missing there is
    looked up along the search path, so an override folder need not copy fonts or CSS.
    """

    def __init__(self, dirs: TemplateDirs) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.dirs = dirs
        # WeasyPrint swallows even fatal errors inside SVG drawing; remember every refusal.
        self.refusals: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Return the file behind ``url`` or raise Refused naming it."""
        try:
            return self._fetch(url)
        except Refused as exc:
            self.refusals.append(str(exc))
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            raise Refused(
                f"refused to use {short(url, 60)!r}: data: URLs are not allowed; "
                "save the file in the template folder and refer to it by name"
            )
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise Refused(f"refused to fetch {short(url)!r}: only files in the template folders may be used")
        path = Path(unquote(parts.path))
        name = self._template_name(path)
        if name is None:
            raise Refused(f"refused to fetch {short(url)!r}: it lies outside the template folders")
        try:
            found = self.dirs.find(name)
        except SecurityError as exc:
            raise Refused(f"refused to fetch {short(url)!r}: {exc}") from None
        if found is None:
            raise Refused(f"resource {name!r} (from {short(url)!r}) not found in the template folders")
        mime = MIME.get(found.suffix.lower())
        if mime is None:
            raise Refused(f"resource {name!r} has a file type that is not served ({found.suffix or 'none'})")
        data = _read_regular(found, name)
        if mime.startswith("image/"):
            problem = image_problem(data, found.suffix)
            if problem:
                raise Refused(f"refused to use {name!r}: {problem}")
        return URLFetcherResponse(found.as_uri(), data, {"Content-Type": mime})

    def _template_name(self, path: Path) -> str | None:
        # Not resolved: a '..' or a link must be judged by TemplateDirs.find, not folded away.
        for folder in self.dirs.dirs:
            try:
                rel = path.relative_to(folder)
            except ValueError:
                continue
            return rel.as_posix()
        return None


def _read_regular(path: Path, name: str) -> bytes:
    """Read a regular file of at most MAX_RESOURCE_BYTES; never block on a pipe or device."""
    try:
        return read_regular(path, MAX_RESOURCE_BYTES)
    except FileNotFoundError:
        raise Refused(f"resource {name!r} not found in the template folders") from None
    except BriefgenError as exc:
        raise Refused(f"refused to fetch {name!r}: {exc.problems[0].message if exc.problems else exc}") from None


def base_url(dirs: TemplateDirs) -> str:
    """Return the URL relative references in the HTML resolve against."""
    return dirs.dirs[0].as_uri() + "/"


def html_to_pdf(html: str, dirs: TemplateDirs) -> tuple[bytes, int]:
    """Lay out ``html`` with WeasyPrint; return the PDF bytes and the page count."""
    pdf, document = _layout(html, dirs)
    return pdf, len(document.pages)


@dataclass
class _Styles:
    """Stylesheets and fonts parsed once and reused for every target of a worker."""

    key: tuple[object, ...]
    font_config: Any
    sheets: list[Any]


_STYLES: dict[tuple[TemplateDirs, str], _Styles] = {}


def shared_styles(ctx: RenderContext) -> _Styles:
    """Return the theme's parsed stylesheets and font configuration, parsing them on first use.

    Parsing briefing.css and registering the font faces cost ~15% of a render; they depend
    only on the template folders and the theme, so a worker parses them once. The key also
    holds each file's size and mtime, so a long-lived process notices an edited stylesheet.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    names = [STYLESHEET] + ([ctx.theme.stylesheet_url] if ctx.theme.stylesheet_url else [])
    files = [ctx.dirs.find(name) for name in [*names, THEME_CSS]] + list(ctx.theme.files)
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p is not None)
    cache_key = (ctx.dirs, ctx.theme.spec.model_dump_json())
    cached = _STYLES.get(cache_key)
    if cached is not None and cached.key == key:
        return cached
    fetcher = ProjectFetcher(ctx.dirs)
    font_config = FontConfiguration()
    url = base_url(ctx.dirs)
    try:
        # All of these are "user" stylesheets to WeasyPrint; kept in document order (fonts,
        # theme, briefing.css, theme stylesheet) they cascade exactly as the linked ones do.
        sheets = [
            CSS(
                string=font_face_css(ctx) + "\n" + theme_css(ctx),
                base_url=url,
                url_fetcher=fetcher,
                font_config=font_config,
            )
        ]
        sheets += [CSS(url=url + name, url_fetcher=fetcher, font_config=font_config) for name in names]
    except FatalURLFetchingError as exc:
        raise SecurityError(str(exc.__cause__ or exc)) from None
    if fetcher.refusals:
        raise SecurityError(fetcher.refusals[0])
    _STYLES[cache_key] = styles = _Styles(key, font_config, sheets)
    return styles


def _layout(html: str, dirs: TemplateDirs, styles: _Styles | None = None) -> tuple[bytes, Any]:
    check_html(html)
    fetcher = ProjectFetcher(dirs)
    with dropped_resources() as dropped:
        try:
            document = HTML(string=html, base_url=base_url(dirs), url_fetcher=fetcher).render(
                stylesheets=styles.sheets if styles else None,
                font_config=styles.font_config if styles else None,
            )
            if not fetcher.refusals and not dropped:
                check_document(document)
                pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
        except Refused as exc:
            raise SecurityError(str(exc)) from None
        except FatalURLFetchingError as exc:
            raise SecurityError(str(exc.__cause__ or exc)) from None
        except RecursionError:
            raise RenderError("layout nested too deeply for WeasyPrint; simplify the template") from None
        except (BriefgenError, MemoryError):
            raise  # ours, or for the worker pool to report against its memory limit
        except Exception as exc:  # WeasyPrint fails in many ways on absurd CSS (1e9px fonts, ...)
            raise RenderError(
                f"WeasyPrint could not lay out the document ({type(exc).__name__}: {exc}); "
                "look for extreme sizes or values in the template and CSS"
            ) from None
    # WeasyPrint swallows some failures (inside SVG, damaged images) and goes on without the
    # resource; a briefing missing a picture must fail, not pass unnoticed.
    if fetcher.refusals:
        raise SecurityError(fetcher.refusals[0])
    if dropped:
        raise RenderError(f"WeasyPrint could not use a resource: {dropped[0]}; fix or remove it")
    assert isinstance(pdf, bytes)
    return pdf, document


def body_pages(document: Any, first_anchor: str | None, end_anchor: str) -> int | None:
    """Count pages from the one holding ``first_anchor`` to the one holding ``end_anchor``."""
    if first_anchor is None:
        return None
    where = {name: index for index, page in enumerate(document.pages) for name in page.anchors}
    if first_anchor not in where:
        return None
    last = where.get(end_anchor, len(document.pages) - 1)
    return last - where[first_anchor] + 1


class PdfRenderer:
    """PDF output through WeasyPrint."""

    name = "pdf"

    def render(self, briefing: Briefing, ctx: RenderContext) -> Rendered:
        """Return the PDF of ``briefing`` and its page count."""
        styles = shared_styles(ctx)
        pdf, document = _layout(render_html(briefing, ctx, shared_styles=True), ctx.dirs, styles)
        first = briefing.parts[0].anchor if briefing.parts else None
        return Rendered(pdf, len(document.pages), body_pages(document, first, "sources"))
