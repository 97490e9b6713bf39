"""briefgen: turn structured content into tailored PDF and Word briefings."""

from __future__ import annotations

__version__ = "0.1.0"
