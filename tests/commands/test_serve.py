"""`briefgen serve`: pages, resources under the fetcher's rules, error pages, live reload in Chromium."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1100,1400",
)


@dataclass
class Server:
    """A running `briefgen serve` process and the project it serves."""

    url: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        """Send ``path`` exactly as given (no normalising of '..'); return status, headers, body."""
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()


def wait_until(check: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Poll ``check`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def server(sample: Path, tmp_path: Path) -> Iterator[Server]:
    """Run `python -m briefgen serve --port 0` on a copy of the sample project."""
    out, log = tmp_path / "serve.out", tmp_path / "serve.log"
    with out.open("wb") as stdout, log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "-v", "serve", "--port", "0"],
            cwd=sample,
            stdout=stdout,
            stderr=stderr,
        )
    try:
        line = wait_until(lambda: "serving" in out.read_text() and out.read_text(), 30, "the server to start")
        url = line.split()[1]
        yield Server(url, sample, process, log)
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_index_and_briefing_page(server: Server) -> None:
    status, _, body = server.get("/")
    assert status == 200
    assert 'href="/relief/exec/"' in body and 'href="/relief/field/"' in body
    status, headers, body = server.get("/relief/exec/")
    assert status == 200
    assert "Joint planning is the" in body
    assert 'href="preview.css"' in body and "data-briefgen-version=" in body
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert server.get("/relief/nobody/")[0] == 404
    # The executive has a 2-page budget the preview does not apply: the page says so, first.
    note = body.split('<aside class="briefgen-preview-note" role="note">', 1)[1].split("</aside>", 1)[0]
    assert "budget of 2 pages" in note and "<code>briefgen build --topic relief --audience exec</code>" in note
    assert body.index("briefgen-preview-note") < body.index("Joint planning is the")
    assert "briefgen-preview-note" not in server.get("/relief/field/")[2]  # no budget, nothing to say


def test_resources_come_only_from_the_template_folders(server: Server, tmp_path: Path) -> None:
    status, headers, _ = server.get("/relief/exec/briefing.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    status, headers, _ = server.get("/relief/exec/fonts/Lato-Regular.ttf")
    assert status == 200 and headers["content-type"] == "font/ttf"
    secret = tmp_path / "secret.css"
    secret.write_text("TOP SECRET")
    (server.root / "templates").mkdir()
    (server.root / "templates" / "link.css").symlink_to(secret)
    for path in (
        "/relief/exec/../../../../../../etc/passwd",
        "/relief/exec/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/relief/exec/link.css",
        "/relief/exec/themes/default/theme.yaml",  # a file type the PDF fetcher does not serve either
        "/relief/exec/nothing.css",
    ):
        status, _, body = server.get(path)
        assert status == 404, path
        assert "TOP SECRET" not in body and "root:" not in body


def test_errors_show_as_a_page_naming_file_and_line(server: Server) -> None:
    templates = server.root / "templates"
    templates.mkdir()
    (templates / "base.html").write_text(
        '{% extends "!base.html" %}\n{% block notes %}\n<p>{{ briefng.desk }}</p>\n{% endblock %}\n'
    )

    def error_shown() -> str | None:
        status, _, body = server.get("/relief/exec/")
        return body if status == 500 else None

    body = wait_until(error_shown, what="the template error page")
    assert "briefgen could not render relief/exec" in body
    assert "templates/base.html:3" in body and "&#39;briefng&#39; is undefined" in body
    assert "3 | &lt;p&gt;{{ briefng.desk }}&lt;/p&gt;" in body  # the offending source line
    assert "data-briefgen-version=" in body  # it reloads itself once fixed
    (templates / "base.html").unlink()
    wait_until(lambda: server.get("/relief/exec/")[0] == 200, what="recovery")
    topic = server.root / "content" / "topics" / "relief.yaml"
    topic.write_text(
        topic.read_text().replace("  title: Relief Coordination", "  titel: Relief Coordination")
    )
    _, _, body = wait_until(lambda: (r := server.get("/"))[0] == 500 and r, what="the content error")
    assert "content/topics/relief.yaml:3:3" in body and "titel" in body


def test_requests_for_other_hosts_are_refused(server: Server) -> None:
    assert server.get("/", headers={"Host": "attacker.example"})[0] == 400


def test_interrupt_stops_promptly_with_a_page_listening(server: Server) -> None:
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    conn.request("GET", "/_briefgen/events")
    response = conn.getresponse()
    assert response.getheader("content-type", "").startswith("text/event-stream")
    assert b"event: version" in response.read1(4096) + response.read1(4096)
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=60) == 0  # a hang guard, not a speed claim
    conn.close()


def _chromium(logs: tuple[str, ...] = ("browser",)) -> Any:
    """Return a headless Chromium driven by Selenium, or skip (fail under CI) when missing."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("the selenium package")
    if missing:
        message = f"live-preview test needs {', '.join(missing)} (Debian: chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='briefgen-chromium-')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", dict.fromkeys(logs, "ALL"))
    # An explicit driver path: Selenium never tries to download one.
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def test_unsafe_template_code_shows_its_file_line_and_source(sample: Path) -> None:
    from briefgen.commands.serve import Preview, error_page
    from briefgen.errors import SecurityError

    (sample / "templates").mkdir()
    (sample / "templates" / "base.html").write_text(
        "{% extends \"!base.html\" %}\n{% block notes %}\n{{ ''.__class__.__mro__ }}\n{% endblock %}\n"
    )
    with pytest.raises(SecurityError) as info:
        Preview(sample).render("relief", "exec")
    page = error_page("relief/exec", info.value, "v1").body.decode()
    assert "templates/base.html:3: unsafe template code refused" in page
    assert "3 | {{ &#39;&#39;.__class__.__mro__ }}" in page
