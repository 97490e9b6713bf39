"""Baselines the benchmark compares briefgen against, each doing briefgen's work from the same Briefing.

- WeasyPrint: one plain call writing the same tagged PDF/UA-1 from the same HTML and the
  same stylesheets, parsed once as briefgen parses them; and WeasyPrint as its docs show
  it (stylesheets linked, parsed on every call).
- python-docx: the same cover, contents field, headings, runs, real footnotes, tables,
  chart (rasterised inside the timing), header and footer fields, with python-docx's
  own template and style names.
- pandoc: Markdown of the same briefing to .docx, and to PDF through WeasyPrint.
- Typst: the same briefing in Typst markup (briefing.typ), compiled in-process.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from weasyprint import HTML

from briefgen.assemble.briefing import Briefing, Chart
from briefgen.assemble.markup import Span, plain
from briefgen.render.chart import timeline_svg
from briefgen.render.registry import RenderContext

HERE = Path(__file__).resolve().parent
TYPST_TEMPLATE = HERE / "briefing.typ"


def weasyprint_same_work(
    html: str, base_url: str, sheets: list[Any], font_config: Any, *, tagged: bool = True
) -> bytes:
    """Write the tagged PDF/UA-1 with one WeasyPrint call, from stylesheets parsed once, default fetcher."""
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    pdf = HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=sheets, font_config=font_config, **options
    )
    assert isinstance(pdf, bytes)
    return pdf


def weasyprint_linked(html: str, base_url: str, *, tagged: bool = True) -> bytes:
    """Write the PDF as WeasyPrint's docs show it: stylesheets linked from the HTML, parsed every call."""
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    pdf = HTML(string=html, base_url=base_url).write_pdf(**options)
    assert isinstance(pdf, bytes)
    return pdf


def chart_svg(chart: Chart, ctx: RenderContext) -> str:
    """Draw the chart as briefgen's HTML path does, in the theme's colours."""
    c = ctx.theme.spec.colours
    return timeline_svg(
        chart, colour=c.primary, accent=c.accent, muted=c.muted, font=", ".join(ctx.theme.spec.fonts.heading)
    )


# --- python-docx --------------------------------------------------------------------------

_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
    "</w:p></w:footnote>"
)


def _superscript(run: Any) -> None:
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    run.get_or_add_rPr().append(align)


def _field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    instr = quoteattr(instruction)
    paragraph._p.append(
        parse_xml(
            f"<w:fldSimple {nsdecls('w')} w:instr={instr}><w:r><w:t>{escape(shown)}</w:t></w:r></w:fldSimple>"
        )
    )


