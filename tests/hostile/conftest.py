"""Helpers for the hostile-input tests: located errors, template folders, a recording server."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import socketserver
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.tailor import assemble
from briefgen.content.load import load_library
from briefgen.errors import BriefgenError, ContentError
from briefgen.project.config import load_project
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.registry import RenderContext


def content_problems(project: Path) -> list[str]:
    """Load ``project``'s content, expecting failure; return every problem as text."""
    with pytest.raises(ContentError) as info:
        load_library(project / "content", project)
    return [str(p) for p in info.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path``."""
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new))


def briefing_for(project: Path, audience: str = "field") -> tuple[Briefing, RenderContext]:
    """Load, assemble and prepare the render context of the sample topic for ``audience``."""
    proj = load_project(project)
    library, _ = load_library(proj.content_dir, proj.root)
    briefing = assemble(library, "relief", audience, author="A. Author", default_date=dt.date(2026, 1, 1))
    return briefing, RenderContext.for_project(proj)


@pytest.fixture
def tpl(tmp_path: Path) -> TemplateDirs:
    """An empty template folder, as the only folder of the search path."""
    folder = tmp_path / "tpl"
    folder.mkdir()
    return TemplateDirs((folder.resolve(),))


def png(width: int, height: int, *, idat: bytes | None = None) -> bytes:
    """Return a greyscale PNG claiming ``width`` x ``height``; a tiny IDAT unless given one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    body = idat if idat is not None else zlib.compress(b"\x00" * ((width + 1) * height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@contextlib.contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """Serve on a loopback port; yield its address (host:port) and the list of requests it got."""
    hits: list[str] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            # Any protocol (HTTP, FTP, ...) counts: a connection is a request.
            hits.append(self.request.recv(200).decode("latin-1", "replace"))

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), Handler) as server:
        thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
        thread.start()
        try:
            yield f"127.0.0.1:{server.server_address[1]}", hits
        finally:
            time.sleep(0.05)  # let a connection that raced the end be recorded
            server.shutdown()


def http_handler(hits: list[str]) -> type[http.server.BaseHTTPRequestHandler]:
    """Return an HTTP handler class recording every path it is asked for."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def refused_with(error: type[BaseException], action: Callable[[], object]) -> str:
    """Run ``action``, expecting ``error``; return the message.

    How fast a guard stops hostile input is a benchmark's claim (benchmarks/hostile.py),
    not a test's: the suite must pass on a loaded machine.
    """
    with pytest.raises(error) as info:
        action()
    message = str(info.value)
    if isinstance(info.value, BriefgenError):
        assert "Traceback" not in message
    return message
