"""Under GitHub Actions: problems as workflow commands, and the build's job summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli.main import main
from briefgen.cli.output import GitHub
from briefgen.errors import Location, Problem

BROKEN_TEMPLATE = '{% extends "base.html" %}\n{% block body %}\n{{ nope.x }}{% endblock %}\n'


@pytest.fixture
def actions(sample: Path, tmp_path: Path) -> dict[str, str]:
    """The variables a GitHub Actions runner sets, with the summary file in a temp folder."""
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(sample),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
    }


def run(project: Path, env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(project), *args], env=env, catch_exceptions=False)


def test_validate_problems_become_annotations_on_their_lines(sample: Path, actions: dict[str, str]) -> None:
    (sample / "content" / "orgs.yaml").write_text("organizations:\n  - id: relief-union\n    nme: RU\n")
    result = run(sample, actions, "validate")
    assert result.exit_code == 2
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert (
        "::error file=content/orgs.yaml,line=3,col=5,title=briefgen content.unknown-key"
        "::organizations[0].nme: unknown key; did you mean 'name'?"
    ) in commands
    assert all(c.startswith("::error file=") for c in commands)
    # People still read the plain lines in the log.
    assert "content/orgs.yaml:3:5: organizations[0].nme: unknown key; did you mean 'name'?" in result.stderr


def test_without_github_actions_there_are_no_workflow_commands(sample: Path) -> None:
    (sample / "content" / "orgs.yaml").write_text("organizations:\n  - id: relief-union\n    nme: RU\n")
    result = run(sample, {"GITHUB_ACTIONS": ""}, "validate")
    assert result.exit_code == 2 and "::error" not in result.output


def test_build_annotates_failures_and_writes_the_job_summary(sample: Path, actions: dict[str, str]) -> None:
    summary = Path(actions["GITHUB_STEP_SUMMARY"])
    summary.write_text("earlier step\n")
    # Without a page budget, no Word file takes its cut from the broken PDF layout.
    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(audiences.read_text().replace("    page_budget: 2\n", ""))
    (sample / "templates").mkdir()
    (sample / "templates" / "briefing.html").write_text(BROKEN_TEMPLATE)
    result = run(sample, actions, "build", "-f", "pdf,docx")
    assert result.exit_code == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    # One template error failing two PDFs is one annotation, on the template's line.
    assert len(commands) == 1
    assert commands[0].startswith("::error file=templates/briefing.html,line=3,title=briefgen template.undefined::")
    assert "%0A    3 | {{ nope.x }}{%25 endblock %25}" in commands[0]  # line breaks and % escaped
    text = summary.read_text()
    assert text.startswith("earlier step\n## briefgen build\n")  # appended, never replaced
    assert "**2 built, 0 cached, 2 failed** of 4 targets" in text
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert [row.split(" | ")[1] for row in rows] == ["failed", "failed", "built", "built"]
    assert "undefined variable: 'nope' is undefined" in rows[0]
    (sample / "templates" / "briefing.html").unlink()
    assert run(sample, actions, "build", "-f", "docx").exit_code == 0
    second = summary.read_text().split("## briefgen build")[-1]
    assert "**0 built, 2 cached, 0 failed** of 2 targets" in second
    assert second.count("| cached |") == 2


def test_json_keeps_stdout_for_the_document(sample: Path, actions: dict[str, str]) -> None:
    (sample / "content" / "orgs.yaml").write_text("organizations:\n  - id: relief-union\n    nme: RU\n")
    result = run(sample, actions, "validate", "--error-format", "json")
    assert json.loads(result.stdout)["problems"]
    assert "::error file=content/orgs.yaml,line=3,col=5" in result.stderr  # the runner reads stderr too


def test_properties_and_message_are_escaped() -> None:
    github = GitHub()
    problem = Problem(Location("odd, name:1.yaml", 2, 4), "100% wrong\r\nsecond line", code="x.y", hint="fix: it")
    assert github.command(problem) == (
        "::error file=odd%2C name%3A1.yaml,line=2,col=4,title=briefgen x.y::100%25 wrong%0D%0Asecond line; fix: it"
    )
    warning = Problem.warning(Location(""), "no file", code="build.warning")
    assert github.command(warning) == "::warning title=briefgen build.warning::no file"


def test_paths_are_given_relative_to_the_checkout(tmp_path: Path) -> None:
    github = GitHub(workspace=tmp_path)
    inside = Problem(Location(str(tmp_path / "briefs" / "briefgen.yaml"), 1), "bad", code="config.invalid")
    assert github.command(inside).startswith("::error file=briefs/briefgen.yaml,line=1,")


def test_github_is_read_from_the_environment_only_when_actions_run() -> None:
    assert GitHub.from_environ({}) is None
    assert GitHub.from_environ({"GITHUB_ACTIONS": "false"}) is None
    found = GitHub.from_environ({"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "/tmp/s.md"})
    assert found == GitHub(None, Path("/tmp/s.md"))


def test_an_unwritable_summary_is_a_warning_not_a_failure(sample: Path, actions: dict[str, str]) -> None:
    actions["GITHUB_STEP_SUMMARY"] = str(sample / "no-such-folder" / "summary.md")
    result = run(sample, actions, "build", "-f", "docx")
    assert result.exit_code == 0
    assert "warning: cannot append to the job summary" in result.stderr
