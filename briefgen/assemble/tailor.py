"""Assemble one topic for one audience into a render-neutral Briefing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from briefgen.assemble.briefing import Briefing, Paragraph, Part, date_text
from briefgen.assemble.furniture import contents_entries, cover_rows, information_row, sources_intro
from briefgen.assemble.markup import Span, parse_inline, plain
from briefgen.assemble.notes import citation, number_notes, source_keys, source_list
from briefgen.assemble.readability import counts, ease
from briefgen.assemble.standards import statement_spans, wording
from briefgen.assemble.tables import DATA_KINDS, data_part
from briefgen.content.model import (
    Audience,
    AudienceSection,
    Library,
    NotePlacement,
    Section,
    Statement,
    Topic,
)
from briefgen.errors import Location
from briefgen.project.config import ProjectConfig

HARDEST_SHOWN = 3  # statements a readability warning names


@dataclass
class _Wording:
    """Words a briefing shows, in its audience's register: what fell back, and what it reads like."""

    library: Library
    topic: Topic
    audience: Audience
    keys: dict[str, str]
    fallbacks: list[Location] = field(default_factory=list)
    texts: list[tuple[Location, str]] = field(default_factory=list)  # (where, text as read), in order

    def paragraph(self, section_index: int, point_index: int, statement: Statement) -> Paragraph:
        """Return one statement as the audience reads it, its citations attached."""
        where = self.library.place("topic", self.topic.id, section_index, point_index)
        spans, fell_back = statement_spans(statement, self.audience.reads)
        if fell_back:
            self.fallbacks.append(where)
        self.texts.append((where, plain(parse_inline(wording(statement, self.audience.reads)[0]))))
        cites = tuple(citation(self.library, self.keys, c) for c in dict.fromkeys(statement.cite))
        ref = f"{section_index}.{point_index}"
        return Paragraph(spans=spans, key=statement.level == "key", ref=ref, where=str(where), cites=cites)

    def report(self, language: str) -> dict[str, Any]:
        """Return the Briefing's wording fields: register, fallbacks and readability against the target."""
        counted = [(where, counts(text, language)) for where, text in self.texts]  # each text once
        scores = [(where, ease([c])) for where, c in counted]
        hardest = sorted(((w, s) for w, s in scores if s is not None), key=lambda ws: ws[1])[:HARDEST_SHOWN]
        return {
            "register": self.audience.reads,
            "fallbacks": tuple(self.fallbacks),
            "reading_ease": ease(c for _, c in counted),
            "reading_ease_target": self.audience.reading_ease,
            "hardest": tuple(hardest),
        }

    def default_text(self, text: str, *place: str | int) -> tuple[Span, ...]:
        """Return text that only has a default wording (a summary, an intro), counted as a fallback."""
        where = self.library.place("topic", self.topic.id, *place)
        if self.audience.reads != "default":
            self.fallbacks.append(where)
        spans = parse_inline(text)
        self.texts.append((where, plain(spans)))
        return spans


def assemble_for(config: ProjectConfig, library: Library, topic_id: str, audience_id: str) -> Briefing:
    """Assemble ``topic_id`` for ``audience_id`` with the project's author, date and language."""
    return assemble(
        library,
        topic_id,
        audience_id,
        author=config.author,
        default_date=config.date,
        language=config.language,
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
    """Select, order, word and number the content of ``topic_id`` for ``audience_id``."""
    topic = library.topics[topic_id]
    audience = library.audiences[audience_id]
    words = _Wording(library, topic, audience, source_keys(library))
    summary: tuple[Span, ...] = ()
    if topic.summary and audience.include.summary:
        summary = words.default_text(topic.summary, "summary")
    parts = _parts(library, topic, audience, words)
    placement: NotePlacement = audience.notes if audience.include.source_notes else "none"
    numbered, notes = number_notes(parts, placement)
    sources = source_list(library, words.keys, numbered) if audience.include.source_notes else ()
    date = topic.date or default_date
    information = information_row(sources, date_text(date))
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
        summary=summary,
        parts=numbered,
        notes=notes,
        sources=sources,
        show_contents=audience.include.contents,
        show_notes=audience.include.source_notes,
        page_budget=audience.page_budget,
        keywords=tuple(library.themes[t].title for t in topic.themes if t in library.themes),
        contents=contents_entries(numbered, sources, placement) if audience.include.contents else (),
        sources_intro=sources_intro(placement),
        note_placement=placement,
        cover=cover_rows(
            audience=audience.title,
            purpose=audience.purpose,
            date_text=date_text(date),
            author=author,
            information=information,
        ),
        lang=language,
        information=information.value,
        over_budget=audience.over_budget,
        profile=library.place("audience", audience.id),
        where=library.place("topic", topic.id),
        **words.report(language),
    )


def _parts(library: Library, topic: Topic, audience: Audience, words: _Wording) -> tuple[Part, ...]:
    """Return the body: each section kind of the profile, in its order, numbered."""
    parts: list[Part] = []
    for entry in audience.sections:
        number = str(sum(1 for p in parts if p.level == 1) + 1)
        if entry.kind in DATA_KINDS:
            part = data_part(library, topic, entry, number)
            if part is not None:
                parts.append(part)
            continue
        parts.extend(_statement_parts(topic, audience, entry, number, words))
    return tuple(parts)


def _select(
    points: list[Statement], audience: Audience, entry: AudienceSection
) -> list[tuple[int, Statement]]:
    """Return (index, statement) of the points an audience sees: by depth, themes, then max_points."""
    chosen = [(i, p) for i, p in enumerate(points) if audience.depth == "detailed" or p.level == "key"]
    if audience.themes is not None:
        wanted = set(audience.themes)
        chosen = [(i, p) for i, p in chosen if not p.themes or wanted.intersection(p.themes)]
    if entry.max_points is not None:
        chosen = chosen[: entry.max_points]
    return chosen


def _statement_parts(
    topic: Topic, audience: Audience, entry: AudienceSection, number: str, words: _Wording
) -> list[Part]:
    sections = [(i, s) for i, s in enumerate(topic.sections) if s.kind == entry.kind]
    chosen = [(i, s, _select(s.points, audience, entry)) for i, s in sections]
    chosen = [(i, s, pts) for i, s, pts in chosen if pts]
    if not chosen:
        return []

    def part(
        index: int, section: Section, points: list[tuple[int, Statement]], num: str, level: int, heading: str
    ) -> Part:
        intro: tuple[Span, ...] = ()
        if section.intro and audience.depth == "detailed":
            intro = words.default_text(section.intro, index)
        return Part(
            number=num,
            level=level,
            anchor="s-" + num.replace(".", "-"),
            heading=heading,
            kind=entry.kind,
            style=entry.style,
            form=entry.form or section.form,
            intro=intro,
            paragraphs=tuple(words.paragraph(index, p, point) for p, point in points),
            where=str(words.library.place("topic", topic.id, index)),
        )

    if len(chosen) == 1:
        index, section, points = chosen[0]
        return [part(index, section, points, number, 1, entry.heading or section.title)]
    if entry.heading is None:
        # No grouping heading: each topic section stands as a part of its own.
        first = int(number)
        return [part(i, s, pts, str(first + n), 1, s.title) for n, (i, s, pts) in enumerate(chosen)]
    group = Part(number, 1, "s-" + number, entry.heading, entry.kind, entry.style)
    subs = [part(i, s, pts, f"{number}.{n}", 2, s.title) for n, (i, s, pts) in enumerate(chosen, 1)]
    return [group, *subs]
