"""Word's contents numbered from the PDF when LibreOffice is not used: the build keeps them right."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from briefgen.render.docx.paginate import pages_of

WORD = Path("build") / "relief" / "field.docx"


def numbers(sample: Path) -> list[str]:
    return list(pages_of((sample / WORD).read_bytes()).values())


@pytest.fixture(autouse=True)
def from_the_pdf(sample: Path) -> None:
    """Number Word from the PDF, as a machine without LibreOffice does."""
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text().replace("paginate: none", "paginate: pdf"))


def test_a_stale_word_file_brings_its_fresh_pdf_along(sample: Path, cli: Callable[..., Result]) -> None:
    first = cli(sample, "build", "--audience", "field")
    assert first.exit_code == 0, first.output
    expected = numbers(sample)
    assert expected and all(n.isdigit() for n in expected)
    assert "warning relief/field.docx: contents numbered from the PDF's pagination" in first.output
    (sample / WORD).unlink()  # only the Word file is stale now
    again = cli(sample, "build", "--audience", "field")
    assert again.exit_code == 0, again.output
    assert "built   relief/field.pdf" in again.output and "built   relief/field.docx" in again.output
    assert numbers(sample) == expected


def test_a_pdf_built_again_brings_its_word_file_along(sample: Path, cli: Callable[..., Result]) -> None:
    alone = cli(sample, "build", "--audience", "field", "--format", "docx")
    assert alone.exit_code == 0, alone.output
    assert "contents without page numbers" in alone.output
    assert set(numbers(sample)) == {""}
    # The PDF is stale (never built): its Word file renders with it and takes its numbers.
    both = cli(sample, "build", "--audience", "field")
    assert "built   relief/field.pdf" in both.output and "built   relief/field.docx" in both.output
    assert all(n.isdigit() for n in numbers(sample))


def test_a_pdf_template_change_renumbers_the_word_file(sample: Path, cli: Callable[..., Result]) -> None:
    assert cli(sample, "build", "--audience", "field").exit_code == 0
    (sample / "templates").mkdir()
    (sample / "templates" / "briefing.css").write_text(
        '@import url("!briefing.css");\n.body { margin-bottom: 40mm; }\n'
    )
    again = cli(sample, "build", "--audience", "field")
    # The Word file's numbers come from the PDF's layout, so it is stale with the PDF.
    assert "built   relief/field.docx" in again.output, again.output
