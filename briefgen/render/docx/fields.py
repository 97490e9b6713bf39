"""Word fields read and rewritten on the raw XML (lxml only), so the build's finishing step needs no python-docx."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def destination_name(bookmark: str) -> str:
    """Return the PDF destination name LibreOffice gives bookmark ``bookmark`` on export.

    LibreOffice keeps letters, digits and '-' and writes any other character as its
    two hex digits (so '_Toc00000001' becomes '5FToc00000001').
    """
    return "".join(c if c.isascii() and (c.isalnum() or c == "-") else f"{ord(c):02X}" for c in bookmark)


def field_results(root: Any) -> Iterator[tuple[list[str], list[Any]]]:
    """Yield each complex field under ``root``: its instruction's words and the w:t elements of its result.

    """
    runs = list(root.iter(f"{_W}r"))
    for index, run in enumerate(runs):
        instr = run.find(f"{_W}instrText")
        if instr is None:
            continue
        shown: list[Any] = []
        separated = False
        for later in runs[index + 1 :]:
            chars = later.find(f"{_W}fldChar")
            kind = chars.get(f"{_W}fldCharType") if chars is not None else None
            if kind == "end":
                break
            if kind == "separate":
                separated = True
            elif separated:
                shown.extend(later.iter(f"{_W}t"))
        yield (instr.text or "").split(), shown


def set_field_results(root: Any, instruction: str, value: str) -> None:
    """Show ``value`` as the result of every field ``instruction`` (NUMPAGES...) under ``root``."""
    for words, shown in field_results(root):
        if words[:1] == [instruction] and shown:
            shown[0].text = value
            for extra in shown[1:]:
                extra.text = ""


def set_page_refs(root: Any, pages: Mapping[str, int]) -> list[str]:
    """Rewrite the result of every PAGEREF field under ``root`` from ``pages`` (bookmark -> page).

    Return the bookmarks a PAGEREF names that ``pages`` lacks (their results are left as they were).
    """
    missing: list[str] = []
    for words, shown in field_results(root):
        if words[:1] != ["PAGEREF"] or len(words) < 2:
            continue
        if words[1] not in pages:
            missing.append(words[1])
        elif shown:
            shown[0].text = str(pages[words[1]])
            for extra in shown[1:]:
                extra.text = ""
    return missing


def page_refs_shown(root: Any) -> dict[str, str]:
    """Return the result each PAGEREF field under ``root`` shows (bookmark -> text)."""
    return {
        words[1]: "".join(t.text or "" for t in shown)
        for words, shown in field_results(root)
        if words[:1] == ["PAGEREF"] and len(words) >= 2
    }