def _footnote(number: int, text: str) -> Any:
    mark = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
    body = f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'
    return parse_xml(f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p>{mark}{body}</w:p></w:footnote>')


def _runs(paragraph: Paragraph, spans: tuple[Span, ...]) -> None:
    for span in spans:
        run = paragraph.add_run(span.text)
        run.bold = span.bold or None
        run.italic = span.italic or None


def raw_python_docx(briefing: Briefing, ctx: RenderContext) -> bytes:
    """Write the briefing with python-docx's defaults: built-in template, styles by name, real footnotes."""
    import cairosvg

    document = docx.Document()
    notes = XmlPart(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        parse_xml(f"<w:footnotes {nsdecls('w')}>{_SEPARATORS}</w:footnotes>"),
        document.part.package,
    )
    document.part.relate_to(notes, RT.FOOTNOTES)
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{briefing.title}\t\t{briefing.audience_title}"
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{briefing.marking}\t\t{briefing.labels.page} ")
    _field(footer, "PAGE")
    footer.add_run(f" {briefing.labels.page_of} ")
    _field(footer, "NUMPAGES")
    document.add_paragraph(briefing.marking)
    document.add_paragraph(briefing.title, style="Title")
    document.add_paragraph(briefing.subtitle, style="Subtitle")
    for row in briefing.cover:
        p = document.add_paragraph()
        p.add_run(f"{row.label}: ").bold = True
        p.add_run(row.value)
    document.add_page_break()  # type: ignore[no-untyped-call]
    if briefing.contents:
        document.add_heading(briefing.labels.contents, 1)
        _field(document.add_paragraph(), 'TOC \\o "1-3" \\h', "Update the field to see the contents.")
        document.add_page_break()  # type: ignore[no-untyped-call]
    _runs(document.add_paragraph(), briefing.summary)
    for part in briefing.parts:
        document.add_heading(f"{part.number} {part.heading}", level=min(part.level, 3))
        if part.intro:
            _runs(document.add_paragraph(), part.intro)
        for statement in part.paragraphs:
            style = (
                "List Bullet"
                if part.form == "bullets"
                else "Intense Quote"
                if part.style == "callout"
                else None
            )
            paragraph = document.add_paragraph(style=style)
            _runs(paragraph, statement.spans)
            note = statement.note
            if note and briefing.note_placement == "footnotes":
                run = paragraph.add_run()
                _superscript(run._r)
                run._r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(note.number)}))
                notes.element.append(_footnote(note.number, note.text))
        if part.table:
            document.add_paragraph(part.table.caption, style="Caption")
            table = document.add_table(rows=1 + len(part.table.rows), cols=len(part.table.columns))
            table.style = "Light Grid Accent 1"
            for cell, text in zip(table.rows[0].cells, part.table.columns, strict=True):
                cell.text = text
            for row, values in zip(table.rows[1:], part.table.rows, strict=True):
                for cell, text in zip(row.cells, values, strict=True):
                    cell.text = text
        if part.chart:
            # Drawn and rasterised here, inside the timing, as briefgen's Word renderer does.
            png = cairosvg.svg2png(bytestring=chart_svg(part.chart, ctx).encode("utf-8"), scale=2.5)
            document.add_picture(io.BytesIO(png), width=Mm(160))
            document.add_paragraph(part.chart.caption, style="Caption")
    if briefing.show_notes and briefing.sources:
        document.add_heading(briefing.labels.sources, 1)
        document.add_paragraph(briefing.sources_intro)
        for source in briefing.sources:
            p = document.add_paragraph()
            p.add_run(source.title).bold = True
            p.add_run(f" {source.file}. {briefing.labels.sections_cited}: {'; '.join(source.sections)}.")
    document.core_properties.title = briefing.title
    document.core_properties.author = briefing.author
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- pandoc ----------------------------------------------------------------------------------


def markdown(briefing: Briefing, chart_png: str | None = None) -> str:
    """Return the briefing as pandoc Markdown: title block, headings, text, tables, chart, notes, sources."""
    meta = {
        "title": briefing.title,
        "subtitle": briefing.subtitle,
        "author": briefing.author,
        "date": briefing.date_text,
        "lang": briefing.lang,
    }
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()), "---", ""]
    lines += [f"**{row.label}:** {row.value}  " for row in briefing.cover] + ["", plain(briefing.summary), ""]
    for part in briefing.parts:
        lines += [f"{'#' * part.level} {part.heading}", ""]
        quote = "> " if part.style == "callout" else ""
        for p in part.paragraphs:
            note = f"[^{p.note.number}]" if p.note and briefing.note_placement != "none" else ""
            prefix = "- " if part.form == "bullets" else ""
            lines += [f"{quote}{prefix}{plain(p.spans)}{note}", quote.strip()]
        if part.table:
            lines += [f"Table: {part.table.caption}", ""]
            lines.append("| " + " | ".join(part.table.columns) + " |")
            lines.append("|" + "---|" * len(part.table.columns))
            lines += ["| " + " | ".join(row) + " |" for row in part.table.rows]
            lines.append("")
        if part.chart and chart_png:
            lines += [f"![{part.chart.caption}]({chart_png})", ""]
    if briefing.show_notes and briefing.sources:
        lines += [f"# {briefing.labels.sources} {{-}}", "", briefing.sources_intro, ""]
        lines += [f"- **{s.title}** {s.file}. {'; '.join(s.sections)}." for s in briefing.sources] + [""]
    lines += [f"[^{n.number}]: {n.text}" for n in briefing.notes]
    return "\n".join(lines) + "\n"


