"""Word output from hostile text: a file Word opens, or a named error; never a broken or partial .docx."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import Result
from lxml import etree

from briefgen.assemble.briefing import (
    Briefing,
    Chart,
    Citation,
    Note,
    Paragraph,
    Part,
    SourceRef,
    Table,
    TimelineItem,
)
from briefgen.assemble.furniture import contents_entries, cover_rows, sources_intro
from briefgen.assemble.markup import Span
from briefgen.errors import RenderError
from briefgen.project.config import load_project
from briefgen.render.docx.writer import MAX_COLUMNS, DocxRenderer
from briefgen.render.registry import RenderContext

NASTY = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\ud800\udfff\ufffe\uffff<&>\"' \u2028\t"
# What XML 1.0 (and so Word) cannot hold, plus the C1 controls Word shows as boxes.
INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@pytest.fixture
def ctx(sample: Path) -> RenderContext:
    return RenderContext.for_project(load_project(sample))


def make_briefing(
    text: Callable[[str], str] = lambda s: s,
    *,
    level: int = 1,
    style: str = "callout",
    columns: int = 3,
    rows: tuple[tuple[str, ...], ...] | None = None,
    href: str = "https://example.org/page",
) -> Briefing:
    """Return a Briefing with every text field set to ``text(field name)``."""
    t = text
    note = Note(1, (Citation("a#b", t("source title"), t("section title")),))
    table = Table(
        t("caption"),
        tuple(t(f"column {i}") for i in range(columns)),
        rows if rows is not None else ((t("cell"),) * columns,),
        (),
    )
    chart = Chart(t("chart caption"), (TimelineItem(t("bar label"), 2000, 2005, t("group")),), 2000, 2006)
    paragraph = Paragraph((Span(t("bold"), bold=True), Span(t("link text"), href=href)), note, True)
    parts = (
        Part("1", level, "s-1", t("heading"), "bluf", style, "bullets", (Span(t("intro")),), (paragraph,)),
        Part("2", 1, "s-2", t("table heading"), "missions-table", table=table),
        Part("3", 1, "s-3", t("chart heading"), "timeline", chart=chart),
    )
    sources = (SourceRef("s", t("source title"), t("file"), (t("section title"),)),)
    return Briefing(
        topic_id="t",
        audience_id="a",
        title=t("title"),
        subtitle=t("subtitle"),
        audience_title=t("audience"),
        purpose=t("purpose"),
        author=t("author"),
        date=dt.date(2026, 1, 15),
        marking=t("marking"),
        summary=(Span(t("summary")),),
        parts=parts,
        notes=(note,),
        sources=sources,
        show_contents=True,
        show_notes=True,
        page_budget=None,
        keywords=(t("keyword"),),
        cover=cover_rows(
            audience=t("audience"), purpose=t("purpose"), date_text="15 January 2026", author=t("author")
        ),
        contents=contents_entries(parts, sources, "footnotes"),
        sources_intro=sources_intro("footnotes"),
    )


def check_word_file(data: bytes) -> docx.document.Document:
    """Assert ``data`` is a .docx Word opens: every part parses, no invalid character; return it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                raw = archive.read(name)
                etree.fromstring(raw)
                assert not INVALID.search(raw.decode("utf-8")), name
        for target in etree.fromstring(archive.read("word/_rels/document.xml.rels")).xpath(
            "//*[@TargetMode='External']/@Target"
        ):
            assert re.fullmatch(r"[\x21-\x7e]+", target), target  # a valid URI: printable ASCII, no spaces
    return docx.Document(io.BytesIO(data))


