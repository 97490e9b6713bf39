"""Global options anywhere (-v, -q), -h for help, and shell completion."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli.main import main
from briefgen.errors import ContentError


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False, prog_name="briefgen")


def break_content(project: Path) -> None:
    (project / "content" / "orgs.yaml").write_text("organizations:\n  - id: relief-union\n    nme: RU\n")


def test_verbose_after_the_subcommand_counts_like_before(sample: Path) -> None:
    break_content(sample)
    for args in (["-vv", "list"], ["list", "-vv"], ["-v", "list", "-v"]):
        with pytest.raises(ContentError):  # -vv: the traceback, not the one-line report
            run("-C", str(sample), *args)
    result = run("-C", str(sample), "list", "-v")
    assert result.exit_code == 2 and "error: content is not valid" in result.stderr
    assert logging.getLogger().level == logging.INFO


def test_verbose_reaches_subcommands_of_groups(sample: Path) -> None:
    result = run("-C", str(sample), "templates", "list", "-v")
    assert result.exit_code == 0 and "built-in" in result.stdout


def test_quiet_prints_only_problems(sample: Path, tmp_path: Path) -> None:
    assert run("-C", str(sample), "validate", "-q").output == ""
    assert run("-q", "init", str(tmp_path / "new")).output == ""
    assert (tmp_path / "new" / "briefgen.yaml").is_file()
    built = run("-C", str(sample), "build", "-f", "docx", "-q")
    assert built.exit_code == 0 and built.output == ""  # no progress, no table
    break_content(sample)
    failed = run("-C", str(sample), "-q", "validate")
    assert failed.exit_code == 2 and failed.stdout == ""
    assert "content/orgs.yaml:3:5: organizations[0].nme: unknown key; did you mean 'name'?" in failed.stderr
    assert "problem(s) found" not in failed.stderr


def test_quiet_and_verbose_contradict(sample: Path) -> None:
    for args in (["-q", "-v", "list"], ["-q", "list", "-v"], ["list", "-v", "-q"]):
        result = run("-C", str(sample), *args)
        assert result.exit_code == 2 and "contradict" in result.output


@pytest.mark.parametrize("args", [[], ["build"], ["manifest", "merge"], ["templates", "eject"], ["schema"]])
def test_h_is_help(args: list[str]) -> None:
    short, long = run(*args, "-h"), run(*args, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.output == long.output and "Usage: briefgen" in short.output


def test_shell_completion_script_and_answers() -> None:
    script = run(env={"_BRIEFGEN_COMPLETE": "bash_source"})
    assert script.exit_code == 0 and "_briefgen_completion()" in script.output
    words = run(env={"_BRIEFGEN_COMPLETE": "bash_complete", "COMP_WORDS": "briefgen bu", "COMP_CWORD": "1"})
    assert "plain,build" in words.output.splitlines()
    options = run(env={"_BRIEFGEN_COMPLETE": "zsh_complete", "COMP_WORDS": "briefgen build --wa", "COMP_CWORD": "2"})
    assert "--watch" in options.output
