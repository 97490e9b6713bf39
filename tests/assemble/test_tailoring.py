"""Audience tailoring on the bundled content: selection, order, depth, length, budget."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import Result

from briefgen.assemble.markup import plain
from briefgen.assemble.tailor import DATA_KINDS, assemble
from briefgen.content.load import load_library
from tests.conftest import REPO


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(REPO / "content", REPO)[0]


def words(briefing: Any) -> int:
    return sum(len(plain(p.spans).split()) for part in briefing.parts for p in part.paragraphs)


def test_two_audiences_differ_as_their_profiles_say(library: Any) -> None:
    make = lambda a: assemble(library, "border-security", a, author="x", default_date=dt.date(2026, 1, 1))  # noqa: E731
    executive, policy = make("executive"), make("policy")
    profiles = library.audiences
    # Order and wording: the level-1 headings are the profile's headings, in the profile's order.
    for briefing, audience in ((executive, profiles["executive"]), (policy, profiles["policy"])):
        expected = [s.heading for s in audience.sections]
        got = [p.heading for p in briefing.parts if p.level == 1]
        assert got == [h for h in expected if h in got]
        assert len(got) >= len(expected) - 1  # at most one kind absent from this topic
    # Selection: the executive gets no background, the policy reader no "Risks to watch".
    assert "Background" in [p.heading for p in policy.parts]
    assert "Background" not in [p.heading for p in executive.parts]
    assert "Risks to watch" in [p.heading for p in executive.parts]
    # Depth: summary keeps key statements only, and no more than max_points each.
    assert all(p.key for part in executive.parts for p in part.paragraphs)
    for part, entry in zip(executive.parts, profiles["executive"].sections, strict=False):
        if entry.kind not in DATA_KINDS and entry.max_points:
            assert len(part.paragraphs) <= entry.max_points
    assert not all(p.key for part in policy.parts for p in part.paragraphs)
    # Length and furniture.
    assert words(executive) * 3 < words(policy)
    assert not executive.show_contents and policy.show_contents
    assert executive.marking != policy.marking


def test_public_and_executive_texts_of_one_topic_differ_in_wording(library: Any) -> None:
    make = lambda a: assemble(library, "border-security", a, author="x", default_date=dt.date(2026, 1, 1))  # noqa: E731
    public, executive, policy = make("public"), make("executive"), make("policy")
    texts = lambda b: {p.ref: plain(p.spans) for part in b.parts for p in part.paragraphs}  # noqa: E731
    shown_to_both = set(texts(public)) & set(texts(executive))
    assert shown_to_both  # the bottom line, at least
    for ref in shown_to_both:
        assert texts(public)[ref] != texts(executive)[ref], ref
        assert texts(public)[ref] != texts(policy).get(ref)
    # The public's opening box is not the executive bottom line word for word.
    assert [plain(p.spans) for p in public.parts[0].paragraphs] != [
        plain(p.spans) for p in executive.parts[1].paragraphs
    ]
    assert (public.register, executive.register, policy.register) == ("plain", "brief", "default")
    assert not public.fallbacks and not executive.fallbacks
    # Plain words read easier: the public meets its target, the policy reader's default does not.
    assert public.reading_ease is not None and public.reading_ease_target == 60
    assert public.reading_ease >= 60 > (policy.reading_ease or 0)
    # The public reads without note calls; the sources are still listed.
    assert public.note_placement == "none" and not public.notes and public.sources
    assert all(p.note is None for part in public.parts for p in part.paragraphs)


def test_the_executive_opens_with_the_decision_and_policy_is_built_around_problem_and_options(
    library: Any,
) -> None:
    make = lambda a: assemble(library, "border-security", a, author="x", default_date=dt.date(2026, 1, 1))  # noqa: E731
    executive, policy = make("executive"), make("policy")
    assert executive.parts[0].kind == "decision" and executive.parts[0].style == "callout"
    assert all(p.spans[-1].text.startswith(" Owner: ") for p in executive.parts[0].paragraphs)
    kinds = [p.kind for p in policy.parts if p.level == 1]
    assert kinds.index("challenges") < kinds.index("options") < kinds.index("recommendations")
    options = next(p for p in policy.parts if p.kind == "options")
    assert all(" Gains: " in plain(p.spans) and " Costs: " in plain(p.spans) for p in options.paragraphs)
    risks = next(p for p in executive.parts if p.kind == "challenges")
    assert all(
        re.match(r"(Likely \(55–80%\)|Very likely|Unlikely|Roughly even chance)", plain(p.spans))
        for p in risks.paragraphs
    )


def test_a_body_its_cut_cannot_fit_fails_or_warns_as_the_profile_says(
    sample: Path, cli: Callable[..., Result]
) -> None:
    # The field briefing's tables and timeline are not optional, and fill more than a page.
    audiences = sample / "content" / "audiences.yaml"
    text = audiences.read_text().replace("    depth: detailed\n", "    depth: detailed\n    page_budget: 1\n")
    audiences.write_text(text)
    result = cli(sample, "build", "--audience", "field", "--format", "pdf")
    assert result.exit_code == 1
    assert (
        "FAILED  relief/field.pdf: body is 2 pages even with all 3 optional statements cut, over the "
        "1-page budget of audience 'field'; shorten the content, raise page_budget, or set over_budget: warn"
        in result.output
    )
    audiences.write_text(text.replace("    page_budget: 1\n", "    page_budget: 1\n    over_budget: warn\n"))
    result = cli(sample, "build", "--audience", "field", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert (
        "warning relief/field.pdf: body is 2 pages even with every optional statement cut, over the "
        "1-page budget of audience 'field'" in result.output
    )
    line = next(line for line in result.output.splitlines() if "cut to its 1-page budget" in line)
    assert len(re.findall(r"content/topics/relief\.yaml:\d+:\d+ \(", line)) == 3


def test_word_contents_are_prefilled(sample: Path, cli: Callable[..., Result]) -> None:
    config = sample / "briefgen.yaml"  # numbered from the PDF's pagination, built alongside
    config.write_text(config.read_text().replace("paginate: none", "paginate: pdf"))
    assert cli(sample, "build", "--audience", "field", "--format", "pdf,docx").exit_code == 0
    document = docx.Document(str(sample / "build" / "relief" / "field.docx"))
    # number, text and page, tab-separated, as Word writes its own TOC results
    entries = [p.text.split("\t") for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert [e[:2] for e in entries[:2]] == [["1", "Bottom line up front"], ["2", "History of relief cooperation"]]
    assert entries[-1][:2] == ["", "Sources"]
    assert all(e[-1].isdigit() for e in entries), entries
    body = document.element.body.xml
    # A real field that Word can refresh, but no prompt on opening: not dirty, no updateFields.
    assert 'TOC \\o "1-2"' in body and "w:dirty" not in body
    assert "updateFields" not in document.settings.element.xml
