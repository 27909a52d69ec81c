"""Object rules across kinds (STS007): the same object defined twice in one run."""
from __future__ import annotations

import os
from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.entries import Entry
from stslint.model.index import Index
from stslint.model.views import view_classes
from stslint.rules import index_rule

MODELLED_KINDS = tuple(cls.KIND for cls in view_classes())
"""Every kind stslint has a view for (workloads, Services, NetworkPolicies, storage, PDBs)."""


def _collide(first: Entry, later: Entry) -> bool:
    """Whether two definitions of one kind and name would overwrite each other when applied: in one file
    when their namespaces can be the same (cluster-scoped: always); in two files only with the same
    explicit namespace (namespace-less and cluster-scoped objects in separate files are usually
    alternatives: one file per cluster or per cloud)."""
    if first.file_key == later.file_key:
        return first.namespace is None or later.namespace is None or first.namespace == later.namespace
    if first.CLUSTER_SCOPED:
        return False
    return first.explicit_namespace is not None and first.explicit_namespace == later.explicit_namespace


def _where(first: Entry, later: Entry) -> str:
    line = first.kind_span[0]
    return f"line {line}" if first.file_key == later.file_key else f"{os.path.basename(first.file)}:{line}"


@index_rule("STS007", "duplicate-object", "warning", judges=MODELLED_KINDS)
def duplicate_object(index: Index, options: dict[str, Any]) -> Iterator[Finding]:
    """An object is defined more than once with the same kind, name and namespace."""
    for kind in MODELLED_KINDS:
        by_name: dict[str, list[Entry]] = {}
        for entry in index.subjects(kind):
            if entry.name:
                by_name.setdefault(entry.name, []).append(entry)
        for entries in by_name.values():
            if len(entries) < 2:
                continue
            entries.sort(key=lambda entry: (entry.file, entry.kind_span[0], entry.kind_span[1]))
            for number, later in enumerate(entries[1:], 1):
                first = next((earlier for earlier in entries[:number] if _collide(earlier, later)), None)
                if first is None:
                    continue
                yield later.finding("STS007", f'{kind} "{later.name}" is defined again here (first at '
                                    f"{_where(first, later)}); which definition the cluster gets depends on "
                                    "apply order", later.kind_span, anchor="kind",
                                    related=[first.related(first.kind_span, f'{kind} "{first.name}" is first '
                                                           "defined here")])
