"""Hostile YAML: every risky or broken file is refused with file:line:col and what to do."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import briefgen.content.yamlread as yamlread
from briefgen.content.yamlread import MAX_BYTES, MAX_NODES, YamlDoc, read_yaml
from briefgen.errors import ContentError
from tests.hostile.conftest import content_problems, edit


def load(tmp_path: Path, text: str | bytes) -> YamlDoc:
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    return read_yaml(path)


def error(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(ContentError) as info:
        load(tmp_path, text)
    problems = info.value.problems
    assert len(problems) == 1 and problems[0].location.path.endswith("f.yaml")
    return str(info.value)


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test on both of PyYAML's parsers: errors must not depend on which is installed."""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlread, "_FastLoader", None)
    elif yamlread._FastLoader is None:
        pytest.skip("PyYAML without libyaml")
    return str(request.param)


BILLION_LAUGHS = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\nb: *x\n", "f.yaml:1:4: YAML anchors"),
        ("a: [1]\nb: *x\n", "f.yaml:2:4:"),
        (BILLION_LAUGHS, "f.yaml:1:4: YAML anchors (&name) are not allowed"),
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1: duplicate key 'a' (first defined at line 1)"),
        ("a: !!python/object/apply:os.system [ls]\n", "f.yaml:1:4: YAML tags"),
        ("a: !!python/name:os.system\n", "f.yaml:1:4: YAML tags such as 'tag:yaml.org,2002:python/name"),
        ("!!set {a, b}\n", "f.yaml:1:1: YAML tags"),
        ("%TAG ! tag:evil,2000:\n---\na: !x 1\n", "f.yaml:3:4: YAML tags"),
        ("a:\n\t- 1\n", "indent with spaces, not tabs"),
        ("a: 1\n---\nb: 2\n", "keep one YAML document per file"),
        ('a: "open\n', "f.yaml:2:1: invalid YAML"),
        ("a: 'open\nb: 2\n", "invalid YAML"),
        ("a: 1\n<<: {b: 2}\n", "merge keys"),
        ("? [a]\n: b\n", "f.yaml:1:3: mapping keys must be plain words"),
    ],
)
def test_risky_or_broken_yaml_is_refused_with_a_location(
    tmp_path: Path, parser: str, text: str, expected: str
) -> None:
    assert expected in error(tmp_path, text)


def test_invalid_utf8_reports_line_not_byte_offset(tmp_path: Path) -> None:
    message = error(tmp_path, b"a: ok\nb: caf\xe9\n")
    assert "f.yaml:2:7: not valid UTF-8" in message
    assert "save the file as UTF-8" in message
    # Columns count characters, not bytes: 'é' before the bad byte is one column.
    assert "f.yaml:1:6: not valid UTF-8 (byte 0xff)" in error(tmp_path, "a: é ".encode() + b"\xff")


def test_nul_byte_and_utf16_report_a_line(tmp_path: Path) -> None:
    assert "f.yaml:3: NUL byte" in error(tmp_path, b"a: 1\nb: 2\nc: \x00\n")
    assert "f.yaml:1: file is UTF-16 encoded; save it as UTF-8" in error(tmp_path, "a: b\n".encode("utf-16"))


@pytest.mark.parametrize(
    ("text", "where", "char"),
    [
        ("a: ok\nb: x\x07y\n", "f.yaml:2:5", "U+0007"),
        ("a: x\x1b[31mred\n", "f.yaml:1:5", "U+001B"),
        ("a: x\x85y\n", "f.yaml:1:5", "U+0085"),
        ("a: x\u2028y\nb: 1\n", "f.yaml:1:5", "U+2028"),
        ("\x0c\n", "f.yaml:1:1", "U+000C"),
    ],
)
def test_control_characters_in_the_file_are_located(tmp_path: Path, text: str, where: str, char: str) -> None:
    message = error(tmp_path, text)
    assert f"{where}: invisible control character {char} in the file; delete it" in message


@pytest.mark.parametrize(
    ("text", "char"),
    [
        ('a: "bell \\x07"\n', "U+0007"),
        ('a: "\\0"\n', "U+0000"),
        ('a: "\\e[0m"\n', "U+001B"),
        ('"\\x01": 1\n', "U+0001"),
    ],
)
def test_control_characters_from_escapes_are_located(
    tmp_path: Path, parser: str, text: str, char: str
) -> None:
    col = 1 if text.startswith('"') else 4
    assert f"f.yaml:1:{col}: text contains the control character {char}" in error(tmp_path, text)


