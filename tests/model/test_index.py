"""The cross-file index: entries, namespaces and patch files."""
from __future__ import annotations

from stslint.loading.yamlload import load_text
from stslint.model.index import MISSING, Index, namespaces_match
from stslint.model.resources import view_for


def index_of(text: str, namespace: str | None = None, path: str = "/r/a.yaml") -> Index:
    index = Index()
    for doc in load_text(text).documents:
        index.add(view_for(doc.root, "a.yaml", namespace, None, path))
    return index


def test_namespaces_match_like_kubectl_apply():
    assert namespaces_match(None, "db") and namespaces_match("db", None) and namespaces_match(None, None)
    assert namespaces_match("db", "db") and not namespaces_match("db", "web")


def test_services_are_a_multimap_with_effective_namespaces():
    index = index_of("apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None}\n---\n"
                     "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: other}\nspec: {}\n",
                     namespace="apps")
    assert [s.namespace for s in index.services["db"]] == ["apps", "other"]
    assert [s.namespace for s in index.services_named("db", "apps")] == ["apps"]
    assert index.services["db"][0].cluster_ip == "None" and index.services["db"][1].cluster_ip is MISSING


def test_storage_classes_are_cluster_scoped_and_keep_an_omitted_policy():
    index = index_of("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast, namespace: x}\n"
                     "provisioner: p\n", namespace="apps")
    [entry] = index.storage_classes["fast"]
    assert entry.namespace is None and entry.reclaim_policy is MISSING


def test_workloads_keep_what_cross_file_rules_read():
    index = index_of("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: web\n"
                     "  template:\n    metadata: {labels: {app: web}}\n  volumeClaimTemplates:\n"
                     "  - metadata: {name: data}\n    spec: {storageClassName: fast}\n")
    [workload] = index.workloads
    assert (workload.service_name, workload.service_name_span[:2], workload.pod_labels) == ("web", (5, 3),
                                                                                            {"app": "web"})
    assert [(c.name, c.class_name) for c in workload.claims] == [("data", "fast")]


def test_patch_statefulsets_and_dropped_files_leave_the_index():
    index = index_of("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec: {replicas: 2}\n---\n"
                     "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n")
    assert index.workloads == [] and list(index.services) == ["db"]
    index.drop_files({"/r/a.yaml"})
    assert index.services == {}
