"""The content as a build sees it: the cache's snapshot of it, checked against the files, or the files read.

A snapshot (cache.py) lets a build whose content files did not change skip parsing them.
It is a hint, never an authority: before it is used, its seal must match its fields and
every topic it names must be an id the content files hold, with as many topics as there
are topic files, and its audiences must be those the audience files list (they are few
and small, so they are parsed; topics are only scanned, so a no-op build stays cheap).
Anything else, and the content is read instead, with a warning saying why. If the content
is read later in the same build (a target to render) and defines other topics or
audiences than the snapshot said, ``SnapshotMismatch`` makes the build plan again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.batch.cache import Cache, Snapshot
from briefgen.batch.inputs import briefing_digest, content_key, digest
from briefgen.batch.plan import Pair
from briefgen.content.ids import MD_SUFFIX
from briefgen.content.load import content_files
from briefgen.files import where
from briefgen.project.config import Project

if TYPE_CHECKING:
    from briefgen.assemble.briefing import Briefing
    from briefgen.content.model import Library

# An id as YAML writes it, block or flow style, quoted or not: ``id: x``, ``{"id": 'x'}``.
_ID_VALUE = re.compile(rb"""(?:^|[\s{,])["']?id["']?[ \t]*:[ \t]*["']?([a-z0-9][a-z0-9-]*)""")
# A YAML topic or audience file: its one top-level key is ``topic`` or ``audiences``.
_TOPIC_KEY = re.compile(rb"""^["']?topic["']?[ \t]*:""", re.MULTILINE)
_AUDIENCES_KEY = re.compile(rb"""^["']?audiences["']?[ \t]*:""", re.MULTILINE)


class SnapshotMismatch(Exception):
    """The content, once read, defines other topics or audiences than the snapshot in use."""


def seal(snapshot: Snapshot) -> str:
    """Return the digest binding a snapshot's lists to the content key they were read under."""
    lists = [snapshot.topics, snapshot.audiences, snapshot.fitted]
    return digest(snapshot.key, json.dumps(lists))


def disagreement(snapshot: Snapshot, files: list[Path]) -> str | None:
    """Return how ``snapshot`` disagrees with the content ``files``, or None if it fits them."""
    if snapshot.seal != seal(snapshot):
        return "its lists of topics and audiences were changed after it was written"
    ids: set[str] = set()
    audiences: list[str] = []
    topic_files = 0
    for path in files:
        data = path.read_bytes()
        ids.update(m.decode("ascii") for m in _ID_VALUE.findall(data))
        if path.suffix == MD_SUFFIX:
            ids.add(path.stem)  # a Markdown topic is named by its file unless it says otherwise
            topic_files += 1
        elif _TOPIC_KEY.search(data):
            topic_files += 1
        elif _AUDIENCES_KEY.search(data):
            audiences += _audience_ids(data)
    unknown = [i for i in snapshot.topics if i not in ids]
    if unknown:
        return f"it names topic {unknown[0]!r}, which no content file defines"
    if len(snapshot.topics) != topic_files:
        return f"it lists {len(snapshot.topics)} topics where the content has {topic_files} topic files"
    if snapshot.audiences != sorted(audiences):
        missing = sorted(set(audiences) - set(snapshot.audiences))
        return (
            f"it leaves out audience {missing[0]!r}"
            if missing
            else "it names an audience the content does not"
        )
    if not set(snapshot.fitted) <= set(snapshot.audiences):
        return "it lists a page budget for an audience it does not name"
    return None


def _audience_ids(data: bytes) -> list[str]:
    """Return the ids an audience file lists (what validation accepted when the snapshot was made)."""
    import yaml

    try:
        # Every scalar as the text it is (no YAML 1.1 booleans or octals): ids as written.
        body = yaml.load(data, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    except yaml.YAMLError:
        return []
    items = body.get("audiences") if isinstance(body, dict) else None
    return (
        [str(a["id"]) for a in items if isinstance(a, dict) and "id" in a] if isinstance(items, list) else []
    )


def of_library(key: str, library: Library) -> Snapshot:
    """Return a new, sealed snapshot of a library just read."""
    fitted = sorted(a.id for a in library.audiences.values() if a.page_budget is not None)
    snapshot = Snapshot(key, sorted(library.topics), sorted(library.audiences), fitted=fitted)
    snapshot.seal = seal(snapshot)
    return snapshot


class Content:
    """The project's content, loaded and assembled only when the cache cannot answer."""

    def __init__(self, project: Project, cache: Cache, warnings: list[str]) -> None:
        self.project = project
        files = content_files(project.content_dir)
        self.key = content_key(project, files)
        self._library: Library | None = None
        self.briefings: dict[Pair, Briefing] = {}
        # An unsealed snapshot comes from an earlier briefgen: read the content, nothing to say.
        snapshot = cache.snapshot
        self.trusted = snapshot if snapshot and snapshot.key == self.key and snapshot.seal else None
        why = disagreement(self.trusted, files) if self.trusted else None
        if why:
            warnings.append(
                f"build cache {where(cache.path)}: its snapshot of the content does not match the "
                f"content files ({why}); read the content instead"
            )
            self.trusted = None
        self.snapshot = self.trusted or of_library(self.key, self.library())

    def library(self) -> Library:
        """Read, validate and cross-check every content file (once)."""
        if self._library is None:
            # Only a build whose content changed pays for the content model.
            from briefgen.content.load import load_library

            self._library, _docs = load_library(self.project.content_dir, self.project.root)
            if self.trusted and of_library(self.key, self._library).seal != self.trusted.seal:
                raise SnapshotMismatch(
                    "its snapshot of the content lists other topics or audiences than the content "
                    "files define; read the content instead"
                )
        return self._library

    def briefing(self, pair: Pair) -> Briefing:
        """Return the assembled Briefing of ``pair`` (once)."""
        if pair not in self.briefings:
            from briefgen.assemble.tailor import assemble_for

            self.briefings[pair] = assemble_for(
                self.project.config, self.library(), pair.topic, pair.audience
            )
            self.snapshot.briefings[str(pair)] = briefing_digest(self.briefings[pair])
        return self.briefings[pair]

    def digest(self, pair: Pair) -> str:
        """Return the hash of the Briefing of ``pair``, assembling it only if unknown."""
        if str(pair) not in self.snapshot.briefings:
            self.briefing(pair)
        return self.snapshot.briefings[str(pair)]
