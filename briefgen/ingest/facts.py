"""Spot candidate facts in a raw document: dates, years, ranges, counted figures, identifiers, names.

Each pattern claims its span of a sentence first, in order, so "31 October 2000" is a
date (not the figure 31 and the year 2000), "resolution 2100" an identifier (not a
figure), and a number is a figure only when it says what it counts ("15,000 troops",
"180 kilometres"), carries a unit (%, $, million) or is large. Names come from
"Full Name (ACRONYM)" pairs, known organizations, country names (pycountry's ISO 3166
list) and capitalised names ending in a word that makes them a body or an initiative.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from briefgen.content.model import CandidateFact, FactKind
from briefgen.ingest.document import BulletItem, Paragraph, RawDocument, RawSection, split_sentences
from briefgen.ingest.names import (
    ACRONYM,
    BODY_WORDS,
    INITIATIVE_WORDS,
    KNOWN_PATTERNS,
    MISSION_WORDS,
    ORG_WORDS,
    capitalised_names,
    expansion,
)

_YEAR = r"(?:1[89]|2[01])\d\d"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}"
    rf"|{_YEAR}-[01]\d-[0-3]\d)\b"
)
RANGE = re.compile(
    rf"\bbetween\s+(?P<a>{_YEAR})\s+and\s+(?P<b>{_YEAR})\b"
    rf"|(?:\bfrom\s+)?\b(?P<c>{_YEAR})(?:\s*[-\u2013\u2014]\s*|\s+(?:to|until|through)\s+)"
    rf"(?P<d>{_YEAR})\b",
    re.IGNORECASE,
)
IDENTIFIER = re.compile(
    r"\b(?:S/RES/\d+(?:\s*\(\d{4}\))?"
    r"|(?:[Rr]esolutions?|Res\.)\s+(?:No\.\s*)?\d+(?:/\d+)?(?:\s*\(\d{4}\))?"
    r"|(?:Article|Chapter|Protocol|Annex|Decision)\s+(?:\d+|[IVXLC]+)\b(?:\s*\(\d+\))?)"
)
YEAR = re.compile(rf"(?<![\d,.$\u20ac\u00a3])\b{_YEAR}(?:s|\u2019s|'s)?\b(?![,.]\d)")
_QUALIFIER = (
    r"more than|over|about|approximately|nearly|almost|around|some|up to|at least|fewer than"
    r"|less than|roughly|exceeding|an estimated|estimated"
)
NUMBER = re.compile(
    rf"(?:\b(?i:{_QUALIFIER})\s+)?"
    r"(?<![\w.,/])(?P<money>[$\u20ac\u00a3])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w\d/])"
    r"(?P<unit>\s*%|\s+(?:percent|per cent)\b)?(?P<scale>\s+(?:million|billion|thousand|hundred)\b)?"
)
# Words after a number that do not say what it counts ("15 of them", "in 2 ways" keeps "ways").
NOT_COUNTED = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
    }
    | {"was", "were", "be", "been", "has", "have", "had", "that", "this", "which", "who", "than", "per", "it"}
    | {"along", "across", "between", "during", "under", "within", "against", "among", "around", "before"}
    | {"after", "since", "until", "including", "into", "over", "through", "while", "when", "where", "also"}
    | {"more", "most", "other", "such", "times", "each", "will", "would", "can", "could", "may", "not"}
)
_COUNTED = re.compile(r"\s+(?P<w1>[a-z][a-z-]*)(?:\s+(?P<w2>[a-z][a-z-]*))?")
FACT_LIMIT = 1_000  # per document: the draft source file must stay well inside the 2 MiB content limit


def extract_facts(doc: RawDocument, ids: list[str]) -> list[CandidateFact]:
    """Find dates, years, ranges, figures, identifiers and names, each with its place and sentence."""
    facts: list[CandidateFact] = []
    seen: set[tuple[str, ...]] = set()
    # A capitalised phrase the document also writes in lower case is a heading's or a
    # sentence start's capitals, not a name ("Resource Allocation", "Peacekeeping").
    lower = "\n".join(u.text for s in doc.sections for u in s.units())
    for sid, section in zip(ids, doc.sections, strict=True):
        if len(facts) >= FACT_LIMIT:
            break  # candidate facts are hints for an editor: the first thousand are plenty
        for unit in _section_units(section):
            heading = unit.text == section.heading and unit.line == section.line
            for offset, sentence in split_sentences(unit.text):
                for kind, value, start in sentence_facts(sentence, places=not heading):
                    # Names are listed once per document; numbers once per section,
                    # since the same number may state a different fact elsewhere.
                    named = kind in ("acronym", "organization", "country", "place", "body", "initiative")
                    key = (kind, value, "" if named else sid)
                    if key in seen or len(facts) >= FACT_LIMIT:
                        continue
                    if kind in ("place", "body", "initiative") and re.search(
                        rf"\b{re.escape(value.lower())}\b", lower
                    ):
                        continue
                    seen.add(key)
                    facts.append(
                        CandidateFact(
                            kind=kind,
                            value=value,
                            section=sid,
                            line=unit.line_at(offset + start),
                            page=unit.page_at(offset + start),
                            context=sentence[:2_000],
                        )
                    )
    return facts


def _section_units(section: RawSection) -> Iterator[Paragraph | BulletItem]:
    """Yield the heading (as a paragraph), the paragraphs and the bullet items of a section."""
    if section.heading:
        yield Paragraph(section.heading, section.line, page=section.page)
    yield from section.units()


def sentence_facts(sentence: str, *, places: bool = True) -> Iterator[tuple[FactKind, str, int]]:
    """Yield (kind, value, offset) for every candidate fact in one sentence, in the order found.

    ``places`` is off for headings, whose capitalised words would all read as names.
    """
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in taken)

    for kind, pattern in (("date", DATE), ("identifier", IDENTIFIER)):
        for match in pattern.finditer(sentence):
            if free(*match.span()):
                taken.append(match.span())
                yield kind, match.group(), match.start()  # type: ignore[misc]
    for match in RANGE.finditer(sentence):
        first, last = match.group("a") or match.group("c"), match.group("b") or match.group("d")
        if int(last) > int(first) and free(*match.span()):
            taken.append(match.span())
            # "from 2003 to 2018" reads as "2003 to 2018"; "between" is part of its range.
            yield "range", re.sub(r"^from\s+", "", match.group(), flags=re.IGNORECASE), match.start()
    for match in YEAR.finditer(sentence):
        if free(*match.span()):
            taken.append(match.span())
            yield "year", match.group(), match.start()
    for match in NUMBER.finditer(sentence):
        figure = _figure(sentence, match)
        if figure is not None and free(match.start(), match.start() + len(figure)):
            taken.append((match.start(), match.start() + len(figure)))
            yield "figure", figure, match.start()
    yield from _names(sentence, places)


def _figure(sentence: str, match: re.Match[str]) -> str | None:
    """Return the figure with what it counts, or None for a number that counts nothing said."""
    text = match.group()
    counted = _COUNTED.match(sentence, match.end())
    words: list[str] = []
    if counted and counted.group("w1") not in NOT_COUNTED:
        words.append(counted.group("w1"))
        second = counted.group("w2")
        # "15,000 peacekeeping troops" names two words; "70 operations globally" one and an adverb.
        if second and second not in NOT_COUNTED and not second.endswith(("ly", "ed")):
            words.append(second)
    if words:
        return f"{text} {' '.join(words)}"
    value = int(match.group("num").replace(",", ""))
    if match.group("money") or match.group("unit") or match.group("scale") or value >= 1_000:
        return text
    return None


def _names(sentence: str, places: bool) -> Iterator[tuple[FactKind, str, int]]:
    """Yield acronym pairs, organizations, countries, places, bodies and initiatives."""
    for match in ACRONYM.finditer(sentence):
        acronym = match.group("acr")
        name = expansion(sentence[: match.start()], acronym)
        if name is None or sum(c.isupper() for c in acronym) < 2:
            continue
        yield "acronym", f"{acronym} = {name}", match.start()
        if ORG_WORDS.search(name) and not MISSION_WORDS.search(name):
            yield "organization", f"{name} ({acronym})", match.start()
    for value, pattern in KNOWN_PATTERNS:
        found = pattern.search(sentence)
        if found:
            yield "organization", value, found.start()
    for name, start in _countries(sentence):
        yield "country", name, start
    for name, start in capitalised_names(sentence):
        head = name.split()[-1]
        if head in BODY_WORDS:
            yield "body", name, start
        elif head in INITIATIVE_WORDS:
            yield "initiative", name, start
    for match in _PLACE.finditer(sentence) if places else ():
        name = match.group("name")
        after = re.match(r"\s+([a-z][a-z-]*)", sentence[match.end() :])
        # "the Israeli border": a name before a noun describes it rather than naming a place.
        modifies = after is not None and after.group(1) not in NOT_COUNTED
        known = any(name in c or c in name for c in _countries_in(sentence)) or ORG_WORDS.search(name)
        known = known or MISSION_WORDS.search(name)
        if not modifies and not known:
            yield "place", name, match.start("name")


_PLACE = re.compile(
    r"\b(?:in|across|throughout|near|along|around|within)\s+(?:the\s+)?"
    r"(?P<name>(?:[A-Z][a-z]+(?:['\u2019]s)?)(?:\s+(?:of\s+)?[A-Z][a-z]+){0,2}"
    r"(?:\s+(?:Region|Province|Sea|Ocean|Valley|Basin|Peninsula|Coast|Desert|Corridor))?)"
)


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Return country names as people write them, from ISO 3166 (pycountry ships the data)."""
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                # "Congo, The Democratic Republic of the" is written "Democratic Republic of the Congo".
                head, _, rest = str(value).partition(", ")
                names.add(re.sub(r"^The\s+", "", f"{rest} {head}") if rest else head)
    return frozenset(names)


@lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    names = sorted(_country_names(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


def _countries_in(sentence: str) -> list[str]:
    return [name for name, _ in _countries(sentence)]


def _countries(sentence: str) -> Iterator[tuple[str, int]]:
    for match in _country_pattern().finditer(sentence):
        yield match.group(), match.start()
