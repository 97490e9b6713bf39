"""The command line: validate, list, ingest, and the installed entry points."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import TESTS


def test_validate_reports_every_problem_at_once(sample: Path, cli: Callable[..., Result]) -> None:
    (sample / "content" / "themes.yaml").write_text("themes:\n  - id: logistics\n    title: [a]\n  - id: x\n")
    (sample / "content" / "orgs.yaml").write_text("organizations:\n  - id: relief-union\n    nme: RU\n")
    result = cli(sample, "validate")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "content/orgs.yaml:2:5: organizations[0].name: required key is missing" in lines
    assert "content/orgs.yaml:3:5: organizations[0].nme: unknown key; did you mean 'name'?" in lines
    assert any(
        line.startswith("content/themes.yaml:3:12: themes[0].title: expected a valid string")
        for line in lines
    )
    assert "content/themes.yaml:4:5: themes[1].title: required key is missing" in lines
    assert lines[-1] == "4 problem(s) found"


def test_validate_checks_templates(sample: Path, cli: Callable[..., Result]) -> None:
    (sample / "templates").mkdir()
    (sample / "templates" / "base.html").write_text("<html>\n{% block body %}\n</html>\n")
    result = cli(sample, "validate")
    assert result.exit_code == 2
    assert "templates/base.html:3: template syntax error" in result.output


def test_list_shows_topics_audiences_formats(sample: Path, cli: Callable[..., Result]) -> None:
    result = cli(sample, "list")
    assert result.exit_code == 0
    assert "relief" in result.output and "Relief Coordination" in result.output
    assert "exec" in result.output and "(budget 2 pages)" in result.output
    assert "pdf" in result.output and "docx" in result.output


def test_ingest_writes_a_draft_that_validates(sample: Path, cli: Callable[..., Result]) -> None:
    raw = TESTS / "data" / "ingest" / "sample_unseen.txt"
    result = cli(sample, "ingest", str(raw), "--id", "unseen")
    assert result.exit_code == 0, result.output
    assert (sample / "content" / "sources" / "unseen.yaml").is_file()
    assert cli(sample, "validate").exit_code == 0
    again = cli(sample, "ingest", str(raw), "--id", "unseen")
    assert again.exit_code == 2 and "--force" in again.output


def test_python_m_and_console_script(sample: Path) -> None:
    for command in ([sys.executable, "-m", "briefgen"], [str(Path(sys.executable).parent / "briefgen")]):
        done = subprocess.run(
            [*command, "-C", str(sample), "list"], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert "relief" in done.stdout


def test_serve_options_live_in_the_config(sample: Path, cli: Callable[..., Result]) -> None:
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text() + "serve:\n  host: 127.0.0.1\n  port: 99999\n")
    result = cli(sample, "serve")
    assert result.exit_code == 2
    assert "briefgen.yaml:8:9: serve.port: Input should be less than or equal to 65535" in result.output
