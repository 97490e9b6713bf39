"""Real Word footnotes: package structure, numbering, styles, reuse of a template's notes."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any, cast

import docx
import docx.document
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.paragraph import CT_P
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph
from lxml import etree

from briefgen.render.docx.notes import REFERENCE_STYLE, TEXT_STYLE, Footnotes, find_style, note_ids
from briefgen.render.docx.parts import deterministic_zip

REPO = Path(__file__).resolve().parents[3]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTES = [
    [
        ("Alpha note, ", False, False),
        ("bold", True, False),
        (" then ", False, False),
        ("italic", False, True),
    ],
    [("Beta note.", False, False)],
    [("Gamma note.", False, False)],
]

# Child order from the WordprocessingML schema (ECMA-376 CT_PPr, CT_RPr, CT_Style), enough
# for everything this module or python-docx writes; an unknown child fails the check too.
# fmt: off
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"
)
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
    "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
    "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"
)
STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr",
    "rPr", "tblPr", "trPr", "tcPr", "tblStylePr"
)
# fmt: on


def _three_notes(document: docx.document.Document | None = None) -> tuple[docx.document.Document, list[int]]:
    """Return a document with notes 1 on the first paragraph and 2, 3 on the second."""
    doc = document or docx.Document()
    first = doc.add_paragraph("First paragraph.")
    second = doc.add_paragraph("Second paragraph.")
    notes = Footnotes(doc)
    ids = [notes.add(first, NOTES[0]), notes.add(second, NOTES[1]), notes.add(second, NOTES[2])]
    return doc, ids


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _reopen(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _part_xml(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def _notes(root: Any) -> list[tuple[int, str | None, str]]:
    """Return (id, type, text) for each footnote, in document order."""
    return [
        (int(n.get(f"{W}id")), n.get(f"{W}type"), "".join(n.itertext()))
        for n in root.iterchildren(f"{W}footnote")
    ]


def _refs(paragraph: Paragraph) -> list[int]:
    return [int(el.get(qn("w:id"))) for el in paragraph._p.iter(qn("w:footnoteReference"))]


def _check_order(root: Any) -> None:
    """Assert the schema's child order for paragraphs, runs, their properties and styles."""
    for p in root.iter(f"{W}p"):
        assert all(child.tag != f"{W}pPr" for child in p[1:]), "w:pPr must come first in w:p"
    for r in root.iter(f"{W}r"):
        assert all(child.tag != f"{W}rPr" for child in r[1:]), "w:rPr must come first in w:r"
    for tag, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER), ("style", STYLE_ORDER)):
        for element in root.iter(f"{W}{tag}"):
            names = [etree.QName(child).localname for child in element]
            assert set(names) <= set(order), f"unexpected child in w:{tag}: {names}"
            positions = [order.index(name) for name in names]
            assert positions == sorted(positions), f"w:{tag} children out of order: {names}"


