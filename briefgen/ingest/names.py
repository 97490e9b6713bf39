"""Names in text: acronym pairs, known organizations, and capitalised names of bodies, initiatives and missions."""

from __future__ import annotations

import re
from collections.abc import Iterator

ACRONYM = re.compile(r"\((?P<acr>[A-Z][A-Za-z0-9&.\-]*[A-Z0-9]s?)\)")
NAME_CONNECTORS = frozenset({"of", "for", "and", "in", "on", "the", "de", "du", "des", "la", "to"})
ORG_WORDS = re.compile(
    r"\b(?:Organi[sz]ation|Union|Nations|Alliance|Treaty|League|Community|Council|Agency"
    r"|Association|Commission|Committee|Federation|Bank|Fund|Court|Societies|Society)\b"
)
# A name like "United Nations ... Mission in Mali" names a mission, not an organization.
MISSION_WORDS = re.compile(
    r"\b(?:Missions?|Forces?|Operations?|Observers?|Authority|Stabili[sz]ation|Assistance"
    r"|Interim|Transitional)\b"
)
BODY_WORDS = frozenset(
    {"Council", "Assembly", "Commission", "Committee", "Court", "Department", "Office", "Secretariat"}
    | {"Agency", "Ministry", "Parliament", "Panel", "Tribunal", "Board", "Directorate", "Bureau", "Centre"}
    | {"Center", "Cell", "Unit"}
)
INITIATIVE_WORDS = frozenset(
    {"Initiative", "Programme", "Program", "Plan", "Strategy", "Agenda", "Framework", "Partnership"}
    | {"Project", "Action", "Accord", "Agreement", "Process", "Compact", "Declaration", "Doctrine", "Report"}
)
KNOWN_ORGANIZATIONS = (
    ("United Nations", "UN", "global"),
    ("North Atlantic Treaty Organization", "NATO", "alliance"),
    ("African Union", "AU", "regional"),
    ("European Union", "EU", "regional"),
    ("Organization for Security and Co-operation in Europe", "OSCE", "regional"),
    ("Economic Community of West African States", "ECOWAS", "regional"),
    ("Organization of American States", "OAS", "regional"),
    ("League of Arab States", "Arab League", "regional"),
    ("Association of Southeast Asian Nations", "ASEAN", "regional"),
    ("Southern African Development Community", "SADC", "regional"),
    ("Collective Security Treaty Organization", "CSTO", "alliance"),
)
KNOWN_PATTERNS = tuple(
    (
        f"{name} ({short})",
        # Spelled either way: "Organization" / "Organisation".
        re.compile(rf"\b(?:{short}|{name})\b".replace("Organization", "Organi[sz]ation")),
    )
    for name, short, _ in KNOWN_ORGANIZATIONS
)
# A run of capitalised words, with lower-case connectors inside ("Department of Peace Operations").
# "in" and "to" end a name: "the Initiative in the Congo" is two names.
_NAME = re.compile(r"\b[A-Z][\w'\u2019&-]*(?:\s+(?:(?:of|for|and|on|the)\s+)*[A-Z][\w'\u2019&-]*)+")
_LEADING = frozenset({"The", "A", "An", "This", "That", "These", "Its", "Their", "Our", "Both", "Each"})


def expansion(before: str, acronym: str) -> str | None:
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
    while run and (run[0].lower() in NAME_CONNECTORS or run[0] in _LEADING or run[0].endswith("ing")):
        run.pop(0)
    if run:
        return _initials_suffix(run, acronym) or " ".join(run)
    # Lowercase names are matched by initials: "unmanned aerial vehicles (UAVs)".
    letters = re.sub(r"s$", "", acronym).lower()
    for size in range(1, len(words) + 1):
        tail = words[-size:]
        initials = "".join(part[0] for w in tail for part in w.split("-") if part).lower()
        if initials == letters:
            return " ".join(tail)
    return None


def _initials_suffix(run: list[str], acronym: str) -> str | None:
    """Return the shortest end of ``run`` whose capitals spell the acronym ("Supporting the African Union (AU)")."""
    letters = re.sub(r"s$", "", acronym).upper()
    for size in range(1, len(run)):
        tail = run[-size:]
        if tail[0][0].isupper() and "".join(w[0] for w in tail if w[0].isupper()) == letters:
            return " ".join(tail)
    return None


def capitalised_names(sentence: str) -> Iterator[tuple[str, int]]:
    """Yield multi-word capitalised names ("Security Council", "Action for Peacekeeping") and their offsets."""
    for match in _NAME.finditer(sentence):
        words = match.group().split()
        start = match.start()
        while words and words[0] in _LEADING:
            start += len(words[0]) + 1
            words = words[1:]
        while words and words[-1][0].islower():
            words = words[:-1]
        if len(words) >= 2:
            yield " ".join(words), start
