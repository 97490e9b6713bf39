"""The HTML format in a real browser: nothing fetched but the file itself, and it prints."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pypdf
import pytest

from tests.commands.test_serve import _chromium

pytestmark = pytest.mark.slow


def test_the_page_loads_nothing_but_itself_and_prints(full_build: Path) -> None:
    page = full_build / "border-security" / "policy.html"
    driver = _chromium(logs=("browser", "performance"))
    try:
        driver.get(page.as_uri())
        assert "Peacekeeping and Border Security" in driver.title
        requests = [
            json.loads(entry["message"])["message"]["params"]["request"]["url"]
            for entry in driver.get_log("performance")
            if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"
        ]
        # Chromium's own pages (the blank tab it starts on) are not the page's requests.
        requests = [url for url in requests if not url.startswith(("chrome:", "about:", "devtools:"))]
        assert requests and all(url == page.as_uri() or url.startswith("data:") for url in requests), requests
        # The browser drew the theme's own fonts, which only the page itself carries.
        fonts = driver.execute_script(
            "return Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert {'"Lato"', '"Noto Serif"'} <= {f if f.startswith('"') else f'"{f}"' for f in fonts}, fonts
        assert not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        printed = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    finally:
        driver.quit()
    reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(printed["data"])))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3 and "Key judgments" in text and "Sources" in text
