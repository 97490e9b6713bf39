"""Assemble one topic for one audience into a render-neutral Briefing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from briefgen.assemble.briefing import (
    Briefing,
    Citation,
    Note,
    NotePlacement,
    Paragraph,
    Part,
    SourceRef,
    date_text,
)
from briefgen.assemble.furniture import contents_entries, cover_rows, sources_intro
from briefgen.assemble.markup import parse_inline
from briefgen.assemble.tables import DATA_KINDS, data_part
from briefgen.content.model import Audience, AudienceSection, Library, Section, Statement, Topic
from briefgen.project.config import ProjectConfig


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


def assemble_for(config: ProjectConfig, library: Library, topic_id: str, audience_id: str) -> Briefing:
    """Assemble ``topic_id`` for ``audience_id`` with the project's author, date and language."""
    return assemble(
        library, topic_id, audience_id, author=config.author, default_date=config.date, language=config.language
    )


def assemble(
    library: Library,
    topic_id: str,
    audience_id: str,
    *,
    author: str,
    default_date: dt.date | None,
    language: str = "en",
) -> Briefing:
    """Select, order and number the content of ``topic_id`` for ``audience_id``."""
    topic = library.topics[topic_id]
    audience = library.audiences[audience_id]
    notes = _Notes(library)
    parts: list[Part] = []
    for entry in audience.sections:
        number = str(sum(1 for p in parts if p.level == 1) + 1)
        if entry.kind in DATA_KINDS:
            part = data_part(library, topic, entry, number)
            if part is not None:
                parts.append(part)
            continue
        parts.extend(_statement_parts(topic, audience, entry, number, notes))
    keywords = tuple(library.themes[t].title for t in topic.themes if t in library.themes)
    placement: NotePlacement = "footnotes" if audience.include.source_notes else "none"
    sources = notes.sources()
    date = topic.date or default_date
    return Briefing(
        topic_id=topic.id,
        audience_id=audience.id,
        title=topic.title,
        subtitle=topic.subtitle or "",
        audience_title=audience.title,
        purpose=audience.purpose,
        author=author,
        date=date,
        marking=audience.marking,
        summary=parse_inline(topic.summary) if topic.summary else (),
        parts=tuple(parts),
        notes=tuple(notes.notes),
        sources=sources,
        show_contents=audience.include.contents,
        show_notes=audience.include.source_notes,
        page_budget=audience.page_budget,
        keywords=keywords,
        contents=contents_entries(tuple(parts), sources, placement) if audience.include.contents else (),
        sources_intro=sources_intro(placement),
        note_placement=placement,
        cover=cover_rows(audience=audience.title, purpose=audience.purpose, date_text=date_text(date), author=author),
        lang=language,
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


