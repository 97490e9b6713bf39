"""The HTML format: one self-contained, accessible, reproducible page per briefing."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from lxml import html as lxml_html

from briefgen.errors import BriefgenError, SecurityError
from briefgen.render.html.renderer import HtmlRenderer
from tests.hostile.conftest import briefing_for

NAVIGATION = ("http://", "https://", "mailto:")


def page(sample: Path, audience: str = "field") -> tuple[bytes, lxml_html.HtmlElement]:
    briefing, ctx = briefing_for(sample, audience)
    data = HtmlRenderer().render(briefing, ctx).data
    return data, lxml_html.fromstring(data)


def test_page_carries_everything_and_asks_for_nothing(sample: Path) -> None:
    data, tree = page(sample)
    assert not tree.xpath("//script | //link | //iframe | //object | //embed | //base")
    for element in tree.iter():
        for attribute in ("src", "poster", "data"):
            value = element.get(attribute)
            assert value is None or value.startswith("data:"), (element.tag, value)
        href = element.get("href")
        assert href is None or href.startswith(("#", *NAVIGATION)), href
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy and "default-src 'none'" in policy[0] and "script-src" not in policy[0]
    css = "".join(tree.xpath("//style/text()"))
    assert "url(file:" not in css and "url(http" not in css
    # The theme's font faces travel inside, cut down to the page's characters.
    faces = css.count("@font-face")
    assert faces == 8 and css.count("data:font/woff2;base64,") == faces
    assert len(data) < 400_000


def test_page_is_accessible(sample: Path) -> None:
    _, tree = page(sample)
    assert tree.get("lang") == "en"
    assert tree.xpath("//header[contains(@class, 'cover')]") and tree.xpath("//main")
    assert tree.xpath("//nav[@aria-labelledby='contents-heading']")
    levels = [int(h.tag[1]) for h in tree.xpath("//h1 | //h2 | //h3 | //h4")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels  # no level skipped
    for image in tree.xpath("//img"):
        assert (image.get("alt") or "").strip(), lxml_html.tostring(image)[:80]
    for chart in tree.xpath("//svg"):
        assert chart.xpath("./title/text()")


def test_notes_are_linked_endnotes_both_ways(sample: Path) -> None:
    _, tree = page(sample)
    refs = tree.xpath("//sup[@class='note-ref']/a")
    assert refs, "no note references"
    assert not tree.xpath("//*[contains(@class, 'footnote')]")
    for ref in refs:
        number = ref.text
        assert ref.get("href") == f"#note-{number}" and ref.get("id") == f"ref-{number}"
        (note,) = tree.xpath(f"//li[@id='note-{number}']")
        assert note.xpath(f".//a[@href='#ref-{number}']")
    entries = [a.get("href") for a in tree.xpath("//nav[contains(@class, 'contents')]//a")]
    # The sources (the key to the notes) come first, as Word's endnotes force them to.
    assert entries[-2:] == ["#sources", "#notes"]
    assert [s.get("id") for s in tree.xpath("//section[@id='sources' or @id='notes']")] == ["sources", "notes"]
    assert "each numbered note gives a document's key" in tree.xpath("string(//p[@class='sources-intro'])")


def test_same_briefing_gives_the_same_bytes(sample: Path) -> None:
    assert page(sample)[0] == page(sample)[0]


def test_a_template_image_is_carried_inside(sample: Path) -> None:
    templates = sample / "templates"
    templates.mkdir()
    (templates / "seal.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    (templates / "base.html").write_text(
        '{% extends "!base.html" %}{% block notes %}<img src="seal.svg" alt="Seal">{{ super() }}{% endblock %}'
    )
    _, tree = page(sample)
    (seal,) = tree.xpath("//img[@alt='Seal']")
    assert seal.get("src").startswith("data:image/svg+xml;base64,")


@pytest.mark.parametrize(
    ("markup", "error", "message"),
    [
        ("<script>alert(1)</script>", SecurityError, "has a <script> element"),
        ('<img src="https://example.org/x.png" alt="x">', SecurityError, "only files in the template folders"),
        ('<img src="../../secret.png" alt="x">', SecurityError, "outside the template folders"),
        ('<a href="notes.txt">notes</a>', SecurityError, "may link only within itself"),
        ('<link rel="icon" href="favicon.png">', SecurityError, "carries only stylesheets"),
    ],
)
def test_what_a_page_cannot_carry_is_refused(
    sample: Path, markup: str, error: type[BriefgenError], message: str
) -> None:
    templates = sample / "templates"
    templates.mkdir()
    (templates / "base.html").write_text(
        '{% extends "!base.html" %}{% block notes %}' + markup + "{% endblock %}"
    )
    briefing, ctx = briefing_for(sample)
    with pytest.raises(error, match=message):
        HtmlRenderer().render(briefing, ctx)
