"""Records: what a context file contributes survives JSON unchanged; malformed records are refused."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.context.context_helpers import service, statefulset, storage_class, write

from stslint.analysis import analyze
from stslint.context.records import BadRecord, entries_of, record_of
from stslint.engine import Settings
from stslint.loading import load_source
from stslint.loading.discover import Source
from stslint.model.documents import indexable_objects
from stslint.model.entries import MISSING, Entry
from stslint.model.views import view_classes
from stslint.rules import BUILTIN, define_index_rule
from stslint.selection import resolve

MIXED = "\n---\n".join([
    statefulset("db", "db-headless", namespace="prod", storage_class="fast"),
    service("db-headless", "db"),
    storage_class("fast", None),
    storage_class("slow", "Retain"),
    """apiVersion: v1
kind: Service
metadata: {name: odd, namespace: prod}
spec:
  type: NodePort
  clusterIP: 1.2.3.4
  clusterIPs: [None, 7, 1.5, true]
  selector: {app: "yes"}
""",
    """apiVersion: v1
kind: Service
metadata: {name: bad-selector}
spec:
  clusterIP: null
  selector: {app: true}
""",
    """apiVersion: v1
kind: List
items:
  - apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata: {name: listed}
    reclaimPolicy: .nan
""",
    """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db-pdb, namespace: prod, annotations: {stslint.io/ignore: STS601}}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: db}, matchExpressions: [{key: tier, operator: In, values: [data]}]}
""",
    """apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: old-pdb}
spec: {minAvailable: 50%, selector: {}}
""",
    """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all}
spec: {podSelector: {}}
""",
    """apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
""",
    """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
""",
    """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: legacy
spec:
  serviceName: 5
  template:
    metadata:
      labels: {app: 1}
  volumeClaimTemplates:
    - metadata:
        name: data
        annotations: {volume.beta.kubernetes.io/storage-class: old}
    - metadata: {}
    - 7
""",
])



INDEX_EVERYTHING = define_index_rule("TST901", "reads-every-kind", "warning", lambda index, options: (),
                                     judges="StatefulSet", reads=view_classes())
"""A throwaway rule that makes a checked file index every kind that has entries."""


def _comparable(entry: Entry) -> dict[str, object]:
    """What an entry holds, problems reduced to the groups that have them (context files are never
    reported on), in comparable form."""
    return {**entry.to_record(), "effective_namespace": entry.namespace, "file": entry.file,
            "source_path": entry.source_path}


def test_every_entry_type_names_the_kinds_it_holds():
    from stslint.model.entries import ENTRY_TYPES

    for name, entry_type in ENTRY_TYPES.items():
        assert entry_type.KINDS or name == "Entry", name
    kinds = [kind for entry_type in ENTRY_TYPES.values() for kind in entry_type.KINDS]
    assert len(kinds) == len(set(kinds))  # one entry type per kind


@pytest.mark.parametrize("namespace", [None, "dev"])
def test_entries_rebuilt_from_json_equal_the_entries_of_a_checked_file(tmp_path: Path, namespace: str | None) -> None:
    write(tmp_path, {"all.yaml": MIXED})
    path = str(tmp_path / "all.yaml")
    real = os.path.realpath(path)
    loaded = load_source(Source("all.yaml", path, True))
    rules = BUILTIN.with_rules([INDEX_EVERYTHING])
    checked = analyze(loaded, Settings(selected=resolve(["ALL"], rules=rules), namespace=namespace, rules=rules))
    objects = [obj for doc in loaded.documents for obj in indexable_objects(doc.root)]
    record = json.loads(json.dumps(record_of(objects, "all.yaml", real, set(), None, source=loaded.content)))
    rebuilt = entries_of(record, "all.yaml", real, namespace)
    by_kind = sorted(checked.entries, key=lambda e: e.kind)  # records keep entries kind by kind
    assert [_comparable(e) for e in rebuilt] == [_comparable(e) for e in by_kind]
    assert [(e.values, e.namespace, e.kind_span, e.name_span, e.object_at) for e in rebuilt] == [
        (e.values, e.namespace, e.kind_span, e.name_span, e.object_at) for e in by_kind]  # the values themselves
    kinds = [e.kind for e in rebuilt]
    assert kinds.count("Service") == 3 and kinds.count("StorageClass") == 3 and kinds.count("StatefulSet") == 2
    assert {"PodDisruptionBudget", "NetworkPolicy", "CronJob", "Deployment"} <= set(kinds)
    legacy = next(e for e in rebuilt if e.name == "legacy")
    assert set(legacy.problems) == {"serviceName", "labels", "claims"}  # the groups that cannot be read


def test_rebuilt_selectors_keep_their_semantics(tmp_path: Path) -> None:
    write(tmp_path, {"all.yaml": MIXED})
    path = str(tmp_path / "all.yaml")
    loaded = load_source(Source("all.yaml", path, True))
    objects = [obj for doc in loaded.documents for obj in indexable_objects(doc.root)]
    record = json.loads(json.dumps(record_of(objects, "all.yaml", path, set(), None)))
    by_name = {e.name: e for e in entries_of(record, "all.yaml", path, None)}
    assert by_name["db-pdb"].selects({"app": "db", "tier": "data"})
    assert not by_name["db-pdb"].selects({"app": "db"})
    assert not by_name["old-pdb"].selects({"anything": "x"})  # policy/v1beta1: {} selects nothing
    assert by_name["all"].selects({"anything": "x"})  # NetworkPolicy podSelector: {} selects every pod
    assert by_name["db-pdb"].annotation == "STS601"


SERVICE_RECORD = {"type": "ServiceEntry", "kind": "Service", "name": "x", "kind_span": [1, 1, 1, 5, 0, 4]}


def as_record(entries: object, kind: str = "Service") -> dict[str, object]:
    """A context record holding ``entries`` of one kind."""
    return {"entries": {kind: entries}}


def test_a_minimal_record_rebuilds_and_omits_nothing_it_needs():
    [entry] = entries_of(as_record([SERVICE_RECORD]), "f.yaml", "/f.yaml", "dev")
    assert (entry.ref, entry.namespace, entry.name_span, entry.cluster_ip) == ("Service/x", "dev",
                                                                                (1, 1, 1, 5, 0, 4), MISSING)


@pytest.mark.parametrize("record", [
    {},
    {"entries": ""},
    {"entries": {"Service": "text"}},
    as_record("not a list"),
    as_record([{"type": "ServiceEntry"}]),
    as_record([{**SERVICE_RECORD, "type": "NoSuchEntry"}]),
    as_record([{**SERVICE_RECORD, "values": {"selector": {"a": 1}}}]),
    as_record([{**SERVICE_RECORD, "namespace": 3}]),
    as_record([{**SERVICE_RECORD, "kind": "StorageClass", "type": "StorageClassEntry", "name": True}],
              kind="StorageClass"),
    as_record([{**SERVICE_RECORD, "kind_span": [1, 1, 1]}]),
    as_record([{**SERVICE_RECORD, "values": {"unknown_value": 1}}]),
    as_record([{**SERVICE_RECORD, "headless": True}]),
    as_record([{**SERVICE_RECORD, "kind": "Pod"}]),
    as_record([["not", "a", "mapping"]]),
    as_record([{**SERVICE_RECORD, "kind": "StorageClass"}], kind="StorageClass"),  # a Service entry as a class
    as_record([{**SERVICE_RECORD, "type": "StorageClassEntry"}]),
])
def test_malformed_records_are_refused(record: dict[str, object]) -> None:
    with pytest.raises(BadRecord):
        entries_of(record, "f.yaml", "/f.yaml", None)
