"""Fit a briefing to its audience's page budget: lay it out, cut, lay it out again.

The cut is a prefix of the briefing's ``cut_order`` (assemble/fit.py). The smallest
prefix whose body fits is found by laying out 1, 2, 4, ... statements cut until one
fits, then halving the gap: a body a few lines over costs two or three layouts, and the
same briefing always gets the same cut. If even the whole order does not fit, the
target fails, or (``over_budget: warn``) keeps the whole cut and the build warns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.fit import Cut, cut_order
from briefgen.errors import RenderError
from briefgen.render.registry import Layout


@dataclass(frozen=True)
class Fitted:
    """A briefing laid out with a cut: the laid-out document and where its layout put things."""

    document: Any  # the WeasyPrint document, to write
    layout: Layout  # its pages, body pages and the cut


def fit(briefing: Briefing, lay_out: Callable[[Cut], Fitted]) -> Fitted:
    """Return ``briefing`` laid out (by ``lay_out``) with the smallest cut that fits its page budget."""
    budget = briefing.page_budget
    tried: dict[int, Fitted] = {}
    order = cut_order(briefing.parts) if budget is not None else ()

    def at(n: int) -> Fitted:
        if n not in tried:
            tried[n] = lay_out(Cut(order[:n]))
        return tried[n]

    def fits(n: int) -> bool:
        body = at(n).layout.body_pages
        return budget is None or body is None or body <= budget

    if fits(0):
        return at(0)
    # Gallop to a cut that fits, then halve the gap: the smallest n with fits(n), since a
    # longer cut never lengthens the body.
    low, high = 0, 1
    while high < len(order) and not fits(high):
        low, high = high, min(2 * high, len(order))
    if not order or not fits(high):
        return _over_budget(briefing, at(len(order)))
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if fits(middle) else (middle, high)
    return at(high)


def _over_budget(briefing: Briefing, fitted: Fitted) -> Fitted:
    """Fail a body still over budget with everything optional cut, unless its profile says warn."""
    if briefing.over_budget == "warn":
        return fitted
    cut = len(fitted.layout.cut.dropped) if fitted.layout.cut else 0
    what = f"even with all {cut} optional statements cut" if cut else "and has no optional statements to cut"
    raise RenderError(
        f"body is {fitted.layout.body_pages} pages {what}, over the {briefing.page_budget}-page budget of "
        f"audience {briefing.audience_id!r}; shorten the content, raise page_budget, or set "
        "over_budget: warn in the audience's profile"
    )
