"""The Word file beside the PDF, as LibreOffice draws it on a machine without the theme's fonts.

One briefing per theme is built (PDF and Word, LibreOffice numbering the Word contents),
then converted by LibreOffice in a clean font environment (only DejaVu). Measured, not
just rendered: the pixel colours of the cover's bands and page, the fonts pdffonts
lists, the contents' numbers against LibreOffice's own layout of the file (exact; and
within a page when numbered from the PDF instead), and a table's rows on one page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdf
import pytest
from PIL import Image

from briefgen.batch.build import build
from briefgen.project.config import load_project
from briefgen.render.docx.paginate import page_refs, pages_of, read_layout
from briefgen.render.office import PDF_FILTER
from tests.conftest import REPO
from tests.e2e.test_clients import tool

pytestmark = pytest.mark.slow

TOPIC, AUDIENCE = "peacekeeping-missions", "policy"
THEMES = ("default", "field")


@dataclass(frozen=True)
class Side:
    """One theme's briefing: the PDF, the Word file and LibreOffice's PDF of it."""

    pdf: Path
    word: Path
    word_pdf: Path
    fallback: Path  # the same Word file numbered from the PDF (word.paginate: pdf)
    fallback_pdf: Path
    notes: list[str]


def clean_fonts(folder: Path) -> dict[str, str]:
    """Return an environment whose fontconfig knows only DejaVu: no Lato, no Noto Serif."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{folder / 'fc-cache'}</cachedir></fontconfig>"
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(folder)}


def project_with(root: Path, theme: str, paginate: str) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "briefgen.yaml").read_text().replace("theme: default", f"theme: {theme}")
    (root / "briefgen.yaml").write_text(config + f"\nword:\n  paginate: {paginate}\n")
    return root


@pytest.fixture(scope="module")
def sides(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Side]:
    soffice = tool("soffice", "libreoffice")
    work = tmp_path_factory.mktemp("visual")
    made: dict[str, tuple[Path, Path, Path, list[str]]] = {}
    for theme in THEMES:
        runs = {}
        for paginate in ("libreoffice", "pdf"):
            root = project_with(work / f"{theme}-{paginate}", theme, paginate)
            report = build(load_project(root), topics=[TOPIC], audiences=[AUDIENCE])
            assert not report.failed, [r.error for r in report.failed]
            word = next(r for r in report.results if r.target.format == "docx")
            expected = "contents paged by LibreOffice" if paginate == "libreoffice" else ""
            assert word.note.startswith(expected), word.note
            if paginate == "pdf":
                assert any("numbered from the PDF's pagination" in w for w in word.warnings)
            runs[paginate] = (root / "build" / TOPIC, report.notes)
        folder, notes = runs["libreoffice"]
        made[theme] = (folder / f"{AUDIENCE}.pdf", folder / f"{AUDIENCE}.docx", runs["pdf"][0] / f"{AUDIENCE}.docx", notes)
    # LibreOffice draws every Word file, in one process, knowing no font but DejaVu.
    inbox = work / "in"
    inbox.mkdir()
    for theme, (_pdf, word, fallback, _notes) in made.items():
        shutil.copy(word, inbox / f"{theme}.docx")
        shutil.copy(fallback, inbox / f"{theme}-fallback.docx")
    profile = (work / "profile").as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", PDF_FILTER,
         "--outdir", str(work / "out"), *map(str, sorted(inbox.glob("*.docx")))],
        capture_output=True, text=True, timeout=300, env=clean_fonts(work), check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {
        theme: Side(pdf, word, work / "out" / f"{theme}.pdf", fallback, work / "out" / f"{theme}-fallback.pdf", notes)
        for theme, (pdf, word, fallback, notes) in made.items()
    }


