"""UTF-16 documents with a byte-order mark are read as text in every text format ingest takes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from briefgen.content.load import load_library

TEXTS = {
    ".md": "# Harbour Report\n\n## Background\n\nThe harbour office opened in 2003 and trained 400 pilots.\n",
    ".html": (
        "<html><body><h1>Harbour Report</h1><h2>Background</h2>"
        "<p>The harbour office opened in 2003 and trained 400 pilots.</p></body></html>"
    ),
}


@pytest.mark.parametrize("suffix", sorted(TEXTS))
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_markdown_and_html_are_ingested(
    sample: Path, cli: Callable[..., Result], tmp_path: Path, suffix: str, encoding: str
) -> None:
    raw = tmp_path / f"harbour{suffix}"
    data = TEXTS[suffix].encode(encoding)
    raw.write_bytes(data if encoding == "utf-16" else b"\xfe\xff" + data)  # "utf-16" writes its own mark
    result = cli(sample, "ingest", str(raw), "--topic", "harbour")
    assert result.exit_code == 0, result.output
    assert "binary" not in result.output and "NUL byte" not in result.output
    library, _ = load_library(sample / "content", sample)
    texts = [p.text for s in library.topics["harbour"].sections for p in s.points]
    assert any("trained 400 pilots" in t for t in texts), texts
    assert cli(sample, "validate", "--sources", str(tmp_path)).exit_code == 0
