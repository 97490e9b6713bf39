"""Draft a topic from ingested documents: extractive statements, sorted into section kinds, levelled, themed, merged.

Every statement quotes its document and cites the section it came from. Sections take
their kind from their heading (then from the cue words of their sentences); the
document's best-ranked sentences make the bottom line; each section's best statement
and the document's top-ranked ones are key, the rest detail; themes come from the
project's own theme names; and statements from different documents that say the same
thing (rapidfuzz token-sort similarity) become one statement citing each document.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from briefgen.content.model import STATEMENT_KINDS, Library, Section, Source, Statement, Topic
from briefgen.errors import Location, Problem
from briefgen.ingest.document import BulletItem, RawDocument, split_sentences
from briefgen.ingest.draft import STOP_WORDS

SIMILAR = 85  # token-sort ratio (0-100) at which two sentences say the same thing
BLUF_COUNT = 3
KEY_SHARE = 0.2
MAX_STATEMENTS = 1_500
# Heading words that say what a section is for, most specific first.
HEADING_KINDS: tuple[tuple[str, str], ...] = (
    (
        "recommendations",
        r"recommend|way forward|next steps?|strateg|enhanc|improv|best practice|proposal|what to do",
    ),
    ("challenges", r"challenge|risk|obstacle|threat|problem|limitation|difficult|barrier|concern|constraint"),
    ("case-studies", r"case stud|lesson|example|success|experience|in practice|notable"),
    ("outlook", r"future|outlook|ahead|trend|prospect|emerging|next decade|conclusion"),
    ("background", r"background|histor|context|overview|introduction|origin|evolution|foundation"),
    ("actors", r"actor|partner|organi[sz]ation|institution|stakeholder|who does|role of|collaborat"),
)
CUE_KINDS: tuple[tuple[str, str], ...] = (
    ("recommendations", r"\b(?:should|must|need to|recommend\w*|ought to)\b"),
    ("challenges", r"\b(?:challeng\w*|risks?|threat\w*|obstacles?|hinder\w*|difficult\w*)\b"),
    ("outlook", r"\b(?:will|future|expected to|likely to|coming years)\b"),
)
# Where a kind no audience shows goes instead, nearest first.
FALLBACK = {
    "bluf": ("key-judgments", "analysis"),
    "challenges": ("analysis",),
    "case-studies": ("analysis",),
    "outlook": ("analysis",),
    "recommendations": ("analysis",),
    "actors": ("background", "analysis"),
    "background": ("analysis",),
    "analysis": ("background",),
}
KIND_ORDER = (
    "bluf",
    "background",
    "actors",
    "analysis",
    "challenges",
    "case-studies",
    "outlook",
    "recommendations",
)
_MARKDOWN = re.compile(r"([\\`*_\[\]<])")


@dataclass
class _Candidate:
    text: str
    cite: str
    score: float
    key: bool = False
    cites: list[str] = field(default_factory=list)


@dataclass
class _Draft:
    kind: str
    title: str
    form: Literal["prose", "bullets"]
    points: list[_Candidate]


def escape_markdown(text: str) -> str:
    """Backslash the characters inline Markdown would read as markup, so a quotation shows as written."""
    return _MARKDOWN.sub(r"\\\1", text)


def draft_topic(
    topic_id: str,
    title: str,
    documents: list[tuple[Source, RawDocument]],
    library: Library,
    warnings: list[Problem] | None = None,
) -> Topic:
    """Return a draft topic quoting ``documents``, using only section kinds the project's audiences show."""
    shown = {entry.kind for audience in library.audiences.values() for entry in audience.sections}
    drafts: list[tuple[int, int, _Draft]] = []
    bluf: list[_Candidate] = []
    for number, (source, doc) in enumerate(documents):
        found, best = _document_drafts(source, doc)
        drafted = sum(len(d.points) for d in found)
        if drafted >= MAX_STATEMENTS and warnings is not None:
            last = found[-1].points[-1].cite.split("#")[1]
            warnings.append(
                Problem.warning(
                    Location.of(doc.path),
                    f"long document: the draft quotes it up to section {last!r} ({MAX_STATEMENTS} statements); "
                    "split it to draft the rest",
                )
            )
        drafts.extend((number, index, d) for index, d in enumerate(found))
        bluf.extend(best)
    _merge_across(drafts)
    bluf.sort(key=lambda c: -c.score)
    lead = _Draft(
        "bluf",
        "Bottom line",
        "bullets",
        [_Candidate(c.text, c.cite, c.score, True, list(c.cites)) for c in bluf[:BLUF_COUNT]],
    )
    ordered = [lead] + [
        d for _, _, d in sorted(drafts, key=lambda t: (KIND_ORDER.index(t[2].kind), t[0], t[1]))
    ]
    strands = _strand_words(library)
    sections: list[Section] = []
    total = 0
    for draft in ordered:
        points = [p for p in draft.points if p.text][: max(0, MAX_STATEMENTS - total)]
        if not points:
            continue
        total += len(points)
        statements = [
            Statement(
                text=escape_markdown(p.text), cite=list(dict.fromkeys([p.cite, *p.cites])),
                level="key" if p.key else "detail", themes=_themes(p.text, strands),
            )
            for p in points
        ]  # fmt: skip
        kind = _shown_kind(draft.kind, shown)
        sections.append(Section(kind=kind, title=draft.title, form=draft.form, points=statements))
    used = list(dict.fromkeys(t for s in sections for p in s.points for t in p.themes))
    return Topic(
        id=topic_id, title=title, sources=[s.id for s, _ in documents], themes=used, sections=sections
    )


