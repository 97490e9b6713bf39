"""Read a Word document (python-docx): headings by paragraph style, list items, body text; headers and footers dropped.

Word has no line numbers, so a place in a .docx is its paragraph number in the body
(1 for the first paragraph, counting empty ones), which is what ``line`` holds.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from briefgen.errors import Location, Problem
from briefgen.ingest.document import RawDocument, Unit, build_document, normalize_space

_HEADING = re.compile(r"^(?:heading\s*\d|title|subtitle)$", re.IGNORECASE)
_LIST = re.compile(r"^list", re.IGNORECASE)


def read_docx(path: Path, data: bytes) -> RawDocument:
    """Parse .docx bytes into a RawDocument; running headers and footers are never read."""
    import docx

    document = docx.Document(io.BytesIO(data))
    units: list[Unit] = []
    warnings: list[Problem] = []
    # Only the body's paragraphs: headers and footers live in their own parts.
    for number, paragraph in enumerate(document.paragraphs, 1):
        text = normalize_space(paragraph.text)
        if not text:
            continue
        style = _style_names(paragraph)
        if any(_HEADING.match(name) for name in style):
            title = any(name.lower() == "title" for name in style)
            units.append(Unit("title" if title and not units else "heading", text, number))
        elif any(_LIST.match(name) for name in style) or _numbered(paragraph):
            units.append(Unit("item", text, number))
        else:
            units.append(Unit("text", text, number))
    if document.tables:
        count = len(document.tables)
        warnings.append(
            Problem.warning(Location.of(path), f"{count} table(s) not read; copy their text in if it matters")
        )
    return build_document(path, units, warnings)


def _style_names(paragraph: object) -> list[str]:
    """Return the paragraph's style and the styles it is based on (a custom style based on Heading 2 heads too)."""
    names: list[str] = []
    style = getattr(paragraph, "style", None)
    while style is not None and len(names) < 10:
        names.append(str(style.name or ""))
        style = style.base_style
    return names


def _numbered(paragraph: object) -> bool:
    """Tell a bulleted or numbered paragraph by its numbering properties."""
    element = getattr(paragraph, "_p", None)
    ppr = element.pPr if element is not None else None
    return ppr is not None and ppr.numPr is not None
