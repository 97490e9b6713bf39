"""The content model: sources, entities, themes, topics and audiences (no I/O, no HTML).

Each class is also the declared schema of its YAML form: unknown keys are refused,
values are not coerced (YAML's ``NO`` stays a boolean and is reported where text is
expected), and ids follow one pattern so they are safe in file names and anchors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from briefgen.content.ids import CITE_PATTERN as CITE_PATTERN
from briefgen.content.ids import ID_PATTERN as ID_PATTERN
from briefgen.errors import Location, Problem

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]


def _one_or_many(value: object) -> object:
    """Accept a single value where a list is expected (``cite: src#sec``)."""
    return [value] if isinstance(value, str) else value


Cite = Annotated[str, StringConstraints(pattern=CITE_PATTERN)]
# json_schema_input_type: the JSON Schema (briefgen schema) says a single value is accepted too.
Cites = Annotated[list[Cite], BeforeValidator(_one_or_many, json_schema_input_type=Cite | list[Cite])]
IdList = Annotated[list[Id], BeforeValidator(_one_or_many, json_schema_input_type=Id | list[Id])]


def _not_a_number(value: object) -> object:
    """Refuse a number where a date is expected (pydantic would read 0 as 1970-01-01)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"expected a date such as 2026-01-15, got a number ({value})")
    return value


Year = Annotated[int, Field(ge=1800, le=2200)]
Date = Annotated[dt.date, Field(strict=False), BeforeValidator(_not_a_number)]


class Schema(BaseModel):
    """Base for every content record: strict, closed, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- sources -----------------------------------------------------------------------


class SourceSection(Schema):
    """One section of a source document, in document order."""

    id: Id
    title: ShortText
    heading: ShortText | None = None  # the heading line as it stands in the raw file
    # Where it starts: a line of a text, Markdown or HTML file, a paragraph number of a Word
    # document, or a line on ``page`` of a PDF.
    line: int | None = Field(default=None, ge=1)
    page: int | None = Field(default=None, ge=1)
    summary: list[Text] = []  # extractive key sentences (drafts from `briefgen ingest`)


FactKind = Literal[
    "date", "year", "range", "figure", "identifier", "acronym", "organization", "country", "place", "body",
    "initiative",
]  # fmt: skip


class CandidateFact(Schema):
    """A fact spotted in a raw document by `briefgen ingest`, for an editor to use."""

    kind: FactKind
    value: ShortText
    section: Id
    line: int = Field(ge=1)
    page: int | None = Field(default=None, ge=1)
    context: Text


SourceKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]{0,11}$")]


class Source(Schema):
    """A document that content was distilled from."""

    id: Id
    title: ShortText
    file: ShortText  # the raw document's file name
    url: ShortText | None = None
    # When the document's information dates from: a date, or "undated" when it gives none.
    date: Date | Literal["undated"] | None = None
    key: SourceKey | None = None  # short key for compact source notes ("BS"); derived when absent
    sections: list[SourceSection] = Field(min_length=1)
    facts: list[CandidateFact] = []


# --- statements, entities, themes --------------------------------------------------


Confidence = Literal["low", "moderate", "high"]
# Estimative likelihood, the ICD 203 scale (almost no chance ... almost certain).
Likelihood = Literal[
    "almost-no-chance", "very-unlikely", "unlikely", "even-chance", "likely", "very-likely", "almost-certain"
]
Impact = Literal["low", "moderate", "high"]
Register = Literal["default", "plain", "brief"]
REGISTERS: tuple[Register, ...] = ("default", "plain", "brief")
# Where source notes stand: at the foot of each page, gathered at the end, or not at all.
NotePlacement = Literal["footnotes", "endnotes", "none"]


class Statement(Schema):
    """One sentence-level claim in Markdown inline text, with where it came from.

    ``text`` is the default wording; ``plain`` (plain language, for the public) and
    ``brief`` (one line, for executives) say the same thing for other registers and cite
    the same passages. The analytic fields apply by section kind: ``confidence`` to key
    judgments, ``likelihood`` and ``impact`` to risks, ``owner`` to recommendations and
    decisions, ``gains`` and ``costs`` to options.
    """

    text: Text
    plain: Text | None = None
    brief: Text | None = None
    cite: Cites = []
    level: Literal["key", "detail"] = "detail"
    themes: IdList = []
    confidence: Confidence | None = None
    likelihood: Likelihood | None = None
    impact: Impact | None = None
    owner: ShortText | None = None
    gains: Text | None = None
    costs: Text | None = None


class Strand(Schema):
    """A theme of the content that cuts across documents (technology, challenges, ...).

    Called a strand in code so it is never confused with a visual theme
    (project/themes.py); content files still list them under ``themes:``.
    """

    id: Id
    title: ShortText
    description: Text | None = None


class Organization(Schema):
    """An organization the sources name (UN, NATO, AU, ...)."""

    id: Id
    name: ShortText
    acronym: ShortText | None = None
    kind: Literal["global", "regional", "alliance", "other"] = "other"
    summary: Text | None = None
    facts: list[Statement] = []
    cite: Cites = []


class Mission(Schema):
    """A peacekeeping or peace-enforcement mission the sources name."""

    id: Id
    name: ShortText
    acronym: ShortText | None = None
    organization: Id | None = None
    place: ShortText | None = None
    start: Year | None = None
    end: Year | None = None
    personnel: int | None = Field(default=None, ge=0)
    personnel_note: ShortText | None = None  # how the source states it ("more than 15,000")
    summary: Text | None = None
    facts: list[Statement] = []
    cite: Cites = []


class GlossaryEntry(Schema):
    """An acronym or term and what it stands for."""

    term: ShortText
    meaning: ShortText
    cite: Cites = []


