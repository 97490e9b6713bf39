"""Read a Markdown topic into the same located data a YAML topic gives, so one set of checks serves both.

Front matter (read by the strict YAML reader) holds the topic's fields; each heading
starts a section (``## Title {kind=analysis}``), an opening quote block is its intro, and
each paragraph or list item is one statement, ending in its citations and attributes:
``Text. [@source#section] {.key themes=a,b}``. The result is a YamlDoc whose positions
point into the .md file, so validation problems are reported at its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.content.mdattrs import Attrs, split_attrs, split_citations
from briefgen.content.model import STATEMENT_KINDS
from briefgen.content.validation import split_hint
from briefgen.content.yamlread import MAX_BYTES, YamlDoc, YamlPath, decode_content, read_yaml
from briefgen.errors import ContentError, Location, Problem
from briefgen.files import read_regular

MD_SUFFIX = ".md"
LEVEL_CLASSES = {".key": "key", ".detail": "detail"}
LIST_FIELDS = ("themes",)
_SECTION_KEYS = ("kind", "form")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # HTML is recognised only so that <!-- comments --> can be skipped; any other HTML block is
    # refused, and HTML inside a statement stays text (the renderers never pass it through).
    return MarkdownIt("commonmark", {"html": True})


@dataclass
class _Block:
    """A paragraph's inline text with the file position of each of its lines."""

    text: str
    starts: list[tuple[int, int, int]]  # (offset in text, line, col) of each source line

    def at(self, offset: int) -> tuple[int, int]:
        line, col = self.starts[0][1:]
        for start, ln, cl in self.starts:
            if start > offset:
                break
            line, col = ln, cl + (offset - start)
        return line, col


@dataclass
class _Reader:
    path: Path
    lines: list[str]
    doc: YamlDoc
    problems: list[Problem] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, line: int, col: int, message: str) -> None:
        text, hint = split_hint(message)  # "what is wrong; what to do"
        self.problems.append(Problem(Location.of(self.path, line, col), text, code="markdown.structure", hint=hint))

    def put(self, path: YamlPath, line: int, col: int, *, key: bool = False) -> None:
        (self.doc.keys if key else self.doc.values)[("topic", *path)] = (line, col)


def read_markdown_topic(path: Path, data: bytes | None = None) -> YamlDoc:
    """Parse the Markdown topic at ``path`` (or the given bytes) into a YamlDoc, or raise ContentError."""
    if data is None:
        try:
            data = read_regular(path, MAX_BYTES, hint="split it into smaller files")
        except FileNotFoundError:
            raise ContentError.at(Location.of(path), "file not found", code="file.not-found") from None
    text = decode_content(path, data)
    lines = text.split("\n")
    front, body_start = _front_matter(path, lines)
    reader = _Reader(path, lines, YamlDoc(path=path, data=None))
    topic: dict[str, Any] = {"id": path.stem}
    reader.doc.values[()] = reader.doc.values[("topic",)] = (1, 1)
    reader.put(("id",), 1, 1)
    if front is not None:
        topic.update(_front_fields(reader, front))
    # Blank the front matter so the parser's line numbers are the file's.
    body = "\n" * body_start + "\n".join(lines[body_start:])
    _walk(reader, _parser().parse(body))
    _finish_sections(reader)
    topic["sections"] = reader.sections
    if not reader.sections and not reader.problems:
        reader.problem(
            max(body_start, 1),
            1,
            "topic has no sections; start one with a heading: '## Background {kind=background}'",
        )
    if reader.problems:
        raise ContentError("", reader.problems)
    reader.doc.data = {"topic": topic}
    return reader.doc


def _front_matter(path: Path, lines: list[str]) -> tuple[YamlDoc | None, int]:
    """Return the front matter read as YAML (line numbers as in the file) and the first body line."""
    if not lines or lines[0].rstrip() != "---":
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n" + "\n".join(lines[1:index])
            return read_yaml(path, yaml_text.encode("utf-8")), index + 1
    raise ContentError.at(
        Location.of(path, 1, 1), "front matter opened with '---' is never closed; end it with a '---' line"
    )


