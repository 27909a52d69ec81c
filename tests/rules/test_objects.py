"""STS007 duplicate-object: definitions that would really collide, and those that are alternatives."""
from __future__ import annotations

from tests.rules.helpers import codes, related, run, service, sts

STORAGE_CLASS = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: x\n" \
                "reclaimPolicy: Retain\n"


def only(found: list[tuple[str, str, int]], code: str = "STS007") -> list[tuple[str, str, int]]:
    return [f for f in found if f[0] == code]


def test_twice_in_one_file_is_reported_at_the_later_kind(tmp_path):
    assert only(run(tmp_path, service(), sts(), service())) == [("STS007", "main.yaml", 31)]
    assert only(run(tmp_path, STORAGE_CLASS, STORAGE_CLASS)) == [("STS007", "main.yaml", 9)]


def test_one_file_namespaces_collide_when_equal_or_either_is_unknown(tmp_path):
    assert codes(tmp_path, service(namespace="a"), service(namespace="b"), select=["STS007"]) == []
    assert codes(tmp_path, service(namespace="a"), service(namespace="a"), select=["STS007"]) == ["STS007"]
    assert codes(tmp_path, service(namespace="a"), service(), select=["STS007"]) == ["STS007"]
    # cluster-scoped: a namespace written on a StorageClass means nothing
    other = STORAGE_CLASS.replace("name: fast", "name: fast\n  namespace: b")
    assert codes(tmp_path, STORAGE_CLASS, other, select=["STS007"]) == ["STS007"]


def test_separate_files_collide_only_with_the_same_explicit_namespace(tmp_path):
    files = {"c1-db.yaml": sts(name="db"), "c2-db.yaml": sts(name="db")}  # one file per cluster: alternatives
    assert codes(tmp_path, files=files, select=["STS007"]) == []
    assert codes(tmp_path, files={"a.yaml": STORAGE_CLASS, "b.yaml": STORAGE_CLASS}, select=["STS007"]) == []
    files = {"a.yaml": sts(name="db", namespace="prod"), "b.yaml": sts(name="db", namespace="prod")}
    assert run(tmp_path, files=files, select=["STS007"]) == [("STS007", "b.yaml", 2)]
    files = {"a.yaml": sts(name="db", namespace="prod"), "b.yaml": sts(name="db", namespace="dev")}
    assert codes(tmp_path, files=files, select=["STS007"]) == []
    # --namespace gives both a namespace, but neither file writes one: still alternatives
    files = {"a.yaml": sts(name="db"), "b.yaml": sts(name="db")}
    assert codes(tmp_path, files=files, select=["STS007"], namespace="prod") == []


def test_every_later_definition_names_the_earliest_by_path_and_line(tmp_path):
    text = service() + "---\n" + service()
    found = related(tmp_path, {"b.yaml": text, "a.yaml": service(namespace="x")}, select=["STS007"])
    # a.yaml sorts first; its Service has an explicit namespace, so only the one-file pair collides
    assert found == [("STS007", [("b.yaml", 2, 1, 'Service "web" is first defined here')])]


def test_different_kinds_or_names_are_not_duplicates(tmp_path):
    assert codes(tmp_path, service(), sts(), select=["STS007"]) == []  # StatefulSet/web and Service/web
    assert codes(tmp_path, service(), service(name="web-public"), select=["STS007"]) == []


def test_kustomize_patches_do_not_count(tmp_path):
    patch = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
    # a workload without its template is a patch, not an object
    assert codes(tmp_path, sts(), patch, select=["STS007"]) == []
    kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [base.yaml]\n" \
                    "patches:\n  - path: svc-patch.yaml\n"
    files = {"kustomization.yaml": kustomization, "base.yaml": service() + "---\n" + sts(),
             "svc-patch.yaml": service(namespace=None) + "---\n" + service()}
    assert codes(tmp_path, files=files, select=["STS007"]) == []