class Figure(Schema):
    """A number the sources state, with how to show it."""

    id: Id
    label: ShortText
    value: int | float
    display: ShortText  # as a reader should see it ("over 70", "15,000+")
    unit: ShortText | None = None
    year: Year | None = None
    cite: Cites = []


# --- topics ------------------------------------------------------------------------

# Section kinds a topic's statements fill, and what each is for. Audiences select on them.
STATEMENT_KINDS: dict[str, str] = {
    "bluf": "bottom line up front: the few sentences a reader must take away",
    "decision": "the decision or ask put to the reader",
    "key-judgments": "assessments, each with a confidence level",
    "background": "context a reader needs first",
    "actors": "institutions, partners and who does what",
    "analysis": "the body of the argument",
    "challenges": "risks and obstacles, each risk with likelihood and impact",
    "case-studies": "missions and episodes that show the point",
    "options": "courses of action, each with its gains and costs",
    "outlook": "where things are heading",
    "gaps": "what we do not know: information gaps",
    "indicators": "signs to watch that would change the assessment",
    "recommendations": "what to do, each with an owner",
}
# Section kinds an audience may show that are built from the entities, not from statements.
DATA_KINDS: tuple[str, ...] = ("missions-table", "timeline", "figures-table", "glossary")


class Section(Schema):
    """A section of a topic: a kind that audiences select on, a title, statements."""

    kind: Id
    title: ShortText
    intro: Text | None = None
    form: Literal["prose", "bullets"] = "prose"
    points: list[Statement] = Field(min_length=1)


class Topic(Schema):
    """A subject that can be briefed, made of sections."""

    id: Id
    title: ShortText
    subtitle: ShortText | None = None
    date: Date | None = None
    summary: Text | None = None
    sources: IdList = []
    themes: IdList = []
    missions: IdList = []
    organizations: IdList = []
    figures: IdList = []
    sections: list[Section] = Field(min_length=1)


# --- audiences ---------------------------------------------------------------------


class AudienceSection(Schema):
    """Which section kind an audience sees, in what wording and form."""

    kind: Id
    heading: ShortText | None = None
    style: Literal["plain", "callout"] = "plain"
    form: Literal["prose", "bullets"] | None = None
    max_points: int | None = Field(default=None, ge=1)


class Include(Schema):
    """The optional parts of a briefing an audience gets."""

    contents: bool = True
    missions_table: bool = True
    figures_table: bool = True
    chart: bool = True
    glossary: bool = False
    source_notes: bool = True  # false: no notes and no list of sources at all
    summary: bool = True  # the topic's summary above the first part (written in the default register)


class Audience(Schema):
    """A readership profile: selection, order, depth, length and wording.

    ``register`` (``reads`` in Python) is the wording the audience reads (a statement's ``plain`` or ``brief``
    variant, else its default text); ``reading_ease`` the lowest Flesch reading ease its
    briefings should score; ``notes`` where source notes stand. A briefing whose body
    runs past ``page_budget`` pages is cut to fit (assemble/fit.py); if it still does
    not fit, the build fails it, or warns when ``over_budget`` says so.
    """

    id: Id
    title: ShortText
    purpose: Text
    depth: Literal["summary", "detailed"] = "detailed"
    # "register" in YAML; the attribute has another name because pydantic models inherit
    # ABCMeta.register, which a field of that name would shadow.
    reads: Register = Field(default="default", alias="register")
    reading_ease: int | None = Field(default=None, ge=0, le=100)
    notes: NotePlacement = "footnotes"
    page_budget: int | None = Field(default=None, ge=1, le=500)
    over_budget: Literal["fail", "warn"] = "fail"
    themes: IdList | None = None  # None: every theme
    sections: list[AudienceSection] = Field(min_length=1)
    include: Include = Include()
    marking: ShortText = "UNCLASSIFIED"


# --- the whole library -------------------------------------------------------------

# Each content file holds one top-level key naming what it contains.
FILE_KINDS: dict[str, tuple[type[Schema], bool]] = {
    "source": (Source, False),
    "topic": (Topic, False),
    "themes": (Strand, True),
    "organizations": (Organization, True),
    "missions": (Mission, True),
    "glossary": (GlossaryEntry, True),
    "figures": (Figure, True),
    "audiences": (Audience, True),
}


@dataclass
class Library:
    """Every record of a project's content, by id, plus the file each came from."""

    sources: dict[str, Source] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    themes: dict[str, Strand] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    missions: dict[str, Mission] = field(default_factory=dict)
    glossary: dict[str, GlossaryEntry] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    audiences: dict[str, Audience] = field(default_factory=dict)
    # (kind, id) -> path of the content file relative to the project root
    files: dict[tuple[str, str], str] = field(default_factory=dict)
    # Where records stand, relative to the project root, for messages about them:
    # ("topic", id), ("topic", id, section, point) for each statement, ("audience", id).
    places: dict[tuple[str | int, ...], Location] = field(default_factory=dict)
    # What loading noticed that does not stop a build (content/coverage.py): validate reports it.
    warnings: list[Problem] = field(default_factory=list)

    def place(self, *key: str | int) -> Location:
        """Return where record ``key`` stands (content/topics/x.yaml:12:11), else its topic's file."""
        where = self.places.get(key)
        if where is not None:
            return where
        kind = "audiences" if key and key[0] == "audience" else str(key[0]) if key else ""
        return Location(self.files.get((kind, str(key[1])), "") if len(key) > 1 else "")

    def section_title(self, cite: str) -> tuple[str, str]:
        """Return (source title, section title) for a 'source#section' citation."""
        source_id, section_id = cite.split("#", 1)
        source = self.sources[source_id]
        for section in source.sections:
            if section.id == section_id:
                return source.title, section.title
        raise KeyError(cite)