def _with_footnotes_part(data: bytes, footnotes_xml: str, rels_xml: str | None = None) -> bytes:
    """Add a footnotes part the way Word or LibreOffice would store it in a template."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "[Content_Types].xml":
                override = f'<Override PartName="/word/footnotes.xml" ContentType="{CT.WML_FOOTNOTES}"/>'
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            elif name == "word/_rels/document.xml.rels":
                rel = f'<Relationship Id="rId90" Type="{RT.FOOTNOTES}" Target="footnotes.xml"/>'
                content = content.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            dst.writestr(name, content)
        dst.writestr("word/footnotes.xml", footnotes_xml)
        if rels_xml:
            dst.writestr("word/_rels/footnotes.xml.rels", rels_xml)
    return out.getvalue()


def _foreign_template() -> bytes:
    """Return a LibreOffice-shaped template: separators 0 and 1, odd style ids, note 7 cited, 2 not."""
    doc = docx.Document()
    cite = doc.add_paragraph("Template body.").add_run()._r
    cite.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="7"/>'))
    text = doc.styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    text.style_id = "Footnote"
    ref = doc.styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    ref.style_id = "FootnoteAnchor"
    settings = doc.settings.element
    settings.append(
        parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="0"/><w:footnote w:id="1"/></w:footnotePr>')
    )
    body = (
        '<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="Footnote"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="FootnoteAnchor"/></w:rPr><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> {text}</w:t></w:r>{extra}</w:p></w:footnote>'
    )
    link = '<w:hyperlink r:id="rId1"><w:r><w:t>link</w:t></w:r></w:hyperlink>'
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w", "r")}>'
        '<w:footnote w:id="0" w:type="separator"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1" w:type="continuationSeparator"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        + body.format(n=2, text="Template note two.", extra="")
        + body.format(n=7, text="Template note seven.", extra=link)
        + "</w:footnotes>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RT.HYPERLINK}" Target="https://example.org/" TargetMode="External"/>'
        "</Relationships>"
    )
    return _with_footnotes_part(_save(doc), footnotes, rels)


def test_three_notes_round_trip_through_python_docx() -> None:
    doc, ids = _three_notes()
    assert ids == [1, 2, 3]
    reopened = _reopen(_save(doc))
    parts = {str(p.partname): p for p in reopened.part.package.iter_parts()}
    part = parts["/word/footnotes.xml"]
    assert part.content_type == CT.WML_FOOTNOTES
    assert reopened.part.part_related_by(RT.FOOTNOTES) is part
    notes = _notes(etree.fromstring(part.blob))
    assert [(n, kind) for n, kind, _ in notes] == [
        (-1, "separator"),
        (0, "continuationSeparator"),
        (1, None),
        (2, None),
        (3, None),
    ]
    assert [text for _, kind, text in notes if kind is None] == [
        " Alpha note, bold then italic",
        " Beta note.",
        " Gamma note.",
    ]
    first, second = reopened.paragraphs
    assert (_refs(first), _refs(second)) == ([1], [2, 3])
    assert first.text == "First paragraph." and second.runs[-1]._r[-1].tag == qn("w:footnoteReference")
    assert second.runs[-1].style is not None and second.runs[-1].style.name == REFERENCE_STYLE


def test_package_lists_the_part_once() -> None:
    data = _save(_three_notes()[0])
    types = _part_xml(data, "[Content_Types].xml")
    overrides = [o for o in types if o.get("PartName") == "/word/footnotes.xml"]
    assert [o.get("ContentType") for o in overrides] == [CT.WML_FOOTNOTES]
    rels = _part_xml(data, "word/_rels/document.xml.rels")
    assert [r.get("Target") for r in rels if r.get("Type") == RT.FOOTNOTES] == ["footnotes.xml"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist().count("word/footnotes.xml") == 1


def test_ids_unique_sequential_and_separators_bare() -> None:
    root = _part_xml(_save(_three_notes()[0]), "word/footnotes.xml")
    assert note_ids(root) == [-1, 0, 1, 2, 3]
    for note in root.iterchildren(f"{W}footnote"):
        kind = note.get(f"{W}type")
        if kind is not None:
            # Word repairs a separator note that carries anything beyond its mark.
            assert [etree.QName(el).localname for el in note.iter()] == ["footnote", "p", "r", kind]


def test_element_order_follows_schema() -> None:
    data = _save(_three_notes()[0])
    root = _part_xml(data, "word/footnotes.xml")
    assert all(child.tag == f"{W}footnote" for child in root)
    for note in root:
        assert len(note) and all(child.tag == f"{W}p" for child in note)
    for name in ("word/footnotes.xml", "word/document.xml", "word/styles.xml"):
        _check_order(_part_xml(data, name))


def test_note_runs_carry_mark_space_and_formatting() -> None:
    doc = docx.Document()
    para = doc.add_paragraph("Body.")
    note_id = Footnotes(doc).add(
        para, [("A\x00b\x1f", False, False), ("\tbold\x0b", True, True), ("", True, False)]
    )
    root = _part_xml(_save(doc), "word/footnotes.xml")
    note = next(n for n in root if n.get(f"{W}id") == str(note_id))
    p = note[0]
    assert p[0][0].tag == f"{W}pStyle" and p[0][0].get(f"{W}val") == "FootnoteText"
    mark, space, plain, bold = p[1:]
    assert mark.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "FootnoteReference"
    assert mark.find(f"{W}footnoteRef") is not None
    assert space.findtext(f"{W}t") == " "
    assert plain.findtext(f"{W}t") == "Ab" and plain.find(f"{W}rPr") is None
    assert [etree.QName(el).localname for el in bold] == ["rPr", "tab", "t"]
    assert [etree.QName(el).localname for el in bold[0]] == ["b", "i"]
    assert bold.findtext(f"{W}t") == "bold"


def test_styles_created_once_as_word_defines_them() -> None:
    doc = docx.Document()
    assert find_style(doc, TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH) is None
    notes = Footnotes(doc)
    notes.ensure_styles()
    notes.ensure_styles()
    notes.add(doc.add_paragraph("x"), [("y", False, False)])
    reopened = _reopen(_save(doc))
    names = [s.name.lower() for s in reopened.styles]
    assert names.count(TEXT_STYLE) == 1 and names.count(REFERENCE_STYLE) == 1
    text = find_style(reopened, "Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    ref = find_style(reopened, "Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    assert isinstance(text, ParagraphStyle) and isinstance(ref, CharacterStyle)
    assert (text.style_id, ref.style_id) == ("FootnoteText", "FootnoteReference")
    assert text.base_style is not None and text.base_style.name == "Normal"
    assert text.font.size is not None and text.font.size.pt == 10
    assert ref.font.superscript is True


def test_existing_styles_found_by_name_not_id() -> None:
    doc = _reopen(_foreign_template())
    before = len(list(doc.styles))
    para = doc.add_paragraph("Body.")
    Footnotes(doc).add(para, [("Note.", False, False)])
    assert len(list(doc.styles)) == before
    assert para.runs[-1].style is not None and para.runs[-1].style.style_id == "FootnoteAnchor"
    root = _part_xml(_save(doc), "word/footnotes.xml")
    assert root[-1].find(f"{W}p/{W}pPr/{W}pStyle").get(f"{W}val") == "Footnote"


def test_template_footnotes_part_is_reused_and_numbering_continues() -> None:
    doc = _reopen(_foreign_template())
    notes = Footnotes(doc)
    assert notes.add(doc.add_paragraph("Later."), [("Eighth.", False, False)]) == 8
    # A second Footnotes over the same document (another renderer pass) keeps counting.
    assert Footnotes(doc).add(doc.add_paragraph("Then."), [("Ninth.", False, False)]) == 9
    data = _save(doc)
    found = _notes(_part_xml(data, "word/footnotes.xml"))
    # Uncited note 2 is gone: LibreOffice would otherwise print it under our first number.
    assert [(n, kind) for n, kind, _ in found] == [
        (0, "separator"),
        (1, "continuationSeparator"),
        (7, None),
        (8, None),
        (9, None),
    ]
    assert [text for _, _, text in found[2:]] == [" Template note seven.link", " Eighth.", " Ninth."]
    assert [_refs(p) for p in _reopen(data).paragraphs] == [[7], [8], [9]]
    types = _part_xml(data, "[Content_Types].xml")
    assert sum(o.get("PartName") == "/word/footnotes.xml" for o in types) == 1
    rels = _part_xml(data, "word/_rels/document.xml.rels")
    assert [r.get("Id") for r in rels if r.get("Type") == RT.FOOTNOTES] == ["rId90"]
    # The hyperlink inside the template's note keeps its relationship.
    note_rels = _part_xml(data, "word/_rels/footnotes.xml.rels")
    assert [(r.get("Id"), r.get("Target")) for r in note_rels] == [("rId1", "https://example.org/")]
    settings = _part_xml(data, "word/settings.xml")
    assert [el.get(f"{W}id") for el in settings.iter(f"{W}footnote")] == ["0", "1"]


def _out_of_order() -> tuple[docx.document.Document, list[int]]:
    """Return a document whose second paragraph got its note before the first did."""
    doc = docx.Document()
    first, second = doc.add_paragraph("Para one."), doc.add_paragraph("Para two.")
    notes = Footnotes(doc)
    ids = [notes.add(second, [("Note for para two.", False, False)])]
    ids.append(notes.add(first, [("Note for para one.", False, False)]))
    return doc, ids


def test_note_added_out_of_order_renumbers_the_later_ones() -> None:
    doc, ids = _out_of_order()
    assert ids == [1, 1]
    first, second = doc.paragraphs
    assert (_refs(first), _refs(second)) == ([1], [2])
    # Word goes by id, LibreOffice by id rank or position: ids and part order follow the body.
    found = _notes(_part_xml(_save(doc), "word/footnotes.xml"))
    assert [(n, text) for n, kind, text in found if kind is None] == [
        (1, " Note for para one."),
        (2, " Note for para two."),
    ]


def test_uncited_notes_are_dropped() -> None:
    doc, _ = _three_notes()
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p)
    assert Footnotes(doc).add(doc.add_paragraph("New."), [("Fourth.", False, False)]) == 4
    found = _notes(_part_xml(_save(doc), "word/footnotes.xml"))
    assert [(n, text) for n, kind, text in found if kind is None] == [
        (2, " Beta note."),
        (3, " Gamma note."),
        (4, " Fourth."),
    ]


def test_empty_template_part_gets_separators() -> None:
    empty = f'<?xml version="1.0" encoding="UTF-8"?>\n<w:footnotes {nsdecls("w")}/>'
    doc = _reopen(_with_footnotes_part(_save(docx.Document()), empty))
    assert Footnotes(doc).add(doc.add_paragraph("x"), [("y", False, False)]) == 1
    root = _part_xml(_save(doc), "word/footnotes.xml")
    assert [(n, kind) for n, kind, _ in _notes(root)] == [
        (-1, "separator"),
        (0, "continuationSeparator"),
        (1, None),
    ]


def test_settings_references_to_missing_notes_are_dropped() -> None:
    doc = docx.Document()
    doc.settings.element.append(
        parse_xml(
            f'<w:footnotePr {nsdecls("w")}><w:numFmt w:val="lowerRoman"/>'
            '<w:footnote w:id="-1"/><w:footnote w:id="0"/><w:footnote w:id="5"/></w:footnotePr>'
        )
    )
    _three_notes(doc)
    settings = _part_xml(_save(doc), "word/settings.xml")
    props = settings.find(f"{W}footnotePr")
    assert [etree.QName(el).localname for el in props] == ["numFmt", "footnote", "footnote"]
    assert [el.get(f"{W}id") for el in props.iter(f"{W}footnote")] == ["-1", "0"]


def test_settings_untouched_without_footnote_properties() -> None:
    before = _part_xml(_save(docx.Document()), "word/settings.xml")
    after = _part_xml(_save(_three_notes()[0]), "word/settings.xml")
    assert etree.tostring(before) == etree.tostring(after)


def test_reference_outside_body_is_refused() -> None:
    doc = docx.Document()
    notes = Footnotes(doc)
    header_para = doc.sections[0].header.paragraphs[0]
    detached = Paragraph(cast(CT_P, OxmlElement("w:p")), doc.sections[0].header)
    for para in (header_para, detached):
        with pytest.raises(ValueError, match="document body"):
            notes.add(para, [("x", False, False)])
    assert note_ids(notes.part.element) == [-1, 0]


def test_reference_in_table_cell_is_allowed() -> None:
    doc = docx.Document()
    cell_para = doc.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0]
    assert Footnotes(doc).add(cell_para, [("In a cell.", False, False)]) == 1
    assert _refs(cell_para) == [1]


def test_project_reference_docx() -> None:
    doc = docx.Document(str(REPO / "templates" / "themes" / "default" / "reference.docx"))
    _, ids = _three_notes(doc)
    assert ids == [1, 2, 3]
    reopened = _reopen(_save(doc))
    assert find_style(reopened, TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH) is not None
    assert find_style(reopened, REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER) is not None


def test_same_input_gives_identical_bytes() -> None:
    doc = _three_notes()[0]
    first = deterministic_zip(_save(doc))
    assert deterministic_zip(_save(doc)) == first
    assert deterministic_zip(_save(_three_notes()[0])) == first


def _soffice() -> str:
    """Return LibreOffice's path; fail under CI=true, else skip, when it is missing."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail("CI=true but LibreOffice is not on PATH (apt-get install libreoffice-writer-nogui)")
    pytest.skip("LibreOffice (soffice or libreoffice) is not on PATH; footnote rendering not checked")


def test_deferred_reorder_gives_the_same_document() -> None:
    """Adding in body order with one reorder at the end equals reordering after each add."""
    import io

    import docx

    from briefgen.render.docx.notes import Footnotes

    def make(defer: bool) -> bytes:
        document = docx.Document()
        notes = Footnotes(document)
        for i in range(5):
            paragraph = document.add_paragraph(f"Statement {i}.")
            notes.add(paragraph, [(f"Source {i}", False, False)], reorder=not defer)
        if defer:
            notes.reorder()
        return (
            document.part.package.part_related_by(
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
            )
            .part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")
            .blob
        )

    assert make(True) == make(False)
    assert io.BytesIO(make(True)).getvalue().count(b"<w:footnote ") == 7  # 2 separators + 5 notes
