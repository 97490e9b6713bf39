"""Read a web page's main content (trafilatura): navigation, cookie banners, comments, footers and related links dropped.

trafilatura finds the article and gives its headings, paragraphs and lists; each block
is then found again in the page's own markup (lxml keeps every element's source line),
so what ingest drafts points at the line of the HTML file it came from.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]

from briefgen.errors import ContentError, Location, Problem
from briefgen.ingest.document import RawDocument, Unit, build_document, normalize_space
from briefgen.ingest.rawdoc import decode

_BLOCKS = (
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "dd",
    "dt",
    "td",
    "th",
    "div",
    "section",
)
_PREFIX = 60


def read_html(path: Path, data: bytes) -> RawDocument:
    """Extract the main content of an HTML page into a RawDocument."""
    import trafilatura

    warnings: list[Problem] = []
    text = decode(data, path, warnings)
    extracted = trafilatura.extract(
        text,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    if not extracted:
        raise ContentError.at(
            Location.of(path), "no article text found in the page; save the article itself as text"
        )
    tree = lxml.etree.fromstring(extracted.encode("utf-8"))
    lines = _source_lines(text)
    units: list[Unit] = []
    last = 1
    for element in tree.iter("head", "p", "item", "quote"):
        if (
            element.tag == "p"
            and element.getparent() is not None
            and element.getparent().tag in ("item", "quote")
        ):
            continue
        block = normalize_space("".join(element.itertext()))
        if not block:
            continue
        last = lines.find(block, last)
        if element.tag == "head":
            level = str(element.get("rend", "h2"))
            kind = "title" if level == "h1" and not units else "heading"
        else:
            kind = "item" if element.tag == "item" else "text"
        units.append(Unit(kind, block, last))
    return build_document(path, units, warnings)


class _Lines:
    """The source line of each block element of the page, by its normalised text."""

    def __init__(self, exact: dict[str, list[int]], prefixes: list[tuple[str, int]], source: str) -> None:
        self.exact = exact
        self.prefixes = prefixes
        self.source = source

    def find(self, block: str, after: int) -> int:
        """Return the line of ``block``: the first match at or after line ``after``, else any match."""
        for candidates in (
            self.exact.get(block, []),
            [n for t, n in self.prefixes if t.startswith(block[:_PREFIX])],
        ):
            later = [n for n in candidates if n >= after]
            if later or candidates:
                return min(later) if later else min(candidates)
        # Last resort: the first words of the block in the raw markup.
        words = re.escape(" ".join(block.split()[:4])).replace(r"\ ", r"\s+")
        found = re.search(words, self.source)
        return self.source.count("\n", 0, found.start()) + 1 if found else after


def _source_lines(text: str) -> _Lines:
    exact: dict[str, list[int]] = {}
    prefixes: list[tuple[str, int]] = []
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return _Lines(exact, prefixes, text)
    for element in root.iter(*_BLOCKS):
        line = element.sourceline or 1
        content = normalize_space(element.text_content())
        if content:
            exact.setdefault(content, []).append(line)
            prefixes.append((content, line))
    return _Lines(exact, prefixes, text)
