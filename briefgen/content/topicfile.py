"""Write content records as files: topics as Markdown or YAML (``briefgen convert``), records as YAML.

Both topic forms say everything the model holds, so a topic converted either way reads
back as the same Topic (text aside, where a line break inside a statement becomes a
space, which renders the same).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from briefgen.content.mdattrs import format_attrs, format_citations
from briefgen.content.model import Section, Statement, Topic
from briefgen.content.validation import validation_problems
from briefgen.errors import ContentError

TopicFormat = Literal["md", "yaml"]
# Statement fields written as key=value attributes, in this order (level is a class, cite a citation).
_ATTR_FIELDS = ("themes", "confidence", "likelihood", "impact", "owner", "plain", "brief", "gains", "costs")
# Characters that would make a statement's first word Markdown block syntax.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|`{3}|~{3}|[=-]+\s*$)")


class _Dumper(yaml.SafeDumper):
    """Safe dumper that never writes anchors or aliases (the reader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the hand-written content files do.
        super().increase_indent(flow, False)


def dump_yaml(data: dict[str, Any], header: str = "", *, flow_lists: bool = False) -> str:
    """Return ``data`` as YAML the strict reader accepts, after ``header`` comment lines.

    Block style throughout, or with ``flow_lists`` lists of plain values on one line (``[a, b]``).
    """
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=None if flow_lists else False,
    )
    return header + body


def topic_yaml(topic: Topic, header: str = "") -> str:
    """Return ``topic`` as a YAML topic file."""
    return dump_yaml({"topic": topic.model_dump(exclude_defaults=True)}, header)


def topic_markdown(topic: Topic) -> str:
    """Return ``topic`` as a Markdown topic file: front matter, then one heading per section."""
    front = topic.model_dump(exclude_defaults=True, exclude={"sections"})
    parts = ["---\n" + dump_yaml(front, flow_lists=True) + "---\n"]
    parts.extend(_section(section) for section in topic.sections)
    return "\n".join(parts)


def _section(section: Section) -> str:
    title = " ".join(section.title.split())
    # An explicit kind always, so a title that happens to end in braces stays a title.
    heading = f"## {_escape_start(title)} {{kind={section.kind}}}"
    lines = [heading, ""]
    if section.intro:
        lines += [f"> {_one_line(section.intro)}", ""]
    bullets = section.form == "bullets"
    for point in section.points:
        line = _statement(point)
        if bullets:
            lines.append(f"- {line}")
        else:
            lines += [line, ""]
    if bullets:
        lines.append("")
    return "\n".join(lines)


def _statement(point: Statement) -> str:
    text = _escape_start(_one_line(point.text)).replace("[@", "[\\@")
    pieces = [text]
    citations = format_citations(list(point.cite))
    if citations:
        pieces.append(citations)
    classes = ["key"] if point.level == "key" else []
    pairs: list[tuple[str, str]] = []
    for name in _ATTR_FIELDS:
        value = getattr(point, name)
        if value:
            pairs.append((name, ",".join(value) if isinstance(value, list) else _one_line(str(value))))
    attrs = format_attrs(classes, pairs)
    if attrs:
        pieces.append(attrs)
    elif not citations and text.endswith("}"):
        pieces.append("{}")  # so text ending in braces is not read as attributes
    return " ".join(pieces)


def _one_line(text: str) -> str:
    """Fold line breaks to spaces: Markdown reads a break inside a statement as a space anyway."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()


def _escape_start(text: str) -> str:
    return "\\" + text if _BLOCK_START.match(text) else text


def read_topic(path: Path) -> Topic:
    """Read and validate a single topic file (YAML or Markdown), with every problem located."""
    from briefgen.content.load import read_content_file

    doc = read_content_file(path)
    data = doc.data
    if not isinstance(data, dict) or list(data) != ["topic"]:
        raise ContentError.at(
            doc.where(()), "not a topic file: a topic file holds one top-level key, 'topic:'"
        )
    try:
        return Topic.model_validate(data["topic"])
    except ValidationError as exc:
        problems = validation_problems(exc, doc, ("topic",), Topic, doc.where(("topic",)))
        raise ContentError("", problems) from None


def convert_topic(path: Path, to: TopicFormat) -> str:
    """Return the topic file at ``path`` written in the other form."""
    topic = read_topic(path)
    if to == "md":
        return topic_markdown(topic)
    return topic_yaml(topic)
