"""Markup, styles, URLs and links smuggled in through content never become live HTML, PDF or Word."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import lxml.html
import pypdf
import pytest

from briefgen.errors import ConfigError, SecurityError
from briefgen.project.searchpath import TemplateDirs
from briefgen.project.themes import load_theme
from briefgen.render.docx.writer import DocxRenderer
from briefgen.render.html.document import render_html
from briefgen.render.pdf.renderer import PdfRenderer, html_to_pdf
from tests.hostile.conftest import briefing_for, edit
from tests.hostile.test_templates import render_string

SCRIPT = "<script>alert(1)</script>"
STATEMENT = (
    "'Plain <script>alert(1)</script> then <img src=x onerror=alert(2)>"
    ' <link rel=attachment href=/etc/passwd> <b style="color:red">bold</b>'
    " <iframe src=file:///etc/passwd></iframe> url(file:///etc/passwd) &amp; &#x3c;tag&#x3e;"
    " [a](file:///etc/passwd) [b](javascript:alert(3)) [c](JAVASCRIPT:alert(4)) [d](data:text/html,x)"
    " [e](vbscript:x) ![f](/etc/passwd) ![g](https://example.org/pixel.png)"
    " [ok](https://example.org/a?b=1&c=2) <https://example.org/auto> [mail](mailto:desk@example.org)'"
)
# Images are not inline-able: '![g](https://...)' is left as '!' and a plain web link.
SAFE_LINKS = {
    "https://example.org/a?b=1&c=2",
    "https://example.org/auto",
    "mailto:desk@example.org",
    "https://example.org/pixel.png",
}


@pytest.fixture
def hostile(sample: Path) -> Path:
    """The sample project with markup injected into every kind of text field."""
    topic = sample / "content" / "topics" / "relief.yaml"
    edit(topic, "title: Relief Coordination", "title: '</title><script>alert(5)</script>'")
    edit(topic, "subtitle: How agencies work together", "subtitle: '<style>body{display:none}</style>'")
    edit(
        topic,
        "- text: Joint planning is the **single biggest** factor in relief success.",
        "- text: " + STATEMENT,
    )
    edit(
        topic,
        "summary: Relief works best when agencies *plan together*.",
        'summary: "<a href=\\"file:///etc/passwd\\">x</a>"',
    )
    audiences = sample / "content" / "audiences.yaml"
    edit(audiences, "title: Field teams", """title: '"><svg onload=alert(6)>'""")
    edit(
        audiences, 'marking: "OFFICIAL — FIELD"', """marking: '<link rel="attachment" href="/etc/passwd">'"""
    )
    return sample


def test_content_is_escaped(tmp_path: Path) -> None:
    out = render_string(tmp_path, "<p>{{ text }}</p>", text='<script>alert(1)</script><a style="x">')
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_injected_markup_stays_text_in_the_html(hostile: Path) -> None:
    briefing, ctx = briefing_for(hostile)
    html = render_html(briefing, ctx)
    tree = lxml.html.fromstring(html)
    assert not tree.xpath(
        "//script | //iframe | //object | //embed | //img | //form | //base | //meta[@http-equiv]"
    )
    # The template's own stylesheet link(s), nothing from content.
    assert {(e.get("rel"), e.get("href")) for e in tree.xpath("//link")} <= {
        ("stylesheet", "briefing.css"),
        ("stylesheet", ctx.theme.stylesheet_url if hasattr(ctx.theme, "stylesheet_url") else "briefing.css"),
    }
    assert len(tree.xpath("//style")) == 1  # the template's own
    assert not [
        (e.tag, name)
        for e in tree.iter()
        if isinstance(e.tag, str)
        for name in e.attrib
        if name.startswith("on")
    ]
    assert {e.tag for e in tree.xpath("//*[@style]")} <= {"col"}  # only the template's column widths
    hrefs = [a.get("href") for a in tree.xpath("//a[@href]")]
    external = [h for h in hrefs if not h.startswith("#")]
    assert set(external) == SAFE_LINKS
    text = tree.text_content()
    for visible in (
        SCRIPT,
        "<img src=x onerror=alert(2)>",
        "url(file:///etc/passwd)",
        "</title><script>alert(5)</script>",
    ):
        assert visible in text
    assert '"><svg onload=alert(6)>' in text and "<style>body{display:none}</style>" in text
    assert "file:///etc/passwd" not in hrefs and not any("javascript" in h.lower() for h in hrefs)


def pdf_objects(data: bytes) -> tuple[pypdf.PdfReader, list[Any]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    annotations = [a.get_object() for page in reader.pages for a in (page.get("/Annots") or [])]
    return reader, annotations


def test_the_pdf_has_no_attachments_scripts_or_file_links(hostile: Path) -> None:
    briefing, ctx = briefing_for(hostile)
    data = PdfRenderer().render(briefing, ctx).data
    reader, annotations = pdf_objects(data)
    catalog = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in (catalog.get("/Names") or {})
    assert "/OpenAction" not in catalog and "/AA" not in catalog
    assert not [a for a in annotations if a.get("/Subtype") == "/FileAttachment"]
    actions = [a["/A"].get_object() for a in annotations if "/A" in a]
    assert all(action.get("/S") in ("/URI", "/GoTo") for action in actions)
    # A link broken over two lines has two annotations.
    assert {str(action["/URI"]) for action in actions if action.get("/S") == "/URI"} == SAFE_LINKS
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/EmbeddedFile"):
        assert marker not in data
    text = "".join(page.extract_text() for page in reader.pages)
    assert "alert(1)" in text  # printed as text


def test_the_docx_has_only_web_links_and_shows_the_markup_as_text(hostile: Path) -> None:
    briefing, ctx = briefing_for(hostile)
    data = DocxRenderer().render(briefing, ctx).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
        body = archive.read("word/document.xml").decode()
        assert not [n for n in archive.namelist() if "embeddings" in n or n.endswith(".bin")]
    targets = lxml.etree.fromstring(rels.encode()).xpath("//*[@TargetMode='External']/@Target")
    assert set(targets) == SAFE_LINKS
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            'colours:\n  primary: "red; } body { background: url(file:///etc/passwd) } p {"\n',
            "colours.primary",
        ),
        ('colours:\n  accent: "#fff\\"><script>"\n', "colours.accent"),
        ("fonts:\n  heading: ['x\"; } @import url(file:///etc/passwd); p { x: \"']\n", "fonts.heading[0]"),
        ("logo: ../../../etc/passwd\n", "logo"),
        ("logo: /etc/passwd\n", "logo"),
    ],
)
def test_theme_values_cannot_carry_css_or_paths_out(sample: Path, setting: str, expected: str) -> None:
    folder = sample / "templates" / "themes" / "evil"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text("name: evil\n" + setting)
    dirs = TemplateDirs.for_project(sample / "templates")
    with pytest.raises((ConfigError, SecurityError)) as info:
        load_theme("evil", dirs)
    assert expected in str(info.value) or "outside the template folders" in str(info.value)
    assert "theme.yaml:" in str(info.value) or "outside" in str(info.value)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<link rel="attachment" href="ok.css"><p>x</p>', "attaches 'ok.css' to the PDF"),
        ('<link rel="Attachment stylesheet" href="ok.css"><p>x</p>', "never embeds attachments"),
        ('<p><a rel="attachment" href="ok.css">x</a></p>', "attaches 'ok.css'"),
        ('<p><a href="file:///etc/passwd">x</a></p>', "link to 'file:///etc/passwd' on page 1"),
        ('<p><a href="javascript:alert(1)">x</a></p>', "PDF links may point to http(s) or mailto only"),
        ('<p><a href="ok.css">x</a></p>', "PDF links may point to http(s) or mailto only"),
    ],
)
def test_templates_cannot_attach_files_or_link_locally(tmp_path: Path, html: str, expected: str) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "ok.css").write_text("p { color: red }")
    with pytest.raises(SecurityError) as info:
        html_to_pdf('<html lang="en">' + html, TemplateDirs((folder.resolve(),)))
    assert expected in str(info.value)
