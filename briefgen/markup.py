"""Inline Markdown (emphasis, code, links) parsed once into spans both renderers share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

# Control characters are invalid in Word XML and invisible in PDF: drop them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Span:
    """A run of text with one set of inline formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


def clean_text(text: str) -> str:
    """Drop control characters and fold whitespace runs to single spaces."""
    return " ".join(_CONTROL.sub("", text).split())


def safe_href(href: str) -> str | None:
    """Return ``href`` if it is a web or mail link, else None (no file:, javascript:, ...)."""
    href = _CONTROL.sub("", href).strip()
    return href if href.lower().startswith(_SAFE_SCHEMES) else None


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
            spans.append(Span(_CONTROL.sub("", token.content), bold > 0, italic > 0, True, href))
        elif token.content:
            spans.append(Span(_CONTROL.sub("", token.content), bold > 0, italic > 0, False, href))
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
