"""Render a Briefing to PDF: the HTML renderer's output laid out by WeasyPrint."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.fit import Cut, apply_cut
from briefgen.errors import BriefgenError, Location, RenderError, SecurityError
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.coverage import coverage_warnings
from briefgen.render.html.document import STYLESHEET, THEME_CSS, font_face_css, render_html, theme_css
from briefgen.render.pdf.fetcher import ProjectFetcher, Refused, base_url
from briefgen.render.pdf.fit import Fitted, fit
from briefgen.render.pdf.guard import check_document, check_html, dropped_resources
from briefgen.render.registry import Layout, RenderContext, Rendered
from briefgen.render.titles import short_cover

log = logging.getLogger(__name__)


def html_to_pdf(html: str, dirs: TemplateDirs) -> tuple[bytes, int]:
    """Lay out ``html`` with WeasyPrint; return the PDF bytes and the page count."""
    laid = lay_out(html, dirs)
    return write_pdf(laid), len(laid.document.pages)


@dataclass(frozen=True)
class LaidOut:
    """A document WeasyPrint laid out, and the fetcher it keeps using while the PDF is drawn."""

    document: Any
    fetcher: ProjectFetcher


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


@contextmanager
def _weasyprint_errors(fetcher: ProjectFetcher) -> Iterator[list[str]]:
    """Turn WeasyPrint's failures into briefgen errors; yield the list of resources it dropped."""
    with dropped_resources() as dropped:
        try:
            yield dropped
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


def lay_out(html: str, dirs: TemplateDirs, styles: _Styles | None = None) -> LaidOut:
    """Lay ``html`` out in pages with WeasyPrint (no PDF written yet)."""
    check_html(html)
    fetcher = ProjectFetcher(dirs)
    with _weasyprint_errors(fetcher):
        document = HTML(string=html, base_url=base_url(dirs), url_fetcher=fetcher).render(
            stylesheets=styles.sheets if styles else None,
            font_config=styles.font_config if styles else None,
        )
    check_document(document)
    return LaidOut(document, fetcher)


def write_pdf(laid: LaidOut) -> bytes:
    """Return the PDF of a laid-out document (tagged, PDF/UA-1)."""
    # Drawing fetches what layout did not (images inside SVG): the same fetcher guards it.
    with _weasyprint_errors(laid.fetcher):
        pdf = laid.document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    assert isinstance(pdf, bytes)
    return pdf


def body_pages(document: Any, anchors: Iterable[str]) -> int | None:
    """Count the pages from the first to the last page holding any of ``anchors`` (the body's parts).

    A part that runs over several pages is on each of them (WeasyPrint lists its id on
    every page it reaches), so the first page is where the first part starts and the last
    where the last part ends, whichever part is the long one.
    """
    wanted = set(anchors)
    pages = [index for index, page in enumerate(document.pages) if wanted.intersection(page.anchors)]
    if not pages:
        return None
    return pages[-1] - pages[0] + 1


def cover_pages(document: Any) -> int:
    """Return how many pages the cover (the element ``#cover``) reaches."""
    return sum(1 for page in document.pages if "cover" in page.anchors)


def _cover_error(briefing: Briefing, pages: int) -> BriefgenError:
    lengths = f"title {len(briefing.title)}, subtitle {len(briefing.subtitle)}, purpose {len(briefing.purpose)}"
    return RenderError.at(
        briefing.where or Location(""),
        f"the cover of the {briefing.audience_id!r} briefing runs onto {pages} pages ({lengths} characters)",
        code="render.cover-overflow",
        hint="shorten the title, the subtitle or the audience's purpose",
    )


def _fitted(briefing: Briefing, ctx: RenderContext) -> tuple[Fitted, tuple[str, ...]]:
    """Lay ``briefing`` out, cut to its page budget (fit.py), its cover on one page; say what was shortened.

    A long title sets smaller (render/titles.py); a cover still too long has its long
    details (an audience's purpose) cut at a word, as the Word cover does, with a warning.
    """
    fitted = _fit(briefing, ctx)
    pages = cover_pages(fitted.document.document)
    if pages <= 1:
        return fitted, ()
    shortened, warnings = short_cover(briefing)
    if not warnings:
        raise _cover_error(briefing, pages)
    fitted = _fit(shortened, ctx)
    pages = cover_pages(fitted.document.document)
    if pages > 1:
        raise _cover_error(briefing, pages)
    return fitted, warnings


def _fit(briefing: Briefing, ctx: RenderContext) -> Fitted:
    """Lay ``briefing`` out, cut to its page budget (fit.py)."""
    styles = shared_styles(ctx)

    def lay_out_with(cut: Cut) -> Fitted:
        shown = apply_cut(briefing, cut)
        laid = lay_out(render_html(shown, ctx, styles="shared"), ctx.dirs, styles)
        pages = laid.document.pages
        body = body_pages(laid.document, [part.anchor for part in shown.parts])
        placed = tuple((name, number) for number, page in enumerate(pages, 1) for name in page.anchors)
        return Fitted(laid, Layout(len(pages), body, placed, cut))

    return fit(briefing, lay_out_with)


class PdfRenderer:
    """PDF output through WeasyPrint, cut to the audience's page budget."""

    name = "pdf"

    def render(self, briefing: Briefing, ctx: RenderContext, layout: Layout | None = None) -> Rendered:
        """Return the PDF of ``briefing`` fitted to its budget, its page count and where each element went."""
        fitted, warnings = _fitted(briefing, ctx)
        pdf = write_pdf(fitted.document)
        shown = apply_cut(briefing, fitted.layout.cut)
        warnings += coverage_warnings(shown, ctx.theme.face_files, "PDF")
        return Rendered(pdf, fitted.layout.pages, fitted.layout.body_pages, fitted.layout, warnings)

    def layout(self, briefing: Briefing, ctx: RenderContext) -> Layout:
        """Return the layout (and the cut) the PDF of ``briefing`` gets, without writing the PDF."""
        return _fitted(briefing, ctx)[0].layout
