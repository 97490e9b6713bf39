"""The Word files' finishing step: number their contents from LibreOffice's layout of the files themselves.

A build renders every Word file first (its contents numbered from the PDF's pagination,
when the PDF was rendered alongside), then hands the files it wrote to ``finish``: one
LibreOffice process per worker lays a batch of them out and exports PDFs in which every
heading's bookmark is a named destination. briefgen reads each heading's page there and
writes it into its own TOC field results (every PAGEREF), the NUMPAGES results and the
page count in docProps/app.xml, and nothing else: LibreOffice never writes the Word
file, so the same input gives the same bytes. One process for many files, because
starting LibreOffice costs far more (about a second) than laying out a file (~0.2 s).
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
import zipfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from briefgen.files import atomic_write
from briefgen.render.docx.fields import destination_name, page_refs_shown, set_field_results, set_page_refs
from briefgen.render.docx.props import relaid, statistics
from briefgen.render.office import OfficeError, convert_to_pdf
from briefgen.render.registry import Finished, RenderContext

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
APP = "docProps/app.xml"
DOCUMENT = "word/document.xml"


@dataclass(frozen=True)
class Pages:
    """LibreOffice's layout of one Word file: its page count and the page of each bookmark."""

    count: int
    bookmarks: dict[str, int]


def read_layout(pdf: Path, bookmarks: list[str]) -> Pages:
    """Return the pages of ``bookmarks`` in LibreOffice's PDF export ``pdf``."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    destinations = reader.named_destinations
    found: dict[str, int] = {}
    for name in bookmarks:
        destination = destinations.get(destination_name(name)) or destinations.get("/" + destination_name(name))
        page = reader.get_destination_page_number(destination) if destination is not None else None
        if page is not None:
            found[name] = page + 1
    return Pages(len(reader.pages), found)


def page_refs(data: bytes) -> list[str]:
    """Return the bookmarks the PAGEREF fields of Word file ``data`` name, in order."""
    return list(pages_of(data))


def apply_layout(data: bytes, pages: Pages) -> bytes:
    """Return Word file ``data`` with its PAGEREF and NUMPAGES results and app.xml pages from ``pages``.

    Entries keep their order, names and time stamps; raise OfficeError if a bookmark has no page.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        root = etree.fromstring(src.read(DOCUMENT))
        missing = set_page_refs(root, pages.bookmarks)
        if missing:
            raise OfficeError(f"LibreOffice's layout has no page for {', '.join(missing[:3])}")
        # The numbers are words too: count again, so the figures depend on the text alone.
        figures = statistics(root.find(f"{_W}body"))
        document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == DOCUMENT:
                body = document
            elif info.filename.startswith("word/footer") and info.filename.endswith(".xml"):
                footer = etree.fromstring(body)
                set_field_results(footer, "NUMPAGES", str(pages.count))
                body = etree.tostring(footer, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == APP:
                body = relaid(body, pages.count, figures)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, body)
    return out.getvalue()


def _batches(files: list[Path], count: int) -> list[list[Path]]:
    """Deal ``files`` into ``count`` batches of near-equal size."""
    batches: list[list[Path]] = [[] for _ in range(max(1, min(count, len(files))))]
    for index, path in enumerate(files):
        batches[index % len(batches)].append(path)
    return batches


def _lay_out(program: str, files: list[Path], timeout: float) -> dict[Path, Pages | str]:
    """Return LibreOffice's layout of each of ``files``, or why there is none."""
    results: dict[Path, Pages | str] = {}
    with tempfile.TemporaryDirectory(prefix="briefgen-paginate-") as scratch:
        folder = Path(scratch)
        # Outputs share names (every topic has an executive.docx): give each copy its own.
        copies = {path: folder / f"{index:05d}.docx" for index, path in enumerate(files)}
        for path, copy in copies.items():
            shutil.copyfile(path, copy)
        try:
            convert_to_pdf(program, list(copies.values()), folder / "pdf", timeout)
        except OfficeError as exc:
            if len(files) == 1 or "did not finish" in str(exc):
                return {path: str(exc) for path in files}
            # One file may have crashed it: lay each out alone, so the others still get numbers.
            found: dict[Path, Pages | str] = {}
            for path in files:
                found.update(_lay_out(program, [path], timeout))
            return found
        for path, copy in copies.items():
            pdf = folder / "pdf" / copy.with_suffix(".pdf").name
            if not pdf.is_file():
                results[path] = "LibreOffice made no layout of it"
                continue
            try:
                results[path] = read_layout(pdf, page_refs(path.read_bytes()))
            except Exception as exc:  # pypdf raises many types for a PDF it cannot read
                results[path] = f"its layout could not be read ({type(exc).__name__}: {exc})"
    return results


def wanted(ctx: RenderContext) -> bool:
    """Return whether this step has work in a build with ``ctx``: LibreOffice numbers the contents."""
    return ctx.paginator.startswith("libreoffice") and ctx.soffice is not None


def finish(ctx: RenderContext, files: list[Path], *, jobs: int, timeout: float) -> tuple[dict[Path, Finished], str]:
    """Number the contents of the Word ``files`` from LibreOffice's layout; return each one's outcome and a note.

    A file LibreOffice cannot lay out keeps the numbers it was written with (the PDF's),
    with a warning, and is not final, so the next build tries it again.
    """
    if not files or not wanted(ctx) or ctx.soffice is None:
        return {}, ""
    program = ctx.soffice
    start = time.perf_counter()
    batches = _batches(files, jobs)
    layouts: dict[Path, Pages | str] = {}
    with ThreadPoolExecutor(max_workers=len(batches)) as pool:
        for found in pool.map(lambda batch: _lay_out(program, batch, timeout), batches):
            layouts.update(found)
    outcomes = {path: _apply(path, layouts[path], ctx.paginator) for path in files}
    seconds = time.perf_counter() - start
    note = (
        f"Word contents paged by {ctx.paginator.replace('libreoffice', 'LibreOffice')}: "
        f"{len(files)} file(s) in {seconds:.1f}s, {len(batches)} process(es)"
    )
    return outcomes, note


def _apply(path: Path, layout: Pages | str, paginator: str) -> Finished:
    """Write ``layout`` into the Word file at ``path``; return what was done."""
    name = paginator.replace("libreoffice", "LibreOffice")
    if isinstance(layout, Pages):
        try:
            atomic_write(path, apply_layout(path.read_bytes(), layout))
        except (OfficeError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            layout = str(exc)
        else:
            return Finished(pages=layout.count, note=f"contents paged by {name}")
    return Finished(
        warning=(
            f"{name} could not lay this file out ({layout}), so its contents keep the PDF's page "
            "numbers, which may differ by a page; the next build tries again"
        ),
        final=False,
    )


def pages_of(data: bytes) -> Mapping[str, str]:
    """Return the shown result of each PAGEREF in Word file ``data`` (bookmark -> text), for checks."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return page_refs_shown(etree.fromstring(archive.read(DOCUMENT)))
