"""What a context file contributes to the index, as plain JSON data, and the index entries rebuilt
from it.

A *record* is what one context file gives: its index entries (StatefulSets, Services,
StorageClasses) with their namespace as written, the kustomize patch files it lists, and the reason
it could not be loaded, if any. Records are plain data (dicts, lists, strings, numbers) so that the
cache can store them as JSON, and rebuilding checks every field's type: a damaged or forged record
is rejected (the file is then parsed again), never trusted into a crash.
"""
from __future__ import annotations

from typing import Any

from stslint.model.index import (MISSING, Entry, ServiceEntry, StorageClassEntry, WorkloadEntry, service_entry,
                                 storage_class_entry, workload_entry)
from stslint.model.resources import ClaimTemplate, Service, StatefulSet, StorageClass, view_for

Record = dict[str, Any]
"""{"entries": [...], "patches": [real paths], "error": str | None}"""


class BadRecord(ValueError):
    """A record (from the cache) that does not have the expected shape."""


def _span(span: Any) -> list[int]:
    return list(span)


def _entry_record(entry: Entry, explicit_namespace: str | None) -> dict[str, Any]:
    """The JSON data of one entry; MISSING fields are left out."""
    data: dict[str, Any] = {"name": entry.name, "namespace": explicit_namespace}
    if isinstance(entry, WorkloadEntry):
        data.update(type="workload", service_name=entry.service_name, service_name_span=_span(entry.service_name_span),
                    pod_labels=entry.pod_labels,
                    claims=[[c.name, _span(c.span), c.class_name, c.class_given, c.anchor] for c in entry.claims])
    elif isinstance(entry, ServiceEntry):
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
        if isinstance(res, StatefulSet):
            if res.is_patch():
                continue
            entry = workload_entry(res)
        elif isinstance(res, Service):
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


def _span_of(value: Any) -> tuple[int, int, int, int]:
    items = _check(value, list)
    if len(items) != 4:
        raise BadRecord("a span has four numbers")
    for item in items:
        _check(item, int)
    return (items[0], items[1], items[2], items[3])


def _claim(value: Any) -> ClaimTemplate:
    items = _check(value, list)
    if len(items) != 5:
        raise BadRecord("a claim has five fields")
    name, span, class_name, class_given, anchor = items
    return ClaimTemplate.restore(_optional_str(name), _span_of(span), _optional_str(class_name),
                                 _check(class_given, bool), _check(anchor, str))


def entries_of(record: Record, file: str, real_path: str,
               default_namespace: str | None) -> tuple[list[WorkloadEntry], list[ServiceEntry],
                                                       list[StorageClassEntry]]:
    """The index entries of a record, each object taking ``default_namespace`` when it names none.

    Raises BadRecord when the record is not shaped as :func:`record_of` makes it."""
    workloads: list[WorkloadEntry] = []
    services: list[ServiceEntry] = []
    classes: list[StorageClassEntry] = []
    for data in _check(record.get("entries"), list):
        _check(data, dict)
        name = _check(data.get("name"), str)
        namespace = _optional_str(data.get("namespace")) or default_namespace
        kind = data.get("type")
        if kind == "workload":
            workloads.append(WorkloadEntry(
                name, namespace, file, f"StatefulSet/{name}", "StatefulSet", real_path,
                service_name=_optional_str(data.get("service_name")),
                service_name_span=_span_of(data.get("service_name_span")),
                pod_labels=_string_map(data.get("pod_labels")),
                claims=[_claim(c) for c in _check(data.get("claims"), list)]))
        elif kind == "service":
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
    return workloads, services, classes


def patches_of(record: Record) -> list[str]:
    """The real paths of the patch files a record's kustomization lists."""
    patches = _check(record.get("patches"), list)
    for path in patches:
        _check(path, str)
    return patches  # type: ignore[no-any-return]


def error_of(record: Record) -> str | None:
    """Why the record's file could not be loaded (None when it loaded)."""
    return _optional_str(record.get("error"))
