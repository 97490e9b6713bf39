"""Embed the theme's fonts in a Word file as ECMA-376 asks: subset, obfuscated, declared in the font table.

Word and LibreOffice then show the theme's fonts on machines that lack them. Only the
faces the document's text uses are embedded (the styles are resolved run by run), each
cut down to the Windows-1252 repertoire (what Western European text and Word's own
autocorrect type: accents, smart quotes, dashes, bullets) plus any other character the
text uses, so a reader can still correct a word in the same font. The repertoire subset
of each face is made once per process and reused by every document.

Obfuscation (ECMA-376 Part 1, 17.8.1): the first 32 bytes of the font are XORed with
the 16 bytes of the font key GUID, read in reverse; the key is derived from the font
bytes, so the same font gives the same file every build. python-docx has no font
embedding and docx writers for Python (docxcompose, docxtpl) neither, hence this module.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from briefgen.project.themes import Theme
from briefgen.render.fonts import subset_font

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# Windows-1252's printable characters: ASCII, Latin-1 and the 27 extra C1-range ones.
REPERTOIRE = frozenset(
    bytes(range(0x20, 0x7F)).decode("cp1252")
    + bytes(b for b in range(0x80, 0x100) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)).decode("cp1252")
)
_SLOTS = {
    (False, False): "w:embedRegular",
    (True, False): "w:embedBold",
    (False, True): "w:embedItalic",
    (True, True): "w:embedBoldItalic",
}
# CT_Settings elements that come after embedTrueTypeFonts/saveSubsetFonts (schema order).
_SETTINGS_AFTER = (
    "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors",
    "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles",
    "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
    "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
    "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop",
)  # fmt: skip

FaceKey = tuple[str, bool, bool]  # family, bold, italic


@dataclass(frozen=True)
class _Style:
    based_on: str | None
    font: str | None
    bold: bool | None
    italic: bool | None


def _toggle(rpr: Any, tag: str) -> bool | None:
    element = rpr.find(qn(tag)) if rpr is not None else None
    if element is None:
        return None
    return element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _font(rpr: Any) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:ascii")) if fonts is not None else None


class _Resolver:
    """Resolves the font, bold and italic of a run from the style chain, as Word does."""

    def __init__(self, styles_root: Any) -> None:
        self.styles: dict[str, _Style] = {}
        self.default_para: str | None = None
        for style in styles_root.iterchildren(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            based = style.find(qn("w:basedOn"))
            rpr = style.find(qn("w:rPr"))
            self.styles[sid] = _Style(
                based.get(qn("w:val")) if based is not None else None, _font(rpr), _toggle(rpr, "w:b"), _toggle(rpr, "w:i")
            )
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                self.default_para = sid
        defaults = styles_root.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        self.default_font = _font(rpr)

    def chain(self, style_id: str | None, attribute: str) -> Any:
        seen = 0
        while style_id is not None and style_id in self.styles and seen < 32:
            value = getattr(self.styles[style_id], attribute)
            if value is not None:
                return value
            style_id, seen = self.styles[style_id].based_on, seen + 1
        return None

    def face(self, paragraph_style: str | None, run: Any) -> FaceKey | None:
        rpr = run.find(qn("w:rPr"))
        run_style_el = rpr.find(qn("w:rStyle")) if rpr is not None else None
        run_style = run_style_el.get(qn("w:val")) if run_style_el is not None else None
        para = paragraph_style or self.default_para

        def pick(direct: Any, attribute: str) -> Any:
            if direct is not None:
                return direct
            from_run = self.chain(run_style, attribute)
            return from_run if from_run is not None else self.chain(para, attribute)

        font = pick(_font(rpr), "font") or self.default_font
        if font is None:
            return None
        return font, bool(pick(_toggle(rpr, "w:b"), "bold")), bool(pick(_toggle(rpr, "w:i"), "italic"))


def used_text(doc: Document) -> dict[FaceKey, set[str]]:
    """Return, for each (family, bold, italic) the document's text is set in, the characters it shows."""
    resolver = _Resolver(doc.styles.element)
    roots = [doc.element.body]
    for rel in doc.part.rels.values():
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES):
            element = getattr(rel.target_part, "element", None)
            roots.append(element if element is not None else parse_xml(rel.target_part.blob))
    used: dict[FaceKey, set[str]] = {}
    for root in roots:
        for p in root.iter(qn("w:p")):
            style_el = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            para_style = style_el.get(qn("w:val")) if style_el is not None else None
            for run in p.iterchildren(qn("w:r"), qn("w:hyperlink")):
                for r in [run] if run.tag == qn("w:r") else list(run.iterchildren(qn("w:r"))):
                    text = "".join(t.text or "" for t in r.iterchildren(qn("w:t")))
                    face = resolver.face(para_style, r)
                    if face is not None and (text or r.find(qn("w:footnoteReference")) is not None):
                        used.setdefault(face, set()).update(text)
    return used


