"""Spot candidate facts in a raw document: years, ranges, figures, acronyms, organizations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from briefgen.content.model import CandidateFact
from briefgen.ingest.rawdoc import BulletItem, BulletList, Paragraph, RawDocument, RawSection, split_sentences

FactKind = Literal["year", "range", "figure", "acronym", "organization"]
_YEAR = r"(?:1[89]|2[01])\d\d"
RANGE = re.compile(
    rf"\bbetween\s+(?P<a>{_YEAR})\s+and\s+(?P<b>{_YEAR})\b"
    rf"|(?:\bfrom\s+)?\b(?P<c>{_YEAR})(?:\s*[-\u2013\u2014]\s*|\s+(?:to|until|through)\s+)"
    rf"(?P<d>{_YEAR})\b",
    re.IGNORECASE,
)
YEAR = re.compile(rf"(?<![\d,.$\u20ac\u00a3])\b{_YEAR}(?:s|\u2019s|'s)?\b(?![,.]\d)")
FIGURE = re.compile(
    r"(?:\b(?i:more than|over|about|approximately|nearly|almost|around|some|up to|at least"
    r"|fewer than|less than|roughly|exceeding)\s+)?"
    r"(?<![\w.,])[$\u20ac\u00a3]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w\d])"
    r"(?:\s*%|\s+(?:percent|per cent|million|billion|thousand|hundred)\b)?"
)
ACRONYM = re.compile(r"\((?P<acr>[A-Z][A-Za-z0-9&.\-]*[A-Z0-9]s?)\)")
NAME_CONNECTORS = frozenset({"of", "for", "and", "in", "on", "the", "de", "du", "des", "la", "to"})
ORG_WORDS = re.compile(
    r"\b(?:Organi[sz]ation|Union|Nations|Alliance|Treaty|League|Community|Council|Agency"
    r"|Association|Commission|Committee|Federation|Bank|Fund|Court)\b"
)
# A name like "United Nations ... Mission in Mali" names a mission, not an organization.
MISSION_WORDS = re.compile(
    r"\b(?:Missions?|Forces?|Operations?|Observers?|Authority|Stabili[sz]ation|Assistance"
    r"|Interim|Transitional)\b"
)
KNOWN_ORGANIZATIONS = (
    ("United Nations", "UN"),
    ("North Atlantic Treaty Organization", "NATO"),
    ("African Union", "AU"),
    ("European Union", "EU"),
    ("Organization for Security and Co-operation in Europe", "OSCE"),
    ("Economic Community of West African States", "ECOWAS"),
    ("Organization of American States", "OAS"),
    ("League of Arab States", "Arab League"),
    ("Association of Southeast Asian Nations", "ASEAN"),
    ("Southern African Development Community", "SADC"),
    ("Collective Security Treaty Organization", "CSTO"),
)
KNOWN_PATTERNS = tuple(
    (
        f"{name} ({short})",
        # Spelled either way: "Organization" / "Organisation".
        re.compile(rf"\b(?:{short}|{name})\b".replace("Organization", "Organi[sz]ation")),
    )
    for name, short in KNOWN_ORGANIZATIONS
)


def extract_facts(doc: RawDocument, ids: list[str]) -> list[CandidateFact]:
    """Find years, ranges, figures, acronyms and organizations, each with line and sentence."""
    facts: list[CandidateFact] = []
    seen: set[tuple[str, ...]] = set()
    for sid, section in zip(ids, doc.sections, strict=True):
        for unit in _section_units(section):
            for offset, sentence in split_sentences(unit.text):
                for kind, value, start in _sentence_facts(sentence):
                    # Names are listed once per document; numbers once per section,
                    # since the same number may state a different fact elsewhere.
                    key = (kind, value, "" if kind in ("acronym", "organization") else sid)
                    if key not in seen:
                        seen.add(key)
                        line = unit.line_at(offset + start)
                        facts.append(CandidateFact(
                            kind=kind, value=value, section=sid, line=line, context=sentence
                        ))  # fmt: skip
    return facts


def _section_units(section: RawSection) -> Iterator[Paragraph | BulletItem]:
    """Yield the heading (as a paragraph), the paragraphs and the bullet items of a section."""
    if section.heading:
        yield Paragraph(section.heading, section.line)
    for block in section.blocks:
        yield from block.items if isinstance(block, BulletList) else (block,)


def _sentence_facts(sentence: str) -> Iterator[tuple[FactKind, str, int]]:
    """Yield (kind, value, offset) for every candidate fact in one sentence."""
    taken: list[tuple[int, int]] = []
    for match in RANGE.finditer(sentence):
        first, last = match.group("a") or match.group("c"), match.group("b") or match.group("d")
        if int(last) > int(first):
            taken.append(match.span())
            # "from 2003 to 2018" reads as "2003 to 2018"; "between" is part of its range.
            value = re.sub(r"^from\s+", "", match.group(), flags=re.IGNORECASE)
            yield "range", value, match.start()
    kinds: tuple[tuple[re.Pattern[str], FactKind], ...] = ((YEAR, "year"), (FIGURE, "figure"))
    for pattern, kind in kinds:
        for match in pattern.finditer(sentence):
            if not any(a < match.end() and match.start() < b for a, b in taken):
                taken.append(match.span())
                yield kind, match.group(), match.start()
    for match in ACRONYM.finditer(sentence):
        acronym = match.group("acr")
        name = _expansion(sentence[: match.start()], acronym)
        if name is None or sum(c.isupper() for c in acronym) < 2:
            continue
        yield "acronym", f"{acronym} = {name}", match.start()
        if ORG_WORDS.search(name) and not MISSION_WORDS.search(name):
            yield "organization", f"{name} ({acronym})", match.start()
    for value, pattern in KNOWN_PATTERNS:
        found = pattern.search(sentence)
        if found:
            yield "organization", value, found.start()


def _expansion(before: str, acronym: str) -> str | None:
    """Return the full name an acronym in brackets stands for, from the words before it."""
    words = before.split()[-12:]
    run: list[str] = []
    for word in reversed(words):
        if word[-1] in ',;:.!?\u201d"':
            break
        if word[0].isupper() or (word.lower() in NAME_CONNECTORS and run):
            run.insert(0, word)
        else:
            break
    while run and run[0].lower() in NAME_CONNECTORS:
        run.pop(0)
    if run:
        return " ".join(run)
    # Lowercase names are matched by initials: "unmanned aerial vehicles (UAVs)".
    letters = re.sub(r"s$", "", acronym).lower()
    for size in range(1, len(words) + 1):
        tail = words[-size:]
        initials = "".join(part[0] for w in tail for part in w.split("-") if part).lower()
        if initials == letters:
            return " ".join(tail)
    return None
