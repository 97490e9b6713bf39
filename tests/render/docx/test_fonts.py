"""Embedded fonts: obfuscated as ECMA-376 says, declared in the font table, subset, only the faces used."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from briefgen.project.config import load_project
from briefgen.render.docx.fonts import REPERTOIRE, font_key, obfuscate
from briefgen.render.docx.writer import DocxRenderer
from briefgen.render.registry import RenderContext
from tests.hostile.test_docx import make_briefing

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
SLOTS = {"embedRegular": (False, False), "embedBold": (True, False), "embedItalic": (False, True)}


def deobfuscate_as_the_spec_reads(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, 17.8.1, written out independently: the GUID's hex digits, read from the end."""
    digits = key.strip("{}").replace("-", "")
    mask = [int(digits[i : i + 2], 16) for i in range(0, 32, 2)][::-1]
    return bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def test_obfuscation_is_the_specs_and_its_own_inverse() -> None:
    data = bytes(range(256)) * 4
    key = "{" + str(uuid.UUID(int=0x0123456789ABCDEF0011223344556677)).upper() + "}"
    scrambled = obfuscate(data, key)
    assert scrambled[32:] == data[32:] and scrambled[:32] != data[:32]
    assert deobfuscate_as_the_spec_reads(scrambled, key) == data
    assert obfuscate(scrambled, key) == data
    assert font_key(data) == font_key(data) and font_key(data) != font_key(data[1:])


@pytest.fixture
def word_file(sample: Path) -> bytes:
    ctx = RenderContext.for_project(load_project(sample))
    briefing = make_briefing(lambda s: f"{s} café – “quoted” Zürich ł")
    return DocxRenderer().render(briefing, ctx).data


def embedded(data: bytes) -> dict[tuple[str, bool, bool], TTFont]:
    """Return each embedded face, deobfuscated and parsed, by (font table name, bold, italic)."""
    faces = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
        rels = etree.fromstring(archive.read("word/_rels/fontTable.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        types = archive.read("[Content_Types].xml").decode()
        assert 'ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"' in types
        for font in table.iter(f"{W}font"):
            for slot, (bold, italic) in SLOTS.items():
                embed = font.find(f"{W}{slot}")
                if embed is None:
                    continue
                part = archive.read("word/" + targets[embed.get(f"{R}id")])
                clear = deobfuscate_as_the_spec_reads(part, embed.get(f"{W}fontKey"))
                faces[(font.get(f"{W}name"), bold, italic)] = TTFont(io.BytesIO(clear))
        settings = archive.read("word/settings.xml").decode()
    assert "<w:embedTrueTypeFonts/>" in settings and "<w:saveSubsetFonts/>" in settings
    # Word rejects settings out of schema order: embedding comes before the proof state.
    assert settings.index("embedTrueTypeFonts") < settings.index("proofState")
    return faces


def test_the_faces_the_text_uses_are_embedded_as_fonts_word_can_read(word_file: bytes) -> None:
    faces = embedded(word_file)
    # The default theme: Lato (headings, table) and Noto Serif (body), regular and bold;
    # bold italic is used nowhere, so it is not carried.
    assert {("Lato", False, False), ("Lato", True, False), ("Noto Serif", False, False)} <= set(faces)
    assert ("Noto Serif", True, True) not in faces and ("Lato", True, True) not in faces
    for (family, bold, _italic), font in faces.items():
        assert font["name"].getDebugName(1) == family  # the name Word matches the table's entry by
        assert ("Bold" in font["name"].getDebugName(4)) == bold
        cmap = font.getBestCmap()
        assert {ord(c) for c in "café–“”Zürich"} <= set(cmap)
        assert ord("ł") in cmap  # outside Windows-1252, used by the text, so carried too
        assert len(cmap) < len(REPERTOIRE) + 40  # cut down: the full faces hold ~2,900 characters
        assert "OFL" in " ".join(r.toUnicode() for r in font["name"].names if r.nameID in (13, 14))


def test_the_same_briefing_gives_the_same_font_parts(sample: Path, word_file: bytes) -> None:
    ctx = RenderContext.for_project(load_project(sample))
    again = DocxRenderer().render(make_briefing(lambda s: f"{s} café – “quoted” Zürich ł"), ctx).data
    assert again == word_file
    with zipfile.ZipFile(io.BytesIO(word_file)) as archive:
        sizes = [i.file_size for i in archive.infolist() if i.filename.endswith(".odttf")]
    assert sizes and max(sizes) < 80_000  # a full face is 600-700 KB
