"""The cross-file index: a generic multimap by kind, namespace and name, subjects, patch files and the
label-selector query in Kubernetes semantics."""
from __future__ import annotations

import pytest

from stslint.loading.yamlload import load_text
from stslint.model.entries import MISSING, namespaces_match
from stslint.model.index import Index
from stslint.model.views import view_for


def entries_of(text: str, namespace: str | None = None, path: str = "/r/a.yaml") -> list:
    """The index entries of every object of ``text`` (patches have none)."""
    found = []
    for doc in load_text(text).documents:
        view = view_for(doc.root, "a.yaml", namespace, path)
        entry = None if view.is_patch() else view.entry()
        if entry is not None:
            found.append(entry)
    return found


def index_of(text: str, namespace: str | None = None, path: str = "/r/a.yaml") -> Index:
    return Index(entries_of(text, namespace, path))


def test_namespaces_match_like_kubectl_apply():
    assert namespaces_match(None, "db") and namespaces_match("db", None) and namespaces_match(None, None)
    assert namespaces_match("db", "db") and not namespaces_match("db", "web")


def test_services_are_a_multimap_with_effective_namespaces():
    index = index_of("apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None}\n---\n"
                     "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: other}\nspec: {}\n",
                     namespace="apps")
    assert [s.namespace for s in index.named_anywhere("Service", "db")] == ["apps", "other"]
    assert [s.namespace for s in index.named("Service", "db", "apps")] == ["apps"]
    first, second = index.named_anywhere("Service", "db")
    assert first.cluster_ip == "None" and second.cluster_ip is MISSING


def test_storage_classes_are_cluster_scoped_and_keep_an_omitted_policy():
    index = index_of("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast, namespace: x}\n"
                     "provisioner: p\n", namespace="apps")
    [entry] = index.named("StorageClass", "fast", "anything")
    assert entry.namespace is None and entry.reclaim_policy is MISSING and entry.reclaim_span is None


def test_workloads_keep_what_cross_file_rules_read():
    index = index_of("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: web\n"
                     "  template:\n    metadata: {labels: {app: web}}\n  volumeClaimTemplates:\n"
                     "  - metadata: {name: data}\n    spec: {storageClassName: fast}\n")
    [workload] = index.subjects("StatefulSet")
    assert (workload.service_name, workload.service_name_span[:2], workload.pod_labels) == ("web", (5, 3),
                                                                                            {"app": "web"})
    assert [(c.name, c.class_name) for c in workload.claims] == [("data", "fast")]


def test_patch_workloads_have_no_entry_and_dropped_files_leave_the_index():
    index = index_of("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec: {replicas: 2}\n---\n"
                     "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 2}\n---\n"
                     "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n")
    assert index.entries("StatefulSet") == [] and index.entries("Deployment") == []
    assert [e.name for e in index.entries("Service")] == ["db"]
    index.drop_files({"/r/a.yaml"})
    assert index.entries("Service") == [] and len(index) == 0


def test_only_the_files_being_checked_are_subjects():
    index = Index(entries_of("apiVersion: v1\nkind: Service\nmetadata: {name: mine}\n", path="/r/mine.yaml"))
    index.replace_file("/r/ctx.yaml", entries_of("apiVersion: v1\nkind: Service\nmetadata: {name: theirs}\n",
                                                 path="/r/ctx.yaml"), subject=False)
    assert [e.name for e in index.entries("Service")] == ["mine", "theirs"]
    assert [e.name for e in index.subjects("Service")] == ["mine"]
    assert [e.name for e in index.copy(subjects=False).subjects("Service")] == []


def test_replacing_a_file_replaces_its_entries():
    index = Index(entries_of("apiVersion: v1\nkind: Service\nmetadata: {name: old}\n"))
    index.replace_file("/r/a.yaml", entries_of("apiVersion: v1\nkind: Service\nmetadata: {name: new}\n"))
    assert [e.name for e in index.entries("Service")] == ["new"]


PDB = """apiVersion: {api}
kind: PodDisruptionBudget
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  maxUnavailable: 1
{selector}
"""


def pdb(selector: str, api: str = "policy/v1", name: str = "p", namespace: str = "db") -> str:
    return PDB.format(api=api, name=name, namespace=namespace, selector=selector)


@pytest.mark.parametrize("selector, labels, selected", [
    ("  selector: {matchLabels: {app: db}}", {"app": "db", "x": "y"}, True),
    ("  selector: {matchLabels: {app: db}}", {"app": "web"}, False),
    ("  selector: {matchExpressions: [{key: tier, operator: In, values: [data, cache]}]}", {"tier": "cache"}, True),
    ("  selector: {matchExpressions: [{key: tier, operator: In, values: [data]}]}", {"tier": "web"}, False),
    ("  selector: {matchExpressions: [{key: tier, operator: In, values: [data]}]}", {}, False),
    ("  selector: {matchExpressions: [{key: tier, operator: NotIn, values: [web]}]}", {"tier": "data"}, True),
    ("  selector: {matchExpressions: [{key: tier, operator: NotIn, values: [web]}]}", {}, True),
    ("  selector: {matchExpressions: [{key: tier, operator: NotIn, values: [web]}]}", {"tier": "web"}, False),
    ("  selector: {matchExpressions: [{key: tier, operator: Exists}]}", {"tier": ""}, True),
    ("  selector: {matchExpressions: [{key: tier, operator: Exists}]}", {"app": "db"}, False),
    ("  selector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}", {"app": "db"}, True),
    ("  selector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}", {"tier": "x"}, False),
    ("  selector: {matchLabels: {app: db}, matchExpressions: [{key: tier, operator: Exists}]}", {"app": "db"}, False),
    ("  selector: {matchExpressions: [{key: tier, operator: Near, values: [x]}]}", {"tier": "x"}, False),  # invalid
    ("  selector: {}", {"anything": "x"}, True),  # policy/v1: an empty selector selects every pod
    ("  selector: null", {"anything": "x"}, False),
    ("", {"anything": "x"}, False),
])
def test_pdb_selector_query_in_kubernetes_semantics(selector, labels, selected):
    index = index_of(pdb(selector))
    assert [e.name for e in index.selecting("PodDisruptionBudget", "db", labels)] == (["p"] if selected else [])


