"""Resource fetching: only regular files in the template folders; anything else fails the build by name."""

from __future__ import annotations

import http.server
import os
import threading
from pathlib import Path

import pytest

import briefgen.render.resources as resources_module
from briefgen.errors import BriefgenError, SecurityError
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.pdf.renderer import html_to_pdf
from tests.hostile.conftest import http_handler, png, recording_server


@pytest.fixture
def dirs(tmp_path: Path) -> TemplateDirs:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "ok.css").write_text("p { color: red }")
    (folder / "ok.png").write_bytes(png(4, 4))
    (tmp_path / "outside.css").write_text("p { color: blue }")
    (tmp_path / "outside.png").write_bytes(png(4, 4))
    return TemplateDirs((folder.resolve(),))


def refusal(dirs: TemplateDirs, html: str) -> str:
    with pytest.raises(SecurityError) as info:
        html_to_pdf('<html lang="en">' + html, dirs)
    return str(info.value)


def test_template_folder_resources_are_served(dirs: TemplateDirs) -> None:
    pdf, pages = html_to_pdf(
        '<link rel="stylesheet" href="ok.css"><p>hello <img src="ok.png" alt="x"></p>', dirs
    )
    assert pdf.startswith(b"%PDF") and pages == 1


# Every way HTML and CSS can ask WeasyPrint for a resource; {url} is filled in per test.
CHANNELS = {
    "img": '<img src="{url}" alt="x">',
    "stylesheet": '<link rel="stylesheet" href="{url}"><p>x</p>',
    "@import": '<style>@import url("{url}");</style><p>x</p>',
    "@font-face": '<style>@font-face {{ font-family: X; src: url("{url}"); }} p {{ font-family: X }}</style><p>x</p>',
    "background": "<p style=\"background: url('{url}')\">x</p>",
    "list-style-image": "<ul style=\"list-style-image: url('{url}')\"><li>x</li></ul>",
    "content": "<style>p::before {{ content: url('{url}') }}</style><p>x</p>",
    "svg image": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
        '<image href="{url}" width="5" height="5"/></svg>'
    ),
    "svg xlink": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="9" height="9">'
        '<image xlink:href="{url}" width="5" height="5"/></svg>'
    ),
    "object": '<object data="{url}" type="image/png"></object>',
    "embed": '<embed src="{url}" type="image/png">',
}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("scheme", ["http", "https", "ftp"])
def test_network_addresses_are_refused_and_never_contacted(
    dirs: TemplateDirs, channel: str, scheme: str
) -> None:
    with recording_server() as (address, hits):
        url = f"{scheme}://{address}/x.png"
        message = refusal(dirs, CHANNELS[channel].format(url=url))
    assert url in message and "only files in the template folders may be used" in message
    assert hits == []


def test_network_is_never_contacted(dirs: TemplateDirs) -> None:
    hits: list[str] = []
    server = http.server.HTTPServer(("127.0.0.1", 0), http_handler(hits))
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


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "file://localhost/etc/hostname",
        "/etc/hostname",
        "../outside.png",
        "..%2Foutside.png",
        "%2e%2e/outside.png",
        "sub/../../outside.png",
    ],
)
def test_files_outside_the_template_folders_are_refused(dirs: TemplateDirs, channel: str, url: str) -> None:
    message = refusal(dirs, CHANNELS[channel].format(url=url))
    assert "refused" in message or "not found" in message
    assert "outside" in message or "not found" in message


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
def test_other_resources_fail_the_render(dirs: TemplateDirs, html: str) -> None:
    message = refusal(dirs, html)
    assert "refused" in message or "not found" in message


def test_symlinks_pointing_out_are_refused(dirs: TemplateDirs, tmp_path: Path) -> None:
    folder = dirs.dirs[0]
    (folder / "link.png").symlink_to(tmp_path / "outside.png")
    (folder / "out").symlink_to(tmp_path, target_is_directory=True)
    (folder / "dev.png").symlink_to("/dev/zero")
    for name in ("link.png", "out/outside.png", "dev.png"):
        message = refusal(dirs, f'<img src="{name}" alt="x">')
        assert "points outside the template folder" in message, message


def test_a_fifo_or_folder_in_the_template_folder_does_not_hang(dirs: TemplateDirs) -> None:
    folder = dirs.dirs[0]
    os.mkfifo(folder / "pipe.png")
    (folder / "dir.png").mkdir()
    messages: list[str] = []

    def attempt() -> None:
        for name in ("pipe.png", "dir.png"):
            try:
                html_to_pdf(f'<html lang="en"><img src="{name}" alt="x">', dirs)
            except BriefgenError as exc:
                messages.append(str(exc))

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "the fetcher blocked on a FIFO"
    assert len(messages) == 2 and all("not found in the template folders" in m for m in messages), messages


def test_data_urls_are_refused_with_a_clear_message(dirs: TemplateDirs) -> None:
    message = refusal(dirs, '<img src="data:image/png;base64,' + "A" * 5000 + '" alt="x">')
    assert "data: URLs are not allowed; save the file in the template folder" in message
    assert len(message) < 300  # the URL is cut short, not printed whole


def test_unserved_types_and_oversize_files_are_refused(
    dirs: TemplateDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = dirs.dirs[0]
    (folder / "notes.txt").write_text("secret")
    assert "has a file type that is not served (.txt)" in refusal(
        dirs, '<link rel="stylesheet" href="notes.txt">'
    )
    monkeypatch.setattr(resources_module, "MAX_RESOURCE_BYTES", 10)
    assert "'ok.css': file is larger than the 10 bytes allowed" in refusal(
        dirs, '<link rel="stylesheet" href="ok.css"><p>x</p>'
    )
