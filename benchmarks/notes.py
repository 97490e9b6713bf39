"""What lighter source notes would save in PDF layout: the same briefing with its notes merged, shortened or moved.

WeasyPrint lays the footnote area out again for every footnote on a page, so the
number of notes, not their text, is what should cost. This renders one briefing as it is
and as the compact notes of the tailoring work would make it (one footnote per distinct
citation), the notes with full titles as before the compact keys, plus endnotes and no
notes as the two ends of the scale.
"""

from __future__ import annotations

import dataclasses
from functools import partial

from timing import interleave, row

from briefgen.assemble.briefing import Briefing, Note
from briefgen.render.registry import RenderContext, get_renderer


def merged(briefing: Briefing) -> Briefing:
    """Keep the first footnote of each distinct citation; later statements citing it get none.

    A compact-notes template would mark such a statement with the earlier note's number;
    a superscript costs the layout nothing next to a footnote, so here it is left out.
    """
    seen: set[str] = set()
    parts = []
    for part in briefing.parts:
        paragraphs = []
        for p in part.paragraphs:
            if p.note is not None and p.note.text in seen:
                p = dataclasses.replace(p, note=None)
            elif p.note is not None:
                seen.add(p.note.text)
            paragraphs.append(p)
        parts.append(dataclasses.replace(part, paragraphs=tuple(paragraphs)))
    notes = tuple(p.note for part in parts for p in part.paragraphs if p.note is not None)
    return dataclasses.replace(briefing, parts=tuple(parts), notes=notes)


def full_titles(briefing: Briefing) -> Briefing:
    """Print every note with the document and section titles, as before compact notes ('BS §4')."""

    def full(note: Note) -> Note:
        cites = tuple(dataclasses.replace(c, key="", number=0) for c in note.citations)
        return dataclasses.replace(note, citations=cites)

    parts = tuple(
        dataclasses.replace(
            part,
            paragraphs=tuple(
                dataclasses.replace(p, note=full(p.note)) if p.note else p for p in part.paragraphs
            ),
        )
        for part in briefing.parts
    )
    return dataclasses.replace(briefing, parts=parts, notes=tuple(full(n) for n in briefing.notes))


def bench_notes(ctx: RenderContext, briefing: Briefing, runs: int) -> None:
    """Render the briefing's variants interleaved; report each against today's footnotes."""
    renderer = get_renderer("pdf")
    variants = {
        "today": briefing,
        "merged": merged(briefing),
        "full titles": full_titles(briefing),
        "endnotes": dataclasses.replace(briefing, note_placement="endnotes"),
        "none": dataclasses.replace(briefing, note_placement="none", notes=()),
    }
    t = interleave({name: partial(renderer.render, b, ctx) for name, b in variants.items()}, runs)
    count = {name: len(b.notes) if b.note_placement == "footnotes" else 0 for name, b in variants.items()}
    pages = {name: renderer.render(b, ctx).pages for name, b in variants.items()}
    print(f"source notes in the PDF ({briefing.topic_id}/{briefing.audience_id}), median of {runs}:")
    for name in variants:
        if name != "today":
            row(
                f"{name} ({count[name]} footnotes, {pages[name]} pages) vs today ({count['today']})",
                t,
                name,
                "today",
            )
