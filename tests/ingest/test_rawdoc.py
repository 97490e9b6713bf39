"""Tests for the raw-document parser: headings, bullets, noise, lines, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import ContentError
from briefgen.ingest.document import (
    BulletList,
    Paragraph,
    RawDocument,
    find_section,
    section_text,
    split_sentences,
    title_case_ratio,
)
from briefgen.ingest.rawdoc import parse_document
from briefgen.ingest.readers import read_document

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
SEED_000 = "000_f867a352aef167f3.txt"  # no blank lines, "- item" bullets
SEED_001 = "001_57991060cc806671.txt"  # blank lines, title line, "  • item" bullets
SEED_002 = "002_9f7841a9bc8e3c01.txt"  # no blank lines, "-" alone then the item
SEED_003 = "003_ec0d7d71e67f3866.txt"
SEED_004 = "004_f19069ed4dc5356e.txt"
HEADING_COUNTS = {SEED_000: 15, SEED_001: 14, SEED_002: 16, SEED_003: 12, SEED_004: 14}
TITLES = {
    SEED_000: None,
    SEED_001: "Exploring International Peacekeeping Missions: A Comprehensive Guide",
    SEED_002: None,
    SEED_003: None,
    SEED_004: "Unveiling the Strategic Role of Peace Enforcement Missions",
}

HEADINGS_000 = [
    "The Role of Peacekeeping in Border Security",
    "Key Peacekeeping Missions Focused on Border Security",
    "The United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)",
    "The Organization for Security and Co-operation in Europe (OSCE) Missions",
    "Challenges in Peacekeeping Operations Related to Border Security",
    "Strategies for Enhancing Peacekeeping and Border Security",
    "Collaborative International Efforts",
    "Effective Training and Logistics",
    "The Impact of Technology on Peacekeeping and Border Security",
    "Surveillance Systems",
    "Communication Tools",
    "The Importance of Local Cooperation in Peacekeeping Missions",
    "Case Studies of Successful Peacekeeping and Border Security Initiatives",
    "Future Trends in Peacekeeping and Border Security",
    "Conclusion: The Path Forward for Peacekeeping and Border Security",
]
HEADINGS_004 = [
    "Evolution of Peace Enforcement Missions",
    "Legal Framework for Peace Enforcement Missions",
    "Role of Military Alliances in Peace Enforcement",
    "Challenges Faced in Peace Enforcement Missions",
    "Training and Preparation for Peace Enforcement",
    "Technologies Utilized in Peace Enforcement",
    "Success Stories of Peace Enforcement Missions",
    "Civil-Military Cooperation in Peace Enforcement",
    "Humanitarian aid coordination",
    "Infrastructure rebuilding efforts",
    "Psychological and Social Impact on Peace Enforcement Personnel",
    "Post-mission mental health support",
    "Community engagement programs",
    "Future Trends and Innovations in Peace Enforcement Missions",
]
HEADINGS_002 = [
    "Defining International Collaboration in Peacekeeping",
    "Historical Context of Peacekeeping Efforts",
    "The Role of International Organizations",
    "United Nations Peacekeeping",
    "Regional Organizations and Their Contributions",
    "Key Challenges in Conflict Zones",
    "Political Instability",
    "Humanitarian Crises",
    "Successful Case Studies of Collaboration",
    "Techniques for Effective Collaboration",
    "Joint Training Exercises",
    "Coordination in Resource Allocation",
    "The Impact of Technology on Peacekeeping Collaboration",
    "Future Trends in International Collaboration",
    "Best Practices for Strengthening Peacekeeping Collaboration",
    "The Path Forward: Advancing International Collaboration in Peacekeeping",
]


def seed(name: str) -> RawDocument:
    """Parse one seed document, skipping when the shared seeds are absent."""
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed documents not found at {SEEDS} (CI provides ../shared/seeds)")
    return read_document(path)


def all_text(doc: RawDocument) -> list[str]:
    """Return every heading, paragraph and bullet item of a document."""
    return [line for section in doc.sections for line in section_text(section).split("\n")]


# --- the seed documents ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HEADING_COUNTS))
def test_every_seed_has_its_headings_title_and_no_noise(name: str) -> None:
    doc = seed(name)
    assert len(doc.headings) == HEADING_COUNTS[name]
    assert doc.title == TITLES[name]
    assert doc.sections[0].heading is None  # every seed opens with untitled paragraphs
    assert all(len(section.blocks) > 0 for section in doc.sections)
    assert not [text for text in all_text(doc) if "See also" in text]
    assert doc.title is None or doc.title not in doc.headings


@pytest.mark.parametrize("name", sorted(HEADING_COUNTS))
def test_headings_do_not_depend_on_blank_lines(name: str) -> None:
    doc = seed(name)
    lines = [line for line in (SEEDS / name).read_text(encoding="utf-8").split("\n") if line.strip()]
    for layout in ("\n".join(lines), "\n\n".join(lines)):
        other = parse_document(layout, Path(name))
        assert (other.title, other.headings) == (doc.title, doc.headings)


def test_no_blank_line_seed_has_exact_headings() -> None:
    doc = seed(SEED_000)
    assert doc.headings == HEADINGS_000
    assert [s.line for s in doc.sections[:4]] == [1, 3, 7, 12]


def test_no_blank_line_seed_with_lone_dash_bullets_has_exact_headings() -> None:
    assert seed(SEED_002).headings == HEADINGS_002


def test_blank_line_seed_has_exact_headings_including_sentence_case() -> None:
    doc = seed(SEED_004)
    assert doc.headings == HEADINGS_004
    assert doc.title_line == 1
    assert doc.sections[0].line == 3
    assert find_section(doc, "Humanitarian aid coordination") is not None


def test_dash_bullets_are_kept_exactly() -> None:
    section = find_section(
        seed(SEED_000),
        "The United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)",
    )
    assert section is not None
    assert [(item.text, item.line) for item in section.items()] == [
        ("Deployment of more than 15,000 personnel, including troops, police, and civilian staff", 16),
        ("Efforts to collaborate with other international entities to address border security "
         "issues", 17),
        ("Implementation of community engagement strategies to foster trust among local "
         "populations", 18),
    ]  # fmt: skip
    intro = section.blocks[3 - 1]
    assert isinstance(intro, Paragraph)
    assert (intro.text, intro.line) == ("Key features of MINUSMA include:", 15)


def test_lone_dash_bullets_take_the_next_line_as_the_item() -> None:
    section = find_section(seed(SEED_002), "Techniques for Effective Collaboration")
    assert section is not None
    lists = [b for b in section.blocks if isinstance(b, BulletList)]
    assert len(lists) == 1
    assert [item.line for item in lists[0].items] == [48, 50, 52, 54]
    assert [item.text for item in lists[0].items] == [
        "Joint Training Exercises: Nations that participate in peacekeeping operations can "
        "benefit enormously from joint training exercises. These exercises foster "
        "interoperability, enabling various military and civilian units to operate seamlessly "
        "within diverse and complex environments.",
        "Coordination in Resource Allocation: Effective collaboration also relies on coordinated "
        "resource allocation. By ensuring that resources such as personnel, equipment, and "
        "financial aid are distributed efficiently, international partners can enhance their "
        "overall impact in peacekeeping missions.",
        "Regular Communication Channels: Maintaining open lines of communication among "
        "participating nations is crucial. This facilitates timely information sharing, thus "
        "allowing peacekeeping forces to adjust strategies in response to evolving situations "
        "on the ground.",
        "Cultural Competency Training: Understanding the local context is vital in conflict "
        "zones. Training personnel in cultural awareness fosters respect for local customs, "
        "which can significantly improve relations between international forces and local "
        "communities.",
    ]
    # The item texts that start like headings ("Joint Training Exercises: ...") stay items.
    assert section.blocks[1] == Paragraph("Key techniques include:", 46)


def test_indented_dot_bullets_are_kept_exactly() -> None:
    section = find_section(seed(SEED_004), "Training and Preparation for Peace Enforcement")
    assert section is not None
    kinds = ["P" if isinstance(b, Paragraph) else "L" for b in section.blocks]
    assert kinds == ["P", "P", "L", "P", "L"]
    first = section.blocks[2]
    assert isinstance(first, BulletList)
    assert [(item.text, item.line) for item in first.items] == [
        ("Combat Readiness: Equipping troops with tactical skills, weaponry training, and combat "
         "simulations to handle diverse on-ground situations.", 51),
        ("Cultural Sensitivity Training: Understanding local customs and traditions to foster "
         "better communication and collaboration with the community.", 52),
    ]  # fmt: skip


def test_bullets_separated_by_blank_lines_form_one_list() -> None:
    section = find_section(seed(SEED_001), "European Union’s Peacekeeping Involvement")
    assert section is not None
    assert [b.line for b in section.blocks] == [65, 67]
    assert [item.line for item in section.items()] == [67, 69, 71]


def test_see_also_lines_are_dropped_and_recorded() -> None:
    doc = seed(SEED_001)
    assert doc.noise == [33, 77, 110]
    section = find_section(doc, "Impact and Effectiveness Evaluation")
    assert section is not None
    assert [b.line for b in section.blocks] == [104, 106, 108]


def test_paragraph_text_is_whitespace_normalised_with_curly_quotes_kept() -> None:
    doc = seed(SEED_004)
    lead = doc.sections[0].blocks[0]
    assert isinstance(lead, Paragraph)
    assert "the concept of “Peace Enforcement Missions” stands" in lead.text
    assert "  " not in lead.text


# --- find_section and section_text -------------------------------------------------


def test_find_section_matches_exact_heading_after_whitespace_normalisation() -> None:
    doc = seed(SEED_000)
    section = find_section(doc, "  Surveillance\u00a0Systems \n")
    assert section is not None and section.line == 52
    assert find_section(doc, "surveillance systems") is None
    assert find_section(doc, "Surveillance") is None


def test_section_text_holds_heading_paragraphs_and_items() -> None:
    doc = seed(SEED_000)
    section = find_section(doc, "Collaborative International Efforts")
    assert section is not None
    lines = section_text(section).split("\n")
    assert lines[0] == "Collaborative International Efforts"
    assert len(lines) == 1 + 2 + 3  # heading, two paragraphs, three bullet items
    assert lines[2].startswith("Establishing joint task forces")
    assert "Collaborative International Efforts" not in section_text(doc.sections[0])


# --- documents written for these tests ---------------------------------------------


def test_unseen_document_without_title_or_blank_lines() -> None:
    doc = read_document(DATA / "sample_unseen.txt")
    assert doc.title is None
    assert doc.headings == [
        "Foundations of Relief Coordination",
        "Lessons from Long Deployments",
        "Looking ahead",
    ]
    assert [s.line for s in doc.sections] == [1, 3, 12, 17]
    assert doc.noise == [10]
    assert not [text for text in all_text(doc) if "See also" in text]
    foundations, lessons = doc.sections[1], doc.sections[2]
    assert [(i.text, i.line) for i in foundations.items()] == [
        ("Agreeing on a single needs assessment", 6),
        ("Sharing one map of the affected areas", 7),
        ("Naming a lead agency for each sector, such as shelter or water", 9),
    ]
    assert [(i.text, i.line) for i in lessons.items()] == [
        ("Pre-position supplies before the rainy season", 14),
        ("Train local volunteers every year", 15),
    ]
    # The list introductions end with ":" and stay paragraphs of their section.
    assert foundations.blocks[1] == Paragraph(
        "Shared logistics hubs let agencies pool warehouses, trucks and aircraft. "
        "The key principles of relief coordination include:",
        5,
    )
    assert [b.line for b in foundations.blocks] == [4, 5, 6, 11]


def test_titled_document_with_blank_lines_and_wrapped_paragraphs() -> None:
    doc = read_document(DATA / "sample_titled.txt")
    assert (doc.title, doc.title_line) == ("Community Libraries in Rural Areas", 1)
    assert doc.headings == ["Funding and Growth", "Health information desks"]
    assert doc.noise == [11]
    lead = doc.sections[0].blocks[0]
    assert isinstance(lead, Paragraph)
    # Lines wrapped inside one block join into one paragraph that remembers its lines.
    assert lead.text.startswith("Rural libraries lend books,")
    assert lead.text.endswith("the only free public space.")
    assert lead.line == 3
    assert lead.line_at(lead.text.index("In many villages")) == 4
    assert lead.line_at(lead.text.index("meeting rooms")) == 3
    items = doc.sections[1].items()
    assert [(i.text, i.line) for i in items] == [
        ("Book lending and inter-library loans", 15),
        ("Free computer and internet access", 16),
        ("Reading clubs for children", 17),
    ]


def test_windows_line_endings_give_the_same_document() -> None:
    text = (DATA / "sample_unseen.txt").read_text(encoding="utf-8")
    unix = parse_document(text, Path("a.txt"))
    windows = parse_document(text.replace("\n", "\r\n"), Path("a.txt"))
    assert windows.sections == unix.sections


# --- heading heuristics ------------------------------------------------------------


def parse(text: str) -> RawDocument:
    """Parse a small inline document."""
    return parse_document(text, Path("inline.txt"))


def test_short_sentence_and_list_introduction_are_not_headings() -> None:
    doc = parse(
        "Lead paragraph of the article goes here, long enough to be prose.\n"
        "Water Supply\n"
        "Clean water matters.\n"
        "Items needed\n"
        "- buckets\n"
        "- filters\n"
        "A closing paragraph that follows the list and ends properly.\n"
    )
    assert doc.headings == ["Water Supply"]
    assert doc.sections[1].blocks[1] == Paragraph("Items needed", 4)


def test_heading_runs_and_a_trailing_short_line() -> None:
    doc = parse(
        "Opening paragraph that sets the scene for the whole article.\n"
        "Part One\n"
        "Background and Context\n"
        "Prose under the sub-heading, ending with a full stop.\n"
        "Thanks for reading\n"
    )
    assert doc.headings == ["Part One", "Background and Context"]
    assert doc.sections[-1].blocks[-1] == Paragraph("Thanks for reading", 5)


def test_long_or_lowercase_lines_without_punctuation_are_prose() -> None:
    long_line = " ".join(["word"] * 25).capitalize()
    doc = parse(f"First paragraph here.\n{long_line}\nnot a heading at all\nLast line here.\n")
    assert doc.headings == []
    assert len(doc.sections) == 1 and len(doc.sections[0].blocks) == 4


def test_numbered_headings_are_headings() -> None:
    doc = parse(
        "Opening paragraph of a report, which has numbered headings.\n"
        "1. Scope of the Report\n"
        "The report covers two years.\n"
        "2.1 Method\n"
        "We read every file.\n"
    )
    assert doc.headings == ["1. Scope of the Report", "2.1 Method"]


def test_title_case_ratio_ignores_minor_words() -> None:
    assert title_case_ratio("The Role of Peacekeeping in Border Security") == 1.0
    assert title_case_ratio("Humanitarian aid coordination") == pytest.approx(1 / 3)
    assert title_case_ratio("1945") == 0.0


def test_split_sentences_keeps_abbreviations_and_closing_quotes() -> None:
    text = "Troops from the U.S. Army arrived in 1990. Then “they left.” Aid, e.g. Food, came!"
    assert split_sentences(text) == [
        (0, "Troops from the U.S. Army arrived in 1990."),
        (43, "Then “they left.”"),
        (61, "Aid, e.g. Food, came!"),
    ]
    for offset, sentence in split_sentences(text):
        assert text[offset : offset + len(sentence)] == sentence


# --- errors ------------------------------------------------------------------------


def test_empty_and_blank_documents_are_refused(tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("blank.txt", b"\n \n\t\n")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ContentError) as caught:
            read_document(path)
        assert caught.value.problems[0].location.line == 1
        assert name in str(caught.value)


def test_noise_only_document_is_refused_and_a_lone_line_is_prose() -> None:
    with pytest.raises(ContentError, match="no text besides site links") as caught:
        parse("\n\nSee also\u00a0 Something Else\n")
    assert caught.value.problems[0].location.line == 3
    # A heading needs text after it, so a lone short line is the document's text.
    doc = parse("A Lonely Title\n\nSee also\u00a0 Something Else\n")
    assert doc.title is None
    assert doc.sections[0].blocks == [Paragraph("A Lonely Title", 1)]


def test_non_utf8_document_is_read_as_latin1_with_a_located_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("First line.\nSecond line.\nCaf\u00e9 society.\n".encode("latin-1"))
    doc = read_document(path)
    assert "Caf\u00e9 society." in section_text(doc.sections[0])
    (warning,) = doc.warnings
    assert warning.severity == "warning" and warning.location.line == 1
    assert "read as Latin-1 (a guess)" in str(warning) and "latin1.txt:1" in str(warning)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_documents_are_text_not_binary(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Relief Hubs\nShared warehouses cut delivery times by half in 2019.\n".encode(encoding))
    doc = read_document(path)
    assert doc.title == "Relief Hubs"
    assert "2019" in section_text(doc.sections[0])
    # With a byte-order mark the encoding is certain; without one it is a guess, and said so.
    assert bool(doc.warnings) == (encoding != "utf-16")


def test_missing_and_binary_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="file not found"):
        read_document(tmp_path / "absent.txt")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"Text line.\n\x00\x01\x02")
    with pytest.raises(ContentError, match="NUL byte") as caught:
        read_document(binary)
    assert caught.value.problems[0].location.line == 2
