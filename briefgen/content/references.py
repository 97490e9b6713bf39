"""Check that every id a content record mentions names a record that exists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from briefgen.content.model import DATA_KINDS, STATEMENT_KINDS, Library
from briefgen.content.validation import close_match
from briefgen.content.yamlread import YamlDoc, YamlPath
from briefgen.errors import Problem
from briefgen.files import is_device_name

Origins = dict[tuple[str, str], tuple[str, YamlPath]]


class _Checker:
    def __init__(self, library: Library, docs: dict[str, YamlDoc], origins: Origins) -> None:
        self.library = library
        self.docs = docs
        self.origins = origins
        self.problems: list[Problem] = []
        self.sections = {
            source_id: {section.id for section in source.sections}
            for source_id, source in library.sources.items()
        }

    def report(
        self, kind: str, key: str, sub: YamlPath, message: str, code: str = "content.unknown-id", hint: str = ""
    ) -> None:
        rel, prefix = self.origins[(kind, key)]
        where = self.docs[rel].where((*prefix, *sub))
        self.problems.append(Problem(where, message, code=code, hint=hint.removeprefix("; ")))

    def ids(
        self, kind: str, key: str, sub: YamlPath, values: Iterable[str], table: dict[str, Any], what: str
    ) -> None:
        for index, value in enumerate(values):
            if value not in table:
                hint = close_match(value, table) or (f"; known: {', '.join(sorted(table))}" if table else "")
                self.report(kind, key, (*sub, index), f"unknown {what} {value!r}", hint=hint)

    def kind(self, kind: str, key: str, sub: YamlPath, value: str, known: Iterable[str]) -> None:
        """Refuse a section kind briefgen does not know: it would select nothing, silently."""
        names = list(known)
        if value not in names:
            hint = close_match(value, names) or f"; kinds: {', '.join(names)}"
            self.report(kind, key, sub, f"section kind {value!r} is unknown", "content.unknown-kind", hint)

    def cites(self, kind: str, key: str, sub: YamlPath, cites: Iterable[str]) -> None:
        for index, cite in enumerate(cites):
            source_id, section_id = cite.split("#", 1)
            where = (*sub, index)
            if source_id not in self.sections:
                hint = close_match(source_id, self.sections)
                self.report(kind, key, where, f"cites unknown source {source_id!r}", "content.unknown-cite", hint)
            elif section_id not in self.sections[source_id]:
                hint = close_match(section_id, self.sections[source_id])
                self.report(
                    kind,
                    key,
                    where,
                    f"cites unknown section {section_id!r} of source {source_id!r}",
                    "content.unknown-cite",
                    hint,
                )


def check_references(library: Library, docs: dict[str, YamlDoc], origins: Origins) -> list[Problem]:
    """Return a problem for every dangling id or citation in the library."""
    c = _Checker(library, docs, origins)
    for source_id, source in library.sources.items():
        seen: set[str] = set()
        for index, section in enumerate(source.sections):
            if section.id in seen:
                c.report(
                    "source",
                    source_id,
                    ("sections", index, "id"),
                    f"section id {section.id!r} is used twice",
                    "content.duplicate-id",
                )
            seen.add(section.id)
        for index, fact in enumerate(source.facts):
            if fact.section not in seen:
                c.report(
                    "source", source_id, ("facts", index, "section"), f"unknown section {fact.section!r}"
                )
    for topic_id, topic in library.topics.items():
        c.ids("topic", topic_id, ("sources",), topic.sources, library.sources, "source")
        c.ids("topic", topic_id, ("themes",), topic.themes, library.themes, "theme")
        c.ids("topic", topic_id, ("missions",), topic.missions, library.missions, "mission")
        c.ids(
            "topic", topic_id, ("organizations",), topic.organizations, library.organizations, "organization"
        )
        c.ids("topic", topic_id, ("figures",), topic.figures, library.figures, "figure")
        for s_index, topic_section in enumerate(topic.sections):
            c.kind("topic", topic_id, ("sections", s_index, "kind"), topic_section.kind, STATEMENT_KINDS)
            for p_index, point in enumerate(topic_section.points):
                sub = ("sections", s_index, "points", p_index)
                c.cites("topic", topic_id, (*sub, "cite"), point.cite)
                c.ids("topic", topic_id, (*sub, "themes"), point.themes, library.themes, "theme")
    for kind, table in (("missions", library.missions), ("organizations", library.organizations)):
        for key, entity in table.items():
            c.cites(kind, key, ("cite",), entity.cite)
            for f_index, statement in enumerate(entity.facts):
                c.cites(kind, key, ("facts", f_index, "cite"), statement.cite)
                c.ids(kind, key, ("facts", f_index, "themes"), statement.themes, library.themes, "theme")
    for key, mission in library.missions.items():
        if mission.organization is not None and mission.organization not in library.organizations:
            hint = close_match(mission.organization, library.organizations)
            c.report("missions", key, ("organization",), f"unknown organization {mission.organization!r}", hint=hint)
        if mission.start and mission.end and mission.end < mission.start:
            c.report(
                "missions",
                key,
                ("end",),
                f"end year {mission.end} is before start year {mission.start}",
                "content.invalid-value",
            )
    for key, entry in library.glossary.items():
        c.cites("glossary", key, ("cite",), entry.cite)
    for key, fig in library.figures.items():
        c.cites("figures", key, ("cite",), fig.cite)
    shown = (*STATEMENT_KINDS, *DATA_KINDS)
    for key, audience in library.audiences.items():
        for s_index, part in enumerate(audience.sections):
            c.kind("audiences", key, ("sections", s_index, "kind"), part.kind, shown)
        if audience.themes is not None:
            c.ids("audiences", key, ("themes",), audience.themes, library.themes, "theme")
    # Topic and audience ids name output files: refuse names Windows cannot hold.
    for kind, keys in (("topic", list(library.topics)), ("audiences", list(library.audiences))):
        for key in keys:
            if is_device_name(key):
                what = f"id {key!r} is a reserved device name on Windows"
                c.report(kind, key, ("id",), what, "content.reserved-name", "rename it")
    return c.problems
