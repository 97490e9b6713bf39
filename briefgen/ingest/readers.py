"""Read any raw document briefgen knows into a RawDocument: one reader per format, chosen by suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefgen.errors import BriefgenError, ContentError, Location, Problem
from briefgen.files import read_regular
from briefgen.ingest.document import RawDocument

# Text formats are read whole into memory; packaged ones (Word, PDF) hold images too.
MAX_TEXT_BYTES = 4 * 1024 * 1024
MAX_PACKAGE_BYTES = 64 * 1024 * 1024

Reader = Callable[[Path, bytes], RawDocument]


def _text(path: Path, data: bytes) -> RawDocument:
    from briefgen.ingest.rawdoc import decode, parse_document

    warnings: list[Problem] = []
    doc = parse_document(decode(data, path, warnings), path)
    doc.warnings.extend(warnings)
    return doc


def _markdown(path: Path, data: bytes) -> RawDocument:
    from briefgen.ingest.mdread import read_markdown

    return read_markdown(path, data)


def _html(path: Path, data: bytes) -> RawDocument:
    from briefgen.ingest.htmlread import read_html

    return read_html(path, data)


def _docx(path: Path, data: bytes) -> RawDocument:
    from briefgen.ingest.docxread import read_docx

    return read_docx(path, data)


def _pdf(path: Path, data: bytes) -> RawDocument:
    from briefgen.ingest.pdfread import read_pdf

    return read_pdf(path, data)


# suffix -> (what it is, reader, size limit); each reader imports its library only when used.
READERS: dict[str, tuple[str, Reader, int]] = {
    ".txt": ("plain text", _text, MAX_TEXT_BYTES),
    ".text": ("plain text", _text, MAX_TEXT_BYTES),
    ".md": ("Markdown", _markdown, MAX_TEXT_BYTES),
    ".markdown": ("Markdown", _markdown, MAX_TEXT_BYTES),
    ".html": ("HTML", _html, MAX_TEXT_BYTES),
    ".htm": ("HTML", _html, MAX_TEXT_BYTES),
    ".docx": ("Word", _docx, MAX_PACKAGE_BYTES),
    ".pdf": ("PDF", _pdf, MAX_PACKAGE_BYTES),
}


def formats_read() -> str:
    """Return the formats ingest reads, for messages: 'plain text (.txt, .text), Markdown (.md, ...)'."""
    names: dict[str, list[str]] = {}
    for suffix, (name, _, _) in READERS.items():
        names.setdefault(name, []).append(suffix)
    return ", ".join(f"{name} ({', '.join(suffixes)})" for name, suffixes in names.items())


def read_document(path: Path) -> RawDocument:
    """Read the raw document at ``path`` with the reader for its suffix, or raise ContentError."""
    entry = READERS.get(path.suffix.lower())
    if entry is None:
        raise ContentError.at(
            Location.of(path),
            f"cannot read {path.suffix or 'files without a suffix'}: ingest reads {formats_read()}",
        )
    name, reader, limit = entry
    try:
        data = read_regular(path, limit, hint="split the document")
    except FileNotFoundError:
        raise ContentError.at(Location.of(path), "file not found") from None
    try:
        return reader(path, data)
    except BriefgenError:
        raise
    except Exception as exc:  # a library's own error on a damaged file: say so, no traceback
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise ContentError.at(
            Location.of(path), f"not a readable {name} file ({reason}); ingest reads {formats_read()}"
        ) from None
