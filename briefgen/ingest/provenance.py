"""Check content against the raw documents: every number a statement gives must be in its source.

A statement citing ``source#section`` may only state years and figures that occur in
that section of the raw document (its heading, paragraphs and bullets). This is what
keeps distilled content from asserting facts that no source supports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from briefgen.content.model import Library, Source
from briefgen.content.yamlread import YamlDoc, YamlPath
from briefgen.errors import BriefgenError, Location, Problem
from briefgen.ingest.document import RawDocument, find_section, section_text
from briefgen.ingest.readers import read_document

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_FILE_KEY = {"topic": "topic", "missions": "missions", "organizations": "organizations", "figures": "figures"}


def numbers_in(text: str) -> list[str]:
    """Return the years and figures written in ``text`` ("15,000", "2013", "70")."""
    return [m.group(0).rstrip(".,") for m in NUMBER.finditer(text)]


def occurs(number: str, text: str) -> bool:
    """Return whether ``number`` stands in ``text`` as a whole number, not inside another."""
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", text) is not None


class _Passages:
    """Raw section texts by citation, read once per source document."""

    def __init__(self, library: Library, sources_dirs: list[Path]) -> None:
        self.library = library
        self.sources_dirs = sources_dirs
        self.raw: dict[str, RawDocument | BriefgenError | None] = {}
        self.problems: list[Problem] = []
        self.absent: list[Source] = []

    def document(self, source: Source) -> RawDocument | None:
        if source.id not in self.raw:
            path = next((d / source.file for d in self.sources_dirs if (d / source.file).exists()), None)
            if path is None:
                # Another folder may hold it: the sources given are checked, the rest reported once.
                self.raw[source.id] = None
                self.absent.append(source)
                return None
            try:
                self.raw[source.id] = read_document(path)
            except BriefgenError as exc:
                self.raw[source.id] = exc
                message = f"cannot read source {source.id!r}: {exc}"
                self.problems.append(Problem(Location.of(path), message, code="provenance.unreadable"))
        doc = self.raw[source.id]
        return doc if isinstance(doc, RawDocument) else None

    def absent_problems(self) -> list[Problem]:
        """Say which sources went unchecked for want of their document (an error when none was found)."""
        if not self.absent:
            return []
        folders = ", ".join(str(d) for d in self.sources_dirs)
        if len(self.absent) == len(self.library.sources):
            names = ", ".join(sorted(s.file for s in self.absent))
            where = Location.of(self.sources_dirs[0])
            return [
                Problem(
                    where,
                    f"none of the sources' documents is in {folders} ({names}); give the folder that holds them",
                )
            ]
        problems = []
        for source in self.absent:
            rel = self.library.files[("source", source.id)]
            problems.append(
                Problem.warning(
                    Location.of(rel),
                    f"{source.file} is not in {folders}: numbers citing {source.id!r} were not checked",
                )
            )
        return problems

    def text(self, cite: str) -> str | None:
        source_id, section_id = cite.split("#", 1)
        source = self.library.sources[source_id]
        doc = self.document(source)
        if doc is None:
            return None
        section = next(s for s in source.sections if s.id == section_id)
        if section.heading is None:
            raw = doc.sections[0] if doc.sections and doc.sections[0].heading is None else None
        else:
            raw = find_section(doc, section.heading)
        return section_text(raw) if raw is not None else None


def check_provenance(
    library: Library, docs: dict[str, YamlDoc], sources_dirs: Path | list[Path]
) -> list[Problem]:
    """Return a problem for every number not found in the passage its statement cites.

    A source whose document is in none of ``sources_dirs`` is not checked (a warning says
    so), unless no source's document is there at all, which is an error.
    """
    passages = _Passages(library, [sources_dirs] if isinstance(sources_dirs, Path) else list(sources_dirs))
    problems: list[Problem] = []

    def where(kind: str, key: str, sub: YamlPath) -> Location:
        rel = library.files[(kind, key)]
        prefix: YamlPath = (_FILE_KEY.get(kind, kind),)
        doc = docs[rel]
        if kind != "topic":
            prefix = (*prefix, _index(doc, str(prefix[0]), key))
        return doc.where((*prefix, *sub))

    def check(kind: str, key: str, sub: YamlPath, text: str, cites: Iterable[str]) -> None:
        cites = list(cites)
        wanted = numbers_in(text)
        if not wanted:
            return
        if not cites:
            message = f"states {', '.join(wanted)} but cites no source"
            problems.append(Problem(where(kind, key, sub), message, code="provenance.uncited"))
            return
        texts = [t for t in (passages.text(c) for c in cites) if t is not None]
        if len(texts) < len(cites):
            return  # unreadable or absent source, or unmatched heading: reported once
        missing = [n for n in wanted if not any(occurs(n, t) for t in texts)]
        if missing:
            problems.append(
                Problem(
                    where(kind, key, sub),
                    f"{', '.join(repr(n) for n in missing)} not found in the cited passage ({', '.join(cites)})",
                    code="provenance.number-not-found",
                    hint="cite the section that states it or remove it",
                )
            )

    _check_headings(library, passages, problems)
    for topic_id, topic in library.topics.items():
        for s, section in enumerate(topic.sections):
            for p, point in enumerate(section.points):
                check("topic", topic_id, ("sections", s, "points", p, "text"), point.text, point.cite)
    for kind, table in (("missions", library.missions), ("organizations", library.organizations)):
        for key, entity in table.items():
            for f, fact in enumerate(entity.facts):
                check(kind, key, ("facts", f, "text"), fact.text, fact.cite)
            check(kind, key, ("summary",), entity.summary or "", entity.cite)
    for key, mission in library.missions.items():
        for attr in ("start", "end"):
            value = getattr(mission, attr)
            if value is not None:
                check("missions", key, (attr,), str(value), mission.cite)
        if mission.personnel_note:
            check("missions", key, ("personnel_note",), mission.personnel_note, mission.cite)
    for key, figure in library.figures.items():
        check("figures", key, ("display",), figure.display, figure.cite)
        if figure.year is not None:
            check("figures", key, ("year",), str(figure.year), figure.cite)
    return passages.problems + passages.absent_problems() + problems


def _index(doc: YamlDoc, kind: str, key: str) -> int:
    entries = doc.data.get(kind, []) if isinstance(doc.data, dict) else []
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and key in (entry.get("id"), entry.get("term")):
            return index
    return 0


def _check_headings(library: Library, passages: _Passages, problems: list[Problem]) -> None:
    for source in library.sources.values():
        doc = passages.document(source)
        if doc is None:
            continue
        for section in source.sections:
            if section.heading is not None and find_section(doc, section.heading) is None:
                rel = library.files[("source", source.id)]
                problems.append(
                    Problem(
                        Location.of(rel),
                        f"source {source.id!r} section {section.id!r}: heading {section.heading!r} "
                        f"not found in {source.file}",
                        code="provenance.heading-not-found",
                    )
                )
