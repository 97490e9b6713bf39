"""The render-neutral Briefing: what both the PDF and the DOCX renderer consume."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from briefgen.assemble.markup import Span

# One name per element, used as the CSS class in HTML and mapped to a Word style,
# so the two renderers cannot disagree about what an element is.
WORD_STYLES: dict[str, str] = {
    "title": "Title",
    "subtitle": "Subtitle",
    "heading-1": "Heading 1",
    "heading-2": "Heading 2",
    "heading-3": "Heading 3",
    "body": "Body Text",
    "bullet": "List Bullet",
    "callout": "Callout",
    "callout-heading": "Callout Heading",
    "marking": "Marking",
    "cover-meta": "Cover Meta",
    "caption": "Caption",
    "note": "Source Note",
    "table": "Briefing Table",
    "table-text": "Table Text",
    "table-heading": "Table Heading",
    "toc-heading": "TOC Heading",
    "summary": "Summary",
}


@dataclass(frozen=True)
class Citation:
    """A source document and section a statement came from."""

    cite: str
    source_title: str
    section_title: str


@dataclass(frozen=True)
class Note:
    """A source note (a footnote in both formats): where one statement came from."""

    number: int
    citations: tuple[Citation, ...]

    @property
    def text(self) -> str:
        """Return the note as printed: 'Source, “Section”; Other, “Section”.'."""
        return "; ".join(f"{c.source_title}, “{c.section_title}”" for c in self.citations) + "."


@dataclass(frozen=True)
class SourceRef:
    """A source document the briefing cites, for the list of sources."""

    id: str
    title: str
    file: str
    sections: tuple[str, ...]  # titles of the cited sections, in document order


@dataclass(frozen=True)
class Paragraph:
    """One statement: formatted text and its source note."""

    spans: tuple[Span, ...]
    note: Note | None = None
    key: bool = False


@dataclass(frozen=True)
class Table:
    """A data table with a caption; cells are plain text."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()  # relative column widths


@dataclass(frozen=True)
class TimelineItem:
    """One bar of the timeline chart."""

    label: str
    start: int
    end: int | None  # None: still running as far as the sources say
    group: str = ""


@dataclass(frozen=True)
class Chart:
    """A timeline of missions by year."""

    caption: str
    items: tuple[TimelineItem, ...]
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Part:
    """A numbered part of the body: statements, a table or a chart under a heading."""

    number: str
    level: int
    anchor: str
    heading: str
    kind: str
    style: str = "plain"  # plain | callout
    form: str = "prose"  # prose | bullets
    intro: tuple[Span, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    table: Table | None = None
    chart: Chart | None = None


@dataclass(frozen=True)
class Briefing:
    """One topic assembled for one audience, ready for any renderer."""

    topic_id: str
    audience_id: str
    title: str
    subtitle: str
    audience_title: str
    purpose: str
    author: str
    date: dt.date | None
    marking: str
    summary: tuple[Span, ...]
    parts: tuple[Part, ...]
    notes: tuple[Note, ...]
    sources: tuple[SourceRef, ...]
    show_contents: bool
    show_notes: bool
    page_budget: int | None
    keywords: tuple[str, ...] = field(default=())

    @property
    def date_text(self) -> str:
        """Return the date as printed on the cover ("1 November 2026"), or ''."""
        if self.date is None:
            return ""
        return f"{self.date.day} {self.date:%B %Y}"

    @property
    def headings(self) -> tuple[tuple[int, str, str], ...]:
        """Return (level, number, heading) for every part, in order."""
        return tuple((p.level, p.number, p.heading) for p in self.parts)
