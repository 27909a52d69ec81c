"""What a context file contributes to the index, as plain JSON data, and the entries rebuilt from it.

A *record* is what one context file gives: the index entries of its objects (every indexed kind,
through the entries' one generic serialisation, with their namespace as written), the kustomize patch
files it lists, and the reason it could not be loaded, if any. Records are plain data (dicts, lists,
strings, numbers) so that the cache can store them as JSON, and rebuilding checks every value's type:
a damaged or forged record is rejected (the file is then parsed again), never trusted into a crash.
"""
from __future__ import annotations

from typing import Any, Iterable

from stslint.model.entries import OPTIONAL_STRING, BadRecord, Entry
from stslint.model.nodes import YMap
from stslint.model.views import view_for

Record = dict[str, Any]
"""{"entries": [...], "patches": [real paths], "error": str | None}"""

__all__ = ["BadRecord", "Record", "entries_of", "error_of", "patches_of", "record_of"]


def record_of(objects: Iterable[tuple[int, YMap]], file: str, real_path: str, patches: set[str],
              error: str | None) -> Record:
    """The record of a loaded context file from its objects ((document index, positioned mapping))."""
    entries: list[dict[str, Any]] = []
    for document, data in objects:
        view = view_for(data, file, None, real_path, document)
        entry = None if view.is_patch() else view.entry()
        if entry is not None:
            entries.append(entry.to_record())
    return {"entries": entries, "patches": sorted(patches), "error": error}


def entries_of(record: Record, file: str, real_path: str, default_namespace: str | None) -> list[Entry]:
    """The index entries of a record, each object taking ``default_namespace`` when it names none.

    Raises BadRecord when the record is not shaped as :func:`record_of` makes it."""
    items = record.get("entries")
    if not isinstance(items, list):
        raise BadRecord("entries is a list")
    return [Entry.from_record(item, file, real_path, default_namespace) for item in items]


def patches_of(record: Record) -> list[str]:
    """The real paths of the patch files a record's kustomization lists."""
    patches = record.get("patches")
    if not isinstance(patches, list) or not all(isinstance(path, str) for path in patches):
        raise BadRecord("patches is a list of paths")
    return patches


def error_of(record: Record) -> str | None:
    """Why the record's file could not be loaded (None when it loaded)."""
    return OPTIONAL_STRING.load(record.get("error"))  # type: ignore[no-any-return]