@pytest.mark.parametrize("selector", ["  selector: {}", "  selector: null", ""])
def test_a_policy_v1beta1_pdb_with_an_empty_or_absent_selector_selects_nothing(selector):
    index = index_of(pdb(selector, api="policy/v1beta1"))
    assert index.selecting("PodDisruptionBudget", "db", {"app": "db"}) == []


def test_the_selector_query_respects_namespaces():
    index = index_of(pdb("  selector: {}", name="here", namespace="db") + "---\n"
                     + pdb("  selector: {}", name="there", namespace="web"))
    assert [e.name for e in index.selecting("PodDisruptionBudget", "db", {"a": "b"})] == ["here"]
    assert [e.name for e in index.selecting("PodDisruptionBudget", None, {"a": "b"})] == ["here", "there"]
    unknown = index_of(pdb("  selector: {}", name="anywhere").replace("namespace: db", "namespace: ''"))
    assert [e.name for e in unknown.selecting("PodDisruptionBudget", "prod", {"a": "b"})] == ["anywhere"]


@pytest.mark.parametrize("spec, labels, selected", [
    ("spec: {selector: {app: db}}", {"app": "db"}, True),
    ("spec: {selector: {app: db}}", {"app": "web"}, False),
    ("spec: {selector: {}}", {"app": "db"}, False),  # a Service without a selector selects nothing
    ("spec: {clusterIP: None}", {"app": "db"}, False),
])
def test_service_selector_query(spec, labels, selected):
    index = index_of(f"apiVersion: v1\nkind: Service\nmetadata: {{name: s, namespace: db}}\n{spec}\n")
    assert bool(index.selecting("Service", "db", labels)) is selected


@pytest.mark.parametrize("spec, labels, selected", [
    ("spec: {podSelector: {}}", {"app": "db"}, True),  # every pod of its namespace
    ("spec: {podSelector: {matchLabels: {app: db}}}", {"app": "db"}, True),
    ("spec: {podSelector: {matchLabels: {app: db}}}", {"app": "web"}, False),
    ("spec: {}", {"app": "db"}, False),
])
def test_network_policy_selector_query(spec, labels, selected):
    index = index_of(f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: n, namespace: db}}\n"
                     f"{spec}\n")
    assert bool(index.selecting("NetworkPolicy", "db", labels)) is selected


@pytest.mark.parametrize("kind, api, template", [
    ("Deployment", "apps/v1", "spec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}"),
    ("ReplicaSet", "apps/v1", "spec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}"),
    ("DaemonSet", "apps/v1", "spec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}"),
    ("StatefulSet", "apps/v1", "spec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}"),
    ("Job", "batch/v1", "spec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}"),
    ("CronJob", "batch/v1", "spec:\n  jobTemplate:\n    spec:\n      selector: {matchLabels: {app: db}}\n"
                            "      template:\n        metadata: {labels: {app: db}}"),
])
def test_every_pod_template_workload_is_indexed_with_its_pod_labels(kind, api, template):
    index = index_of(f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: w, namespace: db}}\n{template}\n")
    [entry] = index.entries(kind)
    assert entry.pod_labels == {"app": "db"}
    assert [e.name for e in index.selecting(kind, "db", {"app": "db"})] == ["w"]
    assert index.selecting(kind, "db", {"app": "web"}) == [] and index.selecting(kind, "other", {"app": "db"}) == []


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LABEL = st.sampled_from(["app", "tier", "team"])
_VALUE = st.sampled_from(["a", "b", "c"])


def _selector_text(draw_labels: dict[str, str], kind: str) -> str:
    labels = ", ".join(f"{key}: {value}" for key, value in draw_labels.items())
    if kind == "Service":
        return f"spec: {{selector: {{{labels}}}}}" if labels else "spec: {}"
    field = "podSelector" if kind == "NetworkPolicy" else "selector"
    return f"spec: {{{field}: {{matchLabels: {{{labels}}}}}}}"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["PodDisruptionBudget", "Service", "NetworkPolicy"]),
       st.lists(st.tuples(st.dictionaries(_LABEL, _VALUE, max_size=3), st.sampled_from(["db", "web", None])),
                max_size=12),
       st.dictionaries(_LABEL, _VALUE, max_size=3), st.sampled_from(["db", None]))
def test_the_selector_query_finds_exactly_what_a_scan_finds(kind, objects, labels, namespace):
    api = {"PodDisruptionBudget": "policy/v1", "Service": "v1", "NetworkPolicy": "networking.k8s.io/v1"}[kind]
    docs = []
    for number, (selector, object_namespace) in enumerate(objects):
        where = f", namespace: {object_namespace}" if object_namespace else ""
        docs.append(f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: o{number}{where}}}\n"
                    f"{_selector_text(selector, kind)}\n")
    index = index_of("---\n".join(docs)) if docs else Index()
    scan = [entry for entry in index.in_namespace(kind, namespace) if entry.selects(labels)]
    assert index.selecting(kind, namespace, labels) == scan
