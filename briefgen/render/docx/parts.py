"""Low-level Word XML the python-docx API lacks: fields, hyperlinks, row flags, alt text, a stable zip."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefgen.assemble.markup import encode_url, xml_text


def zip_date_time(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """Return the zip entry time for ``epoch`` (SOURCE_DATE_EPOCH, checked at project load), else 1980-01-01."""
    if epoch is None:
        return (1980, 1, 1, 0, 0, 0)
    t = time.gmtime(epoch)
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)


def deterministic_zip(data: bytes, epoch: int | None = None) -> bytes:
    """Rewrite a .docx so entry order, times and permissions never vary between builds."""
    stamp = zip_date_time(epoch)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        # [Content_Types].xml must stay first for some consumers.
        ordered = [n for n in names if n == "[Content_Types].xml"] + sorted(
            n for n in names if n != "[Content_Types].xml"
        )
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def save_deterministic(document: Any, epoch: int | None = None) -> bytes:
    """Save a python-docx Document in one pass with fixed entry times and a stable order.

    Same result as saving and then running deterministic_zip, without compressing twice.
    """
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    stamp = zip_date_time(epoch)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        class _Writer:
            def write(self, pack_uri: Any, blob: bytes) -> None:
                info = zipfile.ZipInfo(pack_uri.membername, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, blob)

        parts = package.parts
        for part in parts:
            part.before_marshal()
        writer: Any = _Writer()  # duck-types python-docx's PhysPkgWriter
        package_writer: Any = PackageWriter
        package_writer._write_content_types_stream(writer, parts)
        package_writer._write_pkg_rels(writer, package.rels)
        package_writer._write_parts(writer, parts)
    return out.getvalue()


def append_run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """Append a plain run of single-line ``text`` straight to the paragraph's XML.

    python-docx's add_run inserts through a generic schema-ordering helper and its text
    setter walks the string one character at a time (for tabs and breaks); for the
    thousands of runs of a batch that was a third of DOCX render time.
    """
    run = OxmlElement("w:r")
    if bold or italic:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if italic:
            rpr.append(OxmlElement("w:i"))
        run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    paragraph._p.append(run)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a complex field (PAGE, NUMPAGES, ...) showing ``placeholder`` until updated."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def add_hyperlink(paragraph: Paragraph, url: str, text: str, style: str | None) -> Any:
    """Append an external hyperlink; return its run element for further formatting."""
    # Word refuses a document whose link target is not a valid URI (a space, a control character).
    r_id = paragraph.part.relate_to(encode_url(url), RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    if style:
        rpr = OxmlElement("w:rPr")
        rstyle = OxmlElement("w:rStyle")
        rstyle.set(qn("w:val"), style)
        rpr.append(rstyle)
        run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = xml_text(text)
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
    return run


def mark_rows(table_element: Any, *, keep_together: bool) -> None:
    """Keep every row of a table whole on one page, repeat its first row on each page.

    With ``keep_together`` every row but the last also keeps with the next, so a short
    table moves to the next page whole instead of leaving its head behind.
    """
    rows = table_element.findall(qn("w:tr"))
    for index, row in enumerate(rows):
        trpr = row.get_or_add_trPr()
        # CT_TrPr is a choice group, so order does not matter; Word reads both.
        trpr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            trpr.append(OxmlElement("w:tblHeader"))
        if keep_together and index < len(rows) - 1:
            for p in row.iter(qn("w:p")):
                p.get_or_add_pPr().keepNext_val = True


_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"


def set_alt_text(element: Any, text: str) -> None:
    """Give every picture under ``element`` the alternative text ``text`` (wp:docPr descr)."""
    text = xml_text(text)
    for tag in (f"{_WP}docPr", f"{_PIC}cNvPr"):
        for props in element.iter(tag):
            props.set("descr", text)
