"""STS608: other workloads whose selector selects a StatefulSet's pods, in the same namespace for certain."""
from __future__ import annotations

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.rules.helpers import related, run, service, sts


def workload(kind: str = "Deployment", name: str = "backup", *, selector: str = "{app: web}",
             labels: str = "{app: web, role: backup}", namespace: str | None = None) -> str:
    """A workload manifest of ``kind`` with that selector and template labels."""
    meta_ns = f"\n  namespace: {namespace}" if namespace else ""
    return (f"apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: {name}{meta_ns}\nspec:\n  selector:\n"
            f"    matchLabels: {selector}\n  template:\n    metadata:\n      labels: {labels}\n    spec:\n"
            f"      containers: [{{name: main, image: example/main:1}}]\n")


def found(tmp_path, *docs, **kwargs):
    kwargs.setdefault("select", ["STS608"])
    return run(tmp_path, *docs, **kwargs)


def test_608_each_controller_kind(tmp_path):
    for kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        assert found(tmp_path, service(), sts(), workload(kind)) == [("STS608", "main.yaml", 16)], kind
    # a StatefulSet is judged too: web's selector {app: web} selects backup's pods as well
    assert found(tmp_path, service(), sts(), workload("StatefulSet")) == [("STS608", "main.yaml", 16),
                                                                          ("STS608", "main.yaml", 35)]


def test_608_not_jobs(tmp_path):
    job = workload("Job").replace("apps/v1", "batch/v1")
    assert found(tmp_path, service(), sts(), job) == []


def test_608_a_selector_that_does_not_select_the_pods(tmp_path):
    assert found(tmp_path, service(), sts(), workload(selector="{app: web, role: backup}")) == []


def test_608_two_statefulsets_with_one_selector_both_report(tmp_path):
    other = sts("api")
    assert [(c, line) for c, _, line in found(tmp_path, service(), sts(), other)] == [("STS608", 16), ("STS608", 36)]


def test_608_another_definition_of_the_same_statefulset_is_not_another_workload(tmp_path):
    assert found(tmp_path, service(), sts(), sts()) == []


def test_608_same_name_other_kind_is_another_workload(tmp_path):
    assert found(tmp_path, service(), sts(), workload(name="web")) == [("STS608", "main.yaml", 16)]


def test_608_namespace_certainty(tmp_path):
    files = {"backup.yaml": workload()}
    assert found(tmp_path, service(), sts(), files=files) == []  # neither has a namespace, other files
    assert found(tmp_path, service(), sts(), files=files, namespace="db") == [("STS608", "main.yaml", 16)]
    files = {"backup.yaml": workload(namespace="db")}
    assert found(tmp_path, service(namespace="db"), sts(namespace="db"), files=files) == [
        ("STS608", "main.yaml", 18)]
    assert found(tmp_path, service(), sts(), files=files) == []  # one explicit, one unknown
    files = {"backup.yaml": workload(namespace="other")}
    assert found(tmp_path, service(namespace="db"), sts(namespace="db"), files=files) == []


def test_608_relates_the_other_workloads_selector(tmp_path):
    files = {"sts.yaml": "---\n".join([service(namespace="db"), sts(namespace="db")]),
             "backup.yaml": workload(namespace="db")}
    assert related(tmp_path, files, select=["STS608"]) == [
        ("STS608", [("backup.yaml", 7, 3, 'Deployment "backup" selects the pods of StatefulSet "web"')])]


def test_608_through_aliases_and_merge_keys(tmp_path):
    """Four StatefulSets of one List share a selector, through an anchor, plain copies and a merged
    spec (``<<: *spec``): each is reported at its own ``selector:`` key, d's at the ``<<`` key."""
    from tests.test_aliases import SHARED

    path = tmp_path / "list.yaml"
    path.write_text(SHARED, encoding="utf-8")
    result = lint(discover([str(path)]), Settings(selected=resolve(["STS608"])))
    assert [(f.object, f.line, f.column) for f in result.findings] == [
        ("StatefulSet/a", 9, 5), ("StatefulSet/b", 21, 5), ("StatefulSet/c", 34, 5), ("StatefulSet/d", 43, 5)]
    assert [(r.line, r.column) for r in result.findings[3].related] == [(9, 5), (21, 5), (34, 5)]
