"""Content no briefing shows: unknown section kinds are errors; uncited statements and unmatched sections warn."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from briefgen.content.load import load_library

AUDIENCES = Path("content/audiences.yaml")
TOPIC = Path("content/topics/relief.yaml")


def edit(root: Path, rel: Path, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def line_of(root: Path, rel: Path, needle: str) -> int:
    return next(n for n, line in enumerate((root / rel).read_text().splitlines(), 1) if needle in line)


def problems(result: Result) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(result.stdout)["problems"]
    return found


def test_a_misspelt_audience_kind_is_a_located_error_with_a_suggestion(
    sample: Path, cli: Callable[..., Result]
) -> None:
    edit(sample, AUDIENCES, "{kind: background}", "{kind: backgroud}")
    result = cli(sample, "validate")
    assert result.exit_code == 2
    line = line_of(sample, AUDIENCES, "backgroud")
    assert f"content/audiences.yaml:{line}:" in result.output
    assert "section kind 'backgroud' is unknown; did you mean 'background'?" in result.output
    # The build refuses it too, rather than leaving the section out of every briefing.
    assert cli(sample, "build", "--format", "html").exit_code == 2


def test_a_misspelt_topic_kind_and_data_kinds(sample: Path, cli: Callable[..., Result]) -> None:
    edit(sample, TOPIC, "kind: analysis", "kind: analysys")
    edit(sample, AUDIENCES, "{kind: timeline}", "{kind: timelime}")
    result = cli(sample, "validate", "--error-format", "json")
    found = {(p["file"], p["line"], p["code"], p["message"], p["hint"]) for p in problems(result)}
    assert (
        "content/topics/relief.yaml",
        line_of(sample, TOPIC, "analysys"),
        "content.unknown-kind",
        "section kind 'analysys' is unknown",
        "did you mean 'analysis'?",
    ) in found
    assert (
        "content/audiences.yaml",
        line_of(sample, AUDIENCES, "timelime"),
        "content.unknown-kind",
        "section kind 'timelime' is unknown",
        "did you mean 'timeline'?",
    ) in found
    assert result.exit_code == 2


def test_an_uncited_statement_is_a_located_warning(sample: Path, cli: Callable[..., Result]) -> None:
    edit(
        sample,
        TOPIC,
        "          cite: relief#agencies\n          themes: [logistics]\n",
        "          themes: [logistics]\n",
    )
    result = cli(sample, "validate", "--error-format", "json")
    assert result.exit_code == 0, result.output  # warnings do not fail validate
    uncited = [p for p in problems(result) if p["code"] == "content.uncited"]
    assert [(p["file"], p["line"], p["severity"]) for p in uncited] == [
        ("content/topics/relief.yaml", line_of(sample, TOPIC, "Shared depots cut"), "warning")
    ]
    assert uncited[0]["message"] == "statement cites no source"


def test_sections_no_audience_shows_or_no_topic_fills_are_located_warnings(
    sample: Path, cli: Callable[..., Result]
) -> None:
    edit(sample, TOPIC, "    - kind: background\n", "    - kind: outlook\n")
    result = cli(sample, "validate", "--error-format", "json")
    assert result.exit_code == 0, result.output
    warned = {(p["file"], p["line"], p["code"]): p for p in problems(result) if p["severity"] == "warning"}
    unshown = warned[
        ("content/topics/relief.yaml", line_of(sample, TOPIC, "kind: outlook"), "content.unshown-section")
    ]
    assert unshown["message"] == "no audience shows section kind 'outlook', so this section is in no briefing"
    unfilled = warned[
        (
            "content/audiences.yaml",
            line_of(sample, AUDIENCES, "{kind: background}"),
            "content.unfilled-section",
        )
    ]
    assert "no topic has a section of kind 'background'" in str(unfilled["message"])
    text = cli(sample, "validate")
    assert text.exit_code == 0 and "project is valid (2 warning(s))" in text.output


def test_the_sample_and_bundled_content_warn_of_nothing(sample: Path) -> None:
    library, _ = load_library(sample / "content", sample)
    assert library.warnings == []
    repo = Path(__file__).resolve().parents[2]
    bundled, _ = load_library(repo / "content", repo)
    assert bundled.warnings == []
