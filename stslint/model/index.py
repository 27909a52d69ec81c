"""The index across all files of a run: compact entries for the objects that rules relate.

Only what cross-object rules read is kept (names, namespaces, labels, selectors, classes and the
positions findings point at), so memory does not grow with whole documents. The index is a
multimap: an object defined twice is kept twice. Wrong-typed fields met while extracting an entry
are kept with it, grouped by what they affect, and reported only when a rule reads that group.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stslint.findings import Finding
from stslint.model.nodes import Span
from stslint.model.resources import ClaimTemplate, Resource, Service, StatefulSet, StorageClass

MISSING: Any = object()
"""Marks a field that the manifest does not set."""


def namespaces_match(a: str | None, b: str | None) -> bool:
    """kubectl apply semantics: an unknown namespace (None) matches any; explicit ones must be equal."""
    return a is None or b is None or a == b


@dataclass
class Entry:
    """What every entry has: the object's identity and where it was read."""

    name: str
    namespace: str | None
    file: str
    ref: str
    kind: str
    source_path: str | None
    problems: dict[str, list[Finding]] = field(default_factory=dict)
    document: int | None = None
    """The index of the document holding the object in its file."""

    def finding(self, code: str, message: str, span: Span, *, container: str | None = None,
                anchor: str = "") -> Finding:
        """A finding located in this entry's object."""
        return Finding(code, message, self.file, span, object=self.ref, kind=self.kind,
                       namespace=self.namespace, container=container, anchor=anchor,
                       source_path=self.source_path, document=self.document)


@dataclass
class WorkloadEntry(Entry):
    """A StatefulSet as cross-object rules see it."""

    service_name: str | None = None
    service_name_span: Span = (1, 1, 1, 1)
    pod_labels: dict[str, str] | None = None
    claims: list[ClaimTemplate] = field(default_factory=list)


@dataclass
class ServiceEntry(Entry):
    """A Service: how it is exposed and what it selects."""

    type: str | None = None
    cluster_ip: Any = MISSING
    cluster_ips: Any = MISSING
    selector: dict[str, str] | None = None
    selector_valid: bool = True
    headless_valid: bool = True
    """False when spec, type, clusterIP or clusterIPs has the wrong type (STS006): not judged."""


@dataclass
class StorageClassEntry(Entry):
    """A StorageClass and its reclaim policy (MISSING when omitted)."""

    reclaim_policy: Any = MISSING
    reclaim_valid: bool = True
    """False when reclaimPolicy has the wrong type (STS006): not judged."""


def _identity(res: Resource) -> dict[str, Any]:
    return dict(name=res.name, namespace=res.namespace, file=res.file, ref=res.ref, kind=res.kind,
                source_path=res.source_path, document=res.document)


def _collect(res: Resource, group: str, problems: dict[str, list[Finding]]) -> None:
    """Route the view's wrong-type reports into ``problems[group]`` from now on (each place once: an
    alias repeated a million times must not make a million reports)."""
    found = problems.setdefault(group, [])
    seen: set[tuple[Any, ...]] = set()

    def collect(finding: Finding) -> None:
        key = (finding.span, finding.anchor)
        if key not in seen:
            seen.add(key)
            found.append(finding)

    res.with_sink(collect)


def workload_entry(sts: StatefulSet) -> WorkloadEntry:
    """The compact entry of a StatefulSet."""
    entry = WorkloadEntry(**_identity(sts))
    spec = sts.data.get("spec")
    _collect(sts, "serviceName", entry.problems)
    spec_fields = sts.spec()
    if spec_fields is not None:
        entry.service_name = spec_fields.str("serviceName")
        entry.service_name_span = spec_fields.key_span("serviceName")
    _collect(sts, "labels", entry.problems)
    entry.pod_labels = sts.template_labels()
    _collect(sts, "claims", entry.problems)
    if isinstance(spec, dict):
        entry.claims = list(sts.claims())
    sts.with_sink(None)
    return entry


