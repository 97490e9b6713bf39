"""The id and citation patterns: shared by the content model and whatever names files from ids.

Kept apart from the model so code that only checks an id (the build cache, the
configuration, output paths) does not pay for building the content model's schemas.
"""

from __future__ import annotations

ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
CITE_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?#[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
