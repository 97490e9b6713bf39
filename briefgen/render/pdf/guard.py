"""Guards around WeasyPrint: HTML limits before layout, load failures during it, page checks after.

WeasyPrint's time grows with elements, text and pages, and it logs a resource it
cannot use (a damaged image, an SVG it cannot parse) and carries on without it.
These checks bound what can be bounded before layout, turn every dropped resource
into a failed build, and refuse attachments and links to anything but the web.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Iterator
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from briefgen.assemble.markup import SAFE_SCHEMES
from briefgen.errors import RenderError, SecurityError
from briefgen.render.resources import short

MAX_HTML_CHARS = 2_000_000  # about 30 s of WeasyPrint layout
MAX_ELEMENTS = 20_000  # about 20 s of layout
MAX_DEPTH = 100  # WeasyPrint runs out of Python stack at about 200
MAX_PAGES = 1_000
MAX_PAGE_PT = 14_400  # the largest page side PDF readers accept (200 inches, 5080 mm)
# What WeasyPrint logs when it drops a resource instead of failing.
_DROPPED = ("Failed to load", "Failed to render SVG", "cannot be loaded", "Missing href")


def check_html(html: str) -> None:
    """Refuse HTML WeasyPrint would take too long on, or that asks for attachments, before layout."""
    if len(html) > MAX_HTML_CHARS:
        raise RenderError(
            f"the HTML is {len(html)} characters, more than the {MAX_HTML_CHARS} WeasyPrint is given; "
            "shorten the content or the template"
        )
    depth = deepest = count = 0
    events = etree.iterparse(io.BytesIO(html.encode("utf-8")), events=("start", "end"), html=True)
    try:
        for event, element in events:
            if event == "end":
                depth -= 1
                continue
            count += 1
            depth += 1
            deepest = max(deepest, depth)
            if element.tag in ("link", "a") and "attachment" in (element.get("rel") or "").lower().split():
                raise SecurityError(
                    f"the template attaches {short(element.get('href') or '(no href)')!r} to the PDF "
                    f'(<{element.tag} rel="attachment">); briefgen never embeds attachments, remove it'
                )
    except etree.XMLSyntaxError:
        pass  # libxml2 stops where HTML is beyond repair; WeasyPrint's own parser decides
    if count > MAX_ELEMENTS:
        raise RenderError(
            f"the HTML has {count} elements, more than the {MAX_ELEMENTS} allowed; simplify the template"
        )
    if deepest > MAX_DEPTH:
        raise RenderError(
            f"the HTML nests elements {deepest} deep, more than the {MAX_DEPTH} allowed; simplify the template"
        )


def check_document(document: Any) -> None:
    """Refuse a laid-out document with too many or too large pages, attachments or unsafe links."""
    pages = document.pages
    if len(pages) > MAX_PAGES:
        raise RenderError(f"the PDF would have {len(pages)} pages, more than the {MAX_PAGES} allowed")
    for number, page in enumerate(pages, 1):
        width_pt, height_pt = page.width * 0.75, page.height * 0.75  # CSS px to pt
        if max(width_pt, height_pt) > MAX_PAGE_PT:
            raise RenderError(
                f"page {number} is {width_pt / 72 * 25.4:.0f} x {height_pt / 72 * 25.4:.0f} mm; PDF pages "
                f"may be at most {MAX_PAGE_PT / 72 * 25.4:.0f} mm a side, fix the @page size"
            )
        for link_type, target, _rect, _box in page.links:
            if link_type == "attachment":
                raise SecurityError(
                    f"the template attaches {short(target)!r} to the PDF; briefgen never embeds attachments"
                )
            if link_type == "external" and not target.lower().startswith(SAFE_SCHEMES):
                raise SecurityError(
                    f"link to {short(target)!r} on page {number}: PDF links may point to http(s) or "
                    "mailto only"
                )
    if document.metadata.attachments:
        raise SecurityError("the template attaches files to the PDF; briefgen never embeds attachments")


class _Dropped(logging.Handler):
    """Collect what WeasyPrint logs about resources it dropped, in this thread only."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        message = record.getMessage()
        if message.startswith(_DROPPED) or any(part in message for part in _DROPPED):
            self.messages.append(short(message.rstrip(": "), 300))


@contextlib.contextmanager
def dropped_resources() -> Iterator[list[str]]:
    """Yield a list that fills with WeasyPrint's reports of resources it could not use."""
    logger = logging.getLogger("weasyprint")
    handler = _Dropped()
    level = logger.level
    logger.addHandler(handler)
    if not logger.isEnabledFor(logging.WARNING):
        logger.setLevel(logging.WARNING)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
