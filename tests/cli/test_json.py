"""--error-format json: one document on stdout, with stable field names the README documents."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefgen.batch.plan import Target
from briefgen.batch.report import BuildReport
from briefgen.batch.report import Result as TargetResult
from briefgen.cli.main import main
from briefgen.cli.output import JSON_VERSION, build_problems, from_text, result_problems
from tests.conftest import REPO

# The layout tools rely on: changing any of these is a breaking change (bump JSON_VERSION).
DOCUMENT_FIELDS = ["version", "briefgen", "command", "ok", "exit_code", "problems"]
BUILD_FIELDS = [*DOCUMENT_FIELDS, "targets", "counts", "seconds"]
PROBLEM_FIELDS = ["file", "line", "column", "severity", "code", "message", "hint"]
TARGET_FIELDS = ["topic", "audience", "format", "path", "status", "pages", "size", "seconds", "problems"]
COUNT_FIELDS = ["built", "cached", "failed", "total"]

BROKEN_TEMPLATE = '{% extends "base.html" %}\n{% block body %}\n{{ nope.x }}{% endblock %}\n'


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(project), *args], catch_exceptions=False)


def document(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)  # stdout holds the document and nothing else
    return data


def test_validate_lists_every_problem_with_code_and_hint(sample: Path) -> None:
    (sample / "content" / "orgs.yaml").write_text("organizations:\n  - id: relief-union\n    nme: RU\n")
    result = run(sample, "validate", "--error-format", "json")
    assert result.exit_code == 2
    data = document(result)
    assert list(data) == DOCUMENT_FIELDS
    assert data["version"] == JSON_VERSION and data["command"] == "validate"
    assert data["ok"] is False and data["exit_code"] == 2
    for problem in data["problems"]:
        assert list(problem) == PROBLEM_FIELDS
    assert {
        "file": "content/orgs.yaml",
        "line": 3,
        "column": 5,
        "severity": "error",
        "code": "content.unknown-key",
        "message": "organizations[0].nme: unknown key",
        "hint": "did you mean 'name'?",
    } in data["problems"]
    missing = [p for p in data["problems"] if p["code"] == "content.missing-key"]
    assert missing and missing[0]["message"] == "organizations[0].name: required key is missing"
    # The organization is gone, so every reference to it is reported too, each located.
    assert all(p["file"] and p["line"] and p["code"] for p in data["problems"])


def test_a_valid_project_is_ok(sample: Path) -> None:
    result = run(sample, "validate", "--error-format", "json")
    assert result.exit_code == 0
    assert document(result)["ok"] is True and document(result)["problems"] == []
    assert "project is valid" in result.stderr  # people's notes go to stderr, never into the document


def test_yaml_and_template_problems_carry_their_codes(sample: Path) -> None:
    (sample / "content" / "bad.yaml").write_text("figures:\n\t- id: x\n")
    data = document(run(sample, "validate", "--error-format", "json"))
    (problem,) = data["problems"]
    assert (problem["file"], problem["line"], problem["code"]) == ("content/bad.yaml", 2, "yaml.syntax")
    assert problem["hint"] == "indent with spaces, not tabs"
    (sample / "content" / "bad.yaml").unlink()
    (sample / "templates").mkdir()
    (sample / "templates" / "base.html").write_text("<html>\n{% block body %}\n</html>\n")
    data = document(run(sample, "validate", "--error-format", "json"))
    assert [(p["file"], p["line"], p["code"]) for p in data["problems"]] == [
        ("templates/base.html", 3, "template.syntax")
    ]


def test_a_build_that_cannot_start_is_one_document_too(sample: Path) -> None:
    result = run(sample, "build", "--shard", "5/4", "--error-format", "json")
    assert result.exit_code == 2
    data = document(result)
    assert list(data) == BUILD_FIELDS
    assert data["targets"] == [] and data["counts"] == dict.fromkeys(COUNT_FIELDS, 0)
    (problem,) = data["problems"]
    assert problem["file"] is None and problem["code"] == "config.invalid" and "--shard" in problem["message"]


def test_build_lists_every_target_with_its_status_and_problems(sample: Path) -> None:
    # Without a page budget, no Word file takes its cut from the broken PDF layout.
    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(audiences.read_text().replace("    page_budget: 2\n", ""))
    (sample / "templates").mkdir()
    (sample / "templates" / "briefing.html").write_text(BROKEN_TEMPLATE)
    result = run(sample, "build", "-f", "pdf,docx", "--error-format", "json")
    assert result.exit_code == 1
    data = document(result)
    assert list(data) == BUILD_FIELDS and list(data["counts"]) == COUNT_FIELDS
    targets = {t["path"]: t for t in data["targets"]}
    assert sorted(targets) == ["relief/exec.docx", "relief/exec.pdf", "relief/field.docx", "relief/field.pdf"]
    for target in data["targets"]:
        assert list(target) == TARGET_FIELDS
    assert {t["status"] for p, t in targets.items() if p.endswith(".pdf")} == {"failed"}
    assert {t["status"] for p, t in targets.items() if p.endswith(".docx")} == {"built"}
    failure = targets["relief/exec.pdf"]["problems"][0]
    # The template error's own code, carried from the worker (not the family "render.failed").
    assert (failure["file"], failure["line"], failure["code"]) == ("templates/briefing.html", 3, "template.undefined")
    assert failure["message"].startswith("undefined variable: 'nope' is undefined")
    # The same template error fails both PDFs: the document's list says it once.
    assert [p["file"] for p in data["problems"]] == ["templates/briefing.html"]
    assert data["counts"] == {"built": 2, "cached": 0, "failed": 2, "total": 4}
    assert targets["relief/exec.docx"]["size"] > 0 and targets["relief/exec.pdf"]["size"] is None
    assert "relief/exec.docx" in result.stderr  # progress lines go to stderr beside the document
    again = document(run(sample, "build", "-f", "docx", "--error-format", "json"))
    assert {t["status"] for t in again["targets"]} == {"cached"} and again["ok"] is True


def test_readme_documents_every_field() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Machine-readable output", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    for field in {*BUILD_FIELDS, *PROBLEM_FIELDS, *TARGET_FIELDS, *COUNT_FIELDS}:
        assert field in documented, f"README's JSON section does not document {field!r}"


def _result(status: str, error: str = "", warnings: tuple[str, ...] = ()) -> TargetResult:
    return TargetResult(Target("t", "a", "pdf"), status, "t/a.pdf", error=error, warnings=list(warnings))


def test_a_failure_text_is_read_back_into_located_problems() -> None:
    text = (
        "invalid theme: 1 problem\n"
        "templates/themes/x/theme.yaml:4:3: colours.primary: expected text; quote it\n"
        "    4 | primary: 12\n"
    )
    (problem,) = from_text(text, "error", "render.failed")
    assert (problem.location.path, problem.location.line, problem.location.col) == (
        "templates/themes/x/theme.yaml",
        4,
        3,
    )
    assert problem.message == "colours.primary: expected text\n    4 | primary: 12"
    assert problem.hint == "quote it"
    unlocated = result_problems(_result("failed", "MemoryError: out of memory"))
    assert [(p.location.path, p.message, p.code) for p in unlocated] == [
        ("", "t/a.pdf: MemoryError: out of memory", "render.failed")
    ]


def test_a_failure_keeps_the_code_its_worker_gave_it() -> None:
    timed_out = _result("failed", "time limit exceeded: still rendering after 8s")
    timed_out.code = "render.timeout"
    assert [(p.message, p.code) for p in result_problems(timed_out)] == [
        ("t/a.pdf: time limit exceeded: still rendering after 8s", "render.timeout")
    ]
    located = _result("failed", "templates/x.html:3: undefined variable: 'nope' is undefined")
    located.code = "template.undefined"
    assert [(p.location.line, p.code) for p in result_problems(located)] == [(3, "template.undefined")]


def test_warnings_become_warning_problems_with_their_hint() -> None:
    warned = _result("built", warnings=("body is 3 pages, over the 2-page budget; shorten the content",))
    report = BuildReport([warned, _result("cached", warnings=warned.warnings)])
    problems = build_problems(report)
    assert len(problems) == 1  # the same warning of two targets, listed once
    assert problems[0].severity == "warning" and problems[0].code == "build.warning"
    assert problems[0].hint == "shorten the content"


@pytest.mark.parametrize("command", ["validate", "build"])
def test_the_option_is_listed_in_help(sample: Path, command: str) -> None:
    assert "--error-format [text|json]" in run(sample, command, "-h").output