def pandoc(
    executable: str, source: Path, target: Path, *options: str, env: dict[str, str] | None = None
) -> None:
    """Convert one Markdown file with a pandoc subprocess (standalone, with a table of contents)."""
    subprocess.run(
        [executable, "-f", "markdown", "-s", "--toc", "-o", str(target), str(source), *options],
        check=True,
        cwd=source.parent,
        env=env,
        capture_output=True,
    )


PANDOC_PDF = ("--pdf-engine=weasyprint", "--pdf-engine-opt=--pdf-variant=pdf/ua-1")


# --- Typst -----------------------------------------------------------------------------------


def _spans(spans: tuple[Span, ...]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(s) for s in spans]


def typst_inputs(briefing: Briefing, ctx: RenderContext) -> dict[str, str]:
    """Return briefing.typ's inputs: the briefing and theme as JSON, the chart as SVG."""
    spec = ctx.theme.spec
    chart = next((p.chart for p in briefing.parts if p.chart), None)
    notes = briefing.note_placement == "footnotes"
    data = {
        "title": briefing.title,
        "subtitle": briefing.subtitle,
        "author": briefing.author,
        "audience": briefing.audience_title,
        "marking": briefing.marking,
        "lang": briefing.lang,
        "keywords": list(briefing.keywords),
        "summary": _spans(briefing.summary),
        "cover": [dataclasses.asdict(r) for r in briefing.cover],
        "contents": bool(briefing.contents),
        "labels": dataclasses.asdict(briefing.labels),
        "sources_intro": briefing.sources_intro,
        "sources": [
            {"title": s.title, "file": s.file, "sections": list(s.sections)}
            for s in (briefing.sources if briefing.show_notes else ())
        ],
        "colours": spec.colours.model_dump(),
        "size_pt": spec.fonts.size_pt,
        "paper": spec.page.size.lower(),
        "margins": {
            "top": spec.page.margin_top_mm,
            "bottom": spec.page.margin_bottom_mm,
            "inner": spec.page.margin_inner_mm,
            "outer": spec.page.margin_outer_mm,
        },
        "parts": [
            {
                "level": p.level,
                "heading": p.heading,
                "style": p.style,
                "form": p.form,
                "intro": _spans(p.intro),
                "paragraphs": [
                    {"spans": _spans(s.spans), "note": s.note.text if s.note and notes else None}
                    for s in p.paragraphs
                ],
                "table": {
                    "caption": p.table.caption,
                    "columns": list(p.table.columns),
                    "rows": [list(r) for r in p.table.rows],
                    "widths": list(p.table.widths) or [1] * len(p.table.columns),
                }
                if p.table
                else None,
                "chart": p.chart.caption if p.chart else None,
            }
            for p in briefing.parts
        ],
    }
    return {"data": json.dumps(data, ensure_ascii=False), "chart": chart_svg(chart, ctx) if chart else ""}


class TypstBaseline:
    """One Typst compiler kept for the whole run (fonts loaded once, as a briefgen worker keeps its styles)."""

    def __init__(self, fonts: Path) -> None:
        import typst

        self.compiler = typst.Compiler(TYPST_TEMPLATE, root=HERE, font_paths=[fonts])

    def compile(self, briefing: Briefing, ctx: RenderContext) -> bytes:
        """Return the tagged PDF/UA-1 of ``briefing``, drawn from the Briefing inside the timing."""
        pdf = self.compiler.compile(
            format="pdf", sys_inputs=typst_inputs(briefing, ctx), pdf_standards=["ua-1"]
        )
        assert isinstance(pdf, bytes)
        return pdf
