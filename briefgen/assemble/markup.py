"""Inline Markdown (emphasis, code, links) parsed once into spans both renderers share."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote

from markdown_it import MarkdownIt

# Characters XML 1.0 cannot carry or Word refuses (controls, lone surrogates, non-characters);
# invisible in a PDF anyway. Tab and newline stay.
INVALID_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Characters a URL may keep as they are; everything else (spaces, quotes, non-ASCII) is %-encoded.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


@dataclass(frozen=True)
class Span:
    """A run of text with one set of inline formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


def xml_text(text: str) -> str:
    """Drop the characters XML and Word cannot hold (controls, lone surrogates); keep the rest."""
    return INVALID_XML.sub("", text)


T = TypeVar("T")


def xml_safe(value: T) -> T:
    """Return ``value`` (a Briefing or any part of it) with xml_text applied to every string in it."""
    # One walk over the whole model, so no field, present or future, reaches XML uncleaned.
    cleaned: Any = value
    if isinstance(value, str):
        cleaned = xml_text(value)
    elif isinstance(value, tuple):
        cleaned = tuple(xml_safe(item) for item in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: xml_safe(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        cleaned = dataclasses.replace(value, **changes)
    return cleaned  # type: ignore[no-any-return]


def clean_text(text: str) -> str:
    """Drop control characters and fold whitespace runs to single spaces."""
    return " ".join(xml_text(text).split())


def encode_url(href: str) -> str:
    """Return ``href`` without control characters and with spaces, quotes and non-ASCII %-encoded."""
    return quote(xml_text(href).strip(), safe=_URL_SAFE)


def safe_href(href: str) -> str | None:
    """Return ``href``, %-encoded, if it is a web or mail link, else None (no file:, javascript:, ...)."""
    href = encode_url(href)
    return href if href.lower().startswith(SAFE_SCHEMES) else None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Raw HTML off: content cannot inject markup; images are not inline-able either.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])


def parse_inline(text: str) -> tuple[Span, ...]:
    """Parse Markdown inline text into spans; unsafe links keep their text only."""
    tokens = _parser().parseInline(text)
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    for token in tokens[0].children or [] if tokens else []:
        kind = token.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = safe_href(str(token.attrs.get("href", "")))
        elif kind == "link_close":
            href = None
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span(" ", bold > 0, italic > 0, False, href))
        elif kind == "code_inline":
            spans.append(Span(xml_text(token.content), bold > 0, italic > 0, True, href))
        elif token.content:
            spans.append(Span(xml_text(token.content), bold > 0, italic > 0, False, href))
    return _merge(spans)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and _same_format(merged[-1], span):
            last = merged[-1]
            merged[-1] = Span(last.text + span.text, last.bold, last.italic, last.code, last.href)
        else:
            merged.append(span)
    return tuple(merged)


def _same_format(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.code, a.href) == (b.bold, b.italic, b.code, b.href)


def plain(spans: tuple[Span, ...]) -> str:
    """Return the text of ``spans`` without formatting."""
    return "".join(span.text for span in spans)
