"""What a Briefing's wording falls short of, as located warnings: register fallbacks, readability."""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.assemble.briefing import Briefing
from briefgen.errors import Location, Problem

LISTED = 5  # locations a fallback warning names before "and N more"


def fallback_problem(briefing: Briefing) -> Problem | None:
    """Return a warning counting the texts shown in the default wording for want of the audience's register."""
    if not briefing.fallbacks:
        return None
    shown = sum(len(part.paragraphs) + (1 if part.intro else 0) for part in briefing.parts)
    shown += 1 if briefing.summary else 0
    count = len(briefing.fallbacks)
    more = f" and {count - LISTED} more" if count > LISTED else ""
    places = ", ".join(str(where) for where in briefing.fallbacks[:LISTED]) + more
    return Problem.warning(
        briefing.fallbacks[0],
        f"{count} of {shown} texts in the {briefing.audience_id!r} briefing of {briefing.topic_id!r} have no "
        f"{briefing.register!r} wording, so the default wording is shown: {places}",
        code="wording.fallback",
        hint=f"add '{briefing.register}:' to them",
    )


def readability_problem(briefing: Briefing) -> Problem | None:
    """Return a warning when the wording reads harder than the audience's Flesch reading ease target."""
    score, target = briefing.reading_ease, briefing.reading_ease_target
    if score is None or target is None or score >= target:
        return None
    hardest = "; ".join(f"{where} ({value:.0f})" for where, value in briefing.hardest)
    where = briefing.hardest[0][0] if briefing.hardest else briefing.profile or Location("")
    return Problem.warning(
        where,
        f"the {briefing.audience_id!r} briefing of {briefing.topic_id!r} scores {score:.0f} on Flesch reading "
        f"ease, below its audience's target of {target}; hardest statements: {hardest}",
        code="wording.readability",
        hint="use shorter sentences and shorter words in its wording",
    )


def wording_problems(briefing: Briefing) -> list[Problem]:
    """Return every wording warning of ``briefing``."""
    return [p for p in (fallback_problem(briefing), readability_problem(briefing)) if p is not None]


def as_warning(problem: Problem) -> str:
    """Return a problem as a build-report warning line: 'place: message; hint'."""
    hint = f"; {problem.hint}" if problem.hint else ""
    return f"{problem.location}: {problem.message}{hint}"


def wording_summary(rows: Iterable[tuple[str, float | None, int | None, int]]) -> list[str]:
    """Return the per-audience readability table of validate and build.

    ``rows`` holds (audience, Flesch reading ease, the audience's target, fallbacks) for
    each briefing; an audience shows its mean score, its lowest and highest, its target
    and how many texts fell back to the default wording.
    """
    by_audience: dict[str, list[tuple[float | None, int | None, int]]] = {}
    for audience, score, target, fallbacks in rows:
        by_audience.setdefault(audience, []).append((score, target, fallbacks))
    if not by_audience:
        return []
    lines = [
        "readability by audience: Flesch reading ease, mean (lowest to highest), 60+ reads as plain English;",
        "fallbacks: texts shown in the default wording for want of the audience's register",
    ]
    for audience, items in sorted(by_audience.items()):
        scores = [s for s, _, _ in items if s is not None]
        target = next((t for _, t, _ in items if t is not None), None)
        fallbacks = sum(f for _, _, f in items)
        figure = f"{sum(scores) / len(scores):3.0f} ({min(scores):.0f} to {max(scores):.0f})" if scores else "  –"
        goal = ""
        if target is not None:
            below = sum(1 for s in scores if s < target)
            goal = f"target {target}: " + (f"{below} of {len(scores)} below" if below else "met")
        lines.append(f"  {audience:<14}{figure:<16}{goal:<22}fallbacks {fallbacks}")
    return lines
