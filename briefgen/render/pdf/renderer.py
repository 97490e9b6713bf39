"""Render a Briefing to PDF: the HTML renderer's output laid out by WeasyPrint."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from briefgen.assemble.briefing import Briefing
from briefgen.errors import BriefgenError, RenderError, SecurityError
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.html.document import STYLESHEET, THEME_CSS, font_face_css, render_html, theme_css
from briefgen.render.pdf.fetcher import ProjectFetcher, Refused, base_url
from briefgen.render.pdf.guard import check_document, check_html, dropped_resources
from briefgen.render.registry import Layout, RenderContext, Rendered

log = logging.getLogger(__name__)


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

    def render(self, briefing: Briefing, ctx: RenderContext, layout: Layout | None = None) -> Rendered:
        """Return the PDF of ``briefing``, its page count and where its layout put each element."""
        styles = shared_styles(ctx)
        pdf, document = _layout(render_html(briefing, ctx, styles="shared"), ctx.dirs, styles)
        first = briefing.parts[0].anchor if briefing.parts else None
        body = body_pages(document, first, "sources")
        placed = tuple((name, number) for number, page in enumerate(document.pages, 1) for name in page.anchors)
        return Rendered(pdf, len(document.pages), body, Layout(len(document.pages), body, placed))
