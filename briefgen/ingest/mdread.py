"""Read a Markdown document (markdown-it-py): headings, paragraphs and list items at their lines."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.errors import Location, Problem
from briefgen.ingest.document import RawDocument, Unit, build_document
from briefgen.ingest.rawdoc import decode

_DROPPED = {
    "fence": "code block",
    "code_block": "code block",
    "html_block": "HTML block",
    "table_open": "table",
}


def read_markdown(path: Path, data: bytes) -> RawDocument:
    """Parse Markdown bytes into a RawDocument; code, tables and raw HTML are dropped with a warning."""
    warnings: list[Problem] = []
    text = decode(data, path, warnings)
    lines = text.split("\n")
    body_start = _front_matter_end(lines)
    # Blank the front matter so token lines are the file's lines.
    body = "\n" * body_start + "\n".join(lines[body_start:])
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    units: list[Unit] = []
    in_item = 0
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "heading_open":
            kind = "title" if token.tag == "h1" and not units else "heading"
            units.append(_unit(kind, tokens[index + 1], line))
        elif token.type == "paragraph_open":
            units.append(_unit("item" if in_item else "text", tokens[index + 1], line))
        elif token.type in _DROPPED and not in_item:
            what = _DROPPED[token.type]
            warnings.append(
                Problem.warning(Location.of(path, line), f"{what} not read; copy its text in if it matters")
            )
    return build_document(path, units, warnings)


def _front_matter_end(lines: list[str]) -> int:
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return index + 1
    return 0


def _unit(kind: str, inline: Token, line: int) -> Unit:
    """Return the plain text of an inline token (emphasis marks and link targets gone), with its line breaks."""
    parts: list[str] = []
    breaks: list[int] = []
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
            breaks.append(len("".join(parts)))
        elif child.type in ("text", "code_inline") or child.type == "image":
            parts.append(child.content)
    text = "".join(parts)
    cleaned = re.sub(r"\s+", " ", text).strip()
    if cleaned != text:
        breaks = []  # offsets no longer hold; the block keeps its first line
    return Unit(kind, cleaned, line, breaks=tuple(breaks))
