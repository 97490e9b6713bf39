"""The render-neutral Briefing: what both the PDF and the DOCX renderer consume."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from briefgen.assemble.markup import Span
from briefgen.content.model import NotePlacement, Register
from briefgen.errors import Location

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
    key: str = ""  # the source's short key ("BS"), explained in the list of sources
    number: int = 0  # the section's number in its document (1-based), printed as "§3"


@dataclass(frozen=True)
class Note:
    """A source note (footnote or endnote): where a statement, or a run of them, came from."""

    number: int
    citations: tuple[Citation, ...]

    @property
    def text(self) -> str:
        """Return the note as printed, compact: 'BS §2, §5; PM §3.' (keys explained in the sources)."""
        if not all(c.key and c.number for c in self.citations):
            return self.full_text
        by_key: dict[str, list[int]] = {}  # keys in the order cited, sections in document order
        for c in self.citations:
            by_key.setdefault(c.key, []).append(c.number)
        # A no-break space keeps a key with its first section when a line wraps.
        return "; ".join(f"{k}\u00a0{', '.join(f'§{n}' for n in sorted(ns))}" for k, ns in by_key.items()) + "."

    @property
    def full_text(self) -> str:
        """Return the note with full titles: 'Source, “Section”; Other, “Section”.'."""
        return "; ".join(f"{c.source_title}, “{c.section_title}”" for c in self.citations) + "."


@dataclass(frozen=True)
class SourceRef:
    """A source document the briefing cites, for the list of sources."""

    id: str
    title: str
    file: str
    sections: tuple[str, ...]  # the cited sections as printed ("§2 The Role of ..."), in document order
    key: str = ""  # the short key notes give it ("BS")
    date: str = ""  # when its information dates from, as printed ("undated", "3 March 2025")
    cites: tuple[str, ...] = ()  # the "source#section" of each entry in ``sections``
    issued: dt.date | None = None  # its date, when it has one


@dataclass(frozen=True)
class Paragraph:
    """One statement: formatted text (in the audience's register, analytic labels included) and its note.

    ``note`` is the note called at the end of this statement: the run of statements before
    it in the same part that cite the same passages share it (notes.py). ``ref`` names the
    statement within its topic and ``where`` says where it stands, for messages about it.
    """

    spans: tuple[Span, ...]
    note: Note | None = None
    key: bool = False
    ref: str = ""  # "3.1": section 3, point 1 of the topic (0-based), unique in a Briefing
    where: str = ""  # "content/topics/x.yaml:12:11"
    cites: tuple[Citation, ...] = ()  # what the statement cites, whether or not a note shows it


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

    @property
    def description(self) -> str:
        """Return the chart in words, for readers who cannot see it (alt text): each bar and its years."""
        bars = "; ".join(
            f"{item.label}, {item.start}–{item.end}" if item.end is not None else f"{item.label}, from {item.start}"
            for item in self.items
        )
        return f"{self.caption}: {bars}." if bars else self.caption


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
    where: str = ""  # where its topic section stands ("content/topics/x.yaml:9:5"), for messages


@dataclass(frozen=True)
class Labels:
    """The fixed words of a briefing's furniture, in one place for every format."""

    kicker: str = "Briefing"
    contents: str = "Contents"
    sources: str = "Sources"
    notes: str = "Notes"
    sections_cited: str = "Sections cited"
    page: str = "Page"  # "Page 3 of 7" in the running footer
    page_of: str = "of"
    information: str = "Information"  # the cover row giving the date of the information
    owner: str = "Owner"
    gains: str = "Gains"
    costs: str = "Costs"


LABELS = Labels()


@dataclass(frozen=True)
class CoverRow:
    """One labelled line of the cover's details block."""

    label: str
    value: str
    role: str = ""  # "audience": the value the running header repeats


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents: a part, or the notes or sources at the end."""

    level: int
    number: str
    text: str
    anchor: str


def date_text(date: dt.date | None) -> str:
    """Return a date as a briefing prints it ("1 November 2026"), or '' for none."""
    return "" if date is None else f"{date.day} {date:%B %Y}"


@dataclass(frozen=True)
class Briefing:
    """One topic assembled for one audience, ready for any renderer.

    Everything a reader sees is decided here, furniture included (cover rows, contents
    entries, labels, the sentence opening the list of sources), so the templates and the
    Word writer only loop over it and cannot drift apart.
    """

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
    cover: tuple[CoverRow, ...] = ()
    contents: tuple[ContentsEntry, ...] = ()  # empty when the audience gets no contents
    sources_intro: str = ""
    note_placement: NotePlacement = "footnotes"
    labels: Labels = LABELS
    lang: str = "en"  # the content's language (BCP 47), for readers and screen readers
    register: Register = "default"  # the wording the audience reads
    # Where each text shown in the default wording, for want of one in ``register``, stands.
    fallbacks: tuple[Location, ...] = ()
    reading_ease: float | None = None  # Flesch reading ease of the body's wording (readability.py)
    reading_ease_target: int | None = None  # the audience's target: the lowest score it accepts
    hardest: tuple[tuple[Location, float], ...] = ()  # (where, score) of the hardest statements, hardest first
    profile: Location | None = None  # where the audience's profile stands
    where: Location | None = None  # where the topic stands: messages about its title and cover name it
    information: str = ""  # when the information dates from ("Sources undated; content as of ...")
    over_budget: Literal["fail", "warn"] = "fail"  # what a body still over its page budget when cut does

    @property
    def date_text(self) -> str:
        """Return the date as printed on the cover ("1 November 2026"), or ''."""
        return date_text(self.date)

    @property
    def headings(self) -> tuple[tuple[int, str, str], ...]:
        """Return (level, number, heading) for every part, in order."""
        return tuple((p.level, p.number, p.heading) for p in self.parts)
