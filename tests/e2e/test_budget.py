"""Every executive briefing of the bundled content fits its page budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.mark.slow
def test_every_executive_briefing_fits_its_budget(full_report: tuple[Path, Any]) -> None:
    _, report = full_report
    executive = [r for r in report.results if r.target.audience == "executive" and r.target.format == "pdf"]
    assert len(executive) >= 8
    for result in executive:
        assert result.body_pages is not None and result.body_pages <= 2, result.path
        assert not result.warnings, result.warnings