def test_lone_surrogate_escapes_are_refused(tmp_path: Path, parser: str) -> None:
    message = error(tmp_path, 'a: ok\nb: "\\ud800"\n')
    assert "f.yaml:2:" in message
    assert "U+D800" in message or "invalid Unicode character escape" in message


def test_crlf_and_cr_line_ends_keep_line_numbers(tmp_path: Path) -> None:
    assert "f.yaml:3:1: duplicate key 'a'" in error(tmp_path, b"a: 1\r\nb: 2\r\na: 3\r\n")
    assert "f.yaml:3:1: duplicate key 'a'" in error(tmp_path, b"a: 1\rb: 2\ra: 3\r")


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        ("0777", "an octal (base-8) number"),
        ("-012", "an octal (base-8) number"),
        ("1:20", "a base-60 number"),
        ("190:20:30", "a base-60 number"),
        ("0x1F", "a hexadecimal or binary number"),
        ("0b101", "a hexadecimal or binary number"),
        ("1_000", "a number with the underscores dropped"),
    ],
)
def test_yaml_11_numbers_are_refused_not_silently_converted(
    tmp_path: Path, parser: str, raw: str, what: str
) -> None:
    message = error(tmp_path, f"personnel: {raw}\n")
    assert f"f.yaml:1:12: YAML 1.1 reads {raw!r} as {what}, not as written" in message
    assert "put it in quotes if you mean text" in message


@pytest.mark.parametrize("raw", [".inf", "-.Inf", ".nan", "1:20.5", "1_0.5"])
def test_special_floats_are_refused(tmp_path: Path, raw: str) -> None:
    assert f"f.yaml:1:8: YAML reads {raw!r} as a special number" in error(tmp_path, f"value: {raw}\n")


def test_numbers_too_large_are_refused(tmp_path: Path) -> None:
    assert "more than 18 digits" in error(tmp_path, "a: " + "9" * 100_000 + "\n")
    assert "number '1.5e+400' is too large" in error(tmp_path, "a: 1.5e+400\n")


@pytest.mark.parametrize("raw", ["2024-13-45", "2024-02-30", "2024-01-01 25:00:00"])
def test_impossible_dates_are_located_errors(tmp_path: Path, parser: str, raw: str) -> None:
    message = error(tmp_path, f"date: {raw}\n")
    assert f"f.yaml:1:7: YAML cannot read {raw!r}" in message
    assert "put it in quotes if you mean text" in message


def test_plain_numbers_dates_and_booleans_still_load(tmp_path: Path) -> None:
    doc = load(tmp_path, "a: 0\nb: -12\nc: 4000\nd: 1.5\ne: 2026-01-15\nf: true\ng: '0777'\n")
    assert doc.data["a"] == 0 and doc.data["b"] == -12 and doc.data["c"] == 4000 and doc.data["d"] == 1.5
    assert str(doc.data["e"]) == "2026-01-15" and doc.data["f"] is True and doc.data["g"] == "0777"


