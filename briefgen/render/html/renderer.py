"""The HTML format: one self-contained page per briefing, readable on screen and printable.

The same templates as the PDF, with the stylesheets, fonts and images carried inside
the file (inline.py) and a screen stylesheet (templates/screen.css, overridable) on top
of the print one. Source notes become linked endnotes: a screen has no page foot.
"""

from __future__ import annotations

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.furniture import for_format
from briefgen.formats import FORMATS
from briefgen.render.coverage import coverage_warnings
from briefgen.render.html.document import STYLESHEET, render_html, theme_css
from briefgen.render.html.inline import MARKER, Inliner, font_faces_css
from briefgen.render.registry import Layout, RenderContext, Rendered

SCREEN_STYLESHEET = "screen.css"


class HtmlRenderer:
    """Self-contained HTML: no script, nothing fetched, fonts subset to the page's text."""

    name = "html"

    def render(self, briefing: Briefing, ctx: RenderContext, layout: Layout | None = None) -> Rendered:
        """Return the page as UTF-8."""
        inliner = Inliner(ctx.dirs)
        theme = ctx.theme
        logo = inliner.resource_url(theme.logo_url, theme.logo_url) if theme.logo_url else None
        sheets = [inliner.css(theme_css(ctx)), inliner.stylesheet(STYLESHEET)]
        if theme.stylesheet_url:
            sheets.append(inliner.stylesheet(theme.stylesheet_url))
        if ctx.dirs.find(SCREEN_STYLESHEET) is not None:
            sheets.append(inliner.stylesheet(SCREEN_STYLESHEET))
        shown = for_format(briefing, FORMATS[self.name])
        page = inliner.document(render_html(shown, ctx, styles="inline", inline_css=MARKER, logo=logo))
        css = "\n".join(sheets)
        # Every character the page or its stylesheets show (generated text included).
        fonts = font_faces_css(zip(theme.spec.fonts.faces, theme.face_files, strict=True), page + css)
        page = page.replace(MARKER, f"\n{fonts}\n{css}\n", 1)
        return Rendered(
            page.encode("utf-8"), warnings=coverage_warnings(shown, theme.face_files, "HTML page")
        )
