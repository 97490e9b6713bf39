"""Real Word footnotes for python-docx documents: the footnotes part, references and styles."""

from __future__ import annotations

import itertools
import re
from typing import Any, cast

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

PARTNAME = "/word/footnotes.xml"
# Word stores its built-in style names in lower case and matches them by name, so a
# localized Word still finds "footnote text" even where the style id is translated.
TEXT_STYLE = "footnote text"
REFERENCE_STYLE = "footnote reference"

_INTEGER = re.compile(r"-?[0-9]+")
# Word's own order and ids: separator -1, continuation separator 0, notes from 1.
_SEPARATORS = (("separator", "w:separator", -1), ("continuationSeparator", "w:continuationSeparator", 0))


class Footnotes:
    """Real Word footnotes for one python-docx Document."""

    def __init__(self, document: docx.document.Document) -> None:
        """Find or create the document's footnotes part, ready for new notes."""
        self._document = document
        self.part = _footnotes_part(document)
        _ensure_separators(self.part.element)
        ids = note_ids(self.part.element)
        _prune_settings_refs(document.settings.element, set(ids))
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
            raise ValueError("footnote references belong in the document body, not a header or footer")
        text_id, ref_id = self._styles()
        note_id = self._next_id
        self._next_id += 1
        _add_mark(paragraph, "w:footnoteReference", ref_id, note_id)
        note = self._note(note_id, text_id, ref_id, runs)
        self.part.element.append(note)
        if reorder:
            self._follow_citations()
        return int(note.get(qn("w:id")))

    def reorder(self) -> None:
        """Renumber and reorder notes to follow the body's references (see _follow_citations)."""
        self._follow_citations()

    def ensure_styles(self) -> None:
        """Create the Footnote Text and Footnote Reference styles if the document lacks them."""
        text = find_style(self._document, TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        if text is None:
            text = _new_text_style(self._document)
        ref = find_style(self._document, REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER)
        if ref is None:
            ref = _new_reference_style(self._document)
        self._style_ids = (text.style_id, ref.style_id)

    def _note(self, note_id: int, text_id: str, ref_id: str, runs: list[tuple[str, bool, bool]]) -> Any:
        """Return a w:footnote: one Footnote Text paragraph, the number mark, a space, the runs."""
        note = OxmlElement("w:footnote", {qn("w:id"): str(note_id)})
        p = cast(CT_P, OxmlElement("w:p"))
        note.append(p)
        p.get_or_add_pPr().style = text_id
        body = Paragraph(p, self.part)
        _add_mark(body, "w:footnoteRef", ref_id, None)
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
            for note in root.iterchildren(qn("w:footnote"))
            if note.get(qn("w:type")) in (None, "normal") and (note_id := _id_of(note)) is not None
        }
        refs: dict[int, list[Any]] = {}
        for ref in self._document.element.body.iter(qn("w:footnoteReference")):
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


def note_ids(root: Any) -> list[int]:
    """Return the ids of every w:footnote under ``root``, in document order."""
    ids = (_id_of(note) for note in root.iterchildren(qn("w:footnote")))
    return [i for i in ids if i is not None]


def _id_of(element: Any) -> int | None:
    """Return an element's integer w:id, or None if it has none or it is malformed."""
    value = element.get(qn("w:id"), "")
    return int(value) if _INTEGER.fullmatch(value) else None


def _footnotes_part(document: docx.document.Document) -> StoryPart:
    """Return the footnotes part related from the main document, creating it if absent."""
    main = document.part
    for rel in list(main.rels.values()):
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            part = rel.target_part
            if isinstance(part, StoryPart):
                return part
            return _as_story_part(main, rel.rId, part)
    package = main.package
    assert package is not None
    partname = PackURI(PARTNAME)
    if any(p.partname == partname for p in package.iter_parts()):
        partname = package.next_partname("/word/footnotes%d.xml")
    element = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}/>")
    part = StoryPart(partname, CT.WML_FOOTNOTES, element, package)
    main.relate_to(part, RT.FOOTNOTES)
    return part


def _as_story_part(main: Part, r_id: str, part: Part) -> StoryPart:
    """Replace a footnotes part python-docx loaded as opaque bytes with an editable one."""
    # python-docx has no footnotes part class, so a template's footnotes.xml arrives as a
    # plain Part whose bytes would be saved unchanged; swap in a parsed part under the same
    # name and rId, keeping its own relationships (images, links inside existing notes).
    package = part.package
    assert package is not None
    story = cast(StoryPart, StoryPart.load(part.partname, part.content_type, part.blob, package))
    for rel in part.rels.values():
        target = rel.target_ref if rel.is_external else rel.target_part
        story.rels.add_relationship(rel.reltype, target, rel.rId, rel.is_external)
    main.rels.add_relationship(RT.FOOTNOTES, story, r_id)
    return story


def _ensure_separators(root: Any) -> None:
    """Add the separator and continuation-separator notes Word requires, if missing."""
    kinds = {note.get(qn("w:type")) for note in root.iterchildren(qn("w:footnote"))}
    used = set(note_ids(root))
    for kind, mark, preferred in _SEPARATORS:
        if kind in kinds:
            continue
        note_id = next(i for i in itertools.chain((preferred,), itertools.count(-2, -1)) if i not in used)
        used.add(note_id)
        note = OxmlElement("w:footnote", {qn("w:type"): kind, qn("w:id"): str(note_id)})
        # Only the mark: Word repairs a separator that also carries a footnoteRef or style.
        p, r = OxmlElement("w:p"), OxmlElement("w:r")
        r.append(OxmlElement(mark))
        p.append(r)
        note.append(p)
        normal = [n for n in root.iterchildren(qn("w:footnote")) if n.get(qn("w:type")) in (None, "normal")]
        if normal:
            normal[0].addprevious(note)
        else:
            root.append(note)


def _prune_settings_refs(settings: Any, ids: set[int]) -> None:
    """Drop settings.xml references to separator notes that the footnotes part lacks."""
    # Word reports "footnotes referenced in this document are missing or corrupt" when
    # settings point at ids that do not exist (a template with a half-removed footnotes part).
    props = settings.find(qn("w:footnotePr"))
    if props is None:
        return
    for ref in props.findall(qn("w:footnote")):
        if _id_of(ref) not in ids:
            props.remove(ref)


def _add_mark(paragraph: Paragraph, tag: str, style_id: str, note_id: int | None) -> None:
    """Append a run styled ``style_id`` holding one footnote mark element."""
    run = paragraph.add_run()
    run._r.get_or_add_rPr().style = style_id
    attrs = {qn("w:id"): str(note_id)} if note_id is not None else None
    run._r.append(OxmlElement(tag, attrs))


def _new_text_style(document: docx.document.Document) -> ParagraphStyle:
    """Add Word's Footnote Text: 10 pt, single-spaced, no gap between notes."""
    style = _new_style(document, TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH, "FootnoteText")
    assert isinstance(style, ParagraphStyle)
    style.font.size = Pt(10)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    return style


def _new_reference_style(document: docx.document.Document) -> CharacterStyle:
    """Add Word's Footnote Reference: a superscript character style."""
    style = _new_style(document, REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER, "FootnoteReference")
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
