"""Issue 22's rules (STS007, STS304, STS305, STS408-STS411, STS502, STS606, STS607) over the shared
corpus, set by set as ../shared/corpus/EXPECTED.md lists them: a reviewed snapshot. Each finding has a
one-line verdict; a finding judged false is a bug to fix, never a line here. The opt-in STS409 is
selected too. Input errors (STS001-STS004) are the corpus test's business (tests/test_corpus.py)."""
from __future__ import annotations

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.test_corpus import INPUT, SETS

NEW_RULES = ["STS007", "STS304", "STS305", "STS408", "STS409", "STS410", "STS411", "STS502", "STS606", "STS607"]

# set | code | file:line:column (under ../shared/corpus) | object  -- verdict
SNAPSHOT = """
argocd-ha-install | STS409 | argoproj__argo-cd/manifests/ha/install.yaml:34794:1 | StatefulSet/argocd-application-controller  -- true: no claim, no persistent volume; the controller keeps only caches (why STS409 is opt-in)
argocd-ha-install | STS409 | argoproj__argo-cd/manifests/ha/install.yaml:35277:1 | StatefulSet/argocd-redis-ha-server  -- true: redis-ha data on an emptyDir, lost with the pod (a cache: opt-in rule)
argocd-ha-install | STS304 | argoproj__argo-cd/manifests/ha/install.yaml:35397:9 | StatefulSet/argocd-redis-ha-server  -- true: sentinel liveness and readiness run the same script with the same timings (only successThreshold differs)
examples-cockroachdb | STS502 | kubernetes__examples/_archived/cockroachdb/cockroachdb-statefulset.yaml:57:1 | PodDisruptionBudget/cockroachdb-budget  -- true: policy/v1beta1 PodDisruptionBudget, not served since 1.25
examples-cockroachdb | STS408 | kubernetes__examples/_archived/cockroachdb/cockroachdb-statefulset.yaml:165:9 | StatefulSet/cockroachdb  -- true: pod volume datadir (a claim) is replaced by the claim template datadir
galexrt-gitlab-ci-runner | STS409 | galexrt__kubernetes-manifests/gitlab-ci-runner/statefulset.yaml:4:1 | StatefulSet/gitlab-ci-runner  -- true: no claim or persistent volume (a runner keeps no data: opt-in rule)
harisekhon-jenkins | STS409 | HariSekhon__Kubernetes-configs/jenkins/base/agent.statefulset-DooD.yaml:49:1 | StatefulSet/jenkins-agent  -- true: the agent's workdir is the container filesystem (opt-in rule)
harisekhon-jenkins | STS304 | HariSekhon__Kubernetes-configs/jenkins/base/agent.statefulset-DooD.yaml:191:11 | StatefulSet/jenkins-agent  -- true: both probes are tcpSocket 50001 with default timings
iotdb | STS304 | JulianFeinauer__iotdb-cluster-k8s-example/statefulset.yaml:49:11 | StatefulSet/cluster2-seeds  -- true: both probes are tcpSocket 9003, initialDelaySeconds 10, periodSeconds 10
jaeger-elasticsearch | STS409 | jaegertracing__jaeger-kubernetes/production-elasticsearch/elasticsearch.yml:19:3 | StatefulSet/elasticsearch  -- true: Elasticsearch data on an emptyDir
k8s-e2e-cockroachdb | STS408 | kubernetes-csi__csi-driver-nfs/vendor/k8s.io/kubernetes/test/e2e/testing-manifests/statefulset/cockroachdb/statefulset.yaml:92:9 | StatefulSet/cockroachdb  -- true: pod volume datadir (a claim) is replaced by the claim template datadir
ksm-test-manifests | STS409 | kubernetes__kube-state-metrics/tests/manifests/statefulset.yaml:2:1 | StatefulSet/statefulset  -- true: a test StatefulSet with no volumes at all (opt-in rule)
mongo-sidecar | STS502 | cvallance__mongo-k8s-sidecar/example/StatefulSet/aws_hdd.yaml:2:1 | StorageClass/slow  -- true: storage.k8s.io/v1beta1 StorageClass, not served since 1.22
mongo-sidecar | STS502 | cvallance__mongo-k8s-sidecar/example/StatefulSet/aws_ssd.yaml:2:1 | StorageClass/fast  -- true: storage.k8s.io/v1beta1 StorageClass, not served since 1.22
mongo-sidecar | STS502 | cvallance__mongo-k8s-sidecar/example/StatefulSet/azure_hdd.yaml:2:1 | StorageClass/slow  -- true: storage.k8s.io/v1beta1 StorageClass, not served since 1.22
mongo-sidecar | STS502 | cvallance__mongo-k8s-sidecar/example/StatefulSet/azure_ssd.yaml:2:1 | StorageClass/fast  -- true: storage.k8s.io/v1beta1 StorageClass, not served since 1.22
mongo-sidecar | STS502 | cvallance__mongo-k8s-sidecar/example/StatefulSet/googlecloud_hdd.yaml:14:1 | StorageClass/slow  -- true: storage.k8s.io/v1beta1 StorageClass, not served since 1.22
mongo-sidecar | STS502 | cvallance__mongo-k8s-sidecar/example/StatefulSet/googlecloud_ssd.yaml:14:1 | StorageClass/fast  -- true: storage.k8s.io/v1beta1 StorageClass, not served since 1.22
nfs-ganesha | STS409 | kubernetes-sigs__nfs-ganesha-server-and-external-provisioner/deploy/kubernetes/statefulset.yaml:47:1 | StatefulSet/nfs-provisioner  -- true: the exported data is on a hostPath (/srv), tied to one node
patroni-citus | STS409 | zalando__patroni/kubernetes/citus_k8s.yaml:40:1 | StatefulSet/citusdemo-0  -- true: PostgreSQL data on an emptyDir (the demo's claim template is commented out)
patroni-citus | STS606 | zalando__patroni/kubernetes/citus_k8s.yaml:129:7 | StatefulSet/citusdemo-0  -- true: terminationGracePeriodSeconds: 0 in the pod template
patroni-citus | STS409 | zalando__patroni/kubernetes/citus_k8s.yaml:150:1 | StatefulSet/citusdemo-1  -- true: PostgreSQL data on an emptyDir (the demo's claim template is commented out)
patroni-citus | STS606 | zalando__patroni/kubernetes/citus_k8s.yaml:239:7 | StatefulSet/citusdemo-1  -- true: terminationGracePeriodSeconds: 0 in the pod template
patroni-citus | STS409 | zalando__patroni/kubernetes/citus_k8s.yaml:260:1 | StatefulSet/citusdemo-2  -- true: PostgreSQL data on an emptyDir (the demo's claim template is commented out)
patroni-citus | STS606 | zalando__patroni/kubernetes/citus_k8s.yaml:349:7 | StatefulSet/citusdemo-2  -- true: terminationGracePeriodSeconds: 0 in the pod template
patroni-k8s | STS409 | zalando__patroni/kubernetes/patroni_k8s.yaml:14:1 | StatefulSet/patronidemo  -- true: PostgreSQL data on an emptyDir pgdata (claim template commented out)
patroni-k8s | STS606 | zalando__patroni/kubernetes/patroni_k8s.yaml:99:7 | StatefulSet/patronidemo  -- true: terminationGracePeriodSeconds: 0 in the pod template
"""


