"""Real Word footnotes and endnotes for python-docx documents: the notes part, references and styles.

python-docx has no notes parts, so these build them by hand. Footnotes and endnotes are
the same structure under other names (ECMA-376 17.11): a part of w:footnote or
w:endnote elements, with separator notes first, cited by w:footnoteReference or
w:endnoteReference runs; one NoteKind says which names a Notes object writes.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, ClassVar, cast

import docx.document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.paragraph import CT_P
from docx.parts.story import StoryPart
from docx.shared import Pt
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph

from briefgen.assemble.markup import xml_text


@dataclass(frozen=True)
class NoteKind:
    """The names one kind of Word note goes by: its part, elements and built-in styles."""

    name: str  # "footnote" | "endnote": the element names are w:<name>, w:<name>s, w:<name>Reference, ...
    partname: str
    content_type: str
    reltype: str
    # Word stores its built-in style names in lower case and matches them by name, so a
    # localized Word still finds "footnote text" even where the style id is translated.
    text_style: str
    reference_style: str
    text_style_id: str
    reference_style_id: str

    def element(self, suffix: str = "") -> str:
        """Return the prefixed name w:<name><suffix> ("Reference", "Ref", "s", "Pr")."""
        return f"w:{self.name}{suffix}"

    def tag(self, suffix: str = "") -> str:
        """Return the qualified tag of w:<name><suffix>, for finding elements."""
        return qn(self.element(suffix))


FOOTNOTE = NoteKind(
    "footnote", "/word/footnotes.xml", CT.WML_FOOTNOTES, RT.FOOTNOTES,
    "footnote text", "footnote reference", "FootnoteText", "FootnoteReference",
)  # fmt: skip
ENDNOTE = NoteKind(
    "endnote", "/word/endnotes.xml", CT.WML_ENDNOTES, RT.ENDNOTES,
    "endnote text", "endnote reference", "EndnoteText", "EndnoteReference",
)  # fmt: skip
PARTNAME = FOOTNOTE.partname
TEXT_STYLE = FOOTNOTE.text_style
REFERENCE_STYLE = FOOTNOTE.reference_style

_INTEGER = re.compile(r"-?[0-9]+")
# Word's own order and ids: separator -1, continuation separator 0, notes from 1.
_SEPARATORS = (("separator", "w:separator", -1), ("continuationSeparator", "w:continuationSeparator", 0))


class Footnotes:
    """Real Word footnotes for one python-docx Document."""

    kind: ClassVar[NoteKind] = FOOTNOTE

    def __init__(self, document: docx.document.Document) -> None:
        """Find or create the document's notes part, ready for new notes."""
        self._document = document
        self.part = _notes_part(document, self.kind)
        _ensure_separators(self.part.element, self.kind)
        ids = note_ids(self.part.element, self.kind)
        _prune_settings_refs(document.settings.element, set(ids), self.kind)
        self._next_id = max([0, *ids]) + 1
        self._style_ids: tuple[str, str] | None = None

    def add(self, paragraph: Paragraph, runs: list[tuple[str, bool, bool]], *, reorder: bool = True) -> int:
        """Cite a new footnote at the end of ``paragraph``; return its id, which ascends in body order.

        A writer adding many notes in body order may pass ``reorder=False`` and call
        ``reorder()`` once at the end: each reorder scans the whole body.
        """
        # A reference outside the body (header, footer, detached paragraph) would leave a
        # note nothing cites; Word rejects the first two and drops the note on save.
        if self._document.element.body not in paragraph._p.iterancestors():
            raise ValueError(f"{self.kind.name} references belong in the document body, not a header or footer")
        text_id, ref_id = self._styles()
        note_id = self._next_id
        self._next_id += 1
        _add_mark(paragraph, self.kind.element("Reference"), ref_id, note_id)
        note = self._note(note_id, text_id, ref_id, runs)
        self.part.element.append(note)
        if reorder:
            self._follow_citations()
        return int(note.get(qn("w:id")))

    def reorder(self) -> None:
        """Renumber and reorder notes to follow the body's references (see _follow_citations)."""
        self._follow_citations()

    def ensure_styles(self) -> None:
        """Create the note's Text and Reference styles (Footnote Text, ...) if the document lacks them."""
        text = find_style(self._document, self.kind.text_style, WD_STYLE_TYPE.PARAGRAPH)
        if text is None:
            text = _new_text_style(self._document, self.kind)
        ref = find_style(self._document, self.kind.reference_style, WD_STYLE_TYPE.CHARACTER)
        if ref is None:
            ref = _new_reference_style(self._document, self.kind)
        self._style_ids = (text.style_id, ref.style_id)

    def _note(self, note_id: int, text_id: str, ref_id: str, runs: list[tuple[str, bool, bool]]) -> Any:
        """Return a w:footnote (w:endnote): one Text-styled paragraph, the number mark, a space, the runs."""
        note = OxmlElement(f"w:{self.kind.name}", {qn("w:id"): str(note_id)})
        p = cast(CT_P, OxmlElement("w:p"))
        note.append(p)
        p.get_or_add_pPr().style = text_id
        body = Paragraph(p, self.part)
        _add_mark(body, self.kind.element("Ref"), ref_id, None)
        body.add_run(" ")
        for text, bold, italic in runs:
            # xml_text, not clean_text: spaces at run edges separate a bold run from its neighbours.
            clean = xml_text(text)
            if not clean:
                continue
            run = body.add_run(clean)
            # Only set what is on: an explicit "off" would override a bold Footnote Text style.
            if bold:
                run.bold = True
            if italic:
                run.italic = True
        return note

    def _follow_citations(self) -> None:
        """Renumber and reorder notes to follow the body's references; drop uncited notes."""
        # LibreOffice 7 ignores the id a reference names: with one note it shows the first in
        # the part, with more it deals notes out in ascending id order. Word goes by id. They
        # agree only if ids ascend in citation order, the part lists notes in that order, and
        # no uncited note (a template's) sits among them; Word drops uncited notes on save.
        root = self.part.element
        notes = {
            note_id: note
            for note in root.iterchildren(self.kind.tag())
            if note.get(qn("w:type")) in (None, "normal") and (note_id := _id_of(note)) is not None
        }
        refs: dict[int, list[Any]] = {}
        for ref in self._document.element.body.iter(self.kind.tag("Reference")):
            note_id = _id_of(ref)
            if note_id in notes:
                refs.setdefault(note_id, []).append(ref)
        cited = list(refs)
        if cited == list(notes) and cited == sorted(cited):
            return
        # Hand the same ids out again in citation order, so the highest id never changes.
        for old, new in zip(cited, sorted(cited), strict=True):
            notes[old].set(qn("w:id"), str(new))
            for ref in refs[old]:
                ref.set(qn("w:id"), str(new))
        for old, note in notes.items():
            if old not in refs:
                root.remove(note)
        for old in cited:
            root.append(notes[old])

    def _styles(self) -> tuple[str, str]:
        """Return the (paragraph, character) style ids, creating the styles on first use."""
        if self._style_ids is None:
            self.ensure_styles()
        assert self._style_ids is not None
        return self._style_ids


