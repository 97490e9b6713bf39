"""Fitting to the page budget in a build job: which formats follow the PDF's cut, and what the report says."""

from __future__ import annotations

from collections.abc import Callable

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.checks import as_warning, wording_problems
from briefgen.assemble.fit import describe_cut
from briefgen.formats import FORMATS
from briefgen.render.registry import Layout, RenderContext, get_paginator


def budget_warning(briefing: Briefing, body: int | None) -> str | None:
    """Return a message when a body still runs past the audience's page budget (``over_budget: warn``)."""
    if body is None or briefing.page_budget is None:
        return None
    if body <= briefing.page_budget:
        return None
    return (
        f"body is {body} pages even with every optional statement cut, over the {briefing.page_budget}-page "
        f"budget of audience {briefing.audience_id!r}; shorten the content or raise page_budget"
    )


def follows_the_cut(briefing: Briefing, fmt: str) -> bool:
    """Return whether format ``fmt`` of ``briefing`` takes its cut from a paginated layout."""
    return briefing.page_budget is not None and not FORMATS[fmt].paginated


def planned_layout(
    briefing: Briefing, ctx: RenderContext, why: Callable[[Exception], tuple[str, str]]
) -> tuple[Layout | None, tuple[str, str] | None]:
    """Return the PDF's layout of ``briefing``, laid out but not written, or (``why``) its failure's message and code."""
    try:
        return get_paginator().layout(briefing, ctx), None
    except Exception as exc:  # reported against each target that needed the cut
        return None, why(exc)


def target_warnings(briefing: Briefing, layout: Layout | None) -> list[str]:
    """Return what the build report says about a rendered briefing: its cut, its overrun, its wording."""
    warnings = [as_warning(problem) for problem in wording_problems(briefing)]
    if layout is not None and layout.cut:
        warnings.append(describe_cut(briefing, layout.cut))
    overrun = budget_warning(briefing, layout.body_pages if layout else None)
    if overrun:
        warnings.append(overrun)
    return warnings
