"""Templates: search path, "!" overrides, sandbox, strict undefined, located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.assemble import assemble
from briefgen.build import render_context
from briefgen.config import load_project
from briefgen.errors import SecurityError, TemplateError
from briefgen.loader import load_library
from briefgen.renderers.html import render_html
from briefgen.templating import TemplateDirs, make_environment, render_template


def html_for(project: Path) -> str:
    proj = load_project(project)
    library, _ = load_library(proj.content_dir, proj.root)
    briefing = assemble(library, "relief", "field", author="x", default_date=dt.date(2026, 1, 1))
    return render_html(briefing, render_context(proj))


def render_string(tmp_path: Path, source: str, **context: object) -> str:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "t.html").write_text(source)
    env = make_environment(TemplateDirs((folder.resolve(),)), {})
    return render_template(env, "t.html", context)


def test_override_replaces_one_block_only(sample: Path) -> None:
    original = html_for(sample)
    (sample / "templates").mkdir()
    (sample / "templates" / "base.html").write_text(
        '{% extends "!base.html" %}{% block notes %}<p class="custom">Handled by the desk</p>{% endblock %}'
    )
    changed = html_for(sample)
    assert '<p class="custom">Handled by the desk</p>' in changed
    assert 'id="sources"' in original and 'id="sources"' not in changed
    assert changed.split("<main>")[0] == original.split("<main>")[0]
    assert changed.split("<main>")[1].split("</main>")[0] == original.split("<main>")[1].split("</main>")[0]


def test_content_is_escaped(tmp_path: Path) -> None:
    out = render_string(tmp_path, "<p>{{ text }}</p>", text='<script>alert(1)</script><a style="x">')
    assert "<script>" not in out and "&lt;script&gt;" in out


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ x.__globals__ }}",
        "{{ 'a{0.__class__}'.format(x) }}",
        "{{ x | attr('__class__') }}",
    ],
)
def test_sandbox_escapes_are_refused_with_location(tmp_path: Path, source: str) -> None:
    with pytest.raises((SecurityError, TemplateError)) as info:
        render_string(tmp_path, "line one\n" + source, x=lambda: None)
    message = str(info.value)
    assert "t.html:2" in message
    assert "unsafe" in message or "undefined" in message


def test_undefined_variable_is_named_with_source_line(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as info:
        render_string(tmp_path, "<h1>{{ title }}</h1>\n<p>{{ briefng.title }}</p>", title="T")
    message = str(info.value)
    assert "t.html:2: undefined variable: 'briefng' is undefined" in message
    assert "2 | <p>{{ briefng.title }}</p>" in message


def test_syntax_error_is_located(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as info:
        render_string(tmp_path, "ok\n{% if %}\n")
    assert "t.html:2: template syntax error" in str(info.value)


@pytest.mark.parametrize("name", ["../secret.html", "/etc/passwd", "a/../../b.html"])
def test_includes_outside_the_template_folders_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(TemplateError):
        render_string(tmp_path, '{% include "' + name + '" %}')


def test_symlink_out_of_template_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("TOP SECRET")
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "link.html").symlink_to(secret)
    with pytest.raises(TemplateError) as info:
        render_string(tmp_path, '{% include "link.html" %}')
    assert "points outside the template folder" in str(info.value)
