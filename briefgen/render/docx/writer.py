"""Render a Briefing to Word with python-docx, styled by the theme's reference document."""

from __future__ import annotations

import datetime as dt
import io
import logging

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.shared import Emu, Mm, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from briefgen.assemble.briefing import WORD_STYLES, Briefing, Note, Part, Table
from briefgen.assemble.markup import Span, clean_text, encode_url, xml_safe
from briefgen.errors import RenderError
from briefgen.render.chart import chart_png, timeline_svg
from briefgen.render.coverage import coverage_warnings
from briefgen.render.docx.contents import (
    TOC_NUMBER_STYLE,
    add_bookmark,
    bookmark_names,
    write_entries,
)
from briefgen.render.docx.cover import Cover
from briefgen.render.docx.fonts import embed_fonts
from briefgen.render.docx.notes import Endnotes, Footnotes
from briefgen.render.docx.parts import (
    add_field,
    add_hyperlink,
    append_run,
    mark_rows,
    save_deterministic,
    set_alt_text,
)
from briefgen.render.docx.props import write_app_properties
from briefgen.render.registry import Layout, RenderContext, Rendered
from briefgen.render.titles import header_room, running_title

log = logging.getLogger(__name__)

MAX_COLUMNS = 63  # Word's limit
MAX_PROPERTY = 255  # python-docx and Word refuse longer core properties
MAX_HEADING_LEVEL = 3  # the reference document styles Heading 1-3 (Word has 9)
KEEP_TABLE_ROWS = 25  # tables up to this many rows move to the next page whole rather than split
# Styles the writer uses beyond the element map: Word's own furniture.
FURNITURE_STYLES = ("Cover Kicker", "Cover Label", "TOC 1", "TOC 2", "Header", "Footer")


