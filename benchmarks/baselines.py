"""Baselines the benchmark compares briefgen against: raw WeasyPrint, raw python-docx, pandoc."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
from weasyprint import HTML

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.markup import plain
from briefgen.render.chart import svg_to_png, timeline_svg


def raw_weasyprint(html: str, base_url: str) -> bytes:
    """Render HTML with WeasyPrint's defaults: default fetcher, no checks, no PDF/UA."""
    pdf = HTML(string=html, base_url=base_url).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def raw_python_docx(briefing: Briefing, chart_png: bytes | None) -> bytes:
    """Write the same text, tables and chart with python-docx's defaults and built-in styles."""
    document = docx.Document()
    document.add_paragraph(briefing.title, style="Title")
    document.add_paragraph(briefing.subtitle, style="Subtitle")
    for part in briefing.parts:
        document.add_heading(f"{part.number} {part.heading}", level=min(part.level, 3))
        for p in part.paragraphs:
            style = "List Bullet" if part.form == "bullets" else None
            paragraph = document.add_paragraph(plain(p.spans), style=style)
            if p.note:
                paragraph.add_run(str(p.note.number)).font.superscript = True
        if part.table:
            table = document.add_table(rows=1 + len(part.table.rows), cols=len(part.table.columns))
            for cell, text in zip(table.rows[0].cells, part.table.columns, strict=True):
                cell.text = text
            for row, values in zip(table.rows[1:], part.table.rows, strict=True):
                for cell, text in zip(row.cells, values, strict=True):
                    cell.text = text
        if part.chart and chart_png:
            document.add_picture(io.BytesIO(chart_png))
    for note in briefing.notes:
        document.add_paragraph(f"{note.number}. {note.text}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chart_png(briefing: Briefing) -> bytes | None:
    """Rasterise the briefing's chart once, for the raw python-docx baseline."""
    for part in briefing.parts:
        if part.chart:
            return svg_to_png(
                timeline_svg(part.chart, colour="#000000", accent="#888888", muted="#444444", font="sans")
            )
    return None


def markdown(briefing: Briefing) -> str:
    """Return the briefing as Markdown for pandoc (same headings, text, tables, notes)."""
    lines = [f"% {briefing.title}", ""]
    for part in briefing.parts:
        lines += [f"{'#' * (part.level + 1)} {part.number} {part.heading}", ""]
        for p in part.paragraphs:
            note = f"[^{p.note.number}]" if p.note else ""
            prefix = "- " if part.form == "bullets" else ""
            lines += [f"{prefix}{plain(p.spans)}{note}", ""]
        if part.table:
            lines.append("| " + " | ".join(part.table.columns) + " |")
            lines.append("|" + "---|" * len(part.table.columns))
            lines += ["| " + " | ".join(row) + " |" for row in part.table.rows]
            lines.append("")
    lines += [f"[^{n.number}]: {n.text}" for n in briefing.notes]
    return "\n".join(lines) + "\n"


def pandoc_docx(pandoc: str, source: Path, target: Path) -> None:
    """Convert one Markdown file to .docx with a pandoc subprocess."""
    subprocess.run([pandoc, "-f", "markdown", "-t", "docx", "-o", str(target), str(source)], check=True)
