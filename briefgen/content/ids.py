"""Content names used without the model: the id and citation patterns, the Markdown topic suffix.

Kept apart from the model so code that only checks an id (the build cache, the
configuration, output paths) or lists content files (a no-op build) does not pay for
building the content model's schemas or importing markdown-it.
"""

from __future__ import annotations

ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
CITE_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?#[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
MD_SUFFIX = ".md"  # a Markdown topic (content/mdtopic.py); every other content file is YAML
