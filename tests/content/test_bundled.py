"""The bundled content: valid, traceable to the seeds, and buildable end to end."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pypdf
import pytest

from briefgen.batch.build import build
from briefgen.commands.validate import validate_project
from briefgen.content.load import load_library
from briefgen.ingest.provenance import check_provenance
from briefgen.project.config import load_project
from tests.conftest import REPO, SEEDS

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir() and os.environ.get("CI") != "true", reason="../shared/seeds not present"
)


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    lib, docs = load_library(REPO / "content", REPO)
    return lib, docs


def test_bundled_content_covers_every_seed(library) -> None:  # type: ignore[no-untyped-def]
    lib, _ = library
    assert len(lib.sources) == 5
    assert len(lib.topics) >= 8
    assert len(lib.audiences) >= 4
    statements = [p for t in lib.topics.values() for s in t.sections for p in s.points]
    assert all(p.cite for p in statements)
    assert all(m.cite for m in lib.missions.values())


@needs_seeds
def test_bundled_content_is_traceable_to_the_seeds(library) -> None:  # type: ignore[no-untyped-def]
    lib, docs = library
    assert check_provenance(lib, docs, SEEDS) == []


@needs_seeds
def test_bundled_project_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert validate_project(load_project(REPO), SEEDS) == []


def test_default_build_makes_a_real_briefing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    project = load_project(REPO, {"output": "build/.test-default"})
    try:
        report = build(project, topics=["border-security"], audiences=["executive"])
        assert not report.failed, [r.error for r in report.failed]
        out = REPO / "build" / ".test-default" / "border-security"
        reader = pypdf.PdfReader(out / "executive.pdf")
        text = "\n".join(p.extract_text() for p in reader.pages)
        assert "Peacekeeping and Border Security" in text
        assert "Bottom line up front" in text and "MINUSMA" in text
        document = docx.Document(str(out / "executive.docx"))
        assert any(p.style.name == "Callout Heading" for p in document.paragraphs)
    finally:
        import shutil

        shutil.rmtree(REPO / "build" / ".test-default", ignore_errors=True)


def test_every_briefing_shows_each_judgment_and_risk_in_standard_wording_and_dates_its_information(
    library,  # type: ignore[no-untyped-def]
) -> None:
    # test_bundled_wording checks that every key judgment has a confidence level; here every
    # briefing of every audience shows it, and each risk's likelihood, in the standard words.
    import datetime as dt
    import re

    from briefgen.assemble.markup import plain
    from briefgen.assemble.standards import LIKELIHOOD
    from briefgen.assemble.tailor import assemble

    lib, _ = library
    judgments = risks = 0
    for topic in lib.topics:
        for audience in lib.audiences:
            briefing = assemble(lib, topic, audience, author="x", default_date=dt.date(2026, 11, 1))
            assert ("Information", "Sources undated; content as of 1 November 2026") in [
                (row.label, row.value) for row in briefing.cover
            ]
            for part in briefing.parts:
                for p in part.paragraphs:
                    text = plain(p.spans)
                    if part.kind == "key-judgments":
                        judgments += 1
                        assert p.spans[0].bold and re.match(r"(Low|Moderate|High) confidence: ", text), text
                    if part.kind == "challenges" and p.key:
                        risks += 1
                        term = "(" + "|".join(term for term, _ in LIKELIHOOD.values()) + ")"
                        assert re.match(term + r" \(\d+–\d+%\), (low|moderate|high) impact: ", text), text
    assert judgments >= 60 and risks >= 40