def page_image(pdf: Path, page: int, folder: Path) -> Image.Image:
    """Return page ``page`` of ``pdf`` drawn by poppler at 20 dpi."""
    stem = folder / f"{pdf.parent.name}-{pdf.stem}-{page}"
    subprocess.run(
        [tool("pdftoppm"), "-png", "-r", "20", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return Image.open(f"{stem}.png").convert("RGB")


def near(pixel: tuple[int, ...], colour: str, tolerance: int = 14) -> bool:
    target = tuple(int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))


def theme_cover(theme: str) -> dict[str, str]:
    from briefgen.project.searchpath import TemplateDirs, builtin_dir
    from briefgen.project.themes import load_theme

    spec = load_theme(theme, TemplateDirs((builtin_dir(),))).spec
    return spec.cover.resolved(spec.colours)


@pytest.mark.parametrize("theme", THEMES)
def test_the_word_cover_has_the_pdfs_bands_and_page(sides: dict[str, Side], theme: str, tmp_path: Path) -> None:
    side, colours = sides[theme], theme_cover(theme)
    for pdf in (side.pdf, side.word_pdf):
        image = page_image(pdf, 1, tmp_path)
        w, h = image.size
        top, foot = image.getpixel((w // 2, int(h * 0.02))), image.getpixel((w // 2, int(h * 0.985)))
        page = image.getpixel((w // 2, int(h * 0.80)))
        assert near(top, colours["band"]) and near(foot, colours["band"]), (pdf, top, foot)
        assert near(page, colours["background"]), (pdf, page)
    # The cover is one page: the contents follow on page 2 in both.
    for pdf in (side.pdf, side.word_pdf):
        assert "Contents" in pypdf.PdfReader(pdf).pages[1].extract_text().title()


@pytest.mark.parametrize("theme", THEMES)
def test_word_shows_the_themes_own_fonts_without_them_installed(sides: dict[str, Side], theme: str) -> None:
    def families(pdf: Path) -> set[str]:
        lines = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
        names = [line.split()[0] for line in lines.splitlines()[2:]]
        bare = (re.sub(r"^[A-Z]{6}\+", "", n) for n in names)  # the subset tag
        return {re.sub(r"-(Regular|Bold|Italic|BoldItalic)$", "", n).replace("-", "") for n in bare}

    side = sides[theme]
    word, pdf = families(side.word_pdf), families(side.pdf)
    expected = {"Lato", "NotoSerif"} if theme == "default" else {"Lato"}
    assert expected <= word and expected <= pdf
    # The same fonts as the PDF, and nothing fell back to the only installed one (DejaVu).
    assert word == pdf == expected, (word, pdf)


@pytest.mark.parametrize("theme", THEMES)
def test_the_contents_numbers_are_libreoffices_own_layout(sides: dict[str, Side], theme: str) -> None:
    side = sides[theme]
    for word, pdf, slack in ((side.word, side.word_pdf, 0), (side.fallback, side.fallback_pdf, 1)):
        data = word.read_bytes()
        layout = read_layout(pdf, page_refs(data))
        shown = pages_of(data)
        assert len(shown) >= 10 and set(layout.bookmarks) == set(shown)
        for name, page in layout.bookmarks.items():
            assert abs(int(shown[name]) - page) <= slack, (word.name, name, shown[name], page)
    # And the reader sees them: contents lines of the Word file's page 2 end in those numbers.
    text = pypdf.PdfReader(side.word_pdf).pages[1].extract_text()
    lines = [line for line in text.splitlines() if re.search(r"\.{3,}\s*\d+\s*$", line)]
    numbers = [int(re.search(r"(\d+)\s*$", line).group(1)) for line in lines]  # type: ignore[union-attr]
    assert numbers == [int(v) for v in pages_of(side.word.read_bytes()).values()]
    assert side.notes and side.notes[0].startswith("Word contents paged by LibreOffice")


@pytest.mark.parametrize("theme", THEMES)
def test_a_table_stands_on_one_page_with_its_caption(sides: dict[str, Side], theme: str) -> None:
    side = sides[theme]
    document = docx.Document(str(side.word))
    table = document.tables[-1]  # the glossary: the last table, the longest one
    rows = [row.cells[0].text for row in table.rows]
    pages = [page.extract_text() for page in pypdf.PdfReader(side.word_pdf).pages]
    # The page where the table's header row and first entry stand together...
    first = next(i for i, t in enumerate(pages) if rows[0] in t and rows[1] in t)
    # ...holds every other row too: no row went over to the next page.
    assert all(row in pages[first] for row in rows), (rows, first)
    assert all(r.find("{*}trPr/{*}cantSplit") is not None for r in table._tbl.iter("{*}tr"))


def test_a_second_build_gives_the_same_word_bytes(sides: dict[str, Side], tmp_path: Path) -> None:
    root = project_with(tmp_path / "again", "default", "libreoffice")
    report = build(load_project(root), topics=[TOPIC], audiences=[AUDIENCE], formats=["docx"])
    assert not report.failed
    assert (root / "build" / TOPIC / f"{AUDIENCE}.docx").read_bytes() == sides["default"].word.read_bytes()
