"""The build matrix: targets (topic x audience x format), their output paths, and CI shards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from briefgen.errors import ConfigError
from briefgen.formats import FORMATS

if TYPE_CHECKING:
    from briefgen.project.config import Project


class Pair(NamedTuple):
    """A topic briefed to an audience: one Briefing, rendered in one or more formats."""

    topic: str
    audience: str

    def __str__(self) -> str:
        return f"{self.topic}/{self.audience}"


@dataclass(frozen=True)
class Target:
    """One cell of the build matrix."""

    topic: str
    audience: str
    format: str

    def relpath(self) -> str:
        """Return the output path relative to the output folder."""
        return f"{self.topic}/{self.audience}{FORMATS[self.format].suffix}"

    @property
    def pair(self) -> Pair:
        """Return the (topic, audience) of the Briefing this target renders."""
        return Pair(self.topic, self.audience)


@dataclass(frozen=True)
class Shard:
    """Runner ``index`` (1-based) of ``count`` runners splitting one build."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """Parse 'K/N' (1 <= K <= N) into a Shard; refuse anything else."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*/\s*(\d{1,4})\s*", text)
    if not match:
        raise ConfigError(f"--shard {text!r}: expected K/N, for example 2/4")
    index, count = int(match[1]), int(match[2])
    if not 1 <= index <= count:
        raise ConfigError(f"--shard {text!r}: K must be between 1 and N")
    return Shard(index, count)


def shard_targets(targets: list[Target], shard: Shard | None) -> list[Target]:
    """Return the targets runner ``shard`` builds: disjoint across runners, together the whole plan.

    Whole briefings (both formats of a topic/audience pair) are dealt out in turn over the
    pairs in sorted order, so shards get equal shares, the same inputs always give the same
    split, and a runner assembles each briefing it renders only once.
    """
    if shard is None or shard.count == 1:
        return list(targets)
    pairs = sorted({t.pair for t in targets})
    mine = {pair for i, pair in enumerate(pairs) if i % shard.count == shard.index - 1}
    return [t for t in targets if t.pair in mine]


def _choose(
    requested: list[str] | None, configured: list[str] | str, available: list[str], what: str
) -> list[str]:
    """Pick names from the CLI, else the config ('all' or a list); refuse unknown ones."""
    names = requested if requested else (available if configured == "all" else list(configured))
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ConfigError(
            f"unknown {what} {', '.join(repr(n) for n in unknown)}; valid {what}s: {', '.join(available) or 'none'}"
        )
    return list(dict.fromkeys(names))


def plan_targets(
    project: Project,
    topic_ids: list[str],
    audience_ids: list[str],
    topics: list[str] | None = None,
    audiences: list[str] | None = None,
    formats: list[str] | None = None,
) -> list[Target]:
    """Return the targets to build from the known ids and the requested names, in a stable order."""
    matrix = project.config.matrix
    t = _choose(topics, matrix.topics, sorted(topic_ids), "topic")
    a = _choose(audiences, matrix.audiences, sorted(audience_ids), "audience")
    f = _choose(formats, list(matrix.formats), list(FORMATS), "format")
    return [Target(topic, audience, fmt) for topic in t for audience in a for fmt in f]


def layout_partners(targets: list[Target], stale: list[Target], paginator: str) -> list[Target]:
    """Return the fresh targets that must render again with the stale ones, to keep page numbers true.

    Word without LibreOffice (``paginator`` "pdf") takes its page numbers from the PDF's
    layout, and a layout is handed on only within one job: so for each briefing, its PDF
    and Word targets render together or not at all.
    """
    numbered = {f for f, spec in FORMATS.items() if "paginator" in spec.settings and paginator == "pdf"}
    if not numbered:
        return []
    linked = numbered | {name for name, spec in FORMATS.items() if spec.paginated}
    pairs = {t.pair for t in stale if t.format in linked}
    chosen = set(stale)
    return [t for t in targets if t.pair in pairs and t.format in linked and t not in chosen]
