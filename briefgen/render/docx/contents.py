"""The Word contents: a real TOC field whose entries link to bookmarked headings and show page numbers.

Word's own TOC result has this shape (one paragraph per entry: a hyperlink to the
heading's bookmark holding the number, the text and a PAGEREF field), so Word opens
the file without asking to update fields and can still refresh it (F9) at any time.
The numbers written are those of a layout: LibreOffice's layout of this very file
(paginate.py rewrites every PAGEREF result) or, without LibreOffice, the PDF's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefgen.assemble.briefing import ContentsEntry

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
TOC_NUMBER_STYLE = "TOC Number"


def bookmark_names(entries: Iterable[ContentsEntry]) -> dict[str, str]:
    """Return the bookmark name of each contents entry's anchor, in contents order.

    ``_Toc`` names are Word's own for contents targets: hidden from the bookmark list.
    """
    return {entry.anchor: f"_Toc{index:08d}" for index, entry in enumerate(entries, 1)}


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Wrap the content of ``paragraph`` in bookmark ``name``."""
    start = OxmlElement("w:bookmarkStart", {qn("w:id"): str(bookmark_id), qn("w:name"): name})
    end = OxmlElement("w:bookmarkEnd", {qn("w:id"): str(bookmark_id)})
    p = paragraph._p
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        p.insert(0, start)
    else:
        ppr.addnext(start)
    p.append(end)


def _run(parent: Any, *, text: str | None = None, style: str | None = None, colour: str | None = None) -> Any:
    run = OxmlElement("w:r")
    if style or colour:
        rpr = OxmlElement("w:rPr")
        if style:
            rpr.append(OxmlElement("w:rStyle", {qn("w:val"): style}))
        if colour:
            # Also set directly: LibreOffice gives link text its own character style instead.
            rpr.append(OxmlElement("w:b"))
            rpr.append(OxmlElement("w:color", {qn("w:val"): colour.lstrip("#").upper()}))
        run.append(rpr)
    if text is None:
        run.append(OxmlElement("w:tab"))
    else:
        t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        t.text = text
        run.append(t)
    parent.append(run)
    return run


def _field_char(parent: Any, kind: str) -> None:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    parent.append(run)


def _instruction(parent: Any, text: str) -> None:
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = f" {text} "
    run.append(instr)
    parent.append(run)


def write_entries(
    entries: tuple[ContentsEntry, ...],
    names: Mapping[str, str],
    pages: Mapping[str, int],
    paragraph: Callable[[int], Paragraph],
    number_style: str | None,
    number_colour: str | None = None,
) -> None:
    """Write the TOC field: one paragraph per entry from ``paragraph(level)``, numbered from ``pages``.

    An entry whose anchor ``pages`` lacks gets an empty page number (the field refreshes it).
    """
    for index, entry in enumerate(entries):
        p = paragraph(entry.level)._p
        if index == 0:
            _field_char(p, "begin")
            _instruction(p, TOC_INSTRUCTION)
            _field_char(p, "separate")
        name = names[entry.anchor]
        link = OxmlElement("w:hyperlink", {qn("w:anchor"): name, qn("w:history"): "1"})
        p.append(link)
        if entry.number:
            _run(link, text=entry.number, style=number_style, colour=number_colour)
        _run(link)  # the tab to the text column
        _run(link, text=entry.text)
        _run(link)  # the tab to the page number, with the style's dot leader
        _field_char(link, "begin")
        _instruction(link, f"PAGEREF {name} \\h")
        _field_char(link, "separate")
        page = pages.get(entry.anchor)
        _run(link, text="" if page is None else str(page))
        _field_char(link, "end")
        if index == len(entries) - 1:
            _field_char(p, "end")