def _front_fields(reader: _Reader, front: YamlDoc) -> dict[str, Any]:
    data = front.data if front.data is not None else {}
    if not isinstance(data, dict):
        line, col = front.values.get((), (2, 1))
        reader.problem(line, col, "front matter must be 'key: value' lines (title:, summary:, sources: ...)")
        return {}
    if "sections" in data:
        line, col = front.keys[("sections",)]
        reader.problem(line, col, "sections are the headings below the front matter; remove 'sections:' here")
    for table, target in ((front.values, reader.doc.values), (front.keys, reader.doc.keys)):
        for where, position in table.items():
            if where:
                target[("topic", *where)] = position
    reader.doc.raw.update({("topic", *where): raw for where, raw in front.raw.items()})
    return {k: v for k, v in data.items() if k != "sections"}


def _block(reader: _Reader, token: Token) -> _Block:
    """Locate each line of an inline token's text in the source lines."""
    assert token.map is not None
    first = token.map[0]
    starts: list[tuple[int, int, int]] = []
    offset = 0
    parts = token.content.split("\n")
    for number, part in enumerate(parts):
        source = reader.lines[first + number] if first + number < len(reader.lines) else part
        stripped = part.lstrip()
        col = source.find(stripped) if stripped else 0
        starts.append((offset + len(part) - len(stripped), first + number + 1, max(col, 0) + 1))
        offset += len(part) + 1
    return _Block(token.content, starts)


def _walk(reader: _Reader, tokens: list[Token]) -> None:
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = _line(token)
        if token.type == "heading_open":
            _heading(reader, _block(reader, tokens[index + 1]))
            index += 3
        elif token.type == "paragraph_open":
            _statement(reader, _block(reader, tokens[index + 1]), "prose")
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            index = _list(reader, tokens, index + 1)
        elif token.type == "blockquote_open":
            index = _intro(reader, tokens, index)
        elif token.type == "html_block" and _is_comment(token.content):
            index += 1
        else:
            what = {
                "fence": "a code block",
                "code_block": "a code block",
                "hr": "a rule ('---')",
                "html_block": "raw HTML",
            }.get(token.type, token.type)
            reader.problem(
                line, 1, f"{what} is not part of a topic; write statements as paragraphs or list items"
            )
            index = _skip(tokens, index)


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def _is_comment(html: str) -> bool:
    text = html.strip()
    return text.startswith("<!--") and text.endswith("-->") and "-->" not in text[4:-3]


def _skip(tokens: list[Token], index: int) -> int:
    """Return the index after the block that opens at ``index``."""
    depth: int = tokens[index].nesting
    index += 1
    while depth > 0 and index < len(tokens):
        depth += tokens[index].nesting
        index += 1
    return index


def _list(reader: _Reader, tokens: list[Token], index: int) -> int:
    while tokens[index].type == "list_item_open":
        item = tokens[index]
        end = _skip(tokens, index)
        inner = tokens[index + 1 : end - 1]
        paragraphs = [
            i for i, t in enumerate(inner) if t.type == "paragraph_open" and t.level == item.level + 1
        ]
        others = [
            t
            for t in inner
            if t.level == item.level + 1
            and t.nesting >= 0
            and t.type != "paragraph_open"
            and t.type != "paragraph_close"
        ]
        line = _line(item)
        if len(paragraphs) != 1 or others:
            reader.problem(
                line, 1, "a list item is one statement: one paragraph, no nested list or second paragraph"
            )
        elif paragraphs:
            _statement(reader, _block(reader, inner[paragraphs[0] + 1]), "bullets")
        index = end
    return index + 1  # past the list's closing token


def _intro(reader: _Reader, tokens: list[Token], index: int) -> int:
    end = _skip(tokens, index)
    line = _line(tokens[index])
    inner = [t for t in tokens[index + 1 : end - 1] if t.type == "inline"]
    section = reader.sections[-1] if reader.sections else None
    if section is None or section["points"] or "intro" in section or len(inner) != 1 or end - index != 5:
        reader.problem(
            line, 1, "a quote block ('> ...') is a section's intro: one paragraph right under its heading"
        )
        return end
    block = _block(reader, inner[0])
    s = len(reader.sections) - 1
    section["intro"] = _joined(block.text)
    reader.put(("sections", s, "intro"), *block.at(0))
    reader.put(("sections", s, "intro"), *block.at(0), key=True)
    return end


