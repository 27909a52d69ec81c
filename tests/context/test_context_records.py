"""Records: what a context file contributes survives JSON unchanged; malformed records are refused."""
from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from tests.context.context_helpers import service, statefulset, storage_class, write

from stslint.context.records import BadRecord, entries_of, record_of
from stslint.engine import Linter, Settings
from stslint.model.documents import indexable_objects
from stslint.loading import load_source
from stslint.loading.discover import Source
from stslint.model.index import MISSING

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


def _fields(entry: object) -> dict[str, object]:
    """Every field of an entry (problems aside, and the document index, which only tells apart the
    definitions of an object for suppressions: context files are never reported on) in comparable form."""
    data = {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)  # type: ignore[arg-type]
            if f.name not in ("problems", "document")}
    return {k: "<MISSING>" if v is MISSING else repr(v) if isinstance(v, float) else v for k, v in data.items()}


@pytest.mark.parametrize("namespace", [None, "dev"])
def test_entries_rebuilt_from_json_equal_the_entries_of_a_checked_file(tmp_path: Path, namespace: str | None) -> None:
    write(tmp_path, {"all.yaml": MIXED})
    path = str(tmp_path / "all.yaml")
    real = os.path.realpath(path)
    loaded = load_source(Source("all.yaml", path, True))
    linter = Linter(Settings(namespace=namespace))
    linter.add_file(loaded)
    index = linter.index
    objects = [obj for doc in loaded.documents for obj in indexable_objects(doc.root)]
    record = json.loads(json.dumps(record_of(objects, "all.yaml", real, set(), None)))
    services, classes = entries_of(record, "all.yaml", real, namespace)
    assert all(entry["type"] != "workload" for entry in record["entries"])  # StatefulSets are not context
    assert [_fields(s) for s in services] == [_fields(s) for group in index.services.values() for s in group]
    assert [_fields(c) for c in classes] == [_fields(c) for group in index.storage_classes.values() for c in group]
    assert len(services) == 3 and len(classes) == 3


@pytest.mark.parametrize("record", [
    {},
    {"entries": [{"type": "service"}]},
    {"entries": [{"type": "workload", "name": "x"}]},
    {"entries": [{"type": "service", "name": "x", "selector": {"a": 1}, "selector_valid": True}]},
    {"entries": [{"type": "service", "name": "x", "namespace": 3, "selector_valid": True}]},
    {"entries": [{"type": "storage_class", "name": True}]},
    {"entries": [["not", "a", "mapping"]]},
])
def test_malformed_records_are_refused(record: dict[str, object]) -> None:
    with pytest.raises(BadRecord):
        entries_of(record, "f.yaml", "/f.yaml", None)
