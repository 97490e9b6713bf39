"""Draft entities from ingested documents' facts: missions, organizations and glossary entries.

A "Full Name (ACRONYM)" pair names a mission when the name has a mission word (Mission,
Force, Operation ...), an organization when it has an organization word; every pair is
a glossary entry. A mission's place is the country its name ends in, its years and
personnel come from the sections that name it, and it cites those sections, so every
number it states can be checked against its source. Records the project already has
(same id, acronym or name) are reused, never drafted twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefgen.content.model import CandidateFact, GlossaryEntry, Library, Mission, Organization, Source
from briefgen.ingest.document import RawDocument, section_text
from briefgen.ingest.draft import slugify
from briefgen.ingest.names import KNOWN_ORGANIZATIONS, MISSION_WORDS, ORG_WORDS

PERSONNEL_WORDS = re.compile(r"\b(?:personnel|troops|peacekeepers|soldiers|staff|police|officers|military)\b")
START_CUES = re.compile(
    r"\b(?:established|launched|began|begun|created|deployed|set up|founded|started|mandated)\b", re.I
)


@dataclass
class Entities:
    """What ingest drafts besides the topic, and the ids the topic refers to (drafted or existing)."""

    missions: list[Mission] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    mission_ids: list[str] = field(default_factory=list)
    organization_ids: list[str] = field(default_factory=list)


def draft_entities(documents: list[tuple[Source, RawDocument]], library: Library) -> Entities:
    """Return draft entities for every acronym pair and known organization the documents name."""
    out = Entities()
    known_terms = {entry.term for entry in library.glossary.values()}
    for source, doc in documents:
        texts = {s.id: section_text(r) for s, r in zip(source.sections, doc.sections, strict=True)}
        for fact in source.facts:
            cite = f"{source.id}#{fact.section}"
            if fact.kind == "organization":
                _organization(out, library, fact.value, cite)
            elif fact.kind == "acronym":
                acronym, name = fact.value.split(" = ", 1)
                if acronym not in known_terms:
                    known_terms.add(acronym)
                    out.glossary.append(GlossaryEntry(term=acronym, meaning=name, cite=[cite]))
                if MISSION_WORDS.search(name):
                    _mission(out, library, acronym, name, source, texts, fact)
    return out


def _existing_organization(library: Library, out: Entities, acronym: str | None, name: str) -> str | None:
    records = list(library.organizations.values()) + out.organizations
    for record in records:
        if (acronym and record.acronym == acronym) or record.name.lower() == name.lower():
            return record.id
    return None


def _organization(out: Entities, library: Library, value: str, cite: str) -> str | None:
    """Draft (or find) the organization 'Full Name (ACR)'; return its id."""
    match = re.fullmatch(r"(?P<name>.+?) \((?P<acr>[^()]+)\)", value)
    name, acronym = (match.group("name"), match.group("acr")) if match else (value, None)
    found = _existing_organization(library, out, acronym, name)
    if found is None:
        taken = set(library.organizations) | {o.id for o in out.organizations}
        oid = _free_id(slugify(acronym or name) or "organization", taken)
        kind = next((k for n, a, k in KNOWN_ORGANIZATIONS if a == acronym or n == name), "other")
        out.organizations.append(Organization(id=oid, name=name, acronym=acronym, kind=kind, cite=[cite]))  # type: ignore[arg-type]
        found = oid
    if found not in out.organization_ids:
        out.organization_ids.append(found)
    return found


def _free_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _mission(
    out: Entities,
    library: Library,
    acronym: str,
    name: str,
    source: Source,
    texts: dict[str, str],
    fact: CandidateFact,
) -> None:
    """Draft the mission ``name (acronym)`` with what the sections naming it say."""
    for record in [*library.missions.values(), *out.missions]:
        if record.acronym == acronym or record.name.lower() == name.lower():
            if record.id not in out.mission_ids:
                out.mission_ids.append(record.id)
            return
    naming = [s for s, text in texts.items() if acronym in text or name in text]
    years: dict[str, int] = {}
    cites = [f"{source.id}#{fact.section}"]
    personnel: tuple[int, str] | None = None
    for other in source.facts:
        if other.section not in naming or not (
            acronym in other.context or _heads(source, other.section, acronym, name)
        ):
            continue
        cite = f"{source.id}#{other.section}"
        if other.kind == "range" and "start" not in years:
            first, last = re.findall(r"\d{4}", other.value)[:2]
            years.update(start=int(first), end=int(last))
            cites.append(cite)
        elif other.kind == "year" and "start" not in years and START_CUES.search(other.context):
            years["start"] = int(other.value[:4])
            cites.append(cite)
        elif other.kind == "figure" and personnel is None and PERSONNEL_WORDS.search(other.value):
            number = re.search(r"\d[\d,]*", other.value)
            if number:
                note = other.value[: other.value.index(number.group()) + len(number.group())]
                personnel = (int(number.group().replace(",", "")), note)
                cites.append(cite)
    organization = _parent(out, library, name, cites[0])
    place = re.search(r"\bin (?:the )?([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)$", name)
    mid = _free_id(slugify(acronym) or "mission", set(library.missions) | {m.id for m in out.missions})
    out.missions.append(
        Mission(
            id=mid, name=name, acronym=acronym, organization=organization, place=place.group(1) if place else None,
            start=years.get("start"), end=years.get("end"),
            personnel=personnel[0] if personnel else None, personnel_note=personnel[1] if personnel else None,
            cite=list(dict.fromkeys(cites)),
        )
    )  # fmt: skip
    out.mission_ids.append(mid)


def _heads(source: Source, section_id: str, acronym: str, name: str) -> bool:
    """Tell whether the section's heading names the mission (then its sentences are about it)."""
    section = next(s for s in source.sections if s.id == section_id)
    heading = section.heading or ""
    return acronym in heading or name in heading


def _parent(out: Entities, library: Library, name: str, cite: str) -> str | None:
    """Return the id of the organization a mission's name starts with ("United Nations ... Mission")."""
    for full, acronym, _ in KNOWN_ORGANIZATIONS:
        if name.startswith(full):
            return _organization(out, library, f"{full} ({acronym})", cite)
    prefix = re.match(r"^(.*?\b(?:Union|Nations|Organi[sz]ation|Community|League))\b", name)
    if prefix and ORG_WORDS.search(prefix.group(1)):
        return _existing_organization(library, out, None, prefix.group(1))
    return None