def _document_drafts(source: Source, doc: RawDocument) -> tuple[list[_Draft], list[_Candidate]]:
    """Return one draft section per source section, and the document's best sentences for the bottom line."""
    weights = _weights(doc)
    drafts: list[_Draft] = []
    prose: list[_Candidate] = []
    budget = MAX_STATEMENTS  # a long document is drafted from its start: the merge compares every pair
    for record, section in zip(source.sections, doc.sections, strict=True):
        if budget <= 0:
            break
        cite = f"{source.id}#{record.id}"
        points: list[_Candidate] = []
        items = 0
        for unit in section.units():
            if isinstance(unit, BulletItem):
                points.append(_Candidate(unit.text, cite, _score(unit.text, weights) + 0.1))
                items += 1
                continue
            sentences = [text for _, text in split_sentences(unit.text) if _quotable(text)]
            ranked = sorted(
                range(len(sentences)),
                key=lambda i: (-_score(sentences[i], weights) - (0.3 if i == 0 else 0), i),
            )
            chosen = sorted(ranked[: 2 if len(sentences) >= 4 else 1])
            found = [_Candidate(sentences[i], cite, _score(sentences[i], weights)) for i in chosen]
            points.extend(found)
            prose.extend(found)
        points = points[:budget]
        budget -= len(points)
        if not points:
            continue
        max(points, key=lambda c: c.score).key = True
        kind = _kind(record.heading or "", [p.text for p in points], section.heading is None)
        form: Literal["prose", "bullets"] = "bullets" if items * 2 >= len(points) else "prose"
        drafts.append(_Draft(kind, record.title if record.heading else "Overview", form, points))
    everything = sorted((p for d in drafts for p in d.points), key=lambda c: -c.score)
    for candidate in everything[: max(1, math.ceil(len(everything) * KEY_SHARE))]:
        candidate.key = True
    return drafts, sorted(prose, key=lambda c: -c.score)[:BLUF_COUNT]


def _quotable(sentence: str) -> bool:
    words = len(sentence.split())
    return 5 <= words <= 80 and not sentence.rstrip().endswith(":")


def _weights(doc: RawDocument) -> Counter[str]:
    """Weigh each word by how few sections it occurs in (inverse section frequency)."""
    spread: Counter[str] = Counter()
    for section in doc.sections:
        spread.update({w for u in section.units() for w in _content_words(u.text)})
    total = len(doc.sections)
    return Counter({w: math.log(1 + total / (1 + n)) for w, n in spread.items()})


def _content_words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9][a-z0-9'\-]*", text.lower())
    return [w for w in words if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()]


def _score(text: str, weights: Counter[str]) -> float:
    words = _content_words(text)
    base = sum(weights[w] for w in set(words)) / math.sqrt(len(words) or 1)
    # Numbers and names carry the facts a reader needs first.
    return (
        base + (0.5 if re.search(r"\d", text) else 0.0) + (0.3 if re.search(r"\b[A-Z]{2,}\b", text) else 0.0)
    )


def _kind(heading: str, texts: list[str], lead_in: bool) -> str:
    """Sort a section into a kind by its heading's words, else by the cue words of its statements."""
    if lead_in:
        return "background"
    for kind, pattern in HEADING_KINDS:
        if re.search(pattern, heading, re.IGNORECASE):
            return kind
    votes = Counter(
        kind for text in texts for kind, pattern in CUE_KINDS if re.search(pattern, text, re.IGNORECASE)
    )
    if votes:
        kind, count = votes.most_common(1)[0]
        if count * 2 > len(texts):
            return kind
    return "analysis"


def _shown_kind(kind: str, shown: set[str]) -> str:
    """Return ``kind``, or the nearest kind some audience shows (a section no one sees is no use)."""
    if not shown or kind in shown:
        return kind
    for other in FALLBACK.get(kind, ()):
        if other in shown:
            return other
    return next((k for k in STATEMENT_KINDS if k in shown), kind)


def _merge_across(drafts: list[tuple[int, int, _Draft]]) -> None:
    """Merge each statement into an earlier one that says the same thing, citing both passages."""
    kept: list[_Candidate] = []
    for _, _, draft in drafts:
        remaining: list[_Candidate] = []
        choices = [c.text for c in kept]
        owners = list(kept)
        for candidate in draft.points:
            match = process.extractOne(
                candidate.text, choices, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR
            )
            if match is not None:
                earlier = owners[match[2]]
                # One citation per document: the passage where it first says so.
                cited = {c.split("#")[0] for c in [earlier.cite, *earlier.cites]}
                if candidate.cite.split("#")[0] not in cited:
                    earlier.cites.append(candidate.cite)
                earlier.key = earlier.key or candidate.key
                continue
            remaining.append(candidate)
            choices.append(candidate.text)
            owners.append(candidate)
        draft.points = remaining
        kept.extend(remaining)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:[.,]\d+)*", text)


def _strand_words(library: Library) -> list[tuple[str, set[str]]]:
    """Return each theme's id and the word stems that signal it (from its id and title)."""
    out = []
    for strand in library.themes.values():
        words = {
            w[:6]
            for w in re.findall(r"[a-z]+", f"{strand.id} {strand.title}".lower())
            if len(w) > 3 and w not in STOP_WORDS
        }
        if words:
            out.append((strand.id, words))
    return out


def _themes(text: str, strands: list[tuple[str, set[str]]]) -> list[str]:
    stems = {w[:6] for w in _content_words(text)}
    return [sid for sid, words in strands if words & stems][:2]
