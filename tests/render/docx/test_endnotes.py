"""Real Word endnotes: their own part, decimal numbers, and the writer's choice of footnotes, endnotes or none."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import docx.document
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from briefgen.render.docx.notes import ENDNOTE, Endnotes, find_style, note_ids
from briefgen.render.docx.writer import DocxRenderer
from tests.hostile.conftest import briefing_for
from tests.render.docx.test_notes import NOTES, _check_order, _save, _soffice


def _three_endnotes() -> tuple[docx.document.Document, list[int]]:
    doc = docx.Document()
    first = doc.add_paragraph("First paragraph.")
    second = doc.add_paragraph("Second paragraph.")
    notes = Endnotes(doc)
    ids = [notes.add(first, NOTES[0]), notes.add(second, NOTES[1]), notes.add(second, NOTES[2])]
    return doc, ids


def _xml(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def test_endnotes_get_their_own_part_references_and_styles() -> None:
    doc, ids = _three_endnotes()
    assert ids == [1, 2, 3]
    data = _save(doc)
    root = _xml(data, "word/endnotes.xml")
    assert etree.QName(root).localname == "endnotes"
    assert note_ids(root, ENDNOTE) == [-1, 0, 1, 2, 3]  # separators first, as Word writes them
    _check_order(root)
    body = _xml(data, "word/document.xml")
    assert [el.get(qn("w:id")) for el in body.iter(qn("w:endnoteReference"))] == ["1", "2", "3"]
    assert not list(body.iter(qn("w:footnoteReference")))
    reopened = docx.Document(io.BytesIO(data))
    assert [r.reltype for r in reopened.part.rels.values()].count(RT.ENDNOTES) == 1
    assert find_style(reopened, "endnote text", WD_STYLE_TYPE.PARAGRAPH) is not None
    assert find_style(reopened, "endnote reference", WD_STYLE_TYPE.CHARACTER) is not None


def test_endnotes_are_numbered_1_2_3_not_i_ii_iii() -> None:
    data = _save(_three_endnotes()[0])
    settings = _xml(data, "word/settings.xml")
    (props,) = settings.iter(qn("w:endnotePr"))
    assert props.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    # Schema order: w:endnotePr stands before w:compat in the settings, before w:pgSz in a section.
    names = [etree.QName(child).localname for child in settings]
    assert "compat" not in names or names.index("endnotePr") < names.index("compat")
    section = next(_xml(data, "word/document.xml").iter(qn("w:sectPr")))
    names = [etree.QName(child).localname for child in section]
    assert names.index("endnotePr") < names.index("pgSz")


def _placed(sample: Path, placement: str) -> tuple[Any, bytes]:
    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(
        audiences.read_text().replace(
            "    depth: detailed\n", f"    depth: detailed\n    notes: {placement}\n"
        )
    )
    briefing, ctx = briefing_for(sample)
    return briefing, DocxRenderer().render(briefing, ctx).data


def test_the_writer_sets_endnotes_after_the_sources_when_the_audience_reads_endnotes(sample: Path) -> None:
    briefing, data = _placed(sample, "endnotes")
    assert briefing.note_placement == "endnotes" and briefing.notes
    root = _xml(data, "word/endnotes.xml")
    texts = [
        "".join(n.itertext()).strip()
        for n in root.iterchildren(qn("w:endnote"))
        if n.get(qn("w:type")) is None
    ]
    assert texts == [note.text for note in briefing.notes]
    body = _xml(data, "word/document.xml")
    assert not list(body.iter(qn("w:footnoteReference")))
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-2:] == ["Sources", "Notes"]  # Word prints the endnotes after the last paragraph


def test_the_writer_calls_no_notes_when_the_audience_reads_none(sample: Path) -> None:
    briefing, data = _placed(sample, "none")
    assert not briefing.notes and briefing.sources
    body = _xml(data, "word/document.xml")
    assert not list(body.iter(qn("w:footnoteReference"))) and not list(body.iter(qn("w:endnoteReference")))
    document = docx.Document(io.BytesIO(data))
    assert "Sources" in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert any(p.text.startswith("CDR\u2002Coordinating Disaster Relief") for p in document.paragraphs)


@pytest.mark.slow
def test_libreoffice_prints_endnotes_numbered_after_the_body(tmp_path: Path) -> None:
    exe = _soffice()
    path = tmp_path / "endnotes.docx"
    path.write_bytes(_save(_three_endnotes()[0]))
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(tmp_path / "endnotes.pdf").pages))
    for expected in ("1 Alpha note, bold then italic", "2 Beta note.", "3 Gamma note."):
        assert expected in text
    assert text.index("Second paragraph.") < text.index("Alpha note")
    assert " i Alpha" not in text
