"""The format table: the one place format facts live, and every stage reads it."""

from __future__ import annotations

import importlib.metadata

import pytest

from briefgen.errors import ConfigError
from briefgen.formats import DEFAULT_FORMATS, FORMATS, format_spec
from briefgen.project.config import ProjectConfig
from briefgen.render.registry import get_renderer


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_has_its_renderer_and_installed_libraries(name: str) -> None:
    spec = FORMATS[name]
    assert get_renderer(name).name == name
    assert spec.suffix == f".{name}"
    for library in spec.libraries:
        assert importlib.metadata.version(library)  # a misspelt distribution would never hash


def test_default_matrix_comes_from_the_table() -> None:
    assert ProjectConfig().matrix.formats == list(DEFAULT_FORMATS)
    assert set(DEFAULT_FORMATS) <= set(FORMATS)


def test_an_unknown_format_is_refused_with_the_nearest_name() -> None:
    with pytest.raises(ConfigError, match="unknown format 'pfd'; did you mean 'pdf'"):
        format_spec("pfd")
