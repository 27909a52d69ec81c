"""Disruption budget rules (STS601-STS603): the PodDisruptionBudgets that select a StatefulSet's pods.

A node drain evicts pods through the eviction API, which consults the one PodDisruptionBudget that
selects each pod: with none, several replicas of a quorum may go at once (STS601); with a budget that
allows no disruption, the drain never finishes (STS602); with two, every eviction fails (STS603).
Budgets are found through the index, so budgets in other files, in context files and in the cache
count; a finding that involves a budget carries it as a related location.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, cast

from stslint.findings import Finding, Related
from stslint.model.disruption import PodDisruptionBudget, PodDisruptionBudgetEntry
from stslint.model.entries import Entry, certainly_same_namespace, namespaces_match
from stslint.model.index import Index
from stslint.model.workloads import PodTemplateWorkload, StatefulSet, StatefulSetEntry, WorkloadEntry
from stslint.rules import index_rule
from stslint.rules.options import Option

PDB = "PodDisruptionBudget"
MIN_REPLICAS = Option("min-replicas", "integer", 2)
"""The replicas from which a StatefulSet needs a budget (STS601) or spreading (STS605)."""
REPLICATED_KINDS = ("StatefulSet", "Deployment", "ReplicaSet")
"""Workload kinds whose pod count is ``spec.replicas``."""
WORKLOAD_KINDS = ("StatefulSet", "Deployment", "ReplicaSet", "DaemonSet", "Job", "CronJob")
MAX_MESSAGE = 160
MAX_NAMED = 3
"""Messages name at most this many objects, then say how many more."""


def percent(value: Any) -> int | None:
    """The percentage of an IntOrString budget value such as ``"50%"`` (ASCII digits then ``%``, as the
    API's ``IsValidPercent`` accepts), or None when it is not one."""
    if not isinstance(value, str) or not value.endswith("%"):
        return None
    digits = value[:-1]
    return int(digits) if digits.isascii() and digits.isdigit() else None


def described(entries: Iterable[Entry]) -> str:
    """``StatefulSet "a"``, ``StatefulSet "a" and Deployment "b"``, ... (at most MAX_NAMED named)."""
    names = [f'{entry.kind} "{entry.name}"' for entry in entries]
    if len(names) > MAX_NAMED:
        names = [*names[:MAX_NAMED - 1], f"{len(names) - MAX_NAMED + 1} more"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def fitted(message: str, shorter: str) -> str:
    """``message``, or ``shorter`` when it is longer than a message may be (long names)."""
    return message if len(message) <= MAX_MESSAGE else shorter


def _statefulsets(index: Index) -> Iterator[tuple[StatefulSetEntry, dict[str, str]]]:
    """Each judged StatefulSet whose pod template labels can be read, with them."""
    for sts in cast("list[StatefulSetEntry]", index.subjects("StatefulSet")):
        labels = sts.pod_labels
        if labels is not None and not sts.has_problems("labels"):
            yield sts, labels


def _budget_span(pdb: PodDisruptionBudgetEntry) -> Any:
    return pdb.selector_span or pdb.kind_span


def _where(namespace: str | None) -> str:
    return f'namespace "{namespace}"' if namespace else "no namespace"


class SelectorLookup:
    """Entries that select pods (budgets, workloads), found for a pod's labels without trying every
    one: each selector is filed under one label pair it requires (the rarest among those indexed), so
    the candidates for a pod are the entries filed under one of its labels plus those that require no
    pair (expressions only, or ``{}``). Keeps thousands of StatefulSets and budgets linear. Entries
    whose selector cannot be read are set aside (``unreadable``), not read."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        readable: list[tuple[int, Entry, Any]] = []
        self.unreadable: list[Entry] = []
        for order, entry in enumerate(entries):
            if entry.has_problems("selector"):
                self.unreadable.append(entry)
                continue
            selector = getattr(entry, entry.SELECTOR) if entry.SELECTOR else None
            if selector is not None:
                readable.append((order, entry, selector))
        counts: dict[tuple[str, str], int] = {}
        for _, _, selector in readable:
            for pair in selector.match_labels.items():
                counts[pair] = counts.get(pair, 0) + 1
        self._filed: dict[tuple[str, str], list[tuple[int, Entry]]] = {}
        self._unfiled: list[tuple[int, Entry]] = []
        for order, entry, selector in readable:
            if selector.match_labels:
                pair = min(selector.match_labels.items(), key=lambda item: (counts[item], item))
                self._filed.setdefault(pair, []).append((order, entry))
            else:
                self._unfiled.append((order, entry))

    def selecting(self, labels: dict[str, str], namespace: str | None = None, *,
                  any_namespace: bool = False) -> list[Entry]:
        """The entries (in the order given) whose namespace can be ``namespace`` (any, with
        ``any_namespace``) and whose selector selects a pod with ``labels``."""
        found = list(self._unfiled)
        for pair in labels.items():
            found += self._filed.get(pair, ())
        found.sort(key=lambda item: item[0])
        return [entry for _, entry in found
                if (any_namespace or namespaces_match(entry.namespace, namespace)) and entry.selects(labels)]


class LabelLookup:
    """Workloads found by the label pairs of their pods, for a selector: the candidates are the
    workloads carrying the selector's rarest required pair (every workload when it requires none)."""

    def __init__(self, workloads: Iterable[WorkloadEntry]) -> None:
        self.workloads = [w for w in workloads if w.pod_labels is not None and not w.has_problems("labels")]
        self._by_pair: dict[tuple[str, str], list[WorkloadEntry]] = {}
        for workload in self.workloads:
            for pair in (workload.pod_labels or {}).items():
                self._by_pair.setdefault(pair, []).append(workload)

    def candidates(self, selector: Any) -> list[WorkloadEntry]:
        """The workloads that may carry every pair ``selector`` requires, in the order given."""
        if not selector.match_labels:
            return self.workloads
        return min((self._by_pair.get(pair, []) for pair in selector.match_labels.items()), key=len)


@index_rule("STS601", "pdb-missing", "warning", judges=StatefulSet, reads=PodDisruptionBudget,
            options=[MIN_REPLICAS])
def pdb_missing(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """replicas >= min-replicas and no PodDisruptionBudget in the run (or context) selects the pods."""
    budgets = SelectorLookup(index.entries(PDB))
    for sts, labels in _statefulsets(index):
        replicas = sts.replicas
        if replicas is None or replicas < options["min-replicas"]:
            continue
        unreadable = [pdb for pdb in budgets.unreadable if namespaces_match(pdb.namespace, sts.namespace)]
        if unreadable:
            for pdb in unreadable:
                pdb.readable("selector")  # a budget that cannot be read may be the one: STS006 says why
            continue
        if budgets.selecting(labels, sts.namespace):
            continue
        message = (f'StatefulSet "{sts.name}" has {replicas} replicas and no PodDisruptionBudget selects its pods; '
                   "a node drain may evict several at once")
        related: list[Related] = []
        elsewhere = cast("list[PodDisruptionBudgetEntry]", budgets.selecting(labels, any_namespace=True))
        if elsewhere:
            pdb = elsewhere[0]
            message = fitted(f'StatefulSet "{sts.name}" has {replicas} replicas and no PodDisruptionBudget in its '
                             f'namespace ("{pdb.name}" is in {_where(pdb.namespace)}); a node '
                             "drain may evict several at once", message)
            related = [other.related(_budget_span(other), f'PodDisruptionBudget "{other.name}" in '
                                     f"{_where(other.namespace)} selects these labels") for other in elsewhere]
        yield sts.finding("STS601", message, sts.kind_span, anchor="kind", related=related)


def _selected_workloads(workloads: LabelLookup, pdb: PodDisruptionBudgetEntry) -> list[WorkloadEntry]:
    """The workloads whose pods ``pdb`` selects (namespaces that can match), each defined object
    once: a second definition of the same kind and name is an alternative, not more pods."""
    found: dict[tuple[str, str], WorkloadEntry] = {}
    for workload in workloads.candidates(pdb.selector):
        labels = workload.pod_labels
        if labels is None or not namespaces_match(workload.namespace, pdb.namespace) or not pdb.selects(labels):
            continue
        key = (workload.kind, workload.name)
        known = found.get(key)
        if known is None:
            found[key] = workload
        elif known.replicas is not None and (workload.replicas is None or workload.replicas > known.replicas):
            found[key] = workload  # the largest of alternatives, or unknown: never more findings
    return list(found.values())


def _total_replicas(workloads: list[WorkloadEntry]) -> int | None:
    """How many pods the workloads ask for, or None when some count is not known (omitted, or a kind
    without replicas: a DaemonSet runs a pod per node)."""
    total = 0
    for workload in workloads:
        if workload.kind not in REPLICATED_KINDS or workload.replicas is None or workload.has_problems("replicas"):
            return None
        total += workload.replicas
    return total


def _blocking(pdb: PodDisruptionBudgetEntry, workloads: list[WorkloadEntry]) -> tuple[Any, str] | None:
    """Where and how the budget allows no voluntary disruption of ``workloads``' pods, or None."""
    if not pdb.readable("budget"):
        return None
    minimum, maximum = pdb.min_available, pdb.max_unavailable
    if minimum is not None and maximum is not None:
        return None  # the API rejects a budget that sets both
    if maximum is not None:
        if maximum == 0 or percent(maximum) == 0:  # (a negative or over-100% budget is rejected by the API)
            shown = f'"{maximum}"' if isinstance(maximum, str) else "0"
            return pdb.max_unavailable_span, f"allows maxUnavailable {shown}"
        return None
    if minimum is None:
        return None
    share = percent(minimum)
    if share is not None and share > 100:
        return None  # the API rejects a percentage over 100
    if share == 100:
        return pdb.min_available_span, f'requires minAvailable "{minimum}" of the pods'
    total = _total_replicas(workloads)
    if total is None or total == 0 or (share is None and not isinstance(minimum, int)):
        return None
    required = minimum if share is None else -(-share * total // 100)  # a percentage rounds up
    if required < total:
        return None
    shown = f'"{minimum}" ({required}, rounded up)' if share is not None else str(minimum)
    return pdb.min_available_span, f"requires minAvailable {shown} of {total} replicas"


@index_rule("STS602", "pdb-blocks-eviction", "warning", judges=PodDisruptionBudget,
            reads=[PodTemplateWorkload])
def pdb_blocks_eviction(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """A PodDisruptionBudget that selects some StatefulSet's pods allows no voluntary disruption."""
    lookup: LabelLookup | None = None
    for pdb in cast("list[PodDisruptionBudgetEntry]", index.subjects(PDB)):
        if not pdb.readable("selector") or pdb.selector is None:
            continue
        if lookup is None:
            workloads_of_run = [w for kind in WORKLOAD_KINDS for w in index.entries(kind)]
            lookup = LabelLookup(cast("list[WorkloadEntry]", workloads_of_run))
        workloads = _selected_workloads(lookup, pdb)
        statefulsets = [w for w in workloads if w.kind == "StatefulSet"]
        if not statefulsets:
            continue
        blocking = _blocking(pdb, workloads)
        if blocking is None:
            continue
        span, how = blocking
        message = fitted(f'{described(workloads)}: PodDisruptionBudget "{pdb.name}" {how}; node drains will never '
                         "finish", f'PodDisruptionBudget "{pdb.name}" {how} of the pods it selects; node drains '
                         "will never finish")
        related = [w.related(w.kind_span, f'{w.kind} "{w.name}" is selected by PodDisruptionBudget "{pdb.name}"')
                   for w in workloads]
        anchor = "spec.maxUnavailable" if span == pdb.max_unavailable_span else "spec.minAvailable"
        yield pdb.finding("STS602", message, span, anchor=anchor, related=related)


@index_rule("STS603", "pdb-overlap", "error", judges=StatefulSet, reads=PodDisruptionBudget)
def pdb_overlap(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """More than one PodDisruptionBudget (certainly in the pods' namespace) selects the StatefulSet's pods."""
    lookup = SelectorLookup(index.entries(PDB))
    for sts, labels in _statefulsets(index):
        budgets: dict[str, PodDisruptionBudgetEntry] = {}
        for pdb in cast("list[PodDisruptionBudgetEntry]", lookup.selecting(labels, sts.namespace)):
            if certainly_same_namespace(pdb, sts):
                budgets.setdefault(pdb.name, pdb)  # another definition of one budget is not another budget
        if len(budgets) < 2:
            continue
        found = sorted(budgets.values(), key=lambda pdb: pdb.name)
        names = described(found).replace("PodDisruptionBudget ", "")
        each = "both" if len(found) == 2 else "all"
        message = fitted(f'StatefulSet "{sts.name}": PodDisruptionBudgets {names} {each} select its pods; the '
                         "eviction API refuses pods with several budgets, so drains never finish",
                         f'StatefulSet "{sts.name}": {len(found)} PodDisruptionBudgets select its pods; the eviction '
                         "API refuses pods with several budgets")
        related = [pdb.related(_budget_span(pdb), f'PodDisruptionBudget "{pdb.name}" selects the pods of '
                               f'StatefulSet "{sts.name}"') for pdb in found]
        yield sts.finding("STS603", message, sts.kind_span, anchor="kind", related=related)
