"""What a context file contributes to the index, as plain JSON data, and the index entries rebuilt
from it.

A *record* is what one context file gives: its index entries (Services and StorageClasses) with
their namespace as written, the kustomize patch files it lists, and the reason it could not be
loaded, if any. StatefulSets of context files are left out: the rules judge only the checked
StatefulSets, relating them to Services and StorageClasses (a rule that ever relates StatefulSets
to each other adds them here and bumps the cache format). Records are plain data (dicts, lists, strings, numbers) so that the
cache can store them as JSON, and rebuilding checks every field's type: a damaged or forged record
is rejected (the file is then parsed again), never trusted into a crash.
"""
from __future__ import annotations

from typing import Any

from stslint.model.index import MISSING, Entry, ServiceEntry, StorageClassEntry, service_entry, storage_class_entry
from stslint.model.resources import Service, StorageClass, view_for

Record = dict[str, Any]
"""{"entries": [...], "patches": [real paths], "error": str | None}"""


class BadRecord(ValueError):
    """A record (from the cache) that does not have the expected shape."""


def _entry_record(entry: Entry, explicit_namespace: str | None) -> dict[str, Any]:
    """The JSON data of one entry; MISSING fields are left out."""
    data: dict[str, Any] = {"name": entry.name, "namespace": explicit_namespace}
    if isinstance(entry, ServiceEntry):
        data.update(type="service", service_type=entry.type, selector=entry.selector,
                    selector_valid=entry.selector_valid, headless_valid=entry.headless_valid)
        if entry.cluster_ip is not MISSING:
            data["cluster_ip"] = entry.cluster_ip
        if entry.cluster_ips is not MISSING:
            data["cluster_ips"] = entry.cluster_ips
    elif isinstance(entry, StorageClassEntry):
        data.update(type="storage_class", reclaim_valid=entry.reclaim_valid)
        if entry.reclaim_policy is not MISSING:
            data["reclaim_policy"] = entry.reclaim_policy
    return data


def record_of(objects: list[Any], file: str, real_path: str, patches: set[str], error: str | None) -> Record:
    """The record of a loaded context file from its objects (positioned YAML mappings)."""
    entries: list[dict[str, Any]] = []
    for data in objects:
        res = view_for(data, file, None, None, real_path)
        entry: Entry
        if isinstance(res, Service):
            entry = service_entry(res)
        elif isinstance(res, StorageClass):
            entry = storage_class_entry(res)
        else:
            continue
        entries.append(_entry_record(entry, res.namespace_explicit))
    return {"entries": entries, "patches": sorted(patches), "error": error}


def _check(value: Any, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple)
                                                                                  else (kind,))):
        raise BadRecord(f"expected {kind}, got {type(value).__name__}")
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _check(value, str)


def _string_map(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    for key, item in _check(value, dict).items():
        _check(item, str)
    return value  # type: ignore[no-any-return]


def entries_of(record: Record, file: str, real_path: str,
               default_namespace: str | None) -> tuple[list[ServiceEntry], list[StorageClassEntry]]:
    """The index entries of a record, each object taking ``default_namespace`` when it names none.

    Raises BadRecord when the record is not shaped as :func:`record_of` makes it."""
    services: list[ServiceEntry] = []
    classes: list[StorageClassEntry] = []
    for data in _check(record.get("entries"), list):
        _check(data, dict)
        name = _check(data.get("name"), str)
        namespace = _optional_str(data.get("namespace")) or default_namespace
        kind = data.get("type")
        if kind == "service":
            services.append(ServiceEntry(
                name, namespace, file, f"Service/{name}", "Service", real_path,
                type=_optional_str(data.get("service_type")), cluster_ip=data.get("cluster_ip", MISSING),
                cluster_ips=data.get("cluster_ips", MISSING), selector=_string_map(data.get("selector")),
                selector_valid=_check(data.get("selector_valid"), bool),
                headless_valid=_check(data.get("headless_valid", True), bool)))
        elif kind == "storage_class":
            classes.append(StorageClassEntry(name, None, file, f"StorageClass/{name}", "StorageClass", real_path,
                                             reclaim_policy=data.get("reclaim_policy", MISSING),
                                             reclaim_valid=_check(data.get("reclaim_valid", True), bool)))
        else:
            raise BadRecord(f"unknown entry type {kind!r}")
    return services, classes


def patches_of(record: Record) -> list[str]:
    """The real paths of the patch files a record's kustomization lists."""
    patches = _check(record.get("patches"), list)
    for path in patches:
        _check(path, str)
    return patches  # type: ignore[no-any-return]


def error_of(record: Record) -> str | None:
    """Why the record's file could not be loaded (None when it loaded)."""
    return _optional_str(record.get("error"))