def test_control_characters_and_surrogates_in_every_field_are_removed(ctx: RenderContext) -> None:
    data = DocxRenderer().render(make_briefing(lambda s: f"{s} {NASTY} end"), ctx).data
    document = check_word_file(data)
    # The cover is a table of its own section: bands with the marking, the title block between.
    cover = [p for row in document.tables[0].rows for p in row.cells[0].paragraphs]
    text = "\n".join(p.text for p in [*document.paragraphs, *cover])
    for field in (
        "title",
        "subtitle",
        "audience",
        "purpose",
        "author",
        "marking",
        "summary",
        "heading",
        "bold",
    ):
        assert f"{field} <&>\"' \t end" in text or f"{field} <&>\"'" in text, field
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert any(c.startswith("column 0 <&>") for c in cells) and any(c.startswith("cell <&>") for c in cells)
    props = document.core_properties
    for value in (props.title, props.author, props.keywords, props.category, props.comments, props.subject):
        assert value and not INVALID.search(value)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        notes = archive.read("word/footnotes.xml").decode()
        assert "source title &lt;&amp;&gt;" in notes


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/a b\x01c",
        'https://example.org/"><x y="',
        "https://example.org/\ud800é",
        "mailto:desk@example.org?subject=a b",
        "https://example.org/" + "a" * 5000,
    ],
)
def test_hyperlink_targets_are_always_valid_uris(ctx: RenderContext, href: str) -> None:
    document = check_word_file(DocxRenderer().render(make_briefing(href=href), ctx).data)
    assert any("link text" in p.text for p in document.paragraphs)


@pytest.mark.parametrize(
    ("level", "style"), [(0, "Heading 1"), (-3, "Heading 1"), (2, "Heading 2"), (12, "Heading 3")]
)
def test_heading_levels_beyond_the_styles_are_clamped(ctx: RenderContext, level: int, style: str) -> None:
    document = check_word_file(DocxRenderer().render(make_briefing(level=level, style="plain"), ctx).data)
    headings = {p.text: p.style.name for p in document.paragraphs if p.text.startswith("1 heading")}
    assert headings == {"1 heading": style}


@pytest.mark.parametrize(
    ("columns", "rows", "expected"),
    [
        (
            MAX_COLUMNS + 7,
            None,
            f"table 'caption' has {MAX_COLUMNS + 7} columns; Word allows 1 to {MAX_COLUMNS}",
        ),
        (0, (), "table 'caption' has 0 columns"),
        (3, (("a", "b", "c"), ("only one",)), "table 'caption': row 2 does not have 3 cells"),
    ],
)
def test_tables_word_cannot_hold_are_named_errors(
    ctx: RenderContext, columns: int, rows: tuple[tuple[str, ...], ...] | None, expected: str
) -> None:
    with pytest.raises(RenderError) as info:
        DocxRenderer().render(make_briefing(columns=columns, rows=rows), ctx)
    assert expected in str(info.value)


def test_the_widest_table_word_allows_is_written(ctx: RenderContext) -> None:
    document = check_word_file(DocxRenderer().render(make_briefing(columns=MAX_COLUMNS), ctx).data)
    assert len(document.tables[-1].columns) == MAX_COLUMNS  # tables[0] is the cover


def test_long_properties_are_cut_to_words_limit(ctx: RenderContext) -> None:
    document = check_word_file(
        DocxRenderer().render(make_briefing(lambda s: f"{s} " + "word, " * 400), ctx).data
    )
    props = document.core_properties
    for value in (props.title, props.author, props.keywords, props.comments, props.subject, props.category):
        assert value and len(value) <= 255


def test_huge_text_in_every_field_still_makes_a_valid_file(ctx: RenderContext) -> None:
    data = DocxRenderer().render(make_briefing(lambda s: (s + " ") * 4_000), ctx).data
    document = check_word_file(data)
    assert max(len(p.text) for p in document.paragraphs) > 20_000


def test_a_failed_word_render_leaves_no_file_behind(sample: Path, cli: Callable[..., Result]) -> None:
    theme = sample / "templates" / "themes" / "broken"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: broken\nreference_docx: reference.docx\n")
    (theme / "reference.docx").write_bytes(b"PK\x03\x04 this is not a Word document")
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text().replace("theme: default", "theme: broken"))
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code != 0
    assert "reference.docx" in result.output
    build = sample / "build"
    left = [p.name for p in build.rglob("*") if p.is_file() and p.suffix != ".json"] if build.exists() else []
    assert left == [], left
