"""The bundled content's wording and analytic fields meet the briefing standard.

* Facts carry over from the seeds, sentences do not: no run of six or more
  consecutive words of any seed document appears in any content text (compared
  case-insensitively on words, punctuation ignored; official names of missions and
  organizations are the one exception, since they cannot be reworded).
* No wording register (``text``, ``plain``, ``brief``, ``gains``, ``costs``,
  ``owner``) states a year or figure that the passages it cites do not contain.
* Analytic fields are filled where the section kind calls for them: confidence for
  key judgments, likelihood and impact for key risks, owners for recommendations and
  decisions, gains and costs for options; sources carry a date and a short key.
* Every statement an audience is shown has the wording that audience reads:
  ``plain`` for the public, ``brief`` for executives.

The logic is self-contained on purpose: it reads the loaded ``Library`` generically
and parses the seed documents itself from the line numbers in ``content/sources``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from briefgen.content.load import load_library

REPO = Path(__file__).resolve().parents[2]
RUN = 6  # the shortest run of seed words content may not repeat

# Official names the content must be able to write out in full (glossary expansions,
# mission and organization names). Runs wholly inside one of these are not counted.
PROPER_NAMES = (
    "United Nations Multidimensional Integrated Stabilization Mission in Mali",
    "Organization for Security and Co-operation in Europe",
    "United Nations Interim Force in Lebanon",
    "United Nations Stabilization Mission in Haiti",
    "United Nations Transitional Authority in Cambodia",
    "United Nations Mission in Liberia",
    "African Union Mission in Somalia",
    "Multinational Force and Observers",
    "United Nations Security Council",
    "Democratic Republic of the Congo",
)

KINDS = (
    "bluf", "decision", "key-judgments", "background", "actors", "analysis", "challenges",
    "case-studies", "options", "outlook", "gaps", "indicators", "recommendations",
)  # fmt: skip
# Kinds the tailoring profiles show (or will show) to each audience, beyond what
# content/audiences.yaml lists today: variants are written for all of them.
PUBLIC_KINDS = {"bluf", "background", "case-studies", "outlook", "gaps"}
EXECUTIVE_KINDS = {
    "decision", "bluf", "key-judgments", "challenges", "recommendations",
    "options", "gaps", "indicators",
}  # fmt: skip
EVERY_TOPIC_HAS = ("bluf", "decision", "key-judgments", "options", "gaps", "indicators", "recommendations")
BRIEF_MAX_WORDS = 20
REGISTERS = ("text", "plain", "brief", "gains", "costs", "owner")

SENTINEL = "\x00"
WORD = re.compile(r"\w+(?:'\w+)*")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def words(text: str) -> list[str]:
    """Lower-case words of ``text``: punctuation, Markdown and hyphens split words."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return WORD.findall(text.replace("_", " "))


_NAMES = [words(name) for name in PROPER_NAMES]


