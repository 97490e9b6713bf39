"""Source notes, compact and merged: which statement calls a note, its number, and the key table.

A note is compact ("BS §2, §5": the source's short key and section numbers, explained
in the list of sources at the end) and merged: consecutive statements of one part that
cite the same passages share one note, called after the last of them, so a run of
statements from one passage does not repeat its note each time. Notes are numbered in
reading order. Numbering is a function of the parts alone, so a briefing cut to fit
its page budget (fit.py) is numbered again the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from briefgen.assemble.briefing import Citation, Note, Paragraph, Part, SourceRef, date_text
from briefgen.content.model import Library, NotePlacement, Source


def source_keys(library: Library) -> dict[str, str]:
    """Return each source's short key: its own ``key``, else the initials of its title, made unique."""
    keys: dict[str, str] = {}
    taken = {s.key for s in library.sources.values() if s.key}
    for source in library.sources.values():
        if source.key:
            keys[source.id] = source.key
            continue
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", source.title) if w[0].isupper())
        base = (initials or source.id[:3]).upper()[:6]
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}{n}"
        taken.add(key)
        keys[source.id] = key
    return keys


def citation(library: Library, keys: dict[str, str], cite: str) -> Citation:
    """Return the citation of 'source#section', with the source's key and the section's number."""
    source_id, section_id = cite.split("#", 1)
    source = library.sources[source_id]
    number = next(i for i, s in enumerate(source.sections, 1) if s.id == section_id)
    return Citation(cite, source.title, source.sections[number - 1].title, keys[source_id], number)


def number_notes(parts: tuple[Part, ...], placement: NotePlacement) -> tuple[tuple[Part, ...], tuple[Note, ...]]:
    """Return the parts with each run's note on its last statement, and the notes in reading order.

    With ``placement`` "none" no statement calls a note (the list of sources still shows
    what the briefing drew on).
    """
    notes: list[Note] = []
    numbered: list[Part] = []
    for part in parts:
        paragraphs = list(part.paragraphs)
        for i, paragraph in enumerate(paragraphs):
            following = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
            calls = placement != "none" and bool(paragraph.cites) and not _same_passages(paragraph, following)
            note = None
            if calls:
                note = Note(len(notes) + 1, paragraph.cites)
                notes.append(note)
            paragraphs[i] = dataclasses.replace(paragraph, note=note)
        numbered.append(dataclasses.replace(part, paragraphs=tuple(paragraphs)))
    return tuple(numbered), tuple(notes)


def _same_passages(paragraph: Paragraph, following: Paragraph | None) -> bool:
    """Return whether ``following`` cites exactly the passages ``paragraph`` cites."""
    if following is None:
        return False
    return {c.cite for c in paragraph.cites} == {c.cite for c in following.cites}


def source_list(library: Library, keys: dict[str, str], parts: tuple[Part, ...]) -> tuple[SourceRef, ...]:
    """Return the key table: every source the parts cite, with its key, date and cited sections."""
    cited = {c.cite for part in parts for p in part.paragraphs for c in p.cites}
    refs = []
    for source in library.sources.values():
        chosen = [(n, s) for n, s in enumerate(source.sections, 1) if f"{source.id}#{s.id}" in cited]
        if chosen:
            refs.append(
                SourceRef(
                    source.id,
                    source.title,
                    source.file,
                    tuple(f"§{n} {s.title}" for n, s in chosen),
                    key=keys[source.id],
                    date=_source_date(source),
                    issued=source.date if isinstance(source.date, dt.date) else None,
                    cites=tuple(f"{source.id}#{s.id}" for _n, s in chosen),
                )
            )
    return tuple(sorted(refs, key=lambda r: r.key))


def still_cited(sources: tuple[SourceRef, ...], parts: tuple[Part, ...]) -> tuple[SourceRef, ...]:
    """Return ``sources`` reduced to the sections ``parts`` still cite (after a cut)."""
    cited = {c.cite for part in parts for p in part.paragraphs for c in p.cites}
    kept = []
    for ref in sources:
        pairs = [(title, cite) for title, cite in zip(ref.sections, ref.cites, strict=True) if cite in cited]
        if pairs:
            kept.append(
                dataclasses.replace(ref, sections=tuple(t for t, _ in pairs), cites=tuple(c for _, c in pairs))
            )
    return tuple(kept)


def _source_date(source: Source) -> str:
    return date_text(source.date) if isinstance(source.date, dt.date) else "undated"