def find_style(document: docx.document.Document, name: str, style_type: WD_STYLE_TYPE) -> BaseStyle | None:
    """Return the style of ``style_type`` named ``name`` (any letter case), or None."""
    style: BaseStyle
    for style in document.styles:
        if style.type == style_type and (style.name or "").lower() == name.lower():
            return style
    return None


class Endnotes(Footnotes):
    """Real Word endnotes for one python-docx Document, numbered 1, 2, 3 like the other formats."""

    kind: ClassVar[NoteKind] = ENDNOTE

    def __init__(self, document: docx.document.Document) -> None:
        """Find or create the endnotes part, and number endnotes in Arabic numerals (Word's are i, ii, iii)."""
        super().__init__(document)
        _decimal_endnotes(document)


# The children that may follow w:endnotePr, in schema order (ECMA-376 CT_Settings, CT_SectPr).
_AFTER_ENDNOTE_PR_IN_SETTINGS = (
    "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
_AFTER_ENDNOTE_PR_IN_SECTION = (
    "w:type", "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols",
    "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
    "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip


def _decimal_endnotes(document: docx.document.Document) -> None:
    """Number endnotes 1, 2, 3 in the document settings and in every section (Word reads either)."""
    holders: list[tuple[Any, tuple[str, ...]]] = [(document.settings.element, _AFTER_ENDNOTE_PR_IN_SETTINGS)]
    holders += [(section._sectPr, _AFTER_ENDNOTE_PR_IN_SECTION) for section in document.sections]
    for holder, successors in holders:
        props = holder.find(qn("w:endnotePr"))
        if props is None:
            props = OxmlElement("w:endnotePr")
            holder.insert_element_before(props, *successors)
        fmt = props.find(qn("w:numFmt"))
        if fmt is None:
            fmt = OxmlElement("w:numFmt")
            pos = props.find(qn("w:pos"))  # CT_EdnDocProps: pos, numFmt, numStart, numRestart, endnote*
            if pos is not None:
                pos.addnext(fmt)
            else:
                props.insert(0, fmt)
        fmt.set(qn("w:val"), "decimal")


def note_ids(root: Any, kind: NoteKind = FOOTNOTE) -> list[int]:
    """Return the ids of every w:footnote (or w:endnote) under ``root``, in document order."""
    ids = (_id_of(note) for note in root.iterchildren(kind.tag()))
    return [i for i in ids if i is not None]


def _id_of(element: Any) -> int | None:
    """Return an element's integer w:id, or None if it has none or it is malformed."""
    value = element.get(qn("w:id"), "")
    return int(value) if _INTEGER.fullmatch(value) else None


def _notes_part(document: docx.document.Document, kind: NoteKind) -> StoryPart:
    """Return the footnotes (endnotes) part related from the main document, creating it if absent."""
    main = document.part
    for rel in list(main.rels.values()):
        if rel.reltype == kind.reltype and not rel.is_external:
            part = rel.target_part
            if isinstance(part, StoryPart):
                return part
            return _as_story_part(main, rel.rId, part, kind)
    package = main.package
    assert package is not None
    partname = PackURI(kind.partname)
    if any(p.partname == partname for p in package.iter_parts()):
        partname = package.next_partname(kind.partname.replace(".xml", "%d.xml"))
    element = parse_xml(f"<w:{kind.name}s {nsdecls('w', 'r')}/>")
    part = StoryPart(partname, kind.content_type, element, package)
    main.relate_to(part, kind.reltype)
    return part


def _as_story_part(main: Part, r_id: str, part: Part, kind: NoteKind) -> StoryPart:
    """Replace a notes part python-docx loaded as opaque bytes with an editable one."""
    # python-docx has no notes part class, so a template's footnotes.xml arrives as a
    # plain Part whose bytes would be saved unchanged; swap in a parsed part under the same
    # name and rId, keeping its own relationships (images, links inside existing notes).
    package = part.package
    assert package is not None
    story = cast(StoryPart, StoryPart.load(part.partname, part.content_type, part.blob, package))
    for rel in part.rels.values():
        target = rel.target_ref if rel.is_external else rel.target_part
        story.rels.add_relationship(rel.reltype, target, rel.rId, rel.is_external)
    main.rels.add_relationship(kind.reltype, story, r_id)
    return story


def _ensure_separators(root: Any, kind: NoteKind) -> None:
    """Add the separator and continuation-separator notes Word requires, if missing."""
    kinds = {note.get(qn("w:type")) for note in root.iterchildren(kind.tag())}
    used = set(note_ids(root, kind))
    for kind_name, mark, preferred in _SEPARATORS:
        if kind_name in kinds:
            continue
        note_id = next(i for i in itertools.chain((preferred,), itertools.count(-2, -1)) if i not in used)
        used.add(note_id)
        note = OxmlElement(f"w:{kind.name}", {qn("w:type"): kind_name, qn("w:id"): str(note_id)})
        # Only the mark: Word repairs a separator that also carries a footnoteRef or style.
        p, r = OxmlElement("w:p"), OxmlElement("w:r")
        r.append(OxmlElement(mark))
        p.append(r)
        note.append(p)
        normal = [n for n in root.iterchildren(kind.tag()) if n.get(qn("w:type")) in (None, "normal")]
        if normal:
            normal[0].addprevious(note)
        else:
            root.append(note)


def _prune_settings_refs(settings: Any, ids: set[int], kind: NoteKind) -> None:
    """Drop settings.xml references to separator notes that the notes part lacks."""
    # Word reports "footnotes referenced in this document are missing or corrupt" when
    # settings point at ids that do not exist (a template with a half-removed footnotes part).
    props = settings.find(kind.tag("Pr"))
    if props is None:
        return
    for ref in props.findall(kind.tag()):
        if _id_of(ref) not in ids:
            props.remove(ref)


def _add_mark(paragraph: Paragraph, tag: str, style_id: str, note_id: int | None) -> None:
    """Append a run styled ``style_id`` holding one footnote mark element."""
    run = paragraph.add_run()
    run._r.get_or_add_rPr().style = style_id
    attrs = {qn("w:id"): str(note_id)} if note_id is not None else None
    run._r.append(OxmlElement(tag, attrs))


def _new_text_style(document: docx.document.Document, kind: NoteKind) -> ParagraphStyle:
    """Add Word's Footnote (Endnote) Text: 10 pt, single-spaced, no gap between notes."""
    style = _new_style(document, kind.text_style, WD_STYLE_TYPE.PARAGRAPH, kind.text_style_id)
    assert isinstance(style, ParagraphStyle)
    style.font.size = Pt(10)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    return style


def _new_reference_style(document: docx.document.Document, kind: NoteKind) -> CharacterStyle:
    """Add Word's Footnote (Endnote) Reference: a superscript character style."""
    style = _new_style(document, kind.reference_style, WD_STYLE_TYPE.CHARACTER, kind.reference_style_id)
    style.font.superscript = True
    return style


def _new_style(
    document: docx.document.Document, name: str, style_type: WD_STYLE_TYPE, style_id: str
) -> CharacterStyle:
    """Add a built-in style as Word defines it: lower-case name, hidden until used."""
    styles = document.styles
    taken = {s.style_id for s in styles}
    style: CharacterStyle = styles.add_style(name, style_type, builtin=True)
    candidates = itertools.chain((style_id,), (f"{style_id}{n}" for n in itertools.count(1)))
    style.style_id = next(c for c in candidates if c not in taken)
    style.base_style = styles.default(style_type)
    style.priority = 99
    style.hidden = True
    style.unhide_when_used = True
    return style
