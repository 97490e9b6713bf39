"""build/manifest.json: every output with its inputs hash, sha256, size, pages and build time.

Shards of one build each write their own manifest; ``merge_manifests`` combines them. Two
manifests may both list a path only if they agree on its bytes (same sha256); anything
else means the shards were built from different inputs, and the merge is refused.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path, PurePosixPath
from typing import Any

import briefgen
from briefgen.batch.report import Result
from briefgen.errors import BriefgenError, Location, OutputError
from briefgen.files import atomic_write, read_regular

MANIFEST_VERSION = 1
MANIFEST_NAME = "manifest.json"
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "path": str,
    "topic": str,
    "audience": str,
    "format": str,
    "inputs": str,
    "sha256": str,
    "size": int,
    "seconds": (int, float),
}


class ManifestError(BriefgenError):
    """A manifest is unreadable, malformed, or contradicts another."""

    code = "manifest.invalid"


def generator() -> str:
    """Return the generator string recorded in manifests."""
    return f"briefgen {briefgen.__version__}"


def entry(result: Result) -> dict[str, Any]:
    """Return the manifest record of a built or cached target."""
    t = result.target
    return {
        "path": result.path,
        "topic": t.topic,
        "audience": t.audience,
        "format": t.format,
        "inputs": result.inputs,
        "sha256": result.sha256,
        "size": result.size,
        "pages": result.pages,
        "seconds": round(result.seconds, 3),
    }


def _document(outputs: list[dict[str, Any]], gen: str, *, complete: bool = True) -> dict[str, Any]:
    data = {
        "version": MANIFEST_VERSION,
        "generator": gen,
        "outputs": sorted(outputs, key=lambda o: o["path"]),
    }
    if not complete:
        # Written as a build starts rendering: a kill leaves a manifest that is true, if short.
        data["complete"] = False
    return data


def write_manifest(path: Path, results: list[Result], *, complete: bool = True) -> dict[str, Any]:
    """Write the manifest of every output that exists after this build (failed targets are left out)."""
    data = _document([entry(r) for r in results if r.status != "failed"], generator(), complete=complete)
    save(path, data)
    return data


def publish_manifest(path: Path, results: list[Result], *, complete: bool = True) -> str | None:
    """Write the build's manifest; if that fails, remove the outdated one and return the error.

    With ``complete`` false it lists the outputs a starting build leaves as they are, and
    says it is not complete: the files being rebuilt are listed once the build ends.
    """
    try:
        write_manifest(path, results, complete=complete)
    except OutputError as exc:
        # The old manifest describes the previous build's files, not these.
        note = ""
        if path.is_symlink() or path.is_file():
            try:
                path.unlink()
                note = "\nthe previous manifest.json was removed: it no longer matched the outputs"
            except OSError:
                note = "\nthe previous manifest.json could not be removed and is out of date"
        return f"manifest not written: {exc}{note}"
    return None


def save(path: Path, data: dict[str, Any]) -> None:
    """Write manifest ``data`` to ``path`` atomically, unless the file already holds exactly that."""
    payload = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    with contextlib.suppress(FileNotFoundError, OutputError):
        # A build that changed nothing writes nothing, so it also succeeds in a read-only folder.
        if read_regular(path, len(payload), follow_links=False, error=OutputError) == payload:
            return
    atomic_write(path, payload)


def read_manifest(path: Path) -> dict[str, Any]:
    """Read and check one manifest file."""
    where = Location.of(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ManifestError.at(where, f"cannot read manifest: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise ManifestError.at(where, f"not a version {MANIFEST_VERSION} briefgen manifest")
    outputs = data.get("outputs")
    if not isinstance(outputs, list):
        raise ManifestError.at(where, "'outputs' must be a list")
    if data.get("complete", True) is not True:
        raise ManifestError.at(
            where,
            "written by a build that did not finish (killed?), so it lists only part of the outputs; build again",
        )
    for index, item in enumerate(outputs):
        bad = [
            key
            for key, kind in _FIELDS.items()
            if not isinstance(item, dict) or not isinstance(item.get(key), kind)
        ]
        if bad:
            raise ManifestError.at(where, f"outputs[{index}]: missing or invalid {', '.join(bad)}")
        rel = PurePosixPath(item["path"])
        if rel.is_absolute() or ".." in rel.parts or "\\" in item["path"]:
            raise ManifestError.at(where, f"outputs[{index}]: path {item['path']!r} leaves the output folder")
    return data


def merge_manifests(paths: list[Path], *, verify: bool = False) -> dict[str, Any]:
    """Combine shard manifests into one; refuse contradictions (and, with ``verify``, missing files)."""
    if not paths:
        raise ManifestError("no manifests to merge")
    merged: dict[str, tuple[dict[str, Any], Path]] = {}
    generators: dict[str, Path] = {}
    problems: list[str] = []
    for path in paths:
        data = read_manifest(path)
        generators.setdefault(str(data.get("generator")), path)
        for item in data["outputs"]:
            if verify:
                problems.extend(_check_file(path.parent, item))
            seen = merged.get(item["path"])
            if seen is None:
                merged[item["path"]] = (item, path)
            elif seen[0]["sha256"] != item["sha256"]:
                problems.append(
                    f"{item['path']}: {seen[1]} and {path} list different files "
                    f"(sha256 {seen[0]['sha256'][:12]}… and {item['sha256'][:12]}…); "
                    "were the shards built from the same commit?"
                )
    if len(generators) > 1:
        problems.append("manifests come from different briefgen versions: " + ", ".join(sorted(generators)))
    if problems:
        raise ManifestError("cannot merge manifests:\n  " + "\n  ".join(problems))
    return _document([item for item, _ in merged.values()], next(iter(generators)))


def _check_file(folder: Path, item: dict[str, Any]) -> list[str]:
    """Return a problem if the output a manifest lists is not beside it with the recorded bytes."""
    from briefgen.batch.inputs import file_sha256

    path = folder / item["path"]
    if not path.is_file():
        return [f"{path}: listed in {folder / MANIFEST_NAME} but missing"]
    if file_sha256(path) != item["sha256"]:
        return [f"{path}: its sha256 differs from the one in {folder / MANIFEST_NAME}"]
    return []
