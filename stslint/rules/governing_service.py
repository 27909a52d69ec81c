"""Governing Service rules (STS101-STS104): the headless Service that gives pods stable DNS names."""
from __future__ import annotations

import bisect
import difflib
from typing import Any, Iterator, cast

from stslint.findings import Finding, Fix, Related
from stslint.model.entries import MISSING
from stslint.model.fields import describe, listed
from stslint.model.index import Index
from stslint.model.network import Service, ServiceEntry
from stslint.model.selectors import unmatched_labels
from stslint.model.workloads import StatefulSet, StatefulSetEntry
from stslint.rules import index_rule, object_rule

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"


@object_rule("STS101", "service-name-missing", "error", view=StatefulSet)
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
                              "stable DNS names",
                              spec.key_span("serviceName"), anchor="spec.serviceName")
        return
    yield sts.finding("STS101", f'StatefulSet "{sts.name}" has no spec.serviceName; pods get no stable DNS '
                      "names",
                      sts.fields.key_span("kind"), anchor="kind")


def _where(namespace: str | None) -> str:
    return f'in namespace "{namespace}"' if namespace else "in its namespace"


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
        return "no spec.clusterIP: it gets a cluster IP"
    if svc.cluster_ip == "None":
        return f"spec.clusterIPs is {describe(svc.cluster_ips)}, not [None]"
    return f"spec.clusterIP is {describe(svc.cluster_ip)}"


def _selects(svc: ServiceEntry, labels: dict[str, str], sts_name: str) -> bool:
    """Whether the Service selects a pod of the StatefulSet (the controller adds the pod-name label to
    each pod, so a Service may select one pod by it)."""
    selector = svc.selector
    if not selector:
        return False
    pod_labels = dict(labels)
    wanted = selector.get(POD_NAME_LABEL)
    if wanted is not None and wanted.startswith(f"{sts_name}-") and wanted[len(sts_name) + 1:].isdigit():
        pod_labels[POD_NAME_LABEL] = wanted
    return svc.selects(pod_labels)


def _services(index: Index, name: str, namespace: str | None) -> list[ServiceEntry]:
    return cast("list[ServiceEntry]", index.named("Service", name, namespace))


def _governed(index: Index) -> Iterator[tuple[StatefulSetEntry, list[ServiceEntry]]]:
    """Each judged StatefulSet that names a governing Service, with the Services of that name."""
    for workload in cast("list[StatefulSetEntry]", index.subjects("StatefulSet")):
        if workload.service_name:
            yield workload, _services(index, workload.service_name, workload.namespace)