class _Writer:
    def __init__(self, briefing: Briefing, ctx: RenderContext, layout: Layout | None) -> None:
        self.b = xml_safe(briefing)  # no field reaches Word's XML uncleaned
        self.ctx = ctx
        self.layout = layout
        self.warnings: list[str] = []
        try:
            self.doc: Document = docx.Document(str(ctx.theme.reference_docx))
        except Exception as exc:  # python-docx raises several types for a bad package
            raise RenderError(
                f"{ctx.theme.reference_docx}: not a usable Word reference document ({exc})"
            ) from None
        # By lower-case name: Word spells its built-in names so ("toc 1"), python-docx not always.
        self.style_ids = {s.name.lower(): s.style_id for s in self.doc.styles if s.name is not None}
        wanted = (*WORD_STYLES.values(), *FURNITURE_STYLES)
        missing = [name for name in wanted if name.lower() not in self.style_ids]
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
        self.bookmarks = bookmark_names(self.b.contents)  # anchor -> bookmark, for the contents' links
        self._next_bookmark = 1

    def text_width(self) -> int:
        section = self.doc.sections[-1]
        return int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)

    def style(self, element: str) -> str:
        return WORD_STYLES[element]

    def para(self, element: str, text: str = "") -> DocxParagraph:
        return self.styled(self.style(element), text)

    def styled(self, style_name: str, text: str = "") -> DocxParagraph:
        # python-docx resolves a style name by scanning every style twice per call, which
        # was 60% of render time; resolve each name once and set the id directly.
        paragraph = self.doc.add_paragraph()
        paragraph._p.style = self.style_ids[style_name.lower()]
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
        """Set the body's section: paper, margins, running header and footer (the cover has its own)."""
        spec = self.ctx.theme.spec.page
        section = self.doc.sections[-1]
        section.orientation = WD_ORIENT.PORTRAIT
        width, height = spec.size_mm()
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin = Mm(spec.margin_top_mm)
        section.bottom_margin = Mm(spec.margin_bottom_mm)
        section.left_margin = Mm(spec.margin_inner_mm)
        section.right_margin = Mm(spec.margin_outer_mm)
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        section.different_first_page_header_footer = False
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        header = section.header.paragraphs[0]
        header.style = "Header"
        # One line, as in the PDF: a long title shortened with "…" (render/titles.py).
        title = running_title(self.b.title, header_room(spec.text_width_mm()))
        header.text = f"{title}\t\t{self.b.audience_title}"
        footer = section.footer.paragraphs[0]
        footer.style = "Footer"
        marking = footer.add_run(self.b.marking)
        marking.bold = True
        marking.font.color.rgb = RGBColor.from_string(self.ctx.theme.spec.colours.primary.lstrip("#").upper())
        footer.add_run(f"\t\t{self.b.labels.page} ")
        add_field(footer, "PAGE")
        footer.add_run(f" {self.b.labels.page_of} ")
        add_field(footer, "NUMPAGES")
        width = self.text_width()
        for p in (header, footer):
            p.paragraph_format.tab_stops.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)

    def contents(self) -> None:
        """Write the contents as a TOC field, numbered from the layout handed over (the PDF's), if any."""
        self.para("toc-heading", self.b.labels.contents)
        pages: dict[str, int] = {}
        if self.layout is not None and self.ctx.paginator != "none":
            pages = {e.anchor: p for e in self.b.contents if (p := self.layout.page_of(e.anchor)) is not None}
        write_entries(
            self.b.contents,
            self.bookmarks,
            pages,
            lambda level: self.styled(f"TOC {min(max(level, 1), 2)}"),
            self.style_ids.get(TOC_NUMBER_STYLE.lower()),
            self.ctx.theme.spec.colours.subheading_colour(),
        )
        self.doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        if self.ctx.paginator.startswith("libreoffice") or self.ctx.paginator == "none":
            return  # the build's LibreOffice step numbers them from this file's own layout, or no one does
        if pages:
            self.warnings.append(
                "contents numbered from the PDF's pagination (LibreOffice is not installed or "
                "word.paginate is pdf): Word's pages may differ by one until the field is updated (F9)"
            )
        else:
            self.warnings.append(
                "contents without page numbers: LibreOffice is not used and the PDF is not built "
                "(add the pdf format); Word fills them when the field is updated (F9)"
            )

    def heading(self, style_name: str, text: str, anchor: str) -> DocxParagraph:
        """Write a heading; bookmark it when the contents link to ``anchor``."""
        paragraph = self.styled(style_name, text)
        name = self.bookmarks.get(anchor)
        if name is not None:
            add_bookmark(paragraph, name, self._next_bookmark)
            self._next_bookmark += 1
        return paragraph

    def part(self, part: Part) -> None:
        callout = part.style == "callout"
        level = min(max(part.level, 1), MAX_HEADING_LEVEL)
        heading_style = self.style("callout-heading") if callout else self.style(f"heading-{level}")
        self.heading(heading_style, f"{part.number} {part.heading}".strip(), part.anchor)
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
            c, families = self.ctx.theme.spec.colours, self.ctx.theme.spec.fonts.heading
            svg = timeline_svg(part.chart, colour=c.primary, accent=c.accent, muted=c.muted, fonts=families)
            width = self.text_width()
            # System fonts are read only when the first family is not one the theme ships.
            shipped = self.ctx.theme.files_of(families)
            png = chart_png(svg, shipped, system=not self.ctx.theme.files_of(families[:1]))
            picture = self.doc.add_picture(io.BytesIO(png), width=Emu(width))
            set_alt_text(picture._inline, part.chart.description)
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the chart stays with its caption
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
            cell.paragraphs[0]._p.style = self.style_ids[self.style("table-heading").lower()]
            cell.paragraphs[0].text = text
        mark_rows(t._tbl, keep_together=len(table.rows) <= KEEP_TABLE_ROWS)
        for row, values in zip(t.rows[1:], table.rows, strict=True):
            for cell, text in zip(row.cells, values, strict=True):
                cell.paragraphs[0]._p.style = self.style_ids[self.style("table-text").lower()]
                cell.paragraphs[0].text = text
        if table.widths:
            width = self.text_width()
            total = sum(table.widths)
            for column, share in zip(t.columns, table.widths, strict=True):
                for cell in column.cells:
                    cell.width = Emu(int(width * share / total))

    def source_list(self) -> None:
        # The key to the compact notes: each source under the key its notes give it.
        self.heading(self.style("heading-1"), self.b.labels.sources, "sources")
        self.para("note", self.b.sources_intro)
        for source in self.b.sources:
            p = self.para("note")
            p.add_run(f"{source.key}\u2002").bold = True
            p.add_run(source.title).bold = True
            dated = f", {source.date}" if source.date else ""
            p.add_run(
                f" ({source.file}{dated})\n{self.b.labels.sections_cited}: {'; '.join(source.sections)}"
            )

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
        self.warnings += Cover(self.doc, self.b, self.ctx.theme, self.style_ids).write()
        if self.b.contents:
            self.contents()
        if self.b.summary:
            self.spans(self.para("summary"), self.b.summary)
        for part in self.b.parts:
            self.part(part)
        if self.b.show_notes and self.b.sources:
            self.source_list()
        if self.b.note_placement == "endnotes" and self.b.notes:
            # Word sets the endnotes after this heading.
            self.heading(self.style("heading-1"), self.b.labels.notes, "notes")
        self.properties()
        self.footnotes.reorder()
        embed_fonts(self.doc, self.ctx.theme)
        write_app_properties(self.doc)
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
        """Return the .docx of ``briefing``; its contents take their page numbers from ``layout``.

        That is the PDF's layout of the same briefing, handed on when the PDF rendered in the
        same job; with LibreOffice the build's finishing step renumbers them from the Word
        file's own layout. No page count: Word paginates the file itself.
        """
        writer = _Writer(briefing, ctx, layout)
        data = writer.write()
        warnings = coverage_warnings(briefing, ctx.theme.face_files, "Word file")
        return Rendered(data, warnings=(*writer.warnings, *warnings))
