"""The Word cover, drawn as the PDF draws it: marking bands, an optional dark page, one page always.

The cover is its own section with no margins, holding one table as tall as the page:
a shaded band row with the marking, the body row (shaded when the theme's cover has a
background) and a band row at the foot. Rows have exact heights, so the cover is one
page in Word and LibreOffice alike; text that would not fit is shortened, with a warning.
Fills come from theme.yaml (``cover:``), the text styles from the reference document.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from briefgen.assemble.briefing import Briefing
from briefgen.errors import RenderError
from briefgen.project.themes import Theme
from briefgen.render.chart import svg_to_png
from briefgen.render.docx.parts import set_alt_text
from briefgen.render.resources import read_image
from briefgen.render.titles import cover_scale, subtitle_scale

TWIPS_PER_MM = 56.6929
BAND_MM = 14.0  # the marking bands, as tall as the PDF cover's bottom margin
SIDE_MM = 24.0  # the cover's side padding in the PDF
SLACK_MM = 0.5  # room left for the section-break paragraph after the table
TEXT_MAX_MM = 150.0  # the PDF cover's max-width for the title, subtitle and details
LABEL_MM = 32.0  # the details block's label column, as in the PDF
KICKER_GAP_MM = 62.0  # the PDF's space above the kicker
LOGO_GAP_MM = 18.0
DEFAULT_SIZES = {"Title": 30.0, "Subtitle": 14.0}  # the PDF's sizes, where a reference document sets none


def _twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


@dataclass(frozen=True)
class _Block:
    """One cover paragraph as the fit estimate sees it."""

    text: str
    size_pt: float
    before_mm: float = 0.0
    after_mm: float = 0.0
    indent_mm: float = 0.0

    def height(self, width_mm: float) -> float:
        """Return a generous estimate of the block's height in mm (average glyph 0.55 em)."""
        per_line = max(1, int((width_mm - self.indent_mm) / (self.size_pt * 0.3528 * 0.55)))
        lines = max(1, math.ceil(len(self.text) / per_line))
        return self.before_mm + self.after_mm + lines * self.size_pt * 0.3528 * 1.25