@index_rule("STS102", "service-not-found", "error", judges=StatefulSet, reads=Service)
def service_not_found(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """No Service of the serviceName in the StatefulSet's namespace among the scanned files."""
    suggestions = _Suggestions(index)
    for sts, services in _governed(index):
        if services:
            continue
        name = sts.service_name
        assert name is not None
        message = f'StatefulSet "{sts.name}": no Service "{name}" {_where(sts.namespace)}, so no per-pod DNS names'
        elsewhere = sorted({s.namespace or "" for s in index.named_anywhere("Service", name)})
        if elsewhere:
            message += (f' (Service "{name}" is in namespace {listed(map(describe, elsewhere))}; it must be in '
                        "the pods' namespace)")
        related: list[Related] = []
        suggestion = suggestions.suggest(sts)
        if suggestion is not None:
            candidate_name, flaw = suggestion
            candidate = _services(index, candidate_name, sts.namespace)[0]
            if flaw is None:
                message += f'; did you mean "{candidate_name}"?'
                related.append(candidate.related(candidate.name_span, f'Service "{candidate_name}" is defined here'))
            else:
                message += f'; Service "{candidate_name}" is close but {_SHORT_FLAWS[flaw]}'
                related.append(candidate.related(candidate.name_span, f'Service "{candidate_name}" {flaw}'))
        if not index.has_context:
            message += "; if it is defined in another file, pass that file or use --context/--context-git"
        yield sts.finding("STS102", message, sts.service_name_span, anchor="spec.serviceName", related=related)


_SHORT_FLAWS = {"is not headless": "not headless", "does not select the pods": "selects other pods"}


class _Suggestions:
    """"Did you mean" for an unresolved serviceName: a Service that would itself pass — headless, and
    selecting the pods when that can be told — with a close name, else the only such Service; failing
    that, a close name with what is wrong with it. Candidates are grouped once per namespace, close
    names are looked for among the names sharing the first two characters, so thousands of Services
    keep a run linear. Candidates are looked at, not judged: their wrong-typed fields are not read
    (not reported here)."""

    MAX_HEADLESS = 50
    MAX_CANDIDATES = 50
    """Close names are looked for among at most this many names (those nearest in length): thousands
    of unresolved names against thousands of Services sharing a prefix stay linear."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._namespaces: dict[str | None, tuple[dict[str, list[str]], list[ServiceEntry]]] = {}
        self._close: dict[tuple[str | None, str], list[str]] = {}

    def _candidates(self, namespace: str | None) -> tuple[dict[str, list[str]], list[ServiceEntry]]:
        if namespace not in self._namespaces:
            buckets: dict[str, set[str]] = {}
            headless = []
            for svc in cast("list[ServiceEntry]", self.index.in_namespace("Service", namespace)):
                buckets.setdefault(svc.name[:2].lower(), set()).add(svc.name)
                if not svc.has_problems("headless") and _is_headless(svc):
                    headless.append(svc)
            self._namespaces[namespace] = ({k: sorted(v, key=lambda c: (len(c), c)) for k, v in buckets.items()},
                                           headless)
        return self._namespaces[namespace]

    def _close_names(self, namespace: str | None, name: str, bucket: list[str]) -> list[str]:
        """Up to three names of ``bucket`` close to ``name`` (once per namespace and name)."""
        key = (namespace, name)
        if key not in self._close:
            if len(bucket) > self.MAX_CANDIDATES:
                bucket = _nearest_in_length(bucket, name, self.MAX_CANDIDATES)
            self._close[key] = difflib.get_close_matches(name, bucket, n=3, cutoff=0.6)
        return self._close[key]

    def suggest(self, sts: StatefulSetEntry) -> tuple[str, str | None] | None:
        """A Service name the StatefulSet's serviceName was probably meant to be, with what would
        still be wrong with that Service (None when it would pass: headless, selecting the pods)."""
        name = sts.service_name or ""
        if len(name) > 253:
            return None  # not a Service name (at most 253 characters)
        buckets, headless = self._candidates(sts.namespace)
        close = self._close_names(sts.namespace, name, buckets.get(name[:2].lower(), []))
        headless_names = {s.name for s in headless}
        if len(headless) > self.MAX_HEADLESS or sts.has_problems("labels") or sts.pod_labels is None:
            good = [c for c in close if c in headless_names]  # whether they select the pods is not told
            if good:
                return good[0], None
            return (close[0], "is not headless") if close else None
        labels = sts.pod_labels
        selecting = sorted({s.name for s in headless if not s.has_problems("selector") and _selects(s, labels, sts.name)})
        preferred = [c for c in close if c in selecting]
        if preferred:
            return preferred[0], None
        if len(selecting) == 1:
            return selecting[0], None
        if close:
            flaw = "does not select the pods" if close[0] in headless_names else "is not headless"
            return close[0], flaw
        return None


def _nearest_in_length(names: list[str], name: str, count: int) -> list[str]:
    """The ``count`` names of ``names`` (sorted by length, then name) nearest in length to ``name``."""
    lengths = [len(n) for n in names]
    middle = bisect.bisect_left(lengths, len(name))
    low, high = middle, middle
    while high - low < count:
        if low > 0 and (high >= len(names) or len(name) - lengths[low - 1] <= lengths[high] - len(name)):
            low -= 1
        else:
            high += 1
    return names[low:high]


@index_rule("STS103", "service-not-headless", "error", judges=StatefulSet, reads=Service)
def service_not_headless(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """The governing Service's clusterIP is not None."""
    for sts, services in _governed(index):
        if not services:
            continue
        readable = [s.readable("headless") for s in services]  # every one: their problems are reported
        if not all(readable) or any(_is_headless(s) for s in services):
            continue
        svc = services[0]
        why = _not_headless_reason(svc)
        where = svc.cluster_ip_span or svc.type_span or svc.kind_span
        yield sts.finding("STS103", f'StatefulSet "{sts.name}": governing Service "{svc.name}" is not headless '
                          f"({why}); per-pod DNS is not guaranteed",
                          sts.service_name_span, anchor="spec.serviceName",
                          related=[svc.related(where, f'Service "{svc.name}" is not headless here')],
                          fix=_headless_fix(services))


def _headless_fix(services: list[ServiceEntry]) -> Fix | None:
    """The unsafe fix that makes every Service of the governing name headless (None when one of
    them cannot be edited, as a NodePort or LoadBalancer Service)."""
    if any(s.headless_edits is None for s in services):
        return None
    from stslint.edits import make_fix, record_edit

    return make_fix(f'Make Service "{services[0].name}" headless (clusterIP: None)', "unsafe",
                    [record_edit(record, s.file, s.source_path) for s in services for record in s.headless_edits])


@index_rule("STS104", "service-selector-mismatch", "error", judges=StatefulSet, reads=Service)
def service_selector_mismatch(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """The governing Service selects no pods of the StatefulSet."""
    for sts, services in _governed(index):
        if not services:
            continue
        labels = sts.pod_labels
        readable = [s.readable("selector") for s in services]
        if labels is None or not all(readable):
            continue
        if any(_selects(s, labels, sts.name) for s in services):
            continue
        svc = services[0]
        if not svc.selector:
            why = "has no selector, so it selects no pods"
            note = f'Service "{svc.name}" has no selector'
        else:
            missing = unmatched_labels(svc.selector, labels)
            why = f"selects {listed(missing)}, which the pod template labels do not carry"
            note = f'Service "{svc.name}" selects {listed(missing)} here'
        yield sts.finding("STS104", f'StatefulSet "{sts.name}": governing Service "{svc.name}" {why}; pods get '
                          "no DNS records", sts.service_name_span, anchor="spec.serviceName",
                          related=[svc.related(svc.selector_span or svc.kind_span, note)])
