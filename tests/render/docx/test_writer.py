"""The Word writer's furniture: the cover per theme, the numbered contents, tables, alt text, app.xml."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from briefgen.assemble.tailor import assemble
from briefgen.content.load import load_library
from briefgen.project.config import load_project
from briefgen.render.docx.contents import bookmark_names
from briefgen.render.docx.cover import BAND_MM
from briefgen.render.docx.fields import set_page_refs
from briefgen.render.docx.paginate import Pages, apply_layout, pages_of
from briefgen.render.docx.writer import DocxRenderer
from briefgen.render.registry import Layout, RenderContext
from tests.hostile.test_docx import make_briefing

TWIPS_PER_MM = 56.6929


def relief(project: Path, theme: str = "default") -> tuple[RenderContext, object]:
    proj = load_project(project)
    library, _ = load_library(proj.content_dir, proj.root)
    briefing = assemble(library, "relief", "field", author="x", default_date=dt.date(2026, 1, 1))
    # Numbered from the PDF's layout, as without LibreOffice (the sample itself numbers nothing).
    return dataclasses.replace(RenderContext.for_project(proj, theme), paginator="pdf"), briefing


def layout_for(briefing: object, first: int = 3) -> Layout:
    """Return a made-up pagination: entry i of the contents on page first + i // 2."""
    entries = briefing.contents  # type: ignore[attr-defined]
    return Layout(9, 6, tuple((e.anchor, first + i // 2) for i, e in enumerate(entries)))


@pytest.mark.parametrize("theme", ["default", "field"])
def test_the_cover_is_one_exact_page_with_the_themes_bands(sample: Path, theme: str) -> None:
    ctx, briefing = relief(sample, theme)
    document = docx.Document(io.BytesIO(DocxRenderer().render(briefing, ctx, layout_for(briefing)).data))
    cover, body = document.sections[0], document.sections[-1]
    assert len(document.sections) == 2
    assert (cover.top_margin, cover.left_margin, cover.right_margin, cover.bottom_margin) == (0, 0, 0, 0)
    assert body.header.is_linked_to_previous is False and "Relief" in body.header.paragraphs[0].text
    table = document.tables[0]._tbl
    heights = [int(tr.find(f"{qn('w:trPr')}/{qn('w:trHeight')}").get(qn("w:val"))) for tr in table.iter(qn("w:tr"))]
    rules = {tr.find(f"{qn('w:trPr')}/{qn('w:trHeight')}").get(qn("w:hRule")) for tr in table.iter(qn("w:tr"))}
    assert rules == {"exact"} and sum(heights) < int(cover.page_height.twips)  # one page, always
    assert heights[0] == heights[2] == round(BAND_MM * TWIPS_PER_MM)
    fills = [tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) for tc in table.iter(qn("w:tc"))]
    colours = ctx.theme.spec.cover.resolved(ctx.theme.spec.colours)
    assert fills == [c.lstrip("#").upper() for c in (colours["band"], colours["background"], colours["band"])]
    if theme == "field":
        assert fills[1] == "2B3035"  # the dark cover
        descr = [el.get("descr") for el in table.iter("{*}docPr")]
        assert descr == [ctx.theme.spec.logo_alt]
    texts = [p.text for p in document.tables[0].rows[1].cells[0].paragraphs]
    assert briefing.title in texts  # type: ignore[attr-defined]


def test_contents_carry_the_layouts_numbers_and_no_prompt(sample: Path) -> None:
    ctx, briefing = relief(sample)
    data = DocxRenderer().render(briefing, ctx, layout_for(briefing)).data
    document = docx.Document(io.BytesIO(data))
    names = bookmark_names(briefing.contents)  # type: ignore[attr-defined]
    expected = {names[a]: str(p) for a, p in layout_for(briefing).anchor_pages}
    assert pages_of(data) == expected
    body = document.element.body
    marked = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert set(names.values()) <= marked  # every entry links to its heading
    marks = [(b.get(qn("w:name")), b.getparent()) for b in body.iter(qn("w:bookmarkStart"))]
    assert [name for name, _ in marks] == list(names.values())  # in contents order
    by_id = {s.style_id: s.name for s in document.styles}
    styles = {by_id[p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))] for _, p in marks}
    assert styles <= {"Heading 1", "Heading 2", "Callout Heading"}  # on the headings themselves
    assert "w:dirty" not in body.xml and "updateFields" not in document.settings.element.xml


