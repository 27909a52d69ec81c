"""Scheduling rules (STS604, STS605): whether a StatefulSet's replicas are kept apart.

A quorum survives a node failure only when its replicas run on different nodes (or zones). The
scheduler spreads a StatefulSet's pods only through a podAntiAffinity term or a
topologySpreadConstraint whose label selector selects the StatefulSet's *own* pods; a term written
for other labels (``app:`` against ``app.kubernetes.io/name:``) spreads nothing (STS604), and
without any the replicas may all land on one node (STS605, opt-in).
"""
from __future__ import annotations

from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.fields import Fields, listed
from stslint.model.nodes import Span
from stslint.model.selectors import LabelSelector, read_label_selector, requirement_matches
from stslint.model.workloads import StatefulSet
from stslint.rules import object_rule
from stslint.rules.disruption import MIN_REPLICAS, fitted

CONTROLLER_LABELS = frozenset({"statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
                               "controller-revision-hash"})
"""Labels the StatefulSet controller adds to each pod (values per pod or per revision): a requirement on
one of them may hold for the StatefulSet's own pods whatever the template says."""


class Term:
    """A pod (anti-)affinity term or a topology spread constraint, as far as spreading goes."""

    __slots__ = ("fields", "selector", "readable", "own_namespace", "excluded_keys")

    def __init__(self, fields: Fields, selector: LabelSelector | None, readable: bool, own_namespace: bool,
                 excluded_keys: tuple[str, ...]) -> None:
        self.fields = fields
        self.selector = selector
        """Its labelSelector (None: it selects no pod)."""
        self.readable = readable
        """False when its selector, or what it says about namespaces, cannot be read."""
        self.own_namespace = own_namespace
        """True when it stays in the pod's namespace (no namespaceSelector; namespaces absent, empty or
        only the pod's own)."""
        self.excluded_keys = excluded_keys
        """``mismatchLabelKeys``: the term selects pods whose values of these keys differ from the pod's."""

    @property
    def span(self) -> Span:
        """The ``labelSelector:`` key (the term itself when it has none)."""
        return self.fields.key_span("labelSelector") if self.fields.has_key("labelSelector") else self.fields.span


def _term(fields: Fields, namespace: str | None) -> Term:
    selector = read_label_selector(fields, "labelSelector", empty_selects_all=True)
    readable = selector is not None or not fields.present("labelSelector")
    namespaces = fields.seq("namespaces")
    if fields.present("namespaces") and (namespaces is None or not all(isinstance(n, str) for n in namespaces)):
        readable = False
    names = [n for n in namespaces or [] if isinstance(n, str)]
    own = not fields.present("namespaceSelector") and all(namespace is not None and n == namespace for n in names)
    excluded = fields.seq("mismatchLabelKeys")
    return Term(fields, selector, readable, own,
                tuple(k for k in excluded or [] if isinstance(k, str)))


def anti_affinity_terms(sts: StatefulSet) -> list[Term]:
    """The pod template's podAntiAffinity terms, required then preferred."""
    pod = sts.pod_spec()
    affinity = pod.map("affinity") if pod is not None else None
    anti = affinity.map("podAntiAffinity") if affinity is not None else None
    if anti is None:
        return []
    terms = [_term(term, sts.namespace) for _, term in anti.maps("requiredDuringSchedulingIgnoredDuringExecution")]
    for _, weighted in anti.maps("preferredDuringSchedulingIgnoredDuringExecution"):
        term = weighted.map("podAffinityTerm")
        if term is not None:
            terms.append(_term(term, sts.namespace))
    return terms


def spread_constraints(sts: StatefulSet) -> list[Term]:
    """The pod template's topologySpreadConstraints (they count pods of the pod's namespace)."""
    pod = sts.pod_spec()
    if pod is None:
        return []
    terms = [_term(constraint, sts.namespace) for _, constraint in pod.maps("topologySpreadConstraints")]
    for term in terms:
        term.own_namespace = True
    return terms


def selects_own_pods(term: Term, labels: dict[str, str]) -> bool:
    """Whether the term selects pods carrying the template's ``labels`` (a requirement on a label the
    controller adds counts as met, except DoesNotExist; ``mismatchLabelKeys`` on a template label
    excludes the pod's own replicas)."""
    selector = term.selector
    if selector is None or any(key in labels for key in term.excluded_keys):
        return False
    for key, value in selector.match_labels.items():
        if key not in CONTROLLER_LABELS and labels.get(key) != value:
            return False
    for expr in selector.expressions:
        if expr["key"] in CONTROLLER_LABELS:
            if expr["operator"] == "DoesNotExist":
                return False
        elif not requirement_matches(expr, labels):
            return False
    return True


def shown_selector(selector: LabelSelector | None) -> str:
    """A short rendering of a selector for a message: ``"app=zk"``, ``"tier In (db)"``."""
    if selector is None:
        return "no pods"
    parts = [f'"{key}={value}"' for key, value in selector.match_labels.items()]
    parts += [f'"{e["key"]} {e["operator"]}{" (" + ", ".join(e["values"]) + ")" if e["values"] else ""}"'
              for e in selector.expressions]
    return listed(parts, limit=2) if parts else "every pod"


def _labels(sts: StatefulSet) -> dict[str, str] | None:
    labels = sts.template_labels()
    return labels if labels else None


@object_rule("STS604", "anti-affinity-selector-mismatch", "warning", view=StatefulSet)
def anti_affinity_selector_mismatch(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """podAntiAffinity terms in the pod's namespace, none of which selects the template's own labels."""
    labels = _labels(sts)
    if labels is None:
        return
    terms = anti_affinity_terms(sts)
    local = [term for term in terms if term.own_namespace]
    if not local or not all(term.readable for term in terms):
        return
    if any(selects_own_pods(term, labels) for term in terms):
        return
    first = local[0]
    own = listed([f'"{key}={value}"' for key, value in labels.items()], limit=1)
    selects = shown_selector(first.selector)
    message = fitted(f'StatefulSet "{sts.name}": podAntiAffinity selects {selects}, not its pods '
                     f"({own}); its replicas are not kept apart",
                     f'StatefulSet "{sts.name}": no podAntiAffinity term selects its own pod template labels; its '
                     "replicas are not kept apart")
    yield sts.finding("STS604", message, first.span, anchor=_anchor(first))


def _anchor(term: Term) -> str:
    return term.fields.path + (".labelSelector" if term.fields.has_key("labelSelector") else "")


@object_rule("STS605", "replicas-not-spread", "warning", view=StatefulSet, opt_in=True, options=[MIN_REPLICAS])
def replicas_not_spread(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """replicas >= min-replicas and no podAntiAffinity term or topologySpreadConstraint selects the pods."""
    replicas = sts.replicas_written()
    if replicas is None or replicas < options["min-replicas"]:
        return
    labels = _labels(sts)
    if labels is None:
        return
    terms = anti_affinity_terms(sts) + spread_constraints(sts)
    if not all(term.readable for term in terms) or any(selects_own_pods(term, labels) for term in terms):
        return
    yield sts.finding("STS605", f'StatefulSet "{sts.name}" has {replicas} replicas and no podAntiAffinity term or '
                      "topologySpreadConstraint selects its pods: all of them may land on one node",
                      sts.fields.key_span("kind"), anchor="kind")
