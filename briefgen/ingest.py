"""Turn a raw text article into a draft source content file (``briefgen ingest``)."""

from __future__ import annotations

import math
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import yaml

from briefgen.errors import BriefgenError, ConfigError, ContentError, Location
from briefgen.model import ID_PATTERN, CandidateFact, Source, SourceSection
from briefgen.rawdoc import (
    MINOR_WORDS,
    BulletItem,
    BulletList,
    Paragraph,
    RawDocument,
    RawSection,
    read_document,
    section_text,
    split_sentences,
)

FactKind = Literal["year", "range", "figure", "acronym", "organization"]
SECTION_ID_CHARS = 48
SOURCE_ID_CHARS = 64
INTRO_ID = "intro"
INTRO_TITLE = "Introduction"
STOP_WORDS = MINOR_WORDS | {
    "is", "are", "was", "were", "be", "been", "being", "this", "that", "these", "those", "such",
    "can", "could", "will", "would", "may", "might", "not", "also", "it", "they", "them", "which",
    "who", "whom", "what", "while", "has", "have", "had", "do", "does", "did", "more", "most",
    "other", "through", "both", "each", "all", "any", "some", "many", "several", "very", "well",
}  # fmt: skip
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


def ingest(path: Path, source_id: str | None = None, title: str | None = None) -> str:
    """Return the YAML text of a draft source file for the raw document at ``path``."""
    return render_yaml(draft_source(path, source_id, title))


def ingest_to_file(
    path: Path,
    out_dir: Path,
    source_id: str | None = None,
    force: bool = False,
    title: str | None = None,
) -> Path:
    """Write the draft to ``<out_dir>/sources/<id>.yaml`` atomically and return its path."""
    source = draft_source(path, source_id, title)
    target = out_dir / "sources" / f"{source.id}.yaml"
    if target.exists() and not force:
        raise _exists(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{source.id}.", suffix=".tmp", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(render_yaml(source))
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temp, target)
        else:
            # A hard link, unlike os.replace, refuses to clobber a file that appeared
            # since the check above.
            try:
                os.link(temp, target)
            except FileExistsError:
                raise _exists(target) from None
    finally:
        temp.unlink(missing_ok=True)
    return target


def _exists(target: Path) -> BriefgenError:
    message = "file already exists; pass --force to overwrite it or choose another --id"
    return ContentError.at(Location.of(target), message)


def draft_source(path: Path, source_id: str | None = None, title: str | None = None) -> Source:
    """Parse the raw document at ``path`` and build a validated draft Source."""
    doc = read_document(path)
    sid = source_id if source_id is not None else slugify(path.stem, SOURCE_ID_CHARS) or "source"
    if not re.match(ID_PATTERN, sid):
        raise ConfigError(
            f"--id {sid!r}: use lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit (at most 64 characters)"
        )
    if title is not None and not 0 < len(title.strip()) <= 500:
        raise ConfigError("--title must be 1 to 500 characters; give the title or leave it out")
    ids = section_ids(doc)
    weights = _word_weights(doc)
    sections = [
        SourceSection(
            id=sid_,
            title=section.heading or INTRO_TITLE,
            heading=section.heading,
            line=section.line,
            summary=summarize(section, weights),
        )
        for sid_, section in zip(ids, doc.sections, strict=True)
    ]
    return Source(
        id=sid,
        title=" ".join(title.split()) if title else derive_title(doc, path),
        file=path.name,
        sections=sections,
        facts=extract_facts(doc, ids),
    )


def render_yaml(source: Source) -> str:
    """Return the draft as YAML text under a comment saying how it was made."""
    name = " ".join(source.file.split())
    header = (
        f"# Draft generated by `briefgen ingest` from {name}.\n"
        "# Edit before use: shorten section ids and titles, check the summaries,\n"
        "# and keep only the candidate facts worth citing.\n"
    )
    body = yaml.dump(
        {"source": source.model_dump(exclude_none=True)},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=False,
    )
    return header + body


class _Dumper(yaml.SafeDumper):
    """Safe dumper that never writes anchors or aliases (the reader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the hand-written content files do.
        super().increase_indent(flow, False)


def slugify(text: str, limit: int = SECTION_ID_CHARS) -> str:
    """Return a lowercase hyphenated id for ``text``, cut at a word boundary within ``limit``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    # "Union's" should become "unions", not "union-s".
    plain = re.sub(r"['\u2019](?=[A-Za-z])", "", plain.replace("\u2019", "'")).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1].rfind("-")
        slug = slug[:cut] if cut > 0 else slug[:limit]
    return slug.strip("-")


