"""The inline syntax of Markdown topics: pandoc-style attribute blocks and citations.

``{.key themes=a,b owner="Ministry of Health"}`` at the end of a heading or statement,
and ``[@source#section]`` or ``[@a#x; @b#y]`` anywhere in a statement. Parsing keeps
each piece's character offset so a problem can be reported at its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# One attribute: a class (.key), an identifier (#x) or key=value, value bare or "quoted".
_ATTR = re.compile(
    r'\s*(?:\.(?P<cls>[\w-]+)|#(?P<ident>[\w-]+)|(?P<key>[\w-]+)=(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"{}]+)))'
)
_END = re.compile(r"\s*\}\s*$")
CITATION = re.compile(r"\[\s*@[^\]\s;]+(?:\s*;\s*@[^\]\s;]+)*\s*\]")
_CITE_KEY = re.compile(r"@(?P<cite>[^\]\s;]+)")
_UNESCAPE = re.compile(r"\\(.)")


@dataclass
class Attr:
    """One attribute of a block, with the offsets of its name and value in the text."""

    name: str  # the key, or "." + class, or "#" + identifier
    value: str
    start: int
    value_start: int


@dataclass
class Attrs:
    """A trailing attribute block: its attributes and where the block starts (-1: none)."""

    items: list[Attr] = field(default_factory=list)
    start: int = -1


def split_attrs(text: str) -> Attrs:
    """Find the attribute block that ends ``text``, if there is one."""
    if not text.rstrip().endswith("}"):
        return Attrs()
    # The leftmost '{' from which the rest parses as one block: a quoted value may hold braces.
    for brace in (m.start() for m in re.finditer(r"\{", text)):
        parsed = _parse_block(text, brace)
        if parsed is not None:
            return Attrs(parsed, brace)
    return Attrs()


def _parse_block(text: str, brace: int) -> list[Attr] | None:
    pos = brace + 1
    items: list[Attr] = []
    while True:
        end = _END.match(text, pos)
        if end is not None and end.end() == len(text):
            return items
        match = _ATTR.match(text, pos)
        if match is None or match.end() == pos:
            return None
        if match.group("cls"):
            items.append(Attr("." + match.group("cls"), "", match.start("cls") - 1, match.start("cls")))
        elif match.group("ident"):
            items.append(Attr("#" + match.group("ident"), "", match.start("ident") - 1, match.start("ident")))
        else:
            quoted = match.group("quoted")
            value = _UNESCAPE.sub(r"\1", quoted) if quoted is not None else match.group("bare")
            value_start = match.start("quoted") if quoted is not None else match.start("bare")
            items.append(Attr(match.group("key"), value, match.start("key"), value_start))
        pos = match.end()


@dataclass(frozen=True)
class Citation:
    """One 'source#section' citation and its offset in the text."""

    cite: str
    start: int


def split_citations(text: str) -> tuple[str, list[Citation]]:
    """Return ``text`` without its ``[@...]`` citations (and the space before each), and the citations."""
    cites: list[Citation] = []
    kept: list[str] = []
    last = 0
    for group in CITATION.finditer(text):
        before = text[last : group.start()]
        # "... here [@a#b]." reads "... here." once the citation is gone.
        kept.append(before.rstrip() if _joins_punctuation(text, group.end()) else before)
        cites.extend(
            Citation(m.group("cite"), group.start() + m.start("cite"))
            for m in _CITE_KEY.finditer(group.group())
        )
        last = group.end()
    kept.append(text[last:])
    return "".join(kept), cites


def _joins_punctuation(text: str, end: int) -> bool:
    rest = text[end:]
    return not rest.strip() or rest[:1] in ".,;:!?)"


def quote_value(value: str) -> str:
    """Write an attribute value, quoted when it holds anything but a plain word."""
    if value and re.fullmatch(r'[^\s"{}\\]+', value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_attrs(classes: list[str], pairs: list[tuple[str, str]]) -> str:
    """Write an attribute block ('' when there is nothing to say)."""
    parts = [f".{c}" for c in classes] + [f"{k}={quote_value(v)}" for k, v in pairs]
    return "{" + " ".join(parts) + "}" if parts else ""


def format_citations(cites: list[str]) -> str:
    """Write citations pandoc's way: ``[@a#x; @b#y]``."""
    return "[" + "; ".join(f"@{c}" for c in cites) + "]" if cites else ""
