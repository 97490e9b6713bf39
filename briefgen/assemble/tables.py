"""Parts built from structured entities: the missions and figures tables, the timeline, the glossary."""

from __future__ import annotations

import re

from briefgen.assemble.briefing import Chart, Part, Table, TimelineItem
from briefgen.assemble.markup import parse_inline, plain
from briefgen.content.model import DATA_KINDS as DATA_KINDS
from briefgen.content.model import AudienceSection, Library, Mission, Topic

DEFAULT_HEADINGS = {
    "missions-table": "Missions discussed",
    "timeline": "Timeline of missions",
    "figures-table": "Key figures",
    "glossary": "Glossary",
}


def data_part(library: Library, topic: Topic, entry: AudienceSection, number: str) -> Part | None:
    heading = entry.heading or DEFAULT_HEADINGS[entry.kind]
    if entry.kind == "timeline":
        chart = timeline(library, topic)
        table = None
    else:
        chart = None
        table = {
            "missions-table": missions_table,
            "figures-table": figures_table,
            "glossary": glossary_table,
        }[entry.kind](library, topic)
    if chart is None and table is None:
        return None
    if table is not None and entry.max_points is not None and len(table.rows) > entry.max_points:
        shown = table.rows[: entry.max_points]
        caption = f"{table.caption.split(' (')[0]} ({entry.max_points} of {len(table.rows)})"
        table = Table(caption, table.columns, shown, table.widths)
    return Part(number, 1, f"s-{number}", heading, entry.kind, table=table, chart=chart)


def _missions(library: Library, topic: Topic) -> list[Mission]:
    missions = [library.missions[m] for m in topic.missions]
    return sorted(missions, key=lambda m: (m.start or 9999, m.acronym or m.name))


def _years(start: int | None, end: int | None) -> str:
    if start and end:
        return f"{start}–{end}"
    if start:
        return f"from {start}"
    return "—"


def missions_table(library: Library, topic: Topic) -> Table | None:
    """Return the table of the missions a topic discusses, oldest first."""
    rows = []
    for m in _missions(library, topic):
        org = library.organizations.get(m.organization or "")
        org_text = (org.acronym or org.name) if org else "—"
        name = f"{m.acronym} — {m.name}" if m.acronym else m.name
        personnel = m.personnel_note or (f"{m.personnel:,}" if m.personnel else "—")
        rows.append((name, org_text, m.place or "—", _years(m.start, m.end), personnel))
    if not rows:
        return None
    return Table(
        caption=f"Missions discussed in this briefing ({len(rows)})",
        columns=("Mission", "Organization", "Where", "Years", "Personnel"),
        rows=tuple(rows),
        widths=(46, 14, 16, 12, 12),
    )


def timeline(library: Library, topic: Topic) -> Chart | None:
    """Return a timeline of the topic's missions that have a start year."""
    dated = [m for m in _missions(library, topic) if m.start]
    if not dated:
        return None
    items = tuple(
        TimelineItem(label=m.acronym or m.name, start=m.start or 0, end=m.end, group=m.organization or "")
        for m in dated
    )
    first = min(i.start for i in items)
    last = max(max(i.end or i.start for i in items), first + 1)
    return Chart(
        caption="Missions by year of deployment, as stated in the sources",
        items=items,
        first_year=first,
        last_year=last,
    )


def figures_table(library: Library, topic: Topic) -> Table | None:
    """Return the table of key figures a topic lists."""
    rows = tuple(
        (
            f.label,
            f.display + (f" {f.unit}" if f.unit and f.unit not in f.display else ""),
            str(f.year) if f.year and str(f.year) not in f.display else "—",
        )
        for f in (library.figures[i] for i in topic.figures)
    )
    if not rows:
        return None
    return Table("Key figures stated in the sources", ("Figure", "Value", "Year"), rows, (60, 25, 15))


def glossary_table(library: Library, topic: Topic) -> Table | None:
    """Return the glossary entries whose term the topic uses."""
    text = " ".join(plain(parse_inline(p.text)) for s in topic.sections for p in s.points)
    text += " " + " ".join(
        f"{m.acronym or ''} {m.name}" for m in (library.missions[i] for i in topic.missions)
    )
    rows = tuple(
        (entry.term, entry.meaning)
        for entry in sorted(library.glossary.values(), key=lambda e: e.term.lower())
        if re.search(rf"(?<!\w){re.escape(entry.term)}(?!\w)", text)
    )
    if not rows:
        return None
    return Table("Abbreviations used in this briefing", ("Term", "Meaning"), rows, (20, 80))
