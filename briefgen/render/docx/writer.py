"""Render a Briefing to Word with python-docx, styled by the theme's reference document."""

from __future__ import annotations

import datetime as dt
import io
import logging

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.shared import Emu, Mm
from docx.text.paragraph import Paragraph as DocxParagraph

from briefgen.assemble.briefing import WORD_STYLES, Briefing, Note, Part, Table
from briefgen.assemble.markup import Span, clean_text, encode_url, xml_safe
from briefgen.errors import RenderError
from briefgen.render.chart import svg_to_png, timeline_svg
from briefgen.render.docx.notes import Endnotes, Footnotes
from briefgen.render.docx.parts import (
    add_field,
    add_hyperlink,
    append_run,
    field_begin,
    field_end,
    mark_header_row,
    save_deterministic,
    set_update_fields,
)
from briefgen.render.registry import Layout, RenderContext, Rendered
from briefgen.render.resources import read_image

log = logging.getLogger(__name__)

MAX_COLUMNS = 63  # Word's limit
MAX_PROPERTY = 255  # python-docx and Word refuse longer core properties
MAX_HEADING_LEVEL = 3  # the reference document styles Heading 1-3 (Word has 9)


class _Writer:
    def __init__(self, briefing: Briefing, ctx: RenderContext) -> None:
        self.b = xml_safe(briefing)  # no field reaches Word's XML uncleaned
        self.ctx = ctx
        try:
            self.doc: Document = docx.Document(str(ctx.theme.reference_docx))
        except Exception as exc:  # python-docx raises several types for a bad package
            raise RenderError(
                f"{ctx.theme.reference_docx}: not a usable Word reference document ({exc})"
            ) from None
        self.style_ids = {s.name: s.style_id for s in self.doc.styles if s.name is not None}
        missing = [name for name in WORD_STYLES.values() if name not in self.style_ids]
        if missing:
            raise RenderError(
                f"{ctx.theme.reference_docx}: reference document lacks the styles {', '.join(missing)}; "
                "start from the built-in one (briefgen templates eject themes/default/reference.docx)"
            )
        body = self.doc.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
        # Notes go where the Briefing places them: real footnotes, or real endnotes.
        self.footnotes = Endnotes(self.doc) if briefing.note_placement == "endnotes" else Footnotes(self.doc)
        self.footnotes.ensure_styles()

    def text_width(self) -> int:
        section = self.doc.sections[0]
        return int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)

    def style(self, element: str) -> str:
        return WORD_STYLES[element]

    def para(self, element: str, text: str = "") -> DocxParagraph:
        return self.styled(self.style(element), text)

    def styled(self, style_name: str, text: str = "") -> DocxParagraph:
        # python-docx resolves a style name by scanning every style twice per call, which
        # was 60% of render time; resolve each name once and set the id directly.
        paragraph = self.doc.add_paragraph()
        paragraph._p.style = self.style_ids[style_name]
        if "\n" in text:
            paragraph.add_run(text)  # python-docx turns line feeds into breaks
        elif text:
            append_run(paragraph, text)
        return paragraph

    def spans(self, paragraph: DocxParagraph, spans: tuple[Span, ...]) -> None:
        for span in spans:
            if span.href and encode_url(span.href):  # an address of blanks would be an empty link
                add_hyperlink(paragraph, span.href, span.text, "Hyperlink")
                continue
            if not span.code:
                append_run(paragraph, span.text, bold=span.bold, italic=span.italic)
                continue
            run = paragraph.add_run(span.text)
            run.bold = span.bold or None
            run.italic = span.italic or None
            run.font.name = "DejaVu Sans Mono"

    def note(self, paragraph: DocxParagraph, note: Note | None) -> None:
        if note is None:
            return
        # Notes are added in body order, so one reorder pass at the end suffices.
        number = self.footnotes.add(paragraph, [(note.text, False, False)], reorder=False)
        if number != note.number:
            # The reference document brought footnotes of its own; numbering must still match the PDF.
            log.debug("footnote %s written as Word footnote %s", note.number, number)

    def page_setup(self) -> None:
        spec = self.ctx.theme.spec.page
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        width, height = spec.size_mm()
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin = Mm(spec.margin_top_mm)
        section.bottom_margin = Mm(spec.margin_bottom_mm)
        section.left_margin = Mm(spec.margin_inner_mm)
        section.right_margin = Mm(spec.margin_outer_mm)
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.style = "Header"
        header.text = f"{self.b.title}\t\t{self.b.audience_title}"
        footer = section.footer.paragraphs[0]
        footer.style = "Footer"
        footer.add_run(self.b.marking)
        footer.add_run(f"\t\t{self.b.labels.page} ")
        add_field(footer, "PAGE")
        footer.add_run(f" {self.b.labels.page_of} ")
        add_field(footer, "NUMPAGES")
        width = self.text_width()
        for p in (header, footer):
            p.paragraph_format.tab_stops.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)

    def cover(self) -> None:
        b = self.b
        self.para("marking", b.marking)
        logo = self.ctx.theme.logo
        if logo is not None:
            data = read_image(logo, logo.name)
            if logo.suffix.lower() == ".svg":
                try:
                    data = svg_to_png(data.decode("utf-8"))
                except Exception as exc:  # cairosvg raises many types for a drawing it cannot read
                    raise RenderError(
                        f"{logo.name}: cannot draw this SVG ({exc}); fix or replace it"
                    ) from None
            self.para("cover-meta").add_run().add_picture(io.BytesIO(data), height=Mm(20))
        kicker = self.para("cover-meta", b.labels.kicker.upper())
        kicker.paragraph_format.space_before = Mm(40 if logo else 60)
        self.para("title", b.title)
        if b.subtitle:
            self.para("subtitle", b.subtitle)
        for row in b.cover:
            p = self.para("cover-meta")
            p.add_run(f"{row.label}: ").bold = True
            p.add_run(row.value)
        self.para("marking", b.marking).add_run().add_break(WD_BREAK.PAGE)  # also when the marking is empty

    def contents(self) -> None:
        self.para("toc-heading", self.b.labels.contents)
        entries = self.b.contents
        # Entries are written out so the contents are never empty, even before Word
        # refreshes the field (it is flagged dirty and updateFields is set).
        for index, entry in enumerate(entries):
            p = self.styled(f"TOC {min(max(entry.level, 1), 2)}")
            if index == 0:
                field_begin(p, 'TOC \\o "1-2" \\h \\z \\u')
            p.add_run(f"{entry.number} {entry.text}".strip())
            if index == len(entries) - 1:
                field_end(p)
        self.doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        set_update_fields(self.doc.settings.element)

    def part(self, part: Part) -> None:
        callout = part.style == "callout"
        level = min(max(part.level, 1), MAX_HEADING_LEVEL)
        heading_style = self.style("callout-heading") if callout else self.style(f"heading-{level}")
        self.styled(heading_style, f"{part.number} {part.heading}")
        if part.intro:
            self.spans(self.para("callout" if callout else "body"), part.intro)
        for item in part.paragraphs:
            element = "callout" if callout else ("bullet" if part.form == "bullets" else "body")
            p = self.para(element)
            if callout and part.form == "bullets":
                p.add_run("•\u00a0\u00a0")
            self.spans(p, item.spans)
            self.note(p, item.note)
        if callout:
            self.para("body")  # space after the shaded block
        if part.table:
            self.table(part.table)
        if part.chart:
            c = self.ctx.theme.spec.colours
            svg = timeline_svg(
                part.chart,
                colour=c.primary,
                accent=c.accent,
                muted=c.muted,
                font=", ".join(self.ctx.theme.spec.fonts.heading),
            )
            width = self.text_width()
            self.doc.add_picture(io.BytesIO(svg_to_png(svg)), width=Emu(width))
            self.para("caption", part.chart.caption)

    def table(self, table: Table) -> None:
        if not 0 < len(table.columns) <= MAX_COLUMNS:
            raise RenderError(
                f"table {table.caption!r} has {len(table.columns)} columns; Word allows 1 to {MAX_COLUMNS}"
            )
        ragged = [i for i, row in enumerate(table.rows, 1) if len(row) != len(table.columns)]
        if ragged:
            raise RenderError(
                f"table {table.caption!r}: row {ragged[0]} does not have {len(table.columns)} cells"
            )
        self.para("caption", table.caption)
        t = self.doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
        t.style = self.doc.styles[self.style("table")]
        for cell, text in zip(t.rows[0].cells, table.columns, strict=True):
            cell.paragraphs[0]._p.style = self.style_ids[self.style("table-heading")]
            cell.paragraphs[0].text = text
        mark_header_row(t.rows[0]._tr)
        for row, values in zip(t.rows[1:], table.rows, strict=True):
            for cell, text in zip(row.cells, values, strict=True):
                cell.paragraphs[0]._p.style = self.style_ids[self.style("table-text")]
                cell.paragraphs[0].text = text
        if table.widths:
            width = self.text_width()
            total = sum(table.widths)
            for column, share in zip(t.columns, table.widths, strict=True):
                for cell in column.cells:
                    cell.width = Emu(int(width * share / total))

    def source_list(self) -> None:
        # The key to the compact notes: each source under the key its notes give it.
        self.para("heading-1", self.b.labels.sources)
        self.para("note", self.b.sources_intro)
        for source in self.b.sources:
            p = self.para("note")
            p.add_run(f"{source.key}\u2002").bold = True
            p.add_run(source.title).bold = True
            dated = f", {source.date}" if source.date else ""
            p.add_run(f" ({source.file}{dated})\n{self.b.labels.sections_cited}: {'; '.join(source.sections)}")

    def properties(self) -> None:
        props = self.doc.core_properties
        props.title = _property(self.b.title)
        props.subject = _property(f"Briefing for {self.b.audience_title}")
        props.author = _property(self.b.author)
        props.keywords = _property(", ".join(self.b.keywords))
        props.comments = _property(self.b.purpose)
        props.category = _property(self.b.marking)
        props.last_modified_by = _property(self.b.author)
        props.revision = 1
        stamp = dt.datetime.combine(self.b.date or dt.date(2000, 1, 1), dt.time(0, 0))
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp

    def write(self) -> bytes:
        self.page_setup()
        self.cover()
        if self.b.contents:
            self.contents()
        if self.b.summary:
            self.spans(self.para("summary"), self.b.summary)
        for part in self.b.parts:
            self.part(part)
        if self.b.show_notes and self.b.sources:
            self.source_list()
        if self.b.note_placement == "endnotes" and self.b.notes:
            self.para("heading-1", self.b.labels.notes)  # Word sets the endnotes after it, at the end
        self.properties()
        self.footnotes.reorder()
        return save_deterministic(self.doc, self.ctx.zip_epoch)


def _property(text: str) -> str:
    """Fit ``text`` into a core property: Word's 255-character limit, cut at a comma or word."""
    text = clean_text(text)
    if len(text) <= MAX_PROPERTY:
        return text
    cut = text[: MAX_PROPERTY - 1]
    for sep in (", ", " "):
        if sep in cut:
            cut = cut[: cut.rindex(sep)]
            break
    return cut + "…"


class DocxRenderer:
    """Word output through python-docx."""

    name = "docx"

    def render(self, briefing: Briefing, ctx: RenderContext, layout: Layout | None = None) -> Rendered:
        """Return the .docx of ``briefing`` (Word paginates it, so no page count)."""
        return Rendered(_Writer(briefing, ctx).write())