class Cover:
    """Writes the cover of one briefing into a python-docx Document."""

    def __init__(self, doc: Document, briefing: Briefing, theme: Theme, style_ids: dict[str, str]) -> None:
        """Prepare the cover of ``briefing`` in ``theme``; ``style_ids`` maps style names to ids."""
        self.doc, self.b, self.theme, self.style_ids = doc, briefing, theme, style_ids
        self.colours = theme.spec.cover.resolved(theme.spec.colours)
        self.width_mm, self.height_mm = theme.spec.page.size_mm()
        self.warnings: list[str] = []

    def write(self) -> list[str]:
        """Append the cover and its section break to the body; return what had to be shortened."""
        # Before the body's own section properties, which must stay the body's last child.
        body_section = self.doc.element.body.find(qn("w:sectPr"))
        table = self._table()
        body_section.addprevious(table)
        rows = table.findall(qn("w:tr"))
        self._band(rows[0], self.b.marking, centred=False)
        self._contents(rows[1].find(qn("w:tc")))
        self._band(rows[2], self.b.marking, centred=True)
        body_section.addprevious(self._section_break())
        return self.warnings

    # --- structure -------------------------------------------------------------------

    def _table(self) -> Any:
        width = _twips(self.width_mm)
        body_height = self.height_mm - 2 * BAND_MM - SLACK_MM
        side = _twips(SIDE_MM)
        rows = "".join(
            f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{_twips(h)}" w:hRule="exact"/></w:trPr>'
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{fill}'
            f'<w:tcMar><w:left w:w="{side}" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/></w:tcMar>'
            f'<w:vAlign w:val="{align}"/></w:tcPr></w:tc></w:tr>'
            for h, fill, align in (
                (BAND_MM, _shade(self.colours["band"]), "center"),
                (body_height, _shade(self.colours["background"]), "top"),
                (BAND_MM, _shade(self.colours["band"]), "center"),
            )
        )
        return parse_xml(
            f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w=\"{width}\" w:type=\"dxa\"/>"
            '<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/>'
            '<w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/>'
            '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            '<w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
            '</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>{rows}</w:tbl>'
        )

    def _section_break(self) -> Any:
        """Return the paragraph ending the cover section: no margins, no header or footer, tiny."""
        w, h = _twips(self.width_mm), _twips(self.height_mm)
        return parse_xml(
            f"<w:p {nsdecls('w')}><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"8\" "
            'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
            f'<w:sectPr><w:pgSz w:w="{w}" w:h="{h}"/><w:pgMar w:top="0" w:right="0" w:bottom="0" '
            'w:left="0" w:header="0" w:footer="0" w:gutter="0"/><w:cols w:space="720"/></w:sectPr>'
            "</w:pPr></w:p>"
        )

    def _paragraph(self, cell: Any, style: str) -> Paragraph:
        p = OxmlElement("w:p")
        cell.append(p)
        paragraph = Paragraph(p, self.doc.part)
        paragraph._p.style = self.style_ids[style.lower()]
        return paragraph

    def _band(self, row: Any, text: str, *, centred: bool) -> None:
        paragraph = self._paragraph(row.find(qn("w:tc")), "Marking")
        paragraph.paragraph_format.space_after = Mm(0)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            paragraph.add_run(text)

    # --- the body of the cover -------------------------------------------------------

    def _contents(self, cell: Any) -> None:
        b = self.b
        logo = self._logo()
        blocks = self._blocks(logo is not None)
        room = self.height_mm - 2 * BAND_MM - SLACK_MM - 4
        text_width = self.width_mm - 2 * SIDE_MM
        gap = KICKER_GAP_MM
        used = sum(block.height(text_width) for block in blocks) + (self.logo_height() + LOGO_GAP_MM if logo else 0)
        if used + gap > room:
            gap = max(6.0, room - used)
        purpose_cut = used + gap > room
        if logo is not None:
            p = self._paragraph(cell, "Cover Meta")
            p.paragraph_format.space_before = Mm(LOGO_GAP_MM)
            run = p.add_run()
            run.add_picture(io.BytesIO(logo), height=Mm(self.logo_height()))
            set_alt_text(run._r, self.theme.spec.logo_alt)
        kicker = self._paragraph(cell, "Cover Kicker")
        kicker.paragraph_format.space_before = Mm(gap)
        kicker.add_run(b.labels.kicker)
        narrow = Mm(max(0.0, text_width - TEXT_MAX_MM))
        title = self._paragraph(cell, "Title")
        title.paragraph_format.right_indent = narrow
        self._sized(title.add_run(b.title), "Title", cover_scale(b.title))
        if b.subtitle:
            subtitle = self._paragraph(cell, "Subtitle")
            subtitle.paragraph_format.right_indent = narrow
            self._sized(subtitle.add_run(b.subtitle), "Subtitle", subtitle_scale(b.subtitle))
        over = used + gap - room
        for row in b.cover:
            value = row.value
            if purpose_cut and len(value) > 200 and over > 0:
                value = _shorten(value, over, text_width - LABEL_MM)
                self.warnings.append(
                    f"the cover's {row.label.lower()} is too long for one page in Word and was cut; "
                    "shorten it in the content"
                )
            self._detail(cell, row.label, value, bold=row.role == "audience").paragraph_format.right_indent = narrow

    def _sized(self, run: Any, style: str, scale: float) -> None:
        """Set a long title's run smaller than its style, as the PDF cover does (render/titles.py)."""
        if scale >= 1:
            return
        size = self.doc.styles[style].font.size
        run.font.size = Pt(round((size.pt if size is not None else DEFAULT_SIZES[style]) * scale, 1))

    def _detail(self, cell: Any, label: str, value: str, *, bold: bool) -> Paragraph:
        p = self._paragraph(cell, "Cover Meta")
        p.paragraph_format.left_indent = Mm(LABEL_MM)
        p.paragraph_format.first_line_indent = Mm(-LABEL_MM)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(LABEL_MM))
        label_run = p.add_run(label)
        label_run._r.get_or_add_rPr().style = self.style_ids["cover label"]
        p.add_run("\t")
        run = p.add_run(value)
        if bold:
            run.bold = True
            run.font.color.rgb = _rgb(self.colours["title"])
        return p

    def _blocks(self, has_logo: bool) -> list[_Block]:
        """Return what the cover holds, for the estimate of whether it fits one page."""
        b = self.b
        title = _Block(b.title, 30 * cover_scale(b.title), before_mm=4, after_mm=11)
        blocks = [_Block(b.labels.kicker, 10, after_mm=3), title]
        if b.subtitle:
            blocks.append(_Block(b.subtitle, 14 * subtitle_scale(b.subtitle), after_mm=22))
        blocks += [_Block(row.value, 10, after_mm=3, indent_mm=LABEL_MM) for row in b.cover]
        return blocks

    def logo_height(self) -> float:
        """Return the logo's height on the cover in mm."""
        return self.theme.spec.cover.logo_height_mm

    def _logo(self) -> bytes | None:
        logo = self.theme.logo
        if logo is None:
            return None
        data = read_image(logo, logo.name)
        if logo.suffix.lower() != ".svg":
            return data
        try:
            return svg_to_png(data.decode("utf-8"))
        except Exception as exc:  # cairosvg raises many types for a drawing it cannot read
            raise RenderError(f"{logo.name}: cannot draw this SVG ({exc}); fix or replace it") from None


def _shade(colour: str) -> str:
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{colour.lstrip("#").upper()}"/>'


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _shorten(text: str, over_mm: float, width_mm: float) -> str:
    """Return ``text`` cut at a word so that about ``over_mm`` of 10 pt lines fewer remain."""
    per_line = max(1, int(width_mm / (10 * 0.3528 * 0.55)))
    drop = math.ceil(over_mm / (10 * 0.3528 * 1.25)) * per_line
    keep = max(40, len(text) - drop)
    cut = text[:keep]
    return (cut[: cut.rindex(" ")] if " " in cut else cut) + " …"

