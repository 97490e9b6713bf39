"""Warn of content no briefing can show or trust: uncited statements, sections nobody shows or fills.

None of these stops a build, but each means something is silently missing from every
briefing (a topic section no audience selects, an audience section no topic fills) or
cannot be checked by a reader (a statement citing nothing); validate names each one.
"""

from __future__ import annotations

from briefgen.content.model import DATA_KINDS, Library, Statement
from briefgen.content.yamlread import YamlDoc, YamlPath
from briefgen.errors import Location, Problem

Origins = dict[tuple[str, str], tuple[str, YamlPath]]
UNCITED_HINT = "cite the passage it comes from: 'cite: source#section' in YAML, [@source#section] in Markdown"


def coverage_warnings(library: Library, docs: dict[str, YamlDoc], origins: Origins) -> list[Problem]:
    """Return a located warning for each uncited statement and each section no briefing shows."""

    def at(kind: str, key: str, sub: YamlPath) -> Location:
        rel, prefix = origins[(kind, key)]
        return docs[rel].where((*prefix, *sub))

    problems: list[Problem] = []

    def uncited(kind: str, key: str, sub: YamlPath, statement: Statement) -> None:
        if not statement.cite:
            problems.append(
                Problem.warning(
                    at(kind, key, sub), "statement cites no source", code="content.uncited", hint=UNCITED_HINT
                )
            )

    shown = {entry.kind for audience in library.audiences.values() for entry in audience.sections}
    filled = {section.kind for topic in library.topics.values() for section in topic.sections}
    for topic_id, topic in library.topics.items():
        for s, section in enumerate(topic.sections):
            if library.audiences and section.kind not in shown:
                problems.append(
                    Problem.warning(
                        at("topic", topic_id, ("sections", s, "kind")),
                        f"no audience shows section kind {section.kind!r}, so this section is in no briefing",
                        code="content.unshown-section",
                        hint=f"add '- kind: {section.kind}' to an audience's sections, or change the kind",
                    )
                )
            for p, point in enumerate(section.points):
                uncited("topic", topic_id, ("sections", s, "points", p), point)
    for kind, table in (("missions", library.missions), ("organizations", library.organizations)):
        for key, entity in table.items():
            for f, fact in enumerate(entity.facts):
                uncited(kind, key, ("facts", f), fact)
    for key, audience in library.audiences.items():
        for s, entry in enumerate(audience.sections):
            if library.topics and entry.kind not in DATA_KINDS and entry.kind not in filled:
                problems.append(
                    Problem.warning(
                        at("audiences", key, ("sections", s, "kind")),
                        f"no topic has a section of kind {entry.kind!r}, so this part is empty in every briefing",
                        code="content.unfilled-section",
                        hint="write one in a topic, or remove the entry",
                    )
                )
    return problems
