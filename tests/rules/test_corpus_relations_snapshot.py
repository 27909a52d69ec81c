"""The STS6 rules (STS601-STS605, STS608) over the shared real-world corpus, set by set as EXPECTED.md
lists them (each set linted alone, opt-in STS605 selected): the reviewed snapshot of every finding,
with its verdict. A finding judged false is a bug to fix in the rule, never a line here; a change in
these findings is a change to review."""
from __future__ import annotations

from pathlib import Path

import pytest

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.conftest import CORPUS
from tests.test_corpus import SETS

CODES = ["STS601", "STS602", "STS603", "STS604", "STS605", "STS608"]

# (set, code, file in the set's repository, line, column, object); the comment above each is its verdict.
# Sets without a line give none of these codes: every StatefulSet with two or more replicas there has
# a budget (etcd, mysql-upgrade, gke-stateful-mysql, cockroachdb), omits replicas or has fewer, and
# spreads its replicas by anti-affinity on its own labels (argo-cd Redis HA, consul, db2wh, gitlab
# runner, jenkins agents, gke-stateful-mysql, cockroachdb). gke-stateful-mysql's dbc1 and dbc2 select
# the same pods but are per-cluster alternatives in separate files without a namespace: no STS608.
SNAPSHOT = [
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods (the HA install ships none
    # for its Redis HA quorum of 3)
    ("argocd-ha-install", "STS601", "manifests/ha/install.yaml", 35277, 1, "StatefulSet/argocd-redis-ha-server"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("consul-on-k8s", "STS601", "statefulsets/consul.yaml", 2, 1, "StatefulSet/consul"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("db2wh", "STS601", "statefulset.yaml", 16, 1, "StatefulSet/db2wh"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("eks-workshop-mysql", "STS601", "content/beginner/170_statefulset/statefulset.files/mysql-statefulset.yaml", 2, 1, "StatefulSet/mysql"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("eks-workshop-mysql", "STS605", "content/beginner/170_statefulset/statefulset.files/mysql-statefulset.yaml", 2, 1, "StatefulSet/mysql"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("examples-cassandra", "STS601", "databases/cassandra/cassandra-statefulset.yaml", 2, 1, "StatefulSet/cassandra"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("examples-cassandra", "STS605", "databases/cassandra/cassandra-statefulset.yaml", 2, 1, "StatefulSet/cassandra"),
    # true: minAvailable "67%" of the 3 replicas of StatefulSet "cockroachdb" rounds up to 3 (ceil 2.01), so
    # the budget never allows an eviction
    ("examples-cockroachdb", "STS602", "_archived/cockroachdb/cockroachdb-statefulset.yaml", 67, 3, "PodDisruptionBudget/cockroachdb-budget"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("galexrt-gitlab-ci-runner", "STS601", "gitlab-ci-runner/statefulset.yaml", 4, 1, "StatefulSet/gitlab-ci-runner"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("gke-cost-nginx", "STS601", "cost-optimization/gke-shift-left-cost/samples/k8s-cost-estimator-local/app-v1/statefulset.yaml", 16, 1, "StatefulSet/my-nginx"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("gke-cost-nginx", "STS605", "cost-optimization/gke-shift-left-cost/samples/k8s-cost-estimator-local/app-v1/statefulset.yaml", 16, 1, "StatefulSet/my-nginx"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("gke-wordpress-mysql", "STS601", "cost-optimization/gke-shift-left-cost/samples/k8s-cost-estimator-github/wordpress/mysql-statefulset.yaml", 68, 1, "StatefulSet/mysql"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("gke-wordpress-mysql", "STS605", "cost-optimization/gke-shift-left-cost/samples/k8s-cost-estimator-github/wordpress/mysql-statefulset.yaml", 68, 1, "StatefulSet/mysql"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("harisekhon-jenkins", "STS601", "jenkins/base/agent.statefulset-DooD.yaml", 49, 1, "StatefulSet/jenkins-agent"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("iotdb", "STS601", "statefulset.yaml", 2, 1, "StatefulSet/cluster2-seeds"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("iotdb", "STS605", "statefulset.yaml", 2, 1, "StatefulSet/cluster2-seeds"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("k8s-e2e-cockroachdb", "STS601", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/cockroachdb/statefulset.yaml", 2, 1, "StatefulSet/cockroachdb"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("k8s-e2e-etcd", "STS605", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/etcd/statefulset.yaml", 2, 1, "StatefulSet/etcd"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("k8s-e2e-mysql-galera", "STS601", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/mysql-galera/statefulset.yaml", 2, 1, "StatefulSet/mysql"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("k8s-e2e-mysql-galera", "STS605", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/mysql-galera/statefulset.yaml", 2, 1, "StatefulSet/mysql"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("k8s-e2e-mysql-upgrade", "STS605", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/mysql-upgrade/statefulset.yaml", 2, 1, "StatefulSet/mysql"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("k8s-e2e-redis", "STS601", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/redis/statefulset.yaml", 2, 1, "StatefulSet/rd"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("k8s-e2e-redis", "STS605", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/redis/statefulset.yaml", 2, 1, "StatefulSet/rd"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("k8s-e2e-zookeeper", "STS601", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/zookeeper/statefulset.yaml", 2, 1, "StatefulSet/zoo"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("k8s-e2e-zookeeper", "STS605", "vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/zookeeper/statefulset.yaml", 2, 1, "StatefulSet/zoo"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("longhorn-example", "STS601", "examples/statefulset.yaml", 16, 1, "StatefulSet/web"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("longhorn-example", "STS605", "examples/statefulset.yaml", 16, 1, "StatefulSet/web"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("mongo-sidecar", "STS601", "example/StatefulSet/mongo-statefulset.yaml", 29, 1, "StatefulSet/mongo"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("mongo-sidecar", "STS605", "example/StatefulSet/mongo-statefulset.yaml", 29, 1, "StatefulSet/mongo"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("patroni-citus", "STS601", "kubernetes/citus_k8s.yaml", 40, 1, "StatefulSet/citusdemo-0"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("patroni-citus", "STS605", "kubernetes/citus_k8s.yaml", 40, 1, "StatefulSet/citusdemo-0"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("patroni-citus", "STS601", "kubernetes/citus_k8s.yaml", 150, 1, "StatefulSet/citusdemo-1"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("patroni-citus", "STS605", "kubernetes/citus_k8s.yaml", 150, 1, "StatefulSet/citusdemo-1"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("patroni-citus", "STS601", "kubernetes/citus_k8s.yaml", 260, 1, "StatefulSet/citusdemo-2"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("patroni-citus", "STS605", "kubernetes/citus_k8s.yaml", 260, 1, "StatefulSet/citusdemo-2"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("patroni-k8s", "STS601", "kubernetes/patroni_k8s.yaml", 14, 1, "StatefulSet/patronidemo"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("patroni-k8s", "STS605", "kubernetes/patroni_k8s.yaml", 14, 1, "StatefulSet/patronidemo"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("pires-es-stateful", "STS601", "stateful/es-data-stateful.yaml", 2, 1, "StatefulSet/es-data"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("pires-es-stateful", "STS605", "stateful/es-data-stateful.yaml", 2, 1, "StatefulSet/es-data"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("pires-es-stateful", "STS601", "stateful/es-master-stateful.yaml", 2, 1, "StatefulSet/es-master"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("pires-es-stateful", "STS605", "stateful/es-master-stateful.yaml", 2, 1, "StatefulSet/es-master"),
    # true: replicas >= 2 and no PodDisruptionBudget in the set selects the pods
    ("yolean-kafka", "STS601", "kafka/50kafka.yml", 2, 1, "StatefulSet/kafka"),
    # true: replicas >= 2, the pod template has no podAntiAffinity and no topologySpreadConstraints
    ("yolean-kafka", "STS605", "kafka/50kafka.yml", 2, 1, "StatefulSet/kafka"),
]


def findings_of(name: str) -> list[tuple[str, str, str, int, int, str]]:
    """The STS6 findings of one corpus set, as snapshot rows."""
    entry = SETS[name]
    result = lint(discover([str(CORPUS / f) for f in entry["files"]]), Settings(selected=resolve(CODES)))
    base = str(CORPUS / entry["repo"]) + "/"
    return [(name, f.code, f.file[len(base):], f.line, f.column, f.object or "") for f in result.findings
            if f.code in CODES]


@pytest.mark.parametrize("name", sorted(SETS))
def test_corpus_set_snapshot(name: str):
    assert findings_of(name) == [row for row in SNAPSHOT if row[0] == name]


def test_snapshot_rows_name_known_sets_and_files(corpus: Path):
    assert {code for _, code, *_ in SNAPSHOT} == {"STS601", "STS602", "STS605"}
    for name, _, file, *_ in SNAPSHOT:
        assert name in SETS
        assert (CORPUS / SETS[name]["repo"] / file).exists() or (CORPUS / file).exists()
