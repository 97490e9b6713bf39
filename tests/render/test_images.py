"""Images checked before a renderer is handed them: empty, unreadable and not-SVG files, by name."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from briefgen.project.searchpath import builtin_dir
from briefgen.render.images import image_problem


@pytest.mark.parametrize(
    ("data", "suffix", "expected"),
    [
        (b"", ".png", "image file is empty"),
        (b"  \n", ".svg", "image file is empty"),
        (b"not a picture", ".png", "image is damaged or not an image (not a PNG, JPEG or GIF picture)"),
        (b"\x89PNG\r\n\x1a\n0000", ".png", "image is damaged or not an image"),
        (b"<svg", ".svg", "SVG is not well-formed XML (line 1)"),
        (b"<html><body/></html>", ".svg", "not an SVG drawing: its root element is <html>, not <svg>"),
    ],
)
def test_bad_images_are_named_in_words(data: bytes, suffix: str, expected: str) -> None:
    problem = image_problem(data, suffix)
    assert problem is not None and problem.startswith(expected)
    assert "0x" not in problem and "BytesIO" not in problem  # no Python object in a user's message


def test_a_drawing_passes() -> None:
    assert image_problem(b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', ".svg") is None


@pytest.mark.parametrize("logo", ["logo.png", "logo.svg"])
def test_an_empty_theme_logo_fails_every_format_by_name(
    sample: Path, cli: Callable[..., Result], logo: str
) -> None:
    theme = sample / "templates" / "themes" / "field"
    shutil.copytree(builtin_dir() / "themes" / "field", theme)
    spec = theme / "theme.yaml"
    spec.write_text(spec.read_text().replace("logo: logo.svg", f"logo: {logo}"))
    (theme / logo).write_bytes(b"")
    result = cli(sample, "build", "--theme", "field", "--audience", "field", "--format", "pdf,docx,html")
    assert result.exit_code == 1
    assert result.output.count(f"themes/field/{logo}': image file is empty") >= 2  # PDF and HTML
    assert f"{logo}: image file is empty" in result.output  # Word
    assert "BytesIO" not in result.output and "Traceback" not in result.output
    assert "file://" not in result.output and str(sample) not in result.output
