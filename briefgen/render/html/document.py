"""Render a Briefing to HTML through the sandboxed Jinja templates."""

from __future__ import annotations

from typing import Any, Literal

import jinja2
from markupsafe import Markup, escape

from briefgen.assemble.briefing import LABELS, Briefing, Chart
from briefgen.assemble.markup import Span, xml_safe
from briefgen.project.searchpath import TemplateDirs
from briefgen.project.themes import Theme
from briefgen.render.chart import timeline_svg
from briefgen.render.html.environment import make_environment, render_template
from briefgen.render.registry import RenderContext
from briefgen.render.titles import cover_scale, header_room, running_title, size_class, subtitle_scale

ENTRY_TEMPLATE = "briefing.html"


def inline_html(spans: tuple[Span, ...]) -> Markup:
    """Return spans as escaped HTML with their emphasis, code and links."""
    out = []
    for span in spans:
        html = str(escape(span.text))
        if span.code:
            html = f"<code>{html}</code>"
        if span.italic:
            html = f"<em>{html}</em>"
        if span.bold:
            html = f"<strong>{html}</strong>"
        if span.href:
            html = f'<a href="{escape(span.href)}">{html}</a>'
        out.append(html)
    return Markup("".join(out))


def _chart_filter(theme: Theme) -> Any:
    def chart_svg(chart: Chart) -> Markup:
        c = theme.spec.colours
        svg = timeline_svg(
            chart, colour=c.primary, accent=c.accent, muted=c.muted, fonts=theme.spec.fonts.heading
        )
        return Markup(svg)

    return chart_svg


_ENVIRONMENTS: dict[tuple[TemplateDirs, str], jinja2.Environment] = {}


def _environment(dirs: TemplateDirs, theme: Theme) -> jinja2.Environment:
    # Cached per worker so template parsing is paid once per template set, not per target.
    key = (dirs, theme.spec.model_dump_json())
    env = _ENVIRONMENTS.get(key)  # one lookup: the live preview may clear the cache meanwhile
    if env is None:
        env = make_environment(dirs, {"inline": inline_html, "chart_svg": _chart_filter(theme)})
        _ENVIRONMENTS[key] = env
    return env


def clear_environments() -> None:
    """Forget the cached environments, so edited templates are read again (live preview)."""
    _ENVIRONMENTS.clear()


STYLESHEET = "briefing.css"
THEME_CSS = "theme.css"


def font_face_css(ctx: RenderContext) -> str:
    """Return the @font-face rules for the theme's shipped font files."""
    return "\n".join(
        f'@font-face {{ font-family: "{f.family}"; src: url("{url}"); font-weight: {f.weight}; font-style: {f.style}; }}'
        for f, url in zip(ctx.theme.spec.fonts.faces, ctx.theme.face_urls, strict=True)
    )


def theme_css(ctx: RenderContext) -> str:
    """Return the theme's CSS (custom properties, page size, margins, labels) from templates/theme.css."""
    context = {"theme": ctx.theme.spec, "labels": LABELS}
    return render_template(_environment(ctx.dirs, ctx.theme), THEME_CSS, context)


StyleMode = Literal["linked", "shared", "inline"]


def render_html(
    briefing: Briefing,
    ctx: RenderContext,
    *,
    styles: StyleMode = "linked",
    inline_css: str = "",
    logo: str | None = None,
) -> str:
    """Return the complete HTML document for ``briefing``.

    ``styles`` says how the document gets its stylesheets: ``linked`` (font faces and
    theme inline, stylesheets linked: the preview and validation), ``shared`` (none: the
    PDF renderer supplies them, parsed once per worker) or ``inline`` (``inline_css`` in
    one <style>: the self-contained HTML format). ``logo`` replaces the logo's address.
    """
    spec = ctx.theme.spec
    shown = xml_safe(briefing)  # a lone surrogate or control character breaks the PDF
    context = {
        "briefing": shown,
        # A long title keeps the cover one page and the running header one line (titles.py).
        "title_class": size_class(cover_scale(shown.title)),
        "subtitle_class": size_class(subtitle_scale(shown.subtitle)),
        "running_title": running_title(shown.title, header_room(spec.page.text_width_mm())),
        "theme": spec,
        "stylesheet": STYLESHEET,
        # One source for the rules, shared with the PDF path (theme values are pattern-checked).
        "font_face_css": Markup(font_face_css(ctx)),
        "logo": logo or ctx.theme.logo_url,
        "theme_stylesheet": ctx.theme.stylesheet_url,
        "styles": styles,
        "inline_css": Markup(inline_css),
        "labels": briefing.labels,
    }
    return render_template(_environment(ctx.dirs, ctx.theme), ENTRY_TEMPLATE, context)
