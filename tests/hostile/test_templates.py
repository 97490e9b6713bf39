"""Hostile templates: sandbox escapes, paths out, and output or time bombs end in located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefgen.render.html.sandbox as sandbox
from briefgen.errors import SecurityError, TemplateError
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.html.document import render_html
from briefgen.render.html.environment import make_environment, render_template
from tests.hostile.conftest import briefing_for


class Record:
    """A context object like the Briefing a template sees."""

    title = "T"


def render_string(tmp_path: Path, source: str, **context: object) -> str:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "t.html").write_text(source)
    env = make_environment(TemplateDirs((folder.resolve(),)), {})
    return render_template(env, "t.html", context)


def refused(
    tmp_path: Path, source: str, error: type[TemplateError] = TemplateError, **context: object
) -> str:
    """Render ``source`` on line 2 of t.html, expecting ``error``; return its message."""
    with pytest.raises(error) as info:
        render_string(tmp_path, "line one\n" + source, x=lambda: None, o=Record(), **context)
    return str(info.value)


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ x.__globals__ }}",
        "{{ x.__code__ }}",
        "{{ o.__dict__ }}",
        "{{ (0).__class__ }}",
        "{{ 'a{0.__class__}'.format(x) }}",
        "{{ 'a {x.__class__}'.format_map({'x': 1}) }}",
        "{{ x | attr('__class__') }}",
        "{{ o | attr('__init__') }}",
        "{% for i in [1] %}{{ loop.__class__ }}{% endfor %}",
        "{% for i in [1] %}{{ loop.cycle.__globals__ }}{% endfor %}",
        "{{ self.__init__.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ [1].append(2) }}",
        "{{ {'a': 1}.update({'b': 2}) }}",
    ],
)
def test_sandbox_escapes_are_security_errors_with_file_and_line(tmp_path: Path, source: str) -> None:
    message = refused(tmp_path, source, SecurityError)
    assert "t.html:2: unsafe template code refused:" in message


@pytest.mark.parametrize(
    "source",
    [
        "{{ range(10) }}",
        "{{ dict(a=1) }}",
        "{{ lipsum() }}",
        "{{ cycler(1, 2).__init__ }}",
        "{{ joiner() }}",
        "{{ namespace(a=1) }}",
        "{% macro m() %}{{ caller.__globals__ }}{% endmacro %}{% call m() %}x{% endcall %}",
    ],
)
def test_removed_helpers_and_hidden_attributes_are_undefined(tmp_path: Path, source: str) -> None:
    message = refused(tmp_path, source)
    assert "t.html:2: undefined variable:" in message
    assert f"2 | {source[:30]}" in message


def test_harmless_format_calls_still_work(tmp_path: Path) -> None:
    out = render_string(
        tmp_path,
        "{{ 'a{0.title}'.format(o) }} {{ '%05.1f'|format(3.14159) }} {{ '{:>5}'.format(1) }}",
        o=Record(),
    )
    assert out == "aT 003.1     1"


def test_undefined_variable_is_named_with_source_line(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as info:
        render_string(tmp_path, "<h1>{{ title }}</h1>\n<p>{{ briefng.title }}</p>", title="T")
    message = str(info.value)
    assert "t.html:2: undefined variable: 'briefng' is undefined" in message
    assert "2 | <p>{{ briefng.title }}</p>" in message


@pytest.mark.parametrize(
    "source", ["ok\n{% if %}\n", "ok\n{% for x in %}{% endfor %}", "ok\n{{ x }\n", "ok\n{% endblock %}"]
)
def test_syntax_errors_are_located(tmp_path: Path, source: str) -> None:
    with pytest.raises(TemplateError) as info:
        render_string(tmp_path, source)
    assert "t.html:2: template syntax error" in str(info.value)


@pytest.mark.parametrize(
    "statement",
    [
        '{% include "../secret.html" %}',
        '{% include "/etc/passwd" %}',
        '{% include "a/../../b.html" %}',
        '{% extends "/etc/passwd" %}',
        '{% import "../x.html" as x %}',
        '{% from "../x.html" import m %}',
        '{% include "!../secret.html" %}',
        '{% include "sub\\\\..\\\\..\\\\secret.html" %}',
    ],
)
def test_includes_outside_the_template_folders_are_refused(tmp_path: Path, statement: str) -> None:
    (tmp_path / "secret.html").write_text("TOP SECRET")
    with pytest.raises(SecurityError) as info:
        render_string(tmp_path, statement)
    assert "TOP SECRET" not in str(info.value)
    assert "outside the template folders" in str(info.value) or "forbidden character" in str(info.value)


def test_percent_encoded_names_are_not_decoded(tmp_path: Path) -> None:
    (tmp_path / "secret.html").write_text("TOP SECRET")
    with pytest.raises(TemplateError) as info:
        render_string(tmp_path, '{% include "%2e%2e/secret.html" %}')
    assert "not found in the template folders" in str(info.value)


def test_symlink_out_of_template_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("TOP SECRET")
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "link.html").symlink_to(secret)
    (folder / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    for name in ("link.html", "linked-dir/secret.html"):
        with pytest.raises(TemplateError) as info:
            render_string(tmp_path, '{% include "' + name + '" %}')
        assert "points outside the template folder" in str(info.value)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 'x' * 1000000000 }}", "'*' would build a value of 1000000000"),
        ("{{ 'x' * 100000 * 100000 }}", "'*' would build"),
        ("{{ [1] * 1000000000 }}", "'*' would build"),
        ("{{ ['x' * 1000000] * 1000000 }}", "would build"),
        ("{{ 9 ** 999999 }}", "'**' would build a number of more than"),
        ("{{ 'x'.center(10**9) }}", "str.center() would build"),
        ("{{ 'x'.ljust(10**9) }}", "str.ljust() would build"),
        ("{{ 'x'.zfill(10**9) }}", "str.zfill() would build"),
        ("{{ 'a\tb'.expandtabs(10**9) }}", "str.expandtabs() would build"),
        ("{{ ('x' * 100000).replace('', 'y' * 100) }}", "str.replace() would build"),
        ("{{ ('y' * 1000000).join('x' * 1000000) }}", "str.join() would build"),
        ("{{ 'x'|center(1000000000) }}", "the center filter would build"),
        ("{{ ('x\\n' * 1000)|indent(100000) }}", "the indent filter would build"),
        ("{{ [1, 2]|batch(10**9, 'x')|list }}", "the batch filter would build"),
        ("{{ [1, 2]|slice(10**9)|list }}", "the slice filter would build"),
        ("{{ ('x' * 1000000)|join('y' * 1000000) }}", "the join filter would build"),
        ("{{ ('x' * 100000)|replace('', 'y' * 100) }}", "the replace filter would build"),
        ("{{ '%999999999s'|format('x') }}", "a width of 999999999 in a % format"),
        ("{{ '%*s' % (999999999, 'x') }}", "a width taken from the arguments ('*')"),
        ("{{ '{:>999999999}'.format('x') }}", "a width of 999999999 in a format"),
        ("{{ '{:>{w}}'.format('x', w=999999999) }}", "a width taken from the arguments ('{:{w}}')"),
        (
            "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s %}" * 7,
            "this expression would build",
        ),
        (
            "{% set s = 'x' * 100000 %}{% set l = [s, s, s, s, s, s, s, s, s, s, s] %}",
            "this expression would build",
        ),
        (
            "{% set s = 'x' * 300000 %}{% set a %}{{ s }}{{ s }}{{ s }}{{ s }}{% endset %}",
            "this expression would build",
        ),
        (
            "{% set s = 'x' * 300000 %}{% filter upper %}{{ s }}{{ s }}{{ s }}{{ s }}{% endfilter %}",
            "this expression",
        ),
        (
            "{% macro m(t) %}{{ t }}{{ t }}{% endmacro %}{% set a = m('x' * 600000) %}",
            "this call would build",
        ),
    ],
)
def test_output_bombs_stop_at_a_limit_with_file_and_line(tmp_path: Path, source: str, expected: str) -> None:
    message = refused(tmp_path, source)
    assert message.startswith("tpl/t.html:2: ") or "t.html:2: " in message
    assert expected in message


def test_output_bigger_than_the_cap_is_stopped(tmp_path: Path) -> None:
    message = refused(tmp_path, "{% set s = 'x' * 1000000 %}{% for a in s %}{{ s }}{% endfor %}")
    assert "produced more than 20000000 characters; stopped" in message


def test_loops_that_print_nothing_still_end(tmp_path: Path) -> None:
    source = "".join(f"{{% for {v} in l %}}" for v in "abcd") + "{% endfor %}" * 4
    message = refused(tmp_path, source, l=list(range(1000)))
    assert f"t.html:2: template ran more than {sandbox.MAX_STEPS} loop steps and calls; stopped" in message


def test_a_render_over_its_time_budget_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    # Few steps, each slow: only the clock can stop this one.
    source = "{% set l = ('x' * 1000000)|list %}{% for i in l %}{{ l|sort|length }}{% endfor %}"
    message = refused(tmp_path, source)
    assert "t.html:2: template took more than 0.5 s to render; stopped" in message


@pytest.mark.parametrize(
    "source",
    [
        "{% macro r(n) %}{{ r(n) }}{% endmacro %}{{ r(1) }}",
        "{% for x in l recursive %}{{ loop(l) }}{% endfor %}",
        "{% macro m(n) %}{% for i in l %}{{ m(n) }}{% endfor %}{% endmacro %}{{ m(1) }}",
        '{% include "t.html" %}',
    ],
)
def test_recursion_is_a_located_error_not_a_crash(tmp_path: Path, source: str) -> None:
    message = refused(tmp_path, source, l=[1, 2])
    assert "t.html:" in message and "template recursed too deeply" in message


def test_mutual_includes_and_self_extends_are_stopped(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "a.html").write_text('{% include "b.html" %}')
    (folder / "b.html").write_text('{% include "a.html" %}')
    (folder / "e.html").write_text('{% extends "e.html" %}')
    for entry in ('{% include "a.html" %}', '{% extends "e.html" %}'):
        assert "recursed too deeply" in refused(tmp_path, entry)


def test_the_limits_leave_real_templates_plenty_of_room(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The built-in templates need under a thousand steps; a budget 250 times smaller still fits.
    monkeypatch.setattr(sandbox, "MAX_STEPS", sandbox.MAX_STEPS // 250)
    briefing, ctx = briefing_for(sample)
    html = render_html(briefing, ctx)
    assert "<main>" in html and "Joint planning" in html
