"""Building real PDF and DOCX files and reading them back."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pypdf
from click.testing import Result

from briefgen.files import TEMP_PREFIX


def pdf_text(path: Path) -> tuple[str, int, pypdf.PdfReader]:
    reader = pypdf.PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages), reader


def test_build_writes_readable_pdf_and_docx(sample: Path, cli: Callable[..., Result]) -> None:
    result = cli(sample, "build")
    assert result.exit_code == 0, result.output
    assert "4 built, 0 failed" in result.output
    text, pages, reader = pdf_text(sample / "build" / "relief" / "field.pdf")
    assert pages == 4
    assert "Relief Coordination" in text and "Field teams" in text
    assert "Page 3 of 4" in text
    assert re.search(r"CDR\s§2\.", text)  # a compact footnote: the source's key and section number
    # The key table: the key beside the source (pypdf reads the floated key first).
    assert "Coordinating Disaster Relief (relief.txt, undated)" in text
    assert "CDR" in reader.pages[-1].extract_text().split()
    assert "Joint planning is the single biggest factor in relief success." in text
    assert "HRO — Harbour Relief Operation" in text
    assert reader.metadata is not None and reader.metadata.title == "Relief Coordination — Field teams"
    assert reader.metadata.author == "Test cell"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF (PDF/UA variant)
    assert reader.metadata.get("/Keywords") == "Logistics, History"
    assert [o.title for o in reader.outline if not isinstance(o, list)][:2] == [
        "1 Bottom line up front",
        "2 History of relief cooperation",
    ]

    document = docx.Document(str(sample / "build" / "relief" / "field.docx"))
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    cover = document.tables[0].rows[1].cells[0]  # the cover: a one-page table of its own section
    assert ("Title", "Relief Coordination") in [(p.style.name, p.text) for p in cover.paragraphs]
    assert ("Callout Heading", "1 Bottom line up front") in styled
    assert ("Heading 1", "2 History of relief cooperation") in styled
    assert ("List Bullet", "Depots near ports speed up delivery.") in styled
    assert document.tables[1].style.name == "Briefing Table"
    assert document.tables[1].rows[1].cells[0].text == "HRO — Harbour Relief Operation"
    assert document.core_properties.title == "Relief Coordination"
    assert len(document.inline_shapes) == 1  # the timeline chart
    footer_xml = document.sections[-1].footer._element.xml
    assert "NUMPAGES" in footer_xml and " PAGE " in footer_xml


def test_executive_pdf_fits_its_budget(sample: Path, cli: Callable[..., Result]) -> None:
    result = cli(sample, "build", "--audience", "exec", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    _, pages, _ = pdf_text(sample / "build" / "relief" / "exec.pdf")
    assert pages == 2  # cover + one body page, no contents page


def test_unknown_names_list_the_valid_ones(sample: Path, cli: Callable[..., Result]) -> None:
    result = cli(sample, "build", "--topic", "relif")
    assert result.exit_code == 2
    assert "unknown topic 'relif'; valid topics: relief" in result.output
    result = cli(sample, "build", "--format", "odt")
    assert "unknown format 'odt'; valid formats: pdf, docx" in result.output


def test_failed_render_keeps_previous_output_and_leaves_no_partial_file(
    sample: Path, cli: Callable[..., Result]
) -> None:
    assert cli(sample, "build").exit_code == 0
    out = sample / "build" / "relief"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    templates = sample / "templates"
    templates.mkdir()
    # A template that breaks the PDF path only: a Word file without a page budget still
    # builds and the batch goes on; one with a budget takes its cut from the PDF's layout,
    # so it fails too, saying why (an uncut file would be cached as if it were right).
    (templates / "briefing.html").write_text(
        '{% extends "!briefing.html" %}{% block body %}{{ missing_var }}{% endblock %}'
    )
    result = cli(sample, "build", "--force")  # rebuild the Word files too, though they are fresh
    assert result.exit_code == 1
    assert "1 built, 3 failed" in result.output
    assert "templates/briefing.html:1: undefined variable: 'missing_var' is undefined" in result.output
    assert (
        "FAILED  relief/exec.docx:\n    the cut to the page budget could not be decided, as the PDF's layout "
        "failed:\n    templates/briefing.html:1: undefined variable" in result.output
    )
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after["exec.pdf"] == before["exec.pdf"] and after["field.pdf"] == before["field.pdf"]
    assert after["exec.docx"] == before["exec.docx"]
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_build_refuses_output_symlink_out_of_project(
    sample: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (sample / "build").symlink_to(outside)
    result = cli(sample, "build")
    assert result.exit_code == 2
    assert "briefgen.yaml: output: 'build' lies outside the project" in result.output
    assert list(outside.iterdir()) == []


def test_theme_logo_on_both_covers(sample: Path, cli: Callable[..., Result]) -> None:
    theme = sample / "templates" / "themes" / "crest"
    theme.mkdir(parents=True)
    builtin = (
        Path(__file__).resolve().parents[2] / "templates" / "themes" / "default" / "theme.yaml"
    ).read_text()
    (theme / "theme.yaml").write_text(builtin.replace("name: Default", "name: Crest") + "logo: logo.svg\n")
    (theme / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60">'
        '<circle cx="30" cy="30" r="25" fill="#1f3a5f"/></svg>'
    )
    result = cli(sample, "build", "--audience", "field", "--theme", "crest")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(sample / "build" / "relief" / "field.docx"))
    assert len(document.inline_shapes) == 2  # the logo and the timeline
    assert (
        pypdf.PdfReader(sample / "build" / "relief" / "field.pdf")
        .pages[0]
        .extract_text()
        .startswith("OFFICIAL")
    )