def test_deep_nesting_is_refused(tmp_path: Path, parser: str) -> None:
    assert "nesting deeper than" in error(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n")
    assert "f.yaml:64:" in error(tmp_path, "".join("  " * i + "a:\n" for i in range(100)))


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    message = error(tmp_path, b'a: "' + b"x" * (4 * 1024 * 1024) + b'"\n')
    assert f"f.yaml:1: file is larger than the {MAX_BYTES} bytes allowed" in message


@pytest.mark.parametrize("shape", ["block", "flow"])
def test_too_many_values_are_refused_with_a_location(tmp_path: Path, shape: str) -> None:
    count = 200_000
    text = "a:\n" + "- 1\n" * count if shape == "block" else "a: [" + "1," * count + "1]\n"
    message = error(tmp_path, text)
    assert f"more than {MAX_NODES} values; split it into smaller files" in message
    assert "f.yaml:" in message.split(": file has")[0]


def test_one_huge_string_under_the_limit_loads(tmp_path: Path) -> None:
    doc = load(tmp_path, b"a: " + b"word " * (MAX_BYTES // 6) + b"\n")
    assert len(doc.data["a"]) > MAX_BYTES // 2


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(_error_of(fifo)), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "read_yaml blocked on a FIFO"
    assert "f.yaml: not a regular file" in outcome[0]


def _error_of(path: Path) -> str:
    try:
        read_yaml(path)
    except ContentError as exc:
        return str(exc)
    return "no error"


# --- through the loader: schema errors, hints, the content folder ------------------

TOPIC = "content/topics/relief.yaml"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: Relief Coordination",
            "title: NO",
            "relief.yaml:3:10: topic.title: expected a valid string, got a boolean (false); "
            "YAML reads 'NO' as false — put it in quotes if you mean text",
        ),
        (
            "title: Relief Coordination",
            "title: 2024-01-01",
            "relief.yaml:3:10: topic.title: expected a valid string, got a date (2024-01-01); "
            "YAML reads '2024-01-01' as a date — put it in quotes if you mean text",
        ),
        (
            "title: Relief Coordination",
            "title: 12.50",
            "relief.yaml:3:10: topic.title: expected a valid string, got a number (12.5); "
            "YAML reads '12.50' as the number 12.5",
        ),
        ("title: Relief Coordination", "title: 0777", "relief.yaml:3:10: YAML 1.1 reads '0777' as an octal"),
        (
            "title: Relief Coordination",
            "title: ~",
            "relief.yaml:3:10: topic.title: expected a valid string, got nothing; the value is empty",
        ),
        (
            "title: Relief Coordination",
            "title: " + "x" * 501,
            "relief.yaml:3:10: topic.title: text is 501 characters long, more than the 500 allowed",
        ),
        ("title: Relief Coordination", "title: ''", "topic.title: text is empty; write something"),
        ('date: "2026-01-15"', "date: 0", "relief.yaml:5:9: topic.date: expected a date such as 2026-01-15"),
        ('date: "2026-01-15"', 'date: "soon"', "relief.yaml:5:9: topic.date: expected a date such as"),
        (
            "  subtitle: How",
            "  subtitel: How",
            "relief.yaml:4:3: topic.subtitel: unknown key; did you mean 'subtitle'?",
        ),
        (
            "          level: key",
            "          level: yes",
            "level: expected 'key' or 'detail', got a boolean (true)",
        ),
    ],
)
def test_schema_errors_are_located_with_a_hint(sample: Path, old: str, new: str, expected: str) -> None:
    path = sample / TOPIC
    text = path.read_text()
    path.write_text(text.replace(old, new, 1))
    found = content_problems(sample)
    assert any(expected in p for p in found), found


def test_every_bad_file_is_reported_not_just_the_first(sample: Path) -> None:
    (sample / "content" / "a.yaml").write_bytes(b'themes:\n  - id: x\n    title: "\\x07"\n')
    (sample / "content" / "b.yaml").write_text("themes:\n  - id: y\n    title: ok\n    title: again\n")
    found = content_problems(sample)
    assert any(p.startswith("content/a.yaml:3:12: text contains the control character U+0007") for p in found)
    assert any(p.startswith("content/b.yaml:4:5: duplicate key 'title'") for p in found)


def test_content_links_out_and_special_files_are_reported(sample: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("themes:\n  - id: secret\n    title: Secret\n")
    (sample / "content" / "linked.yaml").symlink_to(outside)
    os.mkfifo(sample / "content" / "pipe.yaml")
    (sample / "content" / "dangling.yaml").symlink_to(sample / "content" / "nowhere.yaml")
    found = content_problems(sample)
    assert (
        "content/linked.yaml: a link to something outside the content folder; copy the file in instead"
        in found
    )
    assert "content/pipe.yaml: not a regular file (a pipe, socket or device); remove it" in found
    assert "content/dangling.yaml: a link to a file that does not exist; remove it" in found
    assert not any("secret" in p.lower() and "linked" not in p for p in found)


def test_absurd_total_content_is_refused(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.content.load as loader

    monkeypatch.setattr(loader, "MAX_TOTAL_BYTES", 1000)
    edit(sample / TOPIC, "title: Relief Coordination", "title: Relief Coordination")
    with pytest.raises(ContentError) as info:
        loader.load_library(sample / "content", sample)
    assert "more than the 1000 allowed in one project" in str(info.value)