def service_entry(svc: Service) -> ServiceEntry:
    """The compact entry of a Service."""
    entry = ServiceEntry(**_identity(svc))
    _collect(svc, "headless", entry.problems)
    spec = svc.spec()
    if spec is None:
        entry.headless_valid = entry.selector_valid = not svc.fields.present("spec")
    else:
        entry.type = spec.str("type")
        cluster_ips = spec.seq("clusterIPs")
        ips_valid = cluster_ips is not None or not spec.present("clusterIPs")
        for index, ip in enumerate(cluster_ips or []):
            if not isinstance(ip, str):
                spec.report(f"spec.clusterIPs[{index}]", spec.item_span("clusterIPs", index), "a string", ip)
                ips_valid = False
        type_valid, ip_valid = spec.str_readable("type"), spec.str_readable("clusterIP")  # both reported
        entry.headless_valid = type_valid and ip_valid and ips_valid
        if entry.headless_valid:  # only plain strings go into an entry (the context cache stores them)
            entry.cluster_ip = spec.raw("clusterIP") if spec.has_key("clusterIP") else MISSING
            entry.cluster_ips = list(cluster_ips) if cluster_ips is not None else (
                None if spec.has_key("clusterIPs") else MISSING)
        _collect(svc, "selector", entry.problems)
        if spec.present("selector"):
            entry.selector = spec.string_map("selector")
            entry.selector_valid = entry.selector is not None
    svc.with_sink(None)
    return entry


def storage_class_entry(sc: StorageClass) -> StorageClassEntry:
    """The compact entry of a StorageClass."""
    entry = StorageClassEntry(**_identity(sc))
    _collect(sc, "reclaim", entry.problems)
    entry.reclaim_valid = sc.fields.str_readable("reclaimPolicy")
    if entry.reclaim_valid:  # only plain strings go into an entry (the context cache stores them)
        entry.reclaim_policy = sc.data.get("reclaimPolicy", MISSING)
    sc.with_sink(None)
    return entry


class Index:
    """All entries of a run, looked up by name."""

    def __init__(self) -> None:
        self.workloads: list[WorkloadEntry] = []
        self.services: dict[str, list[ServiceEntry]] = {}
        self.storage_classes: dict[str, list[StorageClassEntry]] = {}

    def add(self, res: Resource) -> None:
        """Index an object, if it is of a kind that cross-object rules read."""
        if isinstance(res, StatefulSet):
            if not res.is_patch():
                self.workloads.append(workload_entry(res))
        elif isinstance(res, Service):
            self.services.setdefault(res.name, []).append(service_entry(res))
        elif isinstance(res, StorageClass):
            self.storage_classes.setdefault(res.name, []).append(storage_class_entry(res))

    def add_context(self, services: list[ServiceEntry], storage_classes: list[StorageClassEntry]) -> None:
        """Add the entries of a context file: its Services and StorageClasses resolve references
        like any others (its StatefulSets are not judged, so they are not kept)."""
        for service in services:
            self.services.setdefault(service.name, []).append(service)
        for storage_class in storage_classes:
            self.storage_classes.setdefault(storage_class.name, []).append(storage_class)

    def drop_files(self, real_paths: set[str]) -> None:
        """Forget every entry read from these files (kustomize patches are not objects)."""
        if not real_paths:
            return
        self.workloads = [w for w in self.workloads if w.source_path not in real_paths]
        for table in (self.services, self.storage_classes):
            for name in list(table):
                kept = [e for e in table[name] if e.source_path not in real_paths]  # type: ignore[attr-defined]
                if kept:
                    table[name] = kept  # type: ignore[assignment]
                else:
                    del table[name]

    def services_named(self, name: str, namespace: str | None) -> list[ServiceEntry]:
        """Services of that name whose namespace can be the given one."""
        return [s for s in self.services.get(name, ()) if namespaces_match(s.namespace, namespace)]

    def services_in(self, namespace: str | None) -> list[ServiceEntry]:
        """Every Service whose namespace can be the given one."""
        return [s for group in self.services.values() for s in group if namespaces_match(s.namespace, namespace)]