def section_ids(doc: RawDocument) -> list[str]:
    """Return a unique id for each section: ``intro`` for the lead-in, else the heading's slug."""
    ids: list[str] = []
    for section in doc.sections:
        base = INTRO_ID if section.heading is None else slugify(section.heading) or "section"
        candidate, n = base, 2
        while candidate in ids:
            suffix = f"-{n}"
            candidate = f"{slugify(base, SECTION_ID_CHARS - len(suffix))}{suffix}"
            n += 1
        ids.append(candidate)
    return ids


def derive_title(doc: RawDocument, path: Path) -> str:
    """Return the title line, else the key phrase, else the first heading, else the file name."""
    if doc.title:
        return doc.title
    phrase = key_phrase(doc)
    if phrase:
        return phrase
    if doc.headings:
        return doc.headings[0]
    return " ".join(re.sub(r"[_\-]+", " ", path.stem).split()).capitalize() or "Untitled document"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9\u2019'\-]*", text.lower())


def key_phrase(doc: RawDocument) -> str | None:
    """Return the document's most telling 2-5 word phrase as written in a heading, if any."""
    counts: Counter[str] = Counter()
    for section in doc.sections:
        for line in section_text(section).split("\n"):
            words = _words(line)
            for n in range(2, 6):
                for i in range(len(words) - n + 1):
                    gram = words[i : i + n]
                    if gram[0] not in STOP_WORDS and gram[-1] not in STOP_WORDS:
                        counts[" ".join(gram)] += 1
    in_heading = " | ".join(" ".join(_words(h)) for h in doc.headings)
    candidates = {g: c for g, c in counts.items() if c >= 3 and f" {g} " in f" {in_heading} "}
    # A phrase that mostly occurs inside a longer one ("border security" inside
    # "peacekeeping and border security") gives way to the longer one.
    kept = [
        g
        for g, c in candidates.items()
        if not any(g != o and f" {g} " in f" {o} " and 2 * oc >= c for o, oc in candidates.items())
    ]
    if not kept:
        return None
    best = max(kept, key=lambda g: (candidates[g] * len(g.split()), g))
    # Take the phrase from a heading, where it is written in title case.
    joined = r"[^\w\n]+".join(map(re.escape, best.split()))
    pattern = rf"(?<![\w'\u2019-]){joined}(?![\w'\u2019-])"
    found = re.search(pattern, "\n".join(doc.headings), re.IGNORECASE)
    return found.group()[0].upper() + found.group()[1:] if found else None


# --- extractive summaries ----------------------------------------------------------


def _word_weights(doc: RawDocument) -> Counter[str]:
    """Weigh each word by how few sections it occurs in (inverse section frequency)."""
    spread: Counter[str] = Counter()
    for section in doc.sections:
        spread.update({w for line in section_text(section).split("\n") for w in _content_words(line)})
    total = len(doc.sections)
    return Counter({w: math.log(1 + total / (1 + n)) for w, n in spread.items()})


def _content_words(text: str) -> list[str]:
    return [w for w in _words(text) if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()]


def summarize(section: RawSection, weights: Counter[str], most: int = 3) -> list[str]:
    """Pick the section's 1-3 most informative sentences, verbatim, in document order."""
    # Prose first; a section that is only a list introduction and its items is
    # summarised from the items.
    for blocks in ([p.text for p in section.paragraphs()], [i.text for i in section.items()]):
        sentences = [(n == 0, text) for b in blocks for n, (_, text) in enumerate(split_sentences(b))]
        pool = [i for i, (_, text) in enumerate(sentences) if _summarizable(text)]
        if pool:
            break
    else:
        return []
    tf = Counter(w for _, text in sentences for w in _content_words(text))
    base = {i: _informativeness(sentences[i][1], tf, weights) for i in pool}
    top = max(base.values()) or 1.0
    scores = {i: base[i] / top + _bonus(i, *sentences[i]) for i in pool}
    count = 1 if len(pool) <= 3 else 2 if len(pool) <= 8 else most
    chosen = sorted(sorted(pool, key=lambda i: (-scores[i], i))[:count])
    return [sentences[i][1] for i in chosen]


def _bonus(index: int, opens_paragraph: bool, text: str) -> float:
    # Lead sentences state what a section is about; numbers and names carry the facts.
    bonus = 0.3 if index == 0 else 0.1 if opens_paragraph else 0.0
    bonus += 0.2 if re.search(r"\d", text) else 0.0
    return bonus + (0.15 if re.search(r"(?<=\s)[A-Z][a-z]+|\b[A-Z]{2,}\b", text) else 0.0)


def _summarizable(sentence: str) -> bool:
    words = len(sentence.split())
    return 6 <= words <= 60 and not sentence.endswith(":")


def _informativeness(sentence: str, tf: Counter[str], weights: Counter[str]) -> float:
    words = _content_words(sentence)
    return sum(tf[w] * weights[w] for w in set(words)) / math.sqrt(len(words) or 1)


# --- candidate facts ---------------------------------------------------------------


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
