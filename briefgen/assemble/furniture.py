"""The furniture of a briefing, decided once for every format: cover rows, contents, source list words."""

from __future__ import annotations

import dataclasses

from briefgen.assemble.briefing import (
    LABELS,
    Briefing,
    ContentsEntry,
    CoverRow,
    Labels,
    Part,
    SourceRef,
    date_text,
)
from briefgen.assemble.notes import number_notes
from briefgen.content.model import NotePlacement
from briefgen.formats import FormatSpec


def cover_rows(
    *, audience: str, purpose: str, date_text: str, author: str, information: CoverRow | None = None
) -> tuple[CoverRow, ...]:
    """Return the labelled details on the cover, in order; the date only when there is one."""
    rows = [CoverRow("Prepared for", audience, role="audience"), CoverRow("Purpose", purpose)]
    if date_text:
        rows.append(CoverRow("Date", date_text))
    if information is not None:
        rows.append(information)
    rows.append(CoverRow("Prepared by", author))
    return tuple(rows)


def information_row(sources: tuple[SourceRef, ...], as_of: str, labels: Labels = LABELS) -> CoverRow:
    """Return the cover row saying when the information dates from, honestly.

    Dated sources give their range and undated ones are counted ("Sources dated 3 March
    2025 to 9 May 2026 (1 undated)"); with none dated it says so ("Sources undated"); then
    the date the content stands as of, the briefing's date.
    """
    dates = sorted(ref.issued for ref in sources if ref.issued is not None)
    undated = len(sources) - len(dates)
    if not dates:
        head = "Sources undated" if sources else "No sources cited"
    else:
        first, last = date_text(dates[0]), date_text(dates[-1])
        head = f"Sources dated {first}" if first == last else f"Sources dated {first} to {last}"
        if undated:
            head += f" ({undated} undated)"
    return CoverRow(labels.information, f"{head}; content as of {as_of}" if as_of else head, role="information")


def contents_entries(
    parts: tuple[Part, ...],
    sources: tuple[SourceRef, ...],
    placement: NotePlacement,
    labels: Labels = LABELS,
) -> tuple[ContentsEntry, ...]:
    """Return the contents: every part, then the sources (the key table) and the endnotes, when shown.

    The sources come before the endnotes because Word sets its endnotes after the last
    paragraph of the document; every format keeps that order.
    """
    entries = [ContentsEntry(p.level, p.number, p.heading, p.anchor) for p in parts]
    if sources:
        entries.append(ContentsEntry(1, "", labels.sources, "sources"))
    if placement == "endnotes":
        entries.append(ContentsEntry(1, "", labels.notes, "notes"))
    return tuple(entries)


def sources_intro(placement: NotePlacement) -> str:
    """Return the sentence that opens the list of sources, saying how the notes refer to it."""
    opening = "Statements in this briefing are distilled from these documents"
    if placement == "none":
        return opening + "."
    where = "each footnote" if placement == "footnotes" else "each numbered note"
    return (
        f"{opening}; {where} gives a document's key and the numbers (§) of the sections a statement "
        "came from, and covers the statements before it back to the previous note in its section."
    )


def for_format(briefing: Briefing, spec: FormatSpec) -> Briefing:
    """Return ``briefing`` as format ``spec`` can show it: footnotes become endnotes where pages have no foot."""
    if briefing.note_placement == "footnotes" and not spec.footnotes:
        return with_notes(briefing, "endnotes")
    return briefing


def with_notes(briefing: Briefing, placement: NotePlacement) -> Briefing:
    """Return ``briefing`` with its source notes placed as ``placement``, its furniture to match."""
    parts, notes = number_notes(briefing.parts, placement)
    contents = contents_entries(parts, briefing.sources, placement) if briefing.contents else ()
    return dataclasses.replace(
        briefing,
        parts=parts,
        notes=notes,
        note_placement=placement,
        contents=contents,
        sources_intro=sources_intro(placement),
    )
