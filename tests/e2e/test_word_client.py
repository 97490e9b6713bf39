"""Word footnotes read back by a real client: LibreOffice prints them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.render.docx.notes import Footnotes
from tests.render.docx.test_notes import (
    _foreign_template,
    _out_of_order,
    _reopen,
    _save,
    _soffice,
    _three_notes,
)


@pytest.mark.slow
def test_libreoffice_prints_footnotes(tmp_path: Path) -> None:
    exe = _soffice()
    fresh = tmp_path / "fresh.docx"
    fresh.write_bytes(_save(_three_notes()[0]))
    template = _reopen(_foreign_template())
    Footnotes(template).add(template.add_paragraph("Later body."), [("Eighth note text.", False, True)])
    reused = tmp_path / "reused.docx"
    reused.write_bytes(_save(template))
    shuffled = tmp_path / "shuffled.docx"
    shuffled.write_bytes(_save(_out_of_order()[0]))
    out = tmp_path / "pdf"
    # A private profile: parallel runs sharing the default one block or crash each other.
    profile = (tmp_path / "lo-profile").as_uri()
    command = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    done = subprocess.run(
        [*command, "--outdir", str(out), str(fresh), str(reused), str(shuffled)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr

    def text_of(name: str) -> str:
        reader = PdfReader(out / name)
        return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))

    fresh_text = text_of("fresh.pdf")
    for expected in ("1 Alpha note, bold then italic", "2 Beta note.", "3 Gamma note."):
        assert expected in fresh_text
    # Notes print after the body, at the foot of the page, not inline.
    assert fresh_text.index("Second paragraph.") < fresh_text.index("Alpha note")
    reused_text = text_of("reused.pdf")
    assert "1 Template note seven.link" in reused_text and "2 Eighth note text." in reused_text
    assert reused_text.index("Later body.") < reused_text.index("Eighth note text.")
    shuffled_text = text_of("shuffled.pdf")
    assert "1 Note for para one." in shuffled_text and "2 Note for para two." in shuffled_text
