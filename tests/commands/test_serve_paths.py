"""The preview's error pages and refusals show project-relative paths only, wherever the server runs from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from briefgen.commands.shown import shown_text
from briefgen.errors import ContentError, Location
from tests.commands.test_serve import Server, wait_until


def test_paths_in_messages_become_project_relative(tmp_path: Path) -> None:
    root = tmp_path / "project"
    error = ContentError.at(Location(str(root / "content" / "a.yaml"), 3, 1), "unknown key")
    assert shown_text(error, root) == "content/a.yaml:3:1: unknown key"
    text = shown_text(
        RuntimeError(f"cannot read {root}/content/a.yaml, nor /etc/passwd (see http://x/y)"), root
    )
    assert text == "cannot read content/a.yaml, nor passwd (see http://x/y)"


def test_a_refused_file_is_named_relative_to_the_project(sample: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.css").write_text("TOP SECRET")
    (outside / "stolen.yaml").write_text("topic: {}\n")
    (sample / "templates").mkdir()
    (sample / "templates" / "link.css").symlink_to(outside / "secret.css")
    out, log = tmp_path / "serve.out", tmp_path / "serve.log"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with out.open("wb") as stdout, log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "-C", str(sample), "serve", "--port", "0"],
            cwd=elsewhere,  # not the project: its messages would name files from here
            stdout=stdout,
            stderr=stderr,
        )
    try:
        line = wait_until(lambda: "serving" in out.read_text() and out.read_text(), 30, "the server to start")
        server = Server(line.split()[1], sample, process, log)
        status, _, body = server.get("/relief/exec/link.css")
        assert status == 404
        assert "templates/link.css" in body and "points outside the template folder" in body
        assert str(tmp_path) not in body and "outside" not in body.replace("points outside", "")
        (sample / "content" / "topics" / "stolen.yaml").symlink_to(outside / "stolen.yaml")
        _, _, page = wait_until(lambda: (r := server.get("/"))[0] == 500 and r, what="the content error page")
        assert "content/topics/stolen.yaml: a link to something outside the content folder" in page
        assert str(tmp_path) not in page
    finally:
        process.terminate()
        process.wait(timeout=15)
