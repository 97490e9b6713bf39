"""Fuzzing: the loader fails only with located BriefgenErrors; the writers never make a broken file."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.content.load import load_library
from briefgen.content.model import FILE_KINDS
from briefgen.content.yamlread import read_yaml
from briefgen.errors import BriefgenError, ContentError
from briefgen.project.config import load_project
from briefgen.render.docx.writer import DocxRenderer
from briefgen.render.html.document import render_html
from briefgen.render.registry import RenderContext
from tests.conftest import copy_project
from tests.hostile.test_docx import NASTY, check_word_file, make_briefing

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_RENDER = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of YAML that trip parsers: structure, quoting, anchors, tags, YAML 1.1 scalars, bad bytes.
FRAGMENTS = [
    "a", "key", "topic", "id", "title", ":", ": ", "\n", "\n  ", "\n    ", "- ", "-", "  ", "\t",
    '"', "'", "\\", "\\x07", "\\ud800", "&a ", "*a", "!!python/object:os.system ", "!x ", "<<: ",
    "[", "]", "{", "}", ",", "#", "|", ">", "---\n", "...\n", "%YAML 1.1\n", "? ", "0777", "1:20",
    "0x1F", ".inf", "2024-13-45", "2026-01-15", "NO", "yes", "~", "null", "=", "9" * 30, "é", "\u2028",
    "\x00", "\x07", "\x85", "\ufeff", "\r", "\r\n",
]  # fmt: skip
yaml_text = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)


def assert_located(error: BriefgenError, name: str) -> None:
    """Every problem names the file and a line."""
    assert error.problems, str(error)
    for problem in error.problems:
        assert problem.location.path.endswith(name), problem
        assert problem.location.line >= 1, problem


@FUZZ
@given(st.one_of(st.binary(max_size=400), yaml_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_read_yaml_fails_only_with_located_content_errors(data: bytes) -> None:
    try:
        doc = read_yaml(Path("fuzz.yaml"), data)
    except ContentError as exc:
        assert_located(exc, "fuzz.yaml")
    else:
        assert doc.path == Path("fuzz.yaml")


# Content-shaped data: real kinds and field names mixed with junk, at every depth.
FIELD_NAMES = sorted(
    {name for model, _ in FILE_KINDS.values() for name in model.model_fields}
    | {"sections", "points", "text", "cite", "kind", "level", "include", "facts"}
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.text(max_size=30),
    st.sampled_from(["relief", "relief#intro", "key", "detail", "bluf", "bullets", "x" * 600, ""]),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=10))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=30,
)
content_file = st.one_of(
    st.builds(lambda kind, body: {kind: body}, st.sampled_from(list(FILE_KINDS)), values),
    values,
)


@FUZZ
@given(st.lists(content_file, min_size=1, max_size=3))
def test_load_library_fails_only_with_located_content_errors(files: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = root / "content"
        content.mkdir()
        for index, data in enumerate(files):
            (content / f"f{index}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
        try:
            load_library(content, root)
        except ContentError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert "content/f" in problem.location.path or problem.location.path.startswith("f"), problem
                assert problem.location.line >= 1, problem


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> RenderContext:
    root = copy_project("sample", tmp_path_factory.mktemp("fuzz"))
    return RenderContext.for_project(load_project(root))


nasty_text = st.one_of(
    st.text(st.one_of(st.characters(), st.sampled_from(list(NASTY))), max_size=40),
    st.text(st.sampled_from([*NASTY, "a", " ", "é", "😀"]), max_size=40).map(lambda s: s * 100),
)


@FUZZ_RENDER
@given(data=st.data())
def test_docx_writer_always_makes_a_file_word_opens(ctx: RenderContext, data: st.DataObject) -> None:
    briefing = make_briefing(
        lambda name: data.draw(nasty_text, label=name),
        href=data.draw(
            st.one_of(nasty_text, nasty_text.map(lambda s: "https://example.org/" + s)), label="href"
        ),
        level=data.draw(st.integers(-2, 12), label="level"),
        columns=data.draw(st.integers(1, 63), label="columns"),
    )
    check_word_file(DocxRenderer().render(briefing, ctx).data)


@FUZZ_RENDER
@given(data=st.data())
def test_html_renderer_always_makes_parseable_html(ctx: RenderContext, data: st.DataObject) -> None:
    briefing = make_briefing(lambda name: data.draw(nasty_text, label=name))
    html = render_html(briefing, ctx)
    tree = lxml.html.fromstring(html.encode("utf-8"))
    assert not tree.xpath("//script")
