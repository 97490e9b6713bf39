"""Every format ingest reads, on documents written here: structure, places, boilerplate dropped, facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import ContentError
from briefgen.ingest.document import RawDocument, section_text
from briefgen.ingest.draft import draft_source
from briefgen.ingest.readers import read_document

TITLE = "Border Monitoring in the Sahel"
LEAD = (
    "The United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA) was established "
    "on 25 April 2013 by resolution 2100. It deployed more than 15,000 troops along a border of 180 kilometres."
)
TASKS = [
    "Monitoring ceasefires along the border",
    "Training local police officers",
    "Supporting the liaison office",
]
OUTLOOK = (
    "Regional partners are expected to take over patrols by 2026. The mission closed on 31 December 2023."
)
FONTS = Path(__file__).resolve().parents[2] / "templates" / "fonts"
_FACES = (
    "@font-face { font-family: 'Noto Serif'; src: url(NotoSerif-Regular.ttf) }"
    " @font-face { font-family: 'Noto Serif'; font-weight: bold; src: url(NotoSerif-Bold.ttf) }"
)
BOILERPLATE = (
    "Accept all cookies",
    "Posted by Bob",
    "Ten facts about satellites",
    "All rights reserved",
    "Home",
)


def _html() -> str:
    items = "".join(f"<li>{t}</li>" for t in TASKS)
    return f"""<!doctype html><html><head><title>{TITLE} | News Site</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent">We use cookies. <button>Accept all cookies</button></div>
<main><article>
<h1>{TITLE}</h1>
<p>{LEAD}</p>
<h2>Key Tasks</h2>
<ul>{items}</ul>
<h2>Outlook</h2>
<p>{OUTLOOK}</p>
</article>
<section class="comments"><h3>Comments</h3><p>Great article! Posted by Bob at 10:32</p></section>
<aside class="related"><h3>Related articles</h3><ul><li><a href="/a">Ten facts about satellites</a></li></ul></aside>
</main><footer><p>&copy; 2024 News Site. All rights reserved.</p></footer></body></html>
"""


def _markdown() -> str:
    items = "\n".join(f"- {t}" for t in TASKS)
    return f"---\ntitle: ignored\n---\n\n# {TITLE}\n\n{LEAD}\n\n## Key Tasks\n{items}\n\n## Outlook\n\n{OUTLOOK}\n"


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "RUNNING HEADER Border Review"
    document.sections[0].footer.paragraphs[0].text = "Footer: page numbers here"
    document.add_heading(TITLE, level=0)
    document.add_paragraph(LEAD)
    document.add_heading("Key Tasks", level=1)
    for task in TASKS:
        document.add_paragraph(task, style="List Bullet")
    document.add_heading("Outlook", level=1)
    document.add_paragraph(OUTLOOK)
    document.save(str(path))


def _pdf(path: Path) -> None:
    import weasyprint

    filler = " ".join(["Patrols met local leaders every week and reported on the ceasefire."] * 14)
    items = "".join(f"<li>{t}</li>" for t in TASKS)
    # The shipped fonts, so the test does not depend on which system fonts are installed.
    css = _FACES + (
        "@page { size: A5; margin: 20mm; @top-center { content: 'Border Review Draft'; font-size: 8pt }"
        " @bottom-center { content: 'Page ' counter(page) ' of ' counter(pages); font-size: 8pt } }"
        " body { font: 10pt 'Noto Serif' } h1 { font-size: 20pt } h2 { font-size: 14pt }"
    )
    html = (
        f"<html><head><style>{css}</style></head><body><h1>{TITLE}</h1><p>{LEAD}</p><p>{filler}</p>"
        f"<h2>Key Tasks</h2><ul>{items}</ul><p>{filler}</p><h2>Outlook</h2><p>{OUTLOOK}</p></body></html>"
    )
    weasyprint.HTML(string=html, base_url=str(FONTS) + "/").write_pdf(str(path))


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write the same article once in every format (once per module: the PDF takes a moment)."""
    folder = tmp_path_factory.mktemp("formats")
    paths = {name: folder / f"article.{name}" for name in ("html", "md", "docx", "pdf")}
    paths["html"].write_text(_html(), encoding="utf-8")
    paths["md"].write_text(_markdown(), encoding="utf-8")
    _docx(paths["docx"])
    _pdf(paths["pdf"])
    return paths


@pytest.fixture(scope="module")
def parsed(documents: dict[str, Path]) -> dict[str, RawDocument]:
    return {name: read_document(path) for name, path in documents.items()}


