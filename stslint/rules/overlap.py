"""Workload overlap (STS608): another workload's selector selects a StatefulSet's pods.

Controllers find what they own by selector: a Deployment, ReplicaSet, DaemonSet or StatefulSet whose
selector matches a StatefulSet's pod template labels may adopt its orphaned pods, and a StatefulSet
adopts ControllerRevisions by selector. The Kubernetes documentation says not to overlap selectors
with other controllers. Workloads are related only when they certainly share a namespace.
"""
from __future__ import annotations

from typing import Any, Iterator, cast

from stslint.findings import Finding
from stslint.model.entries import certainly_same_namespace
from stslint.model.index import Index
from stslint.model.workloads import DaemonSet, Deployment, ReplicaSet, StatefulSet, StatefulSetEntry, WorkloadEntry
from stslint.rules import index_rule
from stslint.rules.disruption import SelectorLookup, described, fitted

CONTROLLER_KINDS = ("StatefulSet", "Deployment", "ReplicaSet", "DaemonSet")


@index_rule("STS608", "workload-selector-overlap", "warning", judges=StatefulSet,
            reads=[StatefulSet, Deployment, ReplicaSet, DaemonSet])
def workload_selector_overlap(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """Another workload in the same namespace has a selector that selects the StatefulSet's pods."""
    lookup = SelectorLookup(entry for kind in CONTROLLER_KINDS for entry in index.entries(kind))
    for sts in cast("list[StatefulSetEntry]", index.subjects("StatefulSet")):
        labels = sts.pod_labels
        if labels is None or sts.has_problems("labels"):
            continue
        others: dict[tuple[str, str], WorkloadEntry] = {}
        for other in cast("list[WorkloadEntry]", lookup.selecting(labels, sts.namespace)):
            if (other.kind, other.name) == (sts.kind, sts.name) or not certainly_same_namespace(other, sts):
                continue  # another definition of the same object is not another workload
            others.setdefault((other.kind, other.name), other)
        if not others:
            continue
        found = list(others.values())
        message = fitted(f'StatefulSet "{sts.name}": the selector of {described(found)} also selects its pods; '
                         "controllers with overlapping selectors may adopt each other's pods and revisions",
                         f'StatefulSet "{sts.name}": {len(found)} other workloads select its pods; controllers with '
                         "overlapping selectors may adopt each other's pods")
        related = [other.related(other.selector_span or other.kind_span,
                                 f'{other.kind} "{other.name}" selects the pods of StatefulSet "{sts.name}"')
                   for other in found]
        yield sts.finding("STS608", message, sts.selector_span or sts.kind_span, anchor="spec.selector",
                          related=related)
