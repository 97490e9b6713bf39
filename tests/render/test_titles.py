"""Text that does not fit: long words wrap, a long title keeps the cover one page and the running header one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import docx
import pdfplumber
import pytest

from briefgen.render.docx.writer import DocxRenderer
from briefgen.render.pdf.renderer import PdfRenderer
from briefgen.render.registry import Rendered
from briefgen.render.titles import cover_scale, header_room, running_title, text_width
from tests.hostile.conftest import briefing_for

HEADER_BOTTOM = 24 * 72 / 25.4  # the top margin, in points: the running header stands above it


class Page(NamedTuple):
    """A page read back: its width and its characters (pdfplumber's dicts)."""

    width: float
    chars: list[dict[str, Any]]


TITLE = ("Coordination of international relief operations across agencies and borders " * 5)[:300]
WORD = "y" * 400
URL = "https://example.org/" + "path/" * 60


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _long_texts(project: Path) -> None:
    """Give the sample a 300-character title and 400-character words in a callout, a body, a table, a source."""
    topic = project / "content" / "topics" / "relief.yaml"
    _edit(topic, "title: Relief Coordination", f"title: {TITLE}")
    _edit(topic, "Joint planning is the **single biggest** factor", f"Joint {WORD} planning is the factor")
    _edit(topic, "Early efforts were ad hoc.", f"Early {WORD} efforts, {URL}")
    _edit(project / "content" / "entities.yaml", "name: Harbour Relief Operation", f"name: Harbour{WORD}")
    _edit(
        project / "content" / "source.yaml",
        "title: Coordinating Disaster Relief",
        f"title: Coordinating{WORD}",
    )


def _pdf(project: Path, tmp_path: Path, audience: str = "field") -> tuple[list[Page], list[str], Rendered]:
    """Render the sample's briefing for ``audience`` to PDF; return its pages read back, their text, the result."""
    briefing, ctx = briefing_for(project, audience)
    rendered = PdfRenderer().render(briefing, ctx)
    path = tmp_path / f"{audience}.pdf"
    path.write_bytes(rendered.data)
    with pdfplumber.open(path) as pdf:
        pages = [Page(float(page.width), list(page.chars)) for page in pdf.pages]
        texts = [page.extract_text() or "" for page in pdf.pages]
    return pages, texts, rendered


def test_running_titles_are_cut_at_a_word_with_an_ellipsis() -> None:
    assert running_title("Short title", 70) == "Short title"
    cut = running_title(TITLE, 70)
    assert cut.endswith("…") and text_width(cut) <= 70 and TITLE.startswith(cut[:-1].rstrip())
    assert not cut[:-1].endswith(" ")
    wide = running_title("共享仓库" * 40, 70)  # two columns each: 34 characters and the ellipsis
    assert wide.endswith("…") and text_width(wide) <= 70 and len(wide) == 35
    assert header_room(166) >= 60
    assert cover_scale("Short") == 1 and cover_scale(TITLE) < cover_scale(TITLE[:100]) < 1


def test_long_words_wrap_and_a_long_title_keeps_the_cover_one_page(sample: Path, tmp_path: Path) -> None:
    _long_texts(sample)
    pages, texts, rendered = _pdf(sample, tmp_path)
    layout = rendered.layout
    assert layout is not None
    # The cover is one page: the title on page 1, the contents alone on page 2.
    assert "cover" in layout.anchor_pages[0] and layout.page_of("cover") == 1
    assert [n for name, n in layout.anchor_pages if name == "cover"] == [1]
    assert "Contents" in texts[1] and "Prepared by" not in texts[1]
    cover = texts[0].replace("\n", " ")
    assert TITLE.split()[0] in cover and "Prepared by" in cover.replace("PREPARED BY", "Prepared by")
    # Nothing runs past the page edge, the 400-character words and the URL included.
    for number, page in enumerate(pages, 1):
        assert all(c["x0"] >= 0 and c["x1"] <= page.width + 0.5 for c in page.chars), number
    body = "".join(t.replace("\n", "") for t in texts)
    assert WORD in body and URL in body
    # The running header is one line, the title cut with an ellipsis.
    for page in pages[1:]:
        header = [c for c in page.chars if c["bottom"] < HEADER_BOTTOM]
        assert header and len({round(c["top"]) for c in header}) == 1
        assert "…" in "".join(c["text"] for c in header)


def test_an_overlong_purpose_is_cut_on_the_cover_with_a_located_warning(sample: Path, tmp_path: Path) -> None:
    audiences = sample / "content" / "audiences.yaml"
    _edit(
        audiences,
        "purpose: Plan operations.",
        "purpose: Plan operations. " + "Plan them well and with care. " * 100,
    )
    line = next(n for n, text in enumerate(audiences.read_text().splitlines(), 1) if "id: field" in text)
    _, texts, rendered = _pdf(sample, tmp_path)
    assert "Contents" in texts[1] and "Plan them" not in texts[1]
    warnings = rendered.warnings
    assert any(
        w.startswith(f"content/audiences.yaml:{line}:") and "purpose is too long" in w for w in warnings
    )


def test_the_word_cover_title_sets_smaller_and_its_header_is_one_line(sample: Path, tmp_path: Path) -> None:
    _long_texts(sample)
    briefing, ctx = briefing_for(sample)
    path = tmp_path / "field.docx"
    path.write_bytes(DocxRenderer().render(briefing, ctx).data)
    document = docx.Document(str(path))
    title = next(
        p
        for p in document.element.body.iter()
        if p.tag.endswith("}p") and TITLE[:40] in "".join(p.itertext())
    )
    sizes = [int(sz.get(sz.tag.replace("}sz", "}val"))) for sz in title.iter() if sz.tag.endswith("}sz")]
    assert sizes and max(sizes) / 2 < 30  # half-points: smaller than the 30 pt of a short title
    header = document.sections[-1].header.paragraphs[0].text
    shown = header.split("\t")[0]
    assert shown.endswith("…") and text_width(shown) <= header_room(ctx.theme.spec.page.text_width_mm())


@pytest.mark.parametrize("audience", ["exec"])
def test_the_cover_and_header_of_a_short_title_are_unchanged(
    sample: Path, tmp_path: Path, audience: str
) -> None:
    pages, _, _ = _pdf(sample, tmp_path, audience)
    header = "".join(c["text"] for c in pages[1].chars if c["bottom"] < HEADER_BOTTOM)
    assert header.startswith("Relief Coordination") and "…" not in header
    sizes = {round(c["size"]) for c in pages[0].chars if c["text"] == "R"}
    assert 30 in sizes  # the title at its full 30 pt
