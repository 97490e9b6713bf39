"""docProps/app.xml: the application that made the file and figures that are true, or none.

python-docx copies app.xml from its template ("Microsoft Macintosh Word", 1 page, 0
words). briefgen writes its own: its name, the document's word, character and paragraph
counts taken from the text written, and the page count only when a layout of this very
file knows it (LibreOffice's; the PDF's pages are not the Word file's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lxml import etree  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from docx.document import Document

APP_PARTNAME = "/docProps/app.xml"
APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = (f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr")


def statistics(body: Any) -> dict[str, int]:
    """Return Word's document statistics of the main text under ``body`` (notes, header, footer excluded)."""
    words = characters = with_spaces = paragraphs = 0
    for p in body.iter(f"{_W}p"):
        # Tabs and breaks separate words as spaces do (a contents line: number, tab, text).
        text = "".join(el.text or "" if el.tag == f"{_W}t" else " " for el in p.iter(*_TEXT))
        if not text.strip():
            continue
        paragraphs += 1
        words += len(text.split())
        characters += sum(1 for c in text if not c.isspace())
        with_spaces += len(text)
    return {"Words": words, "Characters": characters, "CharactersWithSpaces": with_spaces, "Paragraphs": paragraphs}


def app_xml(figures: dict[str, int]) -> bytes:
    """Return an app.xml naming briefgen and giving ``figures`` (Pages, Words, ...)."""
    root = etree.Element(f"{{{APP_NS}}}Properties", nsmap={None: APP_NS})
    etree.SubElement(root, f"{{{APP_NS}}}Application").text = "briefgen"
    etree.SubElement(root, f"{{{APP_NS}}}DocSecurity").text = "0"
    for name in ("Pages", "Words", "Characters", "CharactersWithSpaces", "Paragraphs"):
        if name in figures:
            etree.SubElement(root, f"{{{APP_NS}}}{name}").text = str(figures[name])
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def relaid(data: bytes, pages: int, figures: dict[str, int]) -> bytes:
    """Return app.xml ``data`` with the page count ``pages`` and the text ``figures`` of a re-numbered file."""
    root = etree.fromstring(data)
    application = root.findtext(f"{{{APP_NS}}}Application") or "briefgen"
    if application != "briefgen":
        return data  # not ours to rewrite
    return app_xml({**figures, "Pages": pages})


def write_app_properties(doc: Document) -> None:
    """Replace the document's app.xml with briefgen's own, counting the text written."""
    # Here, not at the top: the build's finishing step uses this module without python-docx.
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = doc.part.package
    figures = statistics(doc.element.body)
    blob = app_xml(figures)
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = blob
            return
    part = Part(PackURI(APP_PARTNAME), CT.OFC_EXTENDED_PROPERTIES, blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)