@pytest.mark.parametrize("name", ["html", "md", "docx", "pdf"])
def test_structure_is_kept_in_every_format(parsed: dict[str, RawDocument], name: str) -> None:
    doc = parsed[name]
    assert doc.title == TITLE
    assert doc.headings == ["Key Tasks", "Outlook"]
    lead, tasks, outlook = doc.sections
    assert lead.heading is None and lead.paragraphs()[0].text == LEAD
    # A heading followed straight by bullets is a heading; every bullet is kept, in order.
    assert [item.text for item in tasks.items()] == TASKS
    assert outlook.paragraphs()[-1].text == OUTLOOK
    text = "\n".join(section_text(s) for s in doc.sections)
    assert not [b for b in BOILERPLATE if b in text]


def test_places_are_lines_paragraph_numbers_or_pages(
    parsed: dict[str, RawDocument], documents: dict[str, Path]
) -> None:
    html_lines = documents["html"].read_text(encoding="utf-8").split("\n")
    html = parsed["html"]
    assert "Key Tasks" in html_lines[html.sections[1].line - 1]
    assert LEAD[:40] in html_lines[html.sections[0].paragraphs()[0].line - 1]
    md = parsed["md"]
    assert [s.line for s in md.sections] == [7, 9, 14]
    assert [i.line for i in md.sections[1].items()] == [10, 11, 12]
    docx = parsed["docx"]  # paragraph numbers: title 1, lead 2, heading 3, items 4-6
    assert (docx.sections[1].line, [i.line for i in docx.sections[1].items()]) == (3, [4, 5, 6])
    pdf = parsed["pdf"]
    assert pdf.sections[0].page == 1 and pdf.sections[-1].page > 1
    assert pdf.sections[-1].paragraphs()[-1].page_at(0) == pdf.sections[-1].page


def test_pdf_running_headers_footers_and_page_numbers_are_dropped(parsed: dict[str, RawDocument]) -> None:
    text = "\n".join(section_text(s) for s in parsed["pdf"].sections)
    assert "Border Review Draft" not in text and "Page 1 of" not in text


def test_docx_headers_and_footers_are_dropped(parsed: dict[str, RawDocument]) -> None:
    text = "\n".join(section_text(s) for s in parsed["docx"].sections)
    assert "RUNNING HEADER" not in text and "Footer" not in text


@pytest.mark.parametrize("name", ["html", "pdf"])
def test_facts_are_facts(documents: dict[str, Path], name: str) -> None:
    source = draft_source(documents[name])
    found = {(f.kind, f.value) for f in source.facts}
    assert {
        ("date", "25 April 2013"),
        ("date", "31 December 2023"),
        ("identifier", "resolution 2100"),
        ("figure", "more than 15,000 troops"),
        ("figure", "180 kilometres"),
        ("year", "2026"),
        ("country", "Mali"),
        ("acronym", "MINUSMA = United Nations Multidimensional Integrated Stabilization Mission in Mali"),
    } <= found
    values = {value for _, value in found}
    # No noise: not the day out of a date, not the resolution's number as a figure.
    assert not values & {"25", "31", "2100", "2013", "2023", "15,000"}
    facts = {f.value: f for f in source.facts}
    assert facts["resolution 2100"].line >= 1
    if name == "pdf":
        assert facts["31 December 2023"].page == max(s.page or 0 for s in source.sections)


def test_counted_figures_and_bare_numbers() -> None:
    from briefgen.ingest.facts import sentence_facts

    found = [
        (k, v)
        for k, v, _ in sentence_facts("Of the 3 teams, 40 vehicles and 1.5 million people stayed in 2 of 9.")
    ]
    assert ("figure", "40 vehicles") in found and ("figure", "1.5 million people") in found
    assert ("figure", "3 teams") in found  # a small number that counts something
    assert not [v for _, v in found if v in ("2", "9", "2 of", "9.")]  # and two that count nothing said


def test_named_bodies_initiatives_and_countries() -> None:
    from briefgen.ingest.facts import sentence_facts

    sentence = "The Security Council backed the Action for Peacekeeping Initiative in the Democratic Republic of the Congo."
    found = {(k, v) for k, v, _ in sentence_facts(sentence)}
    assert ("body", "Security Council") in found
    assert ("initiative", "Action for Peacekeeping Initiative") in found
    assert ("country", "Democratic Republic of the Congo") in found


def test_unreadable_files_name_the_file_and_the_formats(tmp_path: Path) -> None:
    for name, data in (
        ("broken.pdf", b"%PDF-1.7 not really"),
        ("broken.docx", b"PK\x03\x04 nope"),
        ("notes.rtf", b"{\\rtf1}"),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ContentError) as caught:
            read_document(path)
        message = str(caught.value)
        assert name in message and "ingest reads plain text (.txt, .text), Markdown" in message
        assert "PDF (.pdf)" in message and "Traceback" not in message