def masked(tokens: list[str]) -> list[str]:
    """Replace each official name in ``tokens`` with one sentinel that matches nothing."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for name in _NAMES:
            if tokens[i : i + len(name)] == name:
                out.append(SENTINEL)
                i += len(name)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def ngrams(tokens: list[str], n: int = RUN) -> Iterator[tuple[str, ...]]:
    for i in range(len(tokens) - n + 1):
        yield tuple(tokens[i : i + n])


def seeds_dir() -> Path | None:
    if os.environ.get("BRIEFGEN_SEEDS"):
        return Path(os.environ["BRIEFGEN_SEEDS"])
    for base in (REPO, *REPO.parents):
        if (base / "shared" / "seeds").is_dir():
            return base / "shared" / "seeds"
    return None


SEEDS = seeds_dir()
needs_seeds = pytest.mark.skipif(
    SEEDS is None and os.environ.get("CI") != "true", reason="shared/seeds not present"
)


@pytest.fixture(scope="module")
def library() -> Any:
    lib, _docs = load_library(REPO / "content", REPO)
    return lib


# --- walking the library -------------------------------------------------------------


def strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Yield (path, text) for every string anywhere inside a content record."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}[{key}]")


def content_texts(lib: Any) -> Iterator[tuple[str, str]]:
    """Every text of every content record except the sources.

    A source record describes a seed document itself (its title and headings are the
    document's own), so it is the one record that may quote the seed.
    """
    for table in ("topics", "themes", "organizations", "missions", "glossary", "figures", "audiences"):
        for key, record in getattr(lib, table).items():
            yield from strings(record, f"{table}[{key}]")


def statements(lib: Any) -> Iterator[tuple[str, Any, Any]]:
    """Yield (where, section, statement) for every topic statement."""
    for topic_id, topic in lib.topics.items():
        for s, section in enumerate(topic.sections):
            for p, point in enumerate(section.points):
                yield f"{topic_id} sections[{s}] ({section.kind}) points[{p}]", section, point


def cited_statements(lib: Any) -> Iterator[tuple[str, Any]]:
    """Yield (where, statement) for topic statements and entity facts."""
    for where, _section, point in statements(lib):
        yield where, point
    for table in ("organizations", "missions"):
        for key, entity in getattr(lib, table).items():
            for f, fact in enumerate(entity.facts):
                yield f"{table}[{key}].facts[{f}]", fact


# --- the seeds, by section -----------------------------------------------------------


def seed_lines(lib: Any) -> dict[str, list[str]]:
    assert SEEDS is not None
    return {
        source.id: (SEEDS / source.file).read_text(encoding="utf-8").splitlines()
        for source in lib.sources.values()
    }


def passages(lib: Any) -> dict[str, str]:
    """Text of every 'source#section', from its line to the line before the next section."""
    lines = seed_lines(lib)
    out: dict[str, str] = {}
    for source in lib.sources.values():
        doc = lines[source.id]
        ordered = sorted(source.sections, key=lambda s: s.line or 1)
        for i, section in enumerate(ordered):
            start = (section.line or 1) - 1
            end = (ordered[i + 1].line or len(doc) + 1) - 1 if i + 1 < len(ordered) else len(doc)
            out[f"{source.id}#{section.id}"] = "\n".join(doc[start:end])
    return out


def occurs(number: str, text: str) -> bool:
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", text) is not None


# --- the tests -----------------------------------------------------------------------


def test_masking_and_runs_work_as_intended() -> None:
    assert words("The UN\u2019s **MINUSMA**, co-operation!") == ["the", "un's", "minusma", "co", "operation"]
    tokens = masked(words("the United Nations Mission in Liberia was there"))
    assert tokens == ["the", SENTINEL, "was", "there"]
    assert len(list(ngrams(words("one two three four five six seven")))) == 2


@needs_seeds
def test_no_run_of_six_seed_words_in_any_content_text(library: Any) -> None:
    seed_grams: set[tuple[str, ...]] = set()
    for doc in seed_lines(library).values():
        seed_grams.update(ngrams(words("\n".join(doc))))
    offences = []
    for path, text in content_texts(library):
        tokens = masked(words(text))
        hits = [i for i, gram in enumerate(ngrams(tokens)) if gram in seed_grams]
        if hits:
            # Report each maximal run once: consecutive hits extend one run.
            runs, start, last = [], hits[0], hits[0]
            for i in hits[1:]:
                if i != last + 1:
                    runs.append((start, last))
                    start = i
                last = i
            runs.append((start, last))
            for a, b in runs:
                offences.append(f"{path}: {' '.join(tokens[a : b + RUN])!r}")
    assert not offences, f"{len(offences)} runs of {RUN}+ seed words:\n" + "\n".join(offences)


@needs_seeds
def test_no_register_states_a_number_its_passages_lack(library: Any) -> None:
    texts = passages(library)
    offences = []
    for where, point in cited_statements(library):
        cited = [texts[c] for c in point.cite]
        for register in REGISTERS:
            value = getattr(point, register)
            if not value:
                continue
            for number in (m.group(0).rstrip(".,") for m in NUMBER.finditer(value)):
                if not any(occurs(number, t) for t in cited):
                    offences.append(f"{where}.{register}: {number} not in {', '.join(point.cite)}")
    assert not offences, "\n".join(offences)


def test_every_source_has_a_date_and_a_key(library: Any) -> None:
    for source in library.sources.values():
        assert source.date is not None, source.id
        assert source.key, source.id
    keys = [s.key for s in library.sources.values()]
    assert len(set(keys)) == len(keys), keys


def test_section_kinds_are_known_and_every_topic_has_the_analytic_sections(library: Any) -> None:
    for topic in library.topics.values():
        kinds = [s.kind for s in topic.sections]
        assert set(kinds) <= set(KINDS), (topic.id, set(kinds) - set(KINDS))
        for kind in EVERY_TOPIC_HAS:
            assert kind in kinds, (topic.id, kind)


def test_analytic_fields_are_filled_by_section_kind(library: Any) -> None:
    missing = []
    for where, section, point in statements(library):
        need: list[str] = []
        if section.kind == "key-judgments":
            need.append("confidence")
        if section.kind in ("recommendations", "decision"):
            need.append("owner")
        if section.kind == "options":
            need += ["gains", "costs"]
        if section.kind == "challenges" and point.level == "key":
            need += ["likelihood", "impact"]
        missing += [f"{where}: no {field}" for field in need if getattr(point, field) is None]
    assert not missing, "\n".join(missing)


def shown_kinds(library: Any, audience_id: str, planned: set[str]) -> tuple[set[str], bool]:
    """Kinds an audience is shown (its profile plus the planned kinds) and whether key-only."""
    audience = library.audiences.get(audience_id)
    profiled = {s.kind for s in audience.sections} if audience is not None else set()
    summary_only = audience is not None and audience.depth == "summary"
    return (profiled & set(KINDS)) | planned, summary_only


def test_statements_shown_to_the_public_have_plain_wording(library: Any) -> None:
    kinds, summary_only = shown_kinds(library, "public", PUBLIC_KINDS)
    missing = [
        where
        for where, section, point in statements(library)
        if section.kind in kinds and (point.level == "key" or not summary_only) and not point.plain
    ]
    assert not missing, "no plain wording:\n" + "\n".join(missing)
    same = [where for where, _s, point in statements(library) if point.plain and point.plain == point.text]
    assert not same, "plain wording that only repeats the default:\n" + "\n".join(same)


def test_statements_shown_to_executives_have_brief_wording(library: Any) -> None:
    kinds, _summary_only = shown_kinds(library, "executive", EXECUTIVE_KINDS)
    missing = [
        where
        for where, section, point in statements(library)
        if section.kind in kinds and point.level == "key" and not point.brief
    ]
    assert not missing, "no brief wording:\n" + "\n".join(missing)
    long = [
        f"{where}: {len(point.brief.split())} words"
        for where, _s, point in statements(library)
        if point.brief and len(point.brief.split()) > BRIEF_MAX_WORDS
    ]
    assert not long, f"brief wording over {BRIEF_MAX_WORDS} words:\n" + "\n".join(long)