def test_page_numbers_are_rewritten_from_another_layout(sample: Path) -> None:
    ctx, briefing = relief(sample)
    data = DocxRenderer().render(briefing, ctx, layout_for(briefing)).data
    names = list(bookmark_names(briefing.contents).values())  # type: ignore[attr-defined]
    redone = apply_layout(data, Pages(12, {name: 4 + i for i, name in enumerate(names)}))
    assert pages_of(redone) == {name: str(4 + i) for i, name in enumerate(names)}
    with zipfile.ZipFile(io.BytesIO(redone)) as archive, zipfile.ZipFile(io.BytesIO(data)) as before:
        assert archive.namelist() == before.namelist()
        assert [i.date_time for i in archive.infolist()] == [i.date_time for i in before.infolist()]
        footer = archive.read("word/footer1.xml").decode()
        assert ">12<" in footer  # NUMPAGES shows the true count
        app = etree.fromstring(archive.read("docProps/app.xml"))
        assert app.findtext("{*}Pages") == "12"
    assert apply_layout(data, Pages(12, {n: 4 + i for i, n in enumerate(names)})) == redone  # reproducible


def test_a_missing_bookmark_is_reported_not_guessed() -> None:
    root = etree.fromstring(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGEREF _Toc9 \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert set_page_refs(root, {"_Toc1": 3}) == ["_Toc9"]
    assert "".join(root.itertext()).endswith("7")
    assert set_page_refs(root, {"_Toc9": 3}) == [] and "".join(root.itertext()).endswith("3")


def test_tables_keep_rows_whole_and_repeat_their_head(sample: Path) -> None:
    ctx = RenderContext.for_project(load_project(sample))
    rows = tuple((f"row {i}", "b", "c") for i in range(30))
    data = DocxRenderer().render(make_briefing(rows=rows), ctx).data
    document = docx.Document(io.BytesIO(data))
    table = document.tables[-1]._tbl  # the cover is the first table
    trs = list(table.iter(qn("w:tr")))
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in trs)
    assert trs[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    # 30 rows is long: it may break between rows, so no keep-with-next chain holds it together.
    assert not any(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in trs[1].iter(qn("w:p")))
    short = docx.Document(io.BytesIO(DocxRenderer().render(make_briefing(), ctx).data)).tables[-1]._tbl
    first = next(short.iter(qn("w:tr")))
    assert all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in first.iter(qn("w:p")))


def test_the_chart_has_alt_text_and_app_xml_tells_the_truth(sample: Path) -> None:
    ctx = RenderContext.for_project(load_project(sample))
    briefing = make_briefing()
    data = DocxRenderer().render(briefing, ctx).data
    document = docx.Document(io.BytesIO(data))
    chart = next(p for p in briefing.parts if p.chart).chart
    assert chart is not None
    descr = [el.get("descr") for el in document.element.body.iter("{*}docPr")]
    assert descr == [chart.description] and "bar label, 2000–2005" in chart.description
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        app = etree.fromstring(archive.read("docProps/app.xml"))
    assert app.findtext("{*}Application") == "briefgen"
    assert app.find("{*}Pages") is None  # no layout of this file was made: no page count
    words = sum(len(p.text.split()) for p in document.element.body.iter(qn("w:p")) if hasattr(p, "text"))
    assert int(app.findtext("{*}Words")) == words > 20
    assert b"Microsoft" not in archive_bytes(data, "docProps/app.xml")


def archive_bytes(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def test_an_overlong_cover_is_cut_with_a_warning(sample: Path) -> None:
    ctx, briefing = relief(sample)
    purpose = "Understand the long history of relief cooperation " * 120
    rows = tuple(
        dataclasses.replace(r, value=purpose) if r.label.lower() == "purpose" else r
        for r in briefing.cover  # type: ignore[attr-defined]
    )
    long = dataclasses.replace(briefing, cover=rows)  # type: ignore[type-var]
    rendered = DocxRenderer().render(long, ctx, layout_for(long))
    assert any("too long for one page" in w for w in rendered.warnings)
    document = docx.Document(io.BytesIO(rendered.data))
    shown = " ".join(p.text for p in document.tables[0].rows[1].cells[0].paragraphs)
    assert "…" in shown and len(shown) < len(purpose)
