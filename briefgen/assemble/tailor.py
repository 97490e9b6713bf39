"""Assemble one topic for one audience into a render-neutral Briefing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefgen.assemble.briefing import (
    Briefing,
    Chart,
    Citation,
    Note,
    Paragraph,
    Part,
    SourceRef,
    Table,
    TimelineItem,
)
from briefgen.assemble.markup import parse_inline, plain
from briefgen.content.model import Audience, AudienceSection, Library, Section, Statement, Topic

# Section kinds that are built from structured entities rather than from statements.
DATA_KINDS = ("missions-table", "timeline", "figures-table", "glossary")
DEFAULT_HEADINGS = {
    "missions-table": "Missions discussed",
    "timeline": "Timeline of missions",
    "figures-table": "Key figures",
    "glossary": "Glossary",
}


@dataclass
class _Notes:
    """Number source notes in reading order, one per cited statement."""

    library: Library
    notes: list[Note] = field(default_factory=list)

    def add(self, cites: list[str]) -> Note | None:
        if not cites:
            return None
        citations = tuple(Citation(c, *self.library.section_title(c)) for c in dict.fromkeys(cites))
        note = Note(len(self.notes) + 1, citations)
        self.notes.append(note)
        return note

    def sources(self) -> tuple[SourceRef, ...]:
        cited = {c.cite for note in self.notes for c in note.citations}
        refs = []
        for source in self.library.sources.values():
            sections = tuple(s.title for s in source.sections if f"{source.id}#{s.id}" in cited)
            if sections:
                refs.append(SourceRef(source.id, source.title, source.file, sections))
        return tuple(sorted(refs, key=lambda r: r.title))


def assemble(
    library: Library, topic_id: str, audience_id: str, *, author: str, default_date: dt.date | None
) -> Briefing:
    """Select, order and number the content of ``topic_id`` for ``audience_id``."""
    topic = library.topics[topic_id]
    audience = library.audiences[audience_id]
    notes = _Notes(library)
    parts: list[Part] = []
    for entry in audience.sections:
        number = str(sum(1 for p in parts if p.level == 1) + 1)
        if entry.kind in DATA_KINDS:
            part = _data_part(library, topic, entry, number)
            if part is not None:
                parts.append(part)
            continue
        parts.extend(_statement_parts(topic, audience, entry, number, notes))
    keywords = tuple(library.themes[t].title for t in topic.themes if t in library.themes)
    return Briefing(
        topic_id=topic.id,
        audience_id=audience.id,
        title=topic.title,
        subtitle=topic.subtitle or "",
        audience_title=audience.title,
        purpose=audience.purpose,
        author=author,
        date=topic.date or default_date,
        marking=audience.marking,
        summary=parse_inline(topic.summary) if topic.summary else (),
        parts=tuple(parts),
        notes=tuple(notes.notes),
        sources=notes.sources(),
        show_contents=audience.include.contents,
        show_notes=audience.include.source_notes,
        page_budget=audience.page_budget,
        keywords=keywords,
    )


def _select(points: list[Statement], audience: Audience, entry: AudienceSection) -> list[Statement]:
    chosen = [p for p in points if audience.depth == "detailed" or p.level == "key"]
    if audience.themes is not None:
        wanted = set(audience.themes)
        chosen = [p for p in chosen if not p.themes or wanted.intersection(p.themes)]
    if entry.max_points is not None:
        chosen = chosen[: entry.max_points]
    return chosen


def _paragraphs(points: list[Statement], notes: _Notes, cite: bool) -> tuple[Paragraph, ...]:
    return tuple(
        Paragraph(
            spans=parse_inline(p.text),
            note=notes.add(list(p.cite)) if cite else None,
            key=p.level == "key",
        )
        for p in points
    )


def _statement_parts(
    topic: Topic, audience: Audience, entry: AudienceSection, number: str, notes: _Notes
) -> list[Part]:
    sections = [s for s in topic.sections if s.kind == entry.kind]
    chosen = [(s, _select(s.points, audience, entry)) for s in sections]
    chosen = [(s, pts) for s, pts in chosen if pts]
    if not chosen:
        return []
    cite = audience.include.source_notes

    def part(section: Section, points: list[Statement], num: str, level: int, heading: str) -> Part:
        return Part(
            number=num,
            level=level,
            anchor="s-" + num.replace(".", "-"),
            heading=heading,
            kind=entry.kind,
            style=entry.style,
            form=entry.form or section.form,
            intro=parse_inline(section.intro) if section.intro and audience.depth == "detailed" else (),
            paragraphs=_paragraphs(points, notes, cite),
        )

    if len(chosen) == 1:
        section, points = chosen[0]
        return [part(section, points, number, 1, entry.heading or section.title)]
    if entry.heading is None:
        # No grouping heading: each topic section stands as a part of its own.
        first = int(number)
        return [part(s, pts, str(first + i), 1, s.title) for i, (s, pts) in enumerate(chosen)]
    group = Part(number, 1, "s-" + number, entry.heading, entry.kind, entry.style)
    subs = [part(s, pts, f"{number}.{i}", 2, s.title) for i, (s, pts) in enumerate(chosen, 1)]
    return [group, *subs]


def _data_part(library: Library, topic: Topic, entry: AudienceSection, number: str) -> Part | None:
    heading = entry.heading or DEFAULT_HEADINGS[entry.kind]
    if entry.kind == "timeline":
        chart = timeline(library, topic)
        table = None
    else:
        chart = None
        table = {
            "missions-table": missions_table,
            "figures-table": figures_table,
            "glossary": glossary_table,
        }[entry.kind](library, topic)
    if chart is None and table is None:
        return None
    if table is not None and entry.max_points is not None and len(table.rows) > entry.max_points:
        shown = table.rows[: entry.max_points]
        caption = f"{table.caption.split(' (')[0]} ({entry.max_points} of {len(table.rows)})"
        table = Table(caption, table.columns, shown, table.widths)
    return Part(number, 1, f"s-{number}", heading, entry.kind, table=table, chart=chart)


def _missions(library: Library, topic: Topic) -> list:  # type: ignore[type-arg]
    missions = [library.missions[m] for m in topic.missions]
    return sorted(missions, key=lambda m: (m.start or 9999, m.acronym or m.name))


def _years(start: int | None, end: int | None) -> str:
    if start and end:
        return f"{start}–{end}"
    if start:
        return f"from {start}"
    return "—"


def missions_table(library: Library, topic: Topic) -> Table | None:
    """Return the table of the missions a topic discusses, oldest first."""
    rows = []
    for m in _missions(library, topic):
        org = library.organizations.get(m.organization or "")
        org_text = (org.acronym or org.name) if org else "—"
        name = f"{m.acronym} — {m.name}" if m.acronym else m.name
        personnel = m.personnel_note or (f"{m.personnel:,}" if m.personnel else "—")
        rows.append((name, org_text, m.place or "—", _years(m.start, m.end), personnel))
    if not rows:
        return None
    return Table(
        caption=f"Missions discussed in this briefing ({len(rows)})",
        columns=("Mission", "Organization", "Where", "Years", "Personnel"),
        rows=tuple(rows),
        widths=(46, 14, 16, 12, 12),
    )


def timeline(library: Library, topic: Topic) -> Chart | None:
    """Return a timeline of the topic's missions that have a start year."""
    dated = [m for m in _missions(library, topic) if m.start]
    if not dated:
        return None
    items = tuple(
        TimelineItem(label=m.acronym or m.name, start=m.start or 0, end=m.end, group=m.organization or "")
        for m in dated
    )
    first = min(i.start for i in items)
    last = max(max(i.end or i.start for i in items), first + 1)
    return Chart(
        caption="Missions by year of deployment, as stated in the sources",
        items=items,
        first_year=first,
        last_year=last,
    )


def figures_table(library: Library, topic: Topic) -> Table | None:
    """Return the table of key figures a topic lists."""
    rows = tuple(
        (
            f.label,
            f.display + (f" {f.unit}" if f.unit and f.unit not in f.display else ""),
            str(f.year) if f.year and str(f.year) not in f.display else "—",
        )
        for f in (library.figures[i] for i in topic.figures)
    )
    if not rows:
        return None
    return Table("Key figures stated in the sources", ("Figure", "Value", "Year"), rows, (60, 25, 15))


def glossary_table(library: Library, topic: Topic) -> Table | None:
    """Return the glossary entries whose term the topic uses."""
    text = " ".join(plain(parse_inline(p.text)) for s in topic.sections for p in s.points)
    text += " " + " ".join(
        f"{m.acronym or ''} {m.name}" for m in (library.missions[i] for i in topic.missions)
    )
    rows = tuple(
        (entry.term, entry.meaning)
        for entry in sorted(library.glossary.values(), key=lambda e: e.term.lower())
        if re.search(rf"(?<!\w){re.escape(entry.term)}(?!\w)", text)
    )
    if not rows:
        return None
    return Table("Abbreviations used in this briefing", ("Term", "Meaning"), rows, (20, 80))
