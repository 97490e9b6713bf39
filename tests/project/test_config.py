"""briefgen.yaml and the environment, read once at project load."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import ConfigError
from briefgen.project.config import EPOCH_FIRST, load_project


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("1700000000", 1_700_000_000), (" 1700000000 ", 1_700_000_000), ("0", EPOCH_FIRST)],
)
def test_source_date_epoch_is_read_once_into_the_project(sample: Path, value: str | None, expected: int | None) -> None:
    environ = {} if value is None else {"SOURCE_DATE_EPOCH": value}
    assert load_project(sample, environ=environ).source_date_epoch == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds"),
        ("-5", "is not a whole number of seconds"),
        ("1e9", "is not a whole number of seconds"),
        ("99999999999", "lies after 2107"),
        ("9" * 400, "is not a whole number of seconds"),
    ],
)
def test_a_source_date_epoch_zip_cannot_hold_is_a_clear_error(sample: Path, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_project(sample, environ={"SOURCE_DATE_EPOCH": value})


def test_garbage_epoch_stops_the_build_with_a_message(sample: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not-a-time")
    result = cli(sample, "build")
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH='not-a-time' is not a whole number of seconds since 1970" in result.output
    assert "Traceback" not in result.output