@lru_cache(maxsize=64)
def _subset(path: str, stamp: tuple[int, int], extra: frozenset[str]) -> bytes:
    """Return the font at ``path`` cut down to the repertoire and ``extra`` (``stamp``: its size and mtime)."""
    return subset_font(Path(path), "".join(sorted(REPERTOIRE | extra)), flavor=None)


def subset_face(path: Path, chars: set[str]) -> bytes:
    """Return the face at ``path`` cut down to the repertoire plus ``chars`` (both cases)."""
    extra = frozenset(c for ch in chars if ch not in REPERTOIRE for c in {ch, ch.upper(), ch.lower()} if len(c) == 1)
    info = path.stat()
    return _subset(str(path), (info.st_size, info.st_mtime_ns), extra)


def font_key(data: bytes) -> str:
    """Return the font key GUID of font ``data``: derived from its bytes, so builds repeat."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """Return font ``data`` obfuscated with GUID ``key`` (ECMA-376 Part 1, 17.8.1); it is its own inverse."""
    mask = uuid.UUID(key).bytes[::-1]
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _faces(theme: Theme) -> dict[FaceKey, Path]:
    return {
        (face.family, face.weight == "bold", face.style == "italic"): path
        for face, path in zip(theme.spec.fonts.faces, theme.face_files, strict=True)
    }


def _nearest(faces: dict[FaceKey, Path], key: FaceKey) -> FaceKey | None:
    """Return the shipped face a client would draw ``key`` from (it slants or emboldens the nearest)."""
    family, bold, italic = key
    for candidate in ((family, bold, italic), (family, bold, False), (family, False, italic), (family, False, False)):
        if candidate in faces:
            return candidate
    return None


def embed_fonts(doc: Document, theme: Theme) -> list[FaceKey]:
    """Embed, subset, every theme face the document's text uses; return the faces embedded."""
    faces = _faces(theme)
    wanted: dict[FaceKey, set[str]] = {}
    for key, chars in used_text(doc).items():
        near = _nearest(faces, key)
        if near is not None:
            wanted.setdefault(near, set()).update(chars)
    if not wanted:
        return []
    table_part = next(
        rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.FONT_TABLE and not rel.is_external
    )
    table = parse_xml(table_part.blob)
    package = doc.part.package
    for index, key in enumerate(sorted(wanted), 1):
        data = subset_face(faces[key], wanted[key])
        guid = font_key(data)
        part = Part(PackURI(f"/word/fonts/font{index}.odttf"), OBFUSCATED_FONT, obfuscate(data, guid), package)
        r_id = table_part.relate_to(part, RT.FONT)
        _declare(table, key, r_id, guid)
    table_part._blob = serialize_part_xml(table)
    _settings(doc.settings.element)
    return sorted(wanted)


def _declare(table: Any, key: FaceKey, r_id: str, guid: str) -> None:
    family, bold, italic = key
    font = next((f for f in table.iterchildren(qn("w:font")) if f.get(qn("w:name")) == family), None)
    if font is None:
        font = OxmlElement("w:font", {qn("w:name"): family})
        table.append(font)
    slot = _SLOTS[(bold, italic)]
    for old in font.findall(qn(slot)):
        font.remove(old)
    embed = OxmlElement(slot, {qn("r:id"): r_id, qn("w:fontKey"): guid, qn("w:subsetted"): "1"})
    # Embeds follow every other child, in Regular, Bold, Italic, BoldItalic order.
    order = list(_SLOTS.values())
    later = [c for c in font if c.tag in {qn(s) for s in order[order.index(slot) + 1 :]}]
    if later:
        later[0].addprevious(embed)
    else:
        font.append(embed)


def _settings(settings: Any) -> None:
    """Ask Word to keep the fonts embedded (subset) when it saves the file again."""
    anchor = next((c for c in settings if c.tag in {qn(f"w:{n}") for n in _SETTINGS_AFTER}), None)
    for name in ("embedTrueTypeFonts", "saveSubsetFonts"):
        if settings.find(qn(f"w:{name}")) is not None:
            continue
        element = OxmlElement(f"w:{name}")
        if anchor is not None:
            anchor.addprevious(element)
        else:
            settings.append(element)
