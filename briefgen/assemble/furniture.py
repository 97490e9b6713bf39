"""The furniture of a briefing, decided once for every format: cover rows, contents, source list words."""

from __future__ import annotations

import dataclasses

from briefgen.assemble.briefing import (
    LABELS,
    Briefing,
    ContentsEntry,
    CoverRow,
    Labels,
    NotePlacement,
    Part,
    SourceRef,
)
from briefgen.formats import FormatSpec


def cover_rows(*, audience: str, purpose: str, date_text: str, author: str) -> tuple[CoverRow, ...]:
    """Return the labelled details on the cover, in order; the date only when there is one."""
    rows = [CoverRow("Prepared for", audience, role="audience"), CoverRow("Purpose", purpose)]
    if date_text:
        rows.append(CoverRow("Date", date_text))
    rows.append(CoverRow("Prepared by", author))
    return tuple(rows)


def contents_entries(
    parts: tuple[Part, ...],
    sources: tuple[SourceRef, ...],
    placement: NotePlacement,
    labels: Labels = LABELS,
) -> tuple[ContentsEntry, ...]:
    """Return the contents: every part, then the notes (as endnotes) and the sources, when shown."""
    entries = [ContentsEntry(p.level, p.number, p.heading, p.anchor) for p in parts]
    if placement == "endnotes":
        entries.append(ContentsEntry(1, "", labels.notes, "notes"))
    if placement != "none" and sources:
        entries.append(ContentsEntry(1, "", labels.sources, "sources"))
    return tuple(entries)


def sources_intro(placement: NotePlacement) -> str:
    """Return the sentence that opens the list of sources, naming where the notes stand."""
    opening = "Statements in this briefing are distilled from these documents"
    if placement == "none":
        return opening + "."
    where = "each footnote" if placement == "footnotes" else "each numbered note"
    return f"{opening}; {where} names the section a statement came from."


def for_format(briefing: Briefing, spec: FormatSpec) -> Briefing:
    """Return ``briefing`` as format ``spec`` can show it: footnotes become endnotes where pages have no foot."""
    if briefing.note_placement == "footnotes" and not spec.footnotes:
        return with_notes(briefing, "endnotes")
    return briefing


def with_notes(briefing: Briefing, placement: NotePlacement) -> Briefing:
    """Return ``briefing`` with its source notes placed as ``placement``, its furniture to match."""
    contents = contents_entries(briefing.parts, briefing.sources, placement) if briefing.contents else ()
    return dataclasses.replace(
        briefing, note_placement=placement, contents=contents, sources_intro=sources_intro(placement)
    )