def _joined(text: str) -> str:
    """Join a block's lines with single spaces: a line break inside a statement reads as a space."""
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def _heading(reader: _Reader, block: _Block) -> None:
    attrs = split_attrs(block.text)
    title = _joined(block.text[: attrs.start] if attrs.start >= 0 else block.text)
    s = len(reader.sections)
    line, col = block.at(0)
    section: dict[str, Any] = {"title": title, "points": []}
    reader.put(("sections", s), line, col)
    reader.put(("sections", s, "title"), line, col)
    _section_attrs(reader, block, attrs, section, s)
    if "kind" not in section:
        slug = "-".join(title.lower().split())
        if slug in STATEMENT_KINDS:
            section["kind"] = slug
        else:
            reader.problem(
                line,
                col,
                f"section {title!r} has no kind; write '{'#' * 2} {title} {{kind=analysis}}' "
                f"(kinds: {', '.join(STATEMENT_KINDS)})",
            )
    reader.sections.append(section)


def _section_attrs(reader: _Reader, block: _Block, attrs: Attrs, section: dict[str, Any], s: int) -> None:
    for attr in attrs.items:
        if attr.name not in _SECTION_KEYS:
            reader.problem(
                *block.at(attr.start),
                f"unknown heading attribute {attr.name!r}; a heading takes kind= and form=",
            )
            continue
        section[attr.name] = attr.value
        reader.put(("sections", s, attr.name), *block.at(attr.value_start))
        reader.put(("sections", s, attr.name), *block.at(attr.start), key=True)


def _statement(reader: _Reader, block: _Block, markup: str) -> None:
    if not reader.sections:
        line, col = block.at(0)
        reader.problem(
            line,
            col,
            "text before the first section heading; put it under a heading, or into 'summary:' in the front matter",
        )
        return
    s = len(reader.sections) - 1
    section = reader.sections[s]
    # A section's form follows its markup (a list: bullets), unless its heading says form=.
    seen = section.setdefault("_markup", markup)
    if seen != markup and "form" not in section:
        reader.problem(
            *block.at(0),
            "section mixes paragraphs and list items; use one, or give the form: '{... form=bullets}'",
        )
    p = len(section["points"])
    where: YamlPath = ("sections", s, "points", p)
    attrs = split_attrs(block.text)
    body, cites = split_citations(block.text[: attrs.start] if attrs.start >= 0 else block.text)
    point: dict[str, Any] = {"text": _joined(body)}
    reader.put(where, *block.at(0))
    reader.put((*where, "text"), *block.at(0))
    if cites:
        point["cite"] = [c.cite for c in cites]
        reader.put((*where, "cite"), *block.at(cites[0].start))
        for k, cite in enumerate(cites):
            reader.put((*where, "cite", k), *block.at(cite.start))
    _statement_attrs(reader, block, attrs, point, where)
    section["points"].append(point)


def _statement_attrs(
    reader: _Reader, block: _Block, attrs: Attrs, point: dict[str, Any], where: YamlPath
) -> None:
    for attr in attrs.items:
        if attr.name.startswith("#") or (attr.name.startswith(".") and attr.name not in LEVEL_CLASSES):
            reader.problem(
                *block.at(attr.start),
                f"unknown attribute {attr.name!r}; a statement takes .key or .detail and key=value pairs",
            )
            continue
        name = "level" if attr.name in LEVEL_CLASSES else attr.name
        if name in point:
            reader.problem(*block.at(attr.start), f"{name!r} is given twice; keep one")
            continue
        value: Any = LEVEL_CLASSES.get(attr.name, attr.value)
        if name in LIST_FIELDS:
            value = [v for v in value.replace(",", " ").split() if v]
        point[name] = value
        reader.put((*where, name), *block.at(attr.value_start))
        reader.put((*where, name), *block.at(attr.start), key=True)


def _finish_sections(reader: _Reader) -> None:
    """Give each section the form its markup implies, and report sections without statements."""
    for s, section in enumerate(reader.sections):
        markup = section.pop("_markup", "prose")
        section.setdefault("form", markup)
        if not section["points"]:
            line, col = reader.doc.values[("topic", "sections", s)]
            reader.problem(
                line,
                col,
                f"section {section['title']!r} has no statements; write paragraphs or a list under its heading",
            )
