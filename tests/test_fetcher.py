"""The PDF URL fetcher serves template-folder files only and fails the build otherwise."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from briefgen.errors import SecurityError
from briefgen.renderers.pdf import html_to_pdf
from briefgen.templating import TemplateDirs


@pytest.fixture
def dirs(tmp_path: Path) -> TemplateDirs:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "ok.css").write_text("p { color: red }")
    return TemplateDirs((folder.resolve(),))


def test_template_folder_resources_are_served(dirs: TemplateDirs) -> None:
    pdf, pages = html_to_pdf('<link rel="stylesheet" href="ok.css"><p>hello</p>', dirs)
    assert pdf.startswith(b"%PDF") and pages == 1


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/hostname">',
        '<link rel="stylesheet" href="../outside.css">',
        "<style>@import url(file:///etc/passwd);</style><p>x</p>",
        '<style>@font-face { font-family: X; src: url("/etc/fonts/fonts.conf"); } p { font-family: X }</style><p>x</p>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/hostname" width="5" height="5"/></svg>',
        '<img src="missing.png">',
    ],
)
def test_other_resources_fail_the_render(dirs: TemplateDirs, tmp_path: Path, html: str) -> None:
    (tmp_path / "outside.css").write_text("p { color: blue }")
    with pytest.raises(SecurityError) as info:
        html_to_pdf(html, dirs)
    assert "refused" in str(info.value) or "not found" in str(info.value)


def test_network_is_never_contacted(dirs: TemplateDirs) -> None:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/x.png"
        with pytest.raises(SecurityError) as info:
            html_to_pdf(f'<img src="{url}">', dirs)
        assert url in str(info.value)
    finally:
        server.shutdown()
    assert hits == []
