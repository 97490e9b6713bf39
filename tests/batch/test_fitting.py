"""A build cuts an overlong briefing once: PDF, Word and HTML say the same, however the job is made up."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
from click.testing import Result
from lxml import html as lxml_html

from tests.batch.test_cache import outcome
from tests.render.pdf.test_fit import overlong_topic

LABEL = re.compile(r"\b[BKDR]-\d\d\b")


def pdf_labels(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return LABEL.findall("\n".join(page.extract_text() or "" for page in pdf.pages))


def word_labels(path: Path) -> list[str]:
    return LABEL.findall("\n".join(p.text for p in docx.Document(str(path)).paragraphs))


def html_labels(path: Path) -> list[str]:
    return LABEL.findall(lxml_html.fromstring(path.read_bytes()).xpath("string(//main)"))


def test_pdf_word_and_html_take_the_same_cut_and_the_report_locates_it(
    sample: Path, cli: Callable[..., Result]
) -> None:
    overlong_topic(sample)
    result = cli(sample, "build", "--topic", "overlong", "--audience", "tight", "--format", "pdf,docx,html")
    assert result.exit_code == 0, result.output
    out = sample / "build" / "overlong"
    shown = pdf_labels(out / "tight.pdf")
    assert word_labels(out / "tight.docx") == shown == html_labels(out / "tight.html")
    every = [f"B-0{i}" for i in (1, 2)] + [f"K-0{i}" for i in range(1, 9)] + [f"D-0{i}" for i in range(1, 9)]
    every += [f"R-0{i}" for i in range(1, 7)]
    assert shown != every and set(shown) < set(every)
    dropped = [label for label in every if label not in shown]
    # Detail went first, the lowest-ranked (last) first: here detail alone makes it fit.
    assert dropped == [f"D-0{i}" for i in range(9 - len(dropped), 9)], dropped
    # Each format's line says what went, every statement by where it stands in the topic file.
    for fmt in ("pdf", "docx", "html"):
        line = next(
            line for line in result.output.splitlines() if line.startswith(f"warning overlong/tight.{fmt}:")
        )
        assert "cut to its 2-page budget: dropped" in line
        places = re.findall(r"content/topics/overlong\.yaml:(\d+):\d+ \((\w+)\)", line)
        assert len(places) == len(every) - len(shown)
    topic = (sample / "content" / "topics" / "overlong.yaml").read_text().splitlines()
    assert [topic[int(line) - 1].split()[2] for line, _ in places] == sorted(dropped, reverse=True)


def test_a_word_file_built_without_its_pdf_gets_the_same_cut(
    sample: Path, cli: Callable[..., Result]
) -> None:
    overlong_topic(sample)
    assert cli(sample, "build", "--topic", "overlong", "--audience", "tight").exit_code == 0
    out = sample / "build" / "overlong"
    together = (out / "tight.docx").read_bytes()
    # A stale Word file beside a fresh PDF: the job holds the Word file alone.
    (out / "tight.docx").unlink()
    result = cli(sample, "build", "--topic", "overlong", "--audience", "tight")
    assert outcome(result)["built"] == {"overlong/tight.docx"}
    assert "cut to its 2-page budget" in result.output
    assert (out / "tight.docx").read_bytes() == together
    # And a project that never builds PDFs.
    (sample / "briefgen.yaml").write_text(
        (sample / "briefgen.yaml").read_text() + "matrix:\n  formats: [docx]\n"
    )
    shutil.rmtree(sample / "build")
    shutil.rmtree(sample / ".briefgen-cache")
    assert cli(sample, "build", "--topic", "overlong", "--audience", "tight").exit_code == 0
    assert (out / "tight.docx").read_bytes() == together


def test_a_briefing_that_cannot_fit_fails_every_format_saying_what_to_do(
    sample: Path, cli: Callable[..., Result]
) -> None:
    overlong_topic(sample, key=1, detail=0, bullets=1)
    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(audiences.read_text().replace("    page_budget: 2\n", "    page_budget: 1\n"))
    topic = sample / "content" / "topics" / "overlong.yaml"
    topic.write_text(topic.read_text().replace("relief agencies", " ".join(["relief agencies"] * 400)))
    result = cli(sample, "build", "--topic", "overlong", "--audience", "tight")
    assert result.exit_code == 1
    assert outcome(result)["FAILED"] == {"overlong/tight.pdf", "overlong/tight.docx"}
    assert "FAILED  overlong/tight.pdf: body is" in result.output
    assert "over the 1-page budget of audience 'tight'" in result.output
    assert (
        "FAILED  overlong/tight.docx:\n    the cut to the page budget could not be decided, as the PDF's layout "
        "failed:\n    body is"
        in result.output
    )


def test_a_pdf_template_error_that_fails_a_budgeted_word_file_is_one_problem(sample: Path) -> None:
    from tests.cli.test_json import BROKEN_TEMPLATE, document, run

    (sample / "templates").mkdir()
    (sample / "templates" / "briefing.html").write_text(BROKEN_TEMPLATE)
    data = document(run(sample, "build", "-f", "pdf,docx", "--audience", "exec", "--error-format", "json"))
    targets = {t["path"]: t["status"] for t in data["targets"]}
    assert targets == {"relief/exec.pdf": "failed", "relief/exec.docx": "failed"}
    # The Word file failed for the PDF's template error: tools see that one problem, once.
    assert [(p["file"], p["line"]) for p in data["problems"]] == [("templates/briefing.html", 3)]