def snapshot_rows(text: str) -> list[tuple[str, str, str, str]]:
    """(set, code, place, object) of each snapshot line; the verdict after `--` is for the reader."""
    rows = []
    for line in text.strip().splitlines():
        fields = [field.strip() for field in line.split("--", 1)[0].split("|")]
        assert len(fields) == 4 and "--" in line, f"a snapshot line is set | code | place | object -- verdict: {line}"
        rows.append((fields[0], fields[1], fields[2], fields[3]))
    return rows


def corpus_findings(corpus) -> list[tuple[str, str, str, str]]:
    """What the new rules find, set by set."""
    found = []
    for name in sorted(SETS):
        files = [str(corpus / f) for f in SETS[name]["files"]]
        result = lint(discover(files), Settings(selected=resolve(NEW_RULES)))
        for f in result.findings:
            if f.code not in INPUT:
                found.append((name, f.code, f"{f.file[len(str(corpus)) + 1:]}:{f.line}:{f.column}", f.object or ""))
    return found


def test_the_reviewed_snapshot_is_what_the_new_rules_find(corpus):
    assert corpus_findings(corpus) == snapshot_rows(SNAPSHOT)


def test_every_snapshot_line_has_a_verdict_and_none_is_false():
    for line in SNAPSHOT.strip().splitlines():
        verdict = line.split("--", 1)[1].strip()
        assert verdict.startswith("true:") and len(verdict) > len("true: "), line

