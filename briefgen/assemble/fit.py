"""Fitting to the page budget: the order optional material goes in, and one cut every format applies.

The renderer that paginates (PDF) lays a briefing out, and while its body runs past the
audience's page budget it cuts a longer prefix of ``cut_order`` and lays it out again
(render/pdf/fit.py). The cut is a value: the job hands it to Word and HTML, which apply
the same ``apply_cut``, so every format of a briefing says the same thing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from briefgen.assemble.briefing import Briefing, Part
from briefgen.assemble.furniture import contents_entries, information_row
from briefgen.assemble.notes import number_notes, still_cited


@dataclass(frozen=True)
class Cut:
    """What fitting took out of a briefing: statements by ``Paragraph.ref``, in the order they went."""

    dropped: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.dropped)


def cut_order(parts: tuple[Part, ...]) -> tuple[str, ...]:
    """Return the order in which statements go when a body overruns its page budget.

    1. Detail statements, lowest-ranked first: the profile's order of parts is their rank
       and so is the order within a part, so the last detail statement of the last part
       goes first.
    2. Then the lists are capped: the last statement of the longest part goes (of equal
       ones, the later part's), until every part is down to one.
    A part always keeps one statement, so no heading is left empty: what is left then is
    not optional, and a body still over budget fails (or warns, as its profile says).
    """
    remaining = [[p.ref for p in part.paragraphs] for part in parts]
    detail = [{p.ref for p in part.paragraphs if not p.key} for part in parts]
    order: list[str] = []
    for index in reversed(range(len(parts))):
        for ref in reversed(list(remaining[index])):
            if ref in detail[index] and len(remaining[index]) > 1:
                remaining[index].remove(ref)
                order.append(ref)
    while remaining:
        longest = max(range(len(remaining)), key=lambda i: (len(remaining[i]), i))
        if len(remaining[longest]) <= 1:
            break
        order.append(remaining[longest].pop())
    return tuple(order)


def apply_cut(briefing: Briefing, cut: Cut | None) -> Briefing:
    """Return ``briefing`` without the statements ``cut`` dropped, notes, sources and furniture to match."""
    if cut is None or not cut:
        return briefing
    dropped = set(cut.dropped)
    parts = tuple(
        dataclasses.replace(part, paragraphs=tuple(p for p in part.paragraphs if p.ref not in dropped))
        for part in briefing.parts
    )
    parts, notes = number_notes(parts, briefing.note_placement)
    sources = still_cited(briefing.sources, parts)
    contents = contents_entries(parts, sources, briefing.note_placement) if briefing.contents else ()
    information = information_row(sources, briefing.date_text)
    cover = tuple(information if row.role == "information" else row for row in briefing.cover)
    return dataclasses.replace(
        briefing,
        parts=parts,
        notes=notes,
        sources=sources,
        contents=contents,
        cover=cover,
        information=information.value,
    )


def describe_cut(briefing: Briefing, cut: Cut) -> str:
    """Return what ``cut`` dropped from ``briefing``, each statement located, for the build report."""
    where = {p.ref: (p.where, part.heading) for part in briefing.parts for p in part.paragraphs}
    total = len(where)
    items = [f"{where[ref][0] or ref} ({where[ref][1]})" for ref in cut.dropped if ref in where]
    return (
        f"cut to its {briefing.page_budget}-page budget: dropped {len(items)} of {total} statements "
        f"(detail first, then the longest lists capped): " + "; ".join(items)
    )
