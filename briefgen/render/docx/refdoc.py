"""Make a theme's Word reference document: every style the DOCX renderer uses, nothing else.

Styling lives in the reference .docx (as with pandoc's --reference-doc), so users can
restyle Word output by editing that file in Word. This module regenerates the built-in
ones from a theme's colours and fonts: ``python -m briefgen.render.docx.refdoc THEME_DIR``.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from briefgen.assemble.briefing import WORD_STYLES
from briefgen.content.yamlread import read_yaml
from briefgen.project.themes import ThemeSpec
from briefgen.render.docx import styles
from briefgen.render.docx.parts import deterministic_zip
from briefgen.render.docx.props import write_app_properties

FONT_TABLE = "word/fontTable.xml"
WORD_FAMILY = {"serif": "roman", "sans-serif": "swiss"}
# Every style the renderers name (one map, shared with the HTML class names) plus the
# ones Word's own furniture uses: fields in headers, TOC levels, footnotes, links.
REQUIRED_STYLES = tuple(
    dict.fromkeys(
        [
            "Normal",
            *WORD_STYLES.values(),
            "Header",
            "Footer",
            "TOC 1",
            "TOC 2",
            "TOC Number",
            "Cover Kicker",
            "Cover Label",
            "Note Reference",
            "Hyperlink",
            "footnote text",
            "footnote reference",
        ]
    )
)


def _page(doc: docx.document.Document, spec: ThemeSpec) -> None:
    """Give the reference document the theme's paper and margins, so Word users start there."""
    section = doc.sections[0]
    width, height = spec.page.size_mm()
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = Mm(spec.page.margin_top_mm)
    section.bottom_margin = Mm(spec.page.margin_bottom_mm)
    section.left_margin = Mm(spec.page.margin_inner_mm)
    section.right_margin = Mm(spec.page.margin_outer_mm)


def _declare_fonts(data: bytes, spec: ThemeSpec) -> bytes:
    """Declare the theme's fonts in the font table with a generic family and an alternative.

    Word cannot fall back along a list as CSS does; where the first font is missing it
    substitutes by the declared family (swiss = sans, roman = serif) and the altName.
    """
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == FONT_TABLE:
                table = parse_xml(body)
                declared = {el.get(f"{w}name") for el in table.iter(f"{w}font")}
                for role, names in (("heading", spec.fonts.heading), ("body", spec.fonts.body)):
                    if names[0] in declared:
                        continue
                    declared.add(names[0])
                    font = table.makeelement(f"{w}font", {f"{w}name": names[0]})
                    family = WORD_FAMILY[spec.fonts.generic("heading" if role == "heading" else "body")]
                    if len(names) > 1:
                        font.append(font.makeelement(f"{w}altName", {f"{w}val": names[1]}))
                    font.append(font.makeelement(f"{w}family", {f"{w}val": family}))
                    font.append(font.makeelement(f"{w}pitch", {f"{w}val": "variable"}))
                    table.append(font)
                body = serialize_part_xml(table)
            dst.writestr(info, body)
    return out.getvalue()


def build_reference(spec: ThemeSpec) -> bytes:
    """Return the bytes of a reference .docx styled from ``spec``."""
    doc = docx.Document()
    styles.text_styles(doc, spec)
    styles.heading_styles(doc, spec)
    styles.furniture_styles(doc, spec)
    styles.builtin_names(doc)
    styles.table_style(doc, spec)
    styles.character_styles(doc, spec)
    styles.bullets(doc, spec)
    _page(doc, spec)
    _slim(doc)
    # python-docx's template carries one empty paragraph; a reference holds styles only.
    body_el = doc.element.body
    for child in list(body_el):
        if child.tag != qn("w:sectPr"):
            body_el.remove(child)
    doc.add_paragraph("This document holds the Word styles of a briefgen theme.", style="Body Text")
    doc.paragraphs[0].add_run().add_break(WD_BREAK.LINE)
    write_app_properties(doc)
    doc.core_properties.title = f"briefgen reference document: {spec.name}"
    doc.core_properties.author = "briefgen"
    buffer = io.BytesIO()
    doc.save(buffer)
    return deterministic_zip(_declare_fonts(buffer.getvalue(), spec))


def _slim(doc: docx.document.Document) -> None:
    """Drop what every render would parse for nothing: unused and latent styles, extra parts.

    python-docx's template carries ~160 styles, a 430 KB stylesWithEffects part and a
    thumbnail; keeping only the styles briefgen uses makes each render's load ~5x faster.
    Word re-creates built-in styles on demand, so a user editing the reference loses nothing.
    """
    from docx.styles import BabelFish

    root = doc.styles.element
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)
    keep = {n.lower() for n in REQUIRED_STYLES} | {"default paragraph font", "normal table", "no list"}
    for style in list(root.findall(qn("w:style"))):
        name_el = style.find(qn("w:name"))
        name = BabelFish.internal2ui(name_el.get(qn("w:val"))) if name_el is not None else ""
        if name.lower() not in keep and style.get(qn("w:default")) not in ("1", "true"):
            root.remove(style)
    for rel in list(doc.part.rels.values()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            del doc.part.rels[rel.rId]
    package_rels = doc.part.package.rels
    for rel in list(package_rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rel.rId]


def main(argv: list[str]) -> int:
    """Regenerate THEME_DIR/reference.docx from THEME_DIR/theme.yaml."""
    for folder in map(Path, argv):
        spec = ThemeSpec.model_validate(read_yaml(folder / "theme.yaml").data)
        target = folder / spec.reference_docx
        target.write_bytes(build_reference(spec))
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
