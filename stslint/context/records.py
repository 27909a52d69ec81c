"""What a context file contributes to the index, as plain JSON data, and the entries rebuilt from it.

A *record* is what one context file gives: the index entries of its objects (every indexed kind,
through the entries' one generic serialisation, with their namespace as written) grouped by kind, the
kustomize patch files it lists, and the reason it could not be loaded, if any. Entries are rebuilt only
when a rule first looks up their kind, so a warm run pays for the kinds its rules read, not for
everything the repository holds. Records are plain data so that the cache can store them as JSON, and
rebuilding checks every value's type: a damaged or forged record is rejected (the file is then parsed
again), never trusted into a crash.
"""
from __future__ import annotations

from typing import Any, Collection, Iterable

from stslint.model.entries import OPTIONAL_STRING, BadRecord, Entry
from stslint.model.nodes import YMap
from stslint.model.views import view_for

Record = dict[str, Any]
"""{"entries": {kind: [entry records]}, "annotated": [kinds with an annotated object],
"patches": [real paths], "error": str | None, optionally "refused": [[line, message]]}"""

__all__ = ["BadRecord", "Record", "annotated_kinds", "entries_of", "entry_records_of", "error_of", "kinds_of",
           "patches_of", "record_of", "refused_of"]

_SHAPE = {"type": str, "kind": str, "name": str}
"""What every entry record must hold to be grouped by kind; the rest is checked when rebuilt."""


def record_of(objects: Iterable[YMap], file: str, real_path: str, patches: set[str],
              error: str | None, kinds: Collection[str] | None = None,
              refused: Iterable[tuple[int, str]] = (), source: Any = None,
              documents: Collection[str] = ()) -> Record:
    """The record of a loaded context file from its objects (positioned mappings):
    the entries of the ``kinds`` given (the kinds the rules read; None: every indexed kind), those of
    the kinds in ``documents`` with the whole object as JSON data (what user policies' refs read).
    ``source`` is the file's SourceText: the entries then carry the edits fixes would make there
    (a fix that needs them is reported as not applied: context files are never written)."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for data in objects:
        view = view_for(data, file, None, real_path)
        view.source = source
        if (kinds is not None and view.KIND not in kinds) or view.is_patch():
            continue
        entry = view.entry()
        if entry is not None:
            if view.KIND in documents:
                entry.document = data
            by_kind.setdefault(entry.kind, []).append(entry.to_record())
    annotated = sorted(kind for kind, items in by_kind.items() if any("annotation" in item for item in items))
    record = {"entries": dict(sorted(by_kind.items())), "annotated": annotated, "patches": sorted(patches),
              "error": error}
    if refused:
        record["refused"] = [[line, message] for line, message in refused]
    return record


def refused_of(record: Record) -> list[tuple[int, str]]:
    """The (line, message) of the patch entries the record's kustomization lists outside its root."""
    refused = record.get("refused", [])
    if type(refused) is not list or not all(type(item) is list and len(item) == 2 and type(item[0]) is int
                                           and type(item[1]) is str for item in refused):
        raise BadRecord("refused is a list of [line, message]")
    return [(line, message) for line, message in refused]


def annotated_kinds(record: Record) -> list[str]:
    """The kinds of a record's entries among which an object carries an ``stslint.io/ignore``
    annotation (BadRecord when malformed)."""
    kinds = record.get("annotated", [])
    if type(kinds) is not list or not all(type(kind) is str for kind in kinds):
        raise BadRecord("annotated is a list of kinds")
    return kinds


def kinds_of(record: Record) -> frozenset[str]:
    """The kinds of a record's entries (BadRecord when malformed)."""
    entries = record.get("entries")
    if type(entries) is not dict or not all(type(items) is list for items in entries.values()):
        raise BadRecord("entries is a mapping of kinds to lists")
    return frozenset(entries)


def entry_records_of(record: Record, kind: str) -> list[dict[str, Any]]:
    """The entry records of one kind in a record, checked for the shape every one has (BadRecord
    otherwise); their values are checked when each entry is rebuilt."""
    items = record["entries"].get(kind) if kind in kinds_of(record) else None
    if items is None:
        return []
    for item in items:
        if (type(item) is not dict or type(item.get("type")) is not str or item.get("kind") != kind
                or type(item.get("name")) is not str):
            raise BadRecord("an entry record has a type, the kind it is filed under and a name")
    return items  # type: ignore[no-any-return]


def entries_of(record: Record, file: str, real_path: str, default_namespace: str | None) -> list[Entry]:
    """The index entries of a record, kind by kind, each object taking ``default_namespace`` when it
    names none. Raises BadRecord when the record is not shaped as :func:`record_of` makes it."""
    return [Entry.from_record(item, file, real_path, default_namespace)
            for kind in sorted(kinds_of(record)) for item in entry_records_of(record, kind)]


def patches_of(record: Record) -> list[str]:
    """The real paths of the patch files a record's kustomization lists."""
    patches = record.get("patches")
    if not isinstance(patches, list) or not all(isinstance(path, str) for path in patches):
        raise BadRecord("patches is a list of paths")
    return patches


def error_of(record: Record) -> str | None:
    """Why the record's file could not be loaded (None when it loaded)."""
    return OPTIONAL_STRING.load(record.get("error"))  # type: ignore[no-any-return]
