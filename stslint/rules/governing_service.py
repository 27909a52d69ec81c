"""Governing Service rules (STS101-STS104): the headless Service that gives pods stable DNS names."""
from __future__ import annotations

import difflib
from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.index import MISSING, Index, ServiceEntry, WorkloadEntry
from stslint.model.resources import StatefulSet, describe
from stslint.model.selectors import unmatched_labels
from stslint.rules import rule

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"


@rule("STS101", "service-name-missing", "error")
def service_name_missing(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """spec.serviceName absent, null or empty."""
    spec = sts.spec()
    if spec is None:
        return
    if spec.has_key("serviceName"):
        value = spec.raw("serviceName")
        if value is not None and spec.str("serviceName") is None:
            return  # wrong type: STS006
        if value is None or value == "":
            yield sts.finding("STS101", f'StatefulSet "{sts.name}": spec.serviceName is empty; pods get no '
                              "stable DNS names — set it to the name of a headless Service",
                              spec.key_span("serviceName"), anchor="spec.serviceName")
        return
    yield sts.finding("STS101", f'StatefulSet "{sts.name}" has no spec.serviceName; pods get no stable DNS '
                      "names — add serviceName naming a headless Service that selects the pods",
                      sts.fields.key_span("kind"), anchor="kind")


def _where(namespace: str | None) -> str:
    return f'in namespace "{namespace}"' if namespace else "in the StatefulSet's namespace"


CLUSTER_IP_TYPES = (None, "", "ClusterIP")
"""Service types that can be headless (an empty type defaults to ClusterIP)."""


def _is_headless(svc: ServiceEntry) -> bool:
    """clusterIP None and, when clusterIPs is set, exactly [None] (an empty list counts as unset)."""
    if svc.type not in CLUSTER_IP_TYPES or svc.cluster_ip != "None":
        return False
    return svc.cluster_ips in (MISSING, None, [], ["None"])


def _not_headless_reason(svc: ServiceEntry) -> str:
    """Why a Service is not headless, in its own terms."""
    if svc.type not in CLUSTER_IP_TYPES:
        return f"type {svc.type} cannot be headless"
    if svc.cluster_ip is MISSING or svc.cluster_ip is None:
        if svc.cluster_ips == ["None"]:
            return "spec.clusterIPs is [None] but spec.clusterIP is not set, which the API rejects"
        return "type ClusterIP, spec.clusterIP is not set, so it gets a cluster IP"
    if svc.cluster_ip == "None":
        return f"spec.clusterIPs is {describe(svc.cluster_ips)}, not [None]"
    return f"spec.clusterIP is {describe(svc.cluster_ip)}"


def _selects(svc: ServiceEntry, labels: dict[str, str], sts_name: str) -> bool:
    if not svc.selector:
        return False
    pod_labels = dict(labels)
    wanted = svc.selector.get(POD_NAME_LABEL)
    if wanted is not None and wanted.startswith(f"{sts_name}-") and wanted[len(sts_name) + 1:].isdigit():
        pod_labels[POD_NAME_LABEL] = wanted  # the controller adds it to one of the pods
    return not unmatched_labels(svc.selector, pod_labels)


def _governed(index: Index) -> Iterator[tuple[WorkloadEntry, list[ServiceEntry]]]:
    for workload in index.workloads:
        if workload.service_name:
            yield workload, index.services_named(workload.service_name, workload.namespace)


def _service_name_problems(index: Index) -> Iterator[Finding]:
    """STS006 for serviceNames of the wrong type (each rule reading serviceName reports them; the
    engine keeps one per field)."""
    for workload in index.workloads:
        yield from workload.problems.get("serviceName", ())


@rule("STS102", "service-not-found", "error", scope="index")
def service_not_found(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """No Service of the serviceName in the StatefulSet's namespace among the scanned files."""
    yield from _service_name_problems(index)
    suggestions = _Suggestions(index)
    for sts, services in _governed(index):
        if services:
            continue
        name = sts.service_name
        assert name is not None
        message = (f'StatefulSet "{sts.name}": no Service "{name}" {_where(sts.namespace)} among the scanned '
                   "files; pods get no per-pod DNS names without it")
        elsewhere = sorted({s.namespace or "" for s in index.services.get(name, ())})
        if elsewhere:
            message += (f' (a Service "{name}" exists in namespace {", ".join(map(repr, elsewhere))}, '
                        "but a governing Service must be in the pods' namespace)")
        suggestion = suggestions.suggest(sts)
        if suggestion:
            message += f'; did you mean "{suggestion}"?'
        yield sts.finding("STS102", message, sts.service_name_span, anchor="spec.serviceName")


class _Suggestions:
    """"Did you mean" for an unresolved serviceName: a close name, else the only headless Service that
    selects the pods. Candidates are grouped once per namespace, close names are looked for among the
    names sharing the first two characters, so thousands of Services keep a run linear."""

    MAX_HEADLESS = 50

    def __init__(self, index: Index) -> None:
        self.index = index
        self._namespaces: dict[str | None, tuple[dict[str, list[str]], list[ServiceEntry]]] = {}

    def _candidates(self, namespace: str | None) -> tuple[dict[str, list[str]], list[ServiceEntry]]:
        if namespace not in self._namespaces:
            buckets: dict[str, set[str]] = {}
            headless = []
            for svc in self.index.services_in(namespace):
                buckets.setdefault(svc.name[:2].lower(), set()).add(svc.name)
                if _is_headless(svc):
                    headless.append(svc)
            self._namespaces[namespace] = ({k: sorted(v) for k, v in buckets.items()}, headless)
        return self._namespaces[namespace]

    def suggest(self, sts: WorkloadEntry) -> str | None:
        """A Service name the StatefulSet's serviceName was probably meant to be."""
        name = sts.service_name or ""
        if len(name) > 253:
            return None  # not a Service name (at most 253 characters)
        buckets, headless = self._candidates(sts.namespace)
        close = difflib.get_close_matches(name, buckets.get(name[:2].lower(), []), n=3, cutoff=0.6)
        if len(headless) > self.MAX_HEADLESS or sts.pod_labels is None:
            return close[0] if close else None
        selecting = sorted({s.name for s in headless if _selects(s, sts.pod_labels, sts.name)})
        preferred = [c for c in close if c in selecting]
        if preferred or close:
            return (preferred or close)[0]
        return selecting[0] if len(selecting) == 1 else None


@rule("STS103", "service-not-headless", "error", scope="index")
def service_not_headless(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """The governing Service's clusterIP is not None."""
    yield from _service_name_problems(index)
    for sts, services in _governed(index):
        if not services:
            continue
        for svc in services:
            yield from svc.problems.get("headless", ())
        if any(_is_headless(s) for s in services) or not all(s.headless_valid for s in services):
            continue
        svc = services[0]
        why = _not_headless_reason(svc)
        yield sts.finding("STS103", f'StatefulSet "{sts.name}": governing Service "{svc.name}" is not headless '
                          f"({why}); per-pod DNS names are not guaranteed by the Kubernetes DNS spec — "
                          "set clusterIP: None (clusterIP cannot change: recreate the Service)",
                          sts.service_name_span, anchor="spec.serviceName")


@rule("STS104", "service-selector-mismatch", "error", scope="index")
def service_selector_mismatch(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """The governing Service selects no pods of the StatefulSet."""
    yield from _service_name_problems(index)
    for sts, services in _governed(index):
        if not services:
            continue
        yield from sts.problems.get("labels", ())
        for svc in services:
            yield from svc.problems.get("selector", ())
        labels = sts.pod_labels
        if labels is None or any(not s.selector_valid for s in services):
            continue
        if any(_selects(s, labels, sts.name) for s in services):
            continue
        svc = services[0]
        if not svc.selector:
            why = "has no selector, so it selects no pods (its endpoints are not managed by Kubernetes)"
            fix = "add a selector equal to (a subset of) the pod template labels"
        else:
            missing = unmatched_labels(svc.selector, labels)
            why = f"selects {', '.join(missing)}, which the pod template labels do not carry"
            fix = "make the Service selector a subset of the pod template labels"
        yield sts.finding("STS104", f'StatefulSet "{sts.name}": governing Service "{svc.name}" {why}; pods get '
                          f"no DNS records — {fix}", sts.service_name_span, anchor="spec.serviceName")
