"""STS401-STS404: retention and reclaim policies, and claim templates without a class."""
from __future__ import annotations

from tests.conftest import check_json, triples
from tests.rules.helpers import codes, run, service, sts

MOUNT = ("- name: app\n  image: nginx:1.25\n  readinessProbe: {tcpSocket: {port: 80}}\n"
         "  livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}\n  volumeMounts: [{name: data, mountPath: /data}]")


def claim(spec: str = "storageClassName: fast", annotations: str = "") -> str:
    meta = f"\n      annotations: {{{annotations}}}" if annotations else ""
    return (f"  volumeClaimTemplates:\n  - metadata:\n      name: data{meta}\n    spec:\n      {spec}\n"
            "      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\n")


def storage_class(name: str = "fast", reclaim: str | None = None) -> str:
    policy = f"reclaimPolicy: {reclaim}\n" if reclaim is not None else ""
    return f"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: {name}\nprovisioner: x\n{policy}"


def workload(**kwargs) -> str:
    return sts(containers=MOUNT, claims=kwargs.pop("claims", claim()), **kwargs)


def test_class_reclaim_policy(tmp_path):
    assert codes(tmp_path, workload(), service(), storage_class()) == ["STS402"]
    assert codes(tmp_path, workload(), service(), storage_class(reclaim="Delete")) == ["STS402"]
    assert codes(tmp_path, workload(), service(), storage_class(reclaim="Retain")) == []
    assert codes(tmp_path, workload(), service(), storage_class(reclaim='""')) == []
    assert codes(tmp_path, workload(), service()) == []  # class not in the scanned files
    # two definitions in one file: the second is a duplicate (STS007)
    assert codes(tmp_path, workload(), service(), storage_class(reclaim="Retain"), storage_class()) == [
        "STS402", "STS007"]


def test_class_is_cluster_scoped(tmp_path):
    namespaced = storage_class().replace("  name: fast\n", "  name: fast\n  namespace: kube-system\n")
    assert codes(tmp_path, workload(namespace="db"), service(), namespaced) == ["STS402"]


def test_legacy_annotation_takes_precedence(tmp_path):
    legacy = claim("storageClassName: safe", annotations="volume.beta.kubernetes.io/storage-class: fast")
    assert codes(tmp_path, workload(claims=legacy), service(), storage_class(), storage_class("safe", "Retain")) \
        == ["STS402"]


def test_missing_class_but_empty_string_is_deliberate(tmp_path):
    assert run(tmp_path, workload(claims=claim("volumeMode: Filesystem")), service()) == [
        ("STS404", "main.yaml", 23)]
    assert codes(tmp_path, workload(claims=claim('storageClassName: ""')), service()) == []
    legacy_only = claim("volumeMode: Filesystem", annotations="volume.beta.kubernetes.io/storage-class: fast")
    assert codes(tmp_path, workload(claims=legacy_only), service()) == []


def test_retention_policy(tmp_path):
    spec = "  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n    whenScaled: Retain\n"
    assert run(tmp_path, workload(extra_spec=spec), service()) == [("STS401", "main.yaml", 11)]


def test_pv_reclaim_policy(tmp_path):
    def pv(policy: str) -> str:
        return (f"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n"
                f"  capacity: {{storage: 1Gi}}\n{policy}")

    assert run(tmp_path, pv("  persistentVolumeReclaimPolicy: Delete\n")) == [("STS403", "main.yaml", 7)]
    assert run(tmp_path, pv("  persistentVolumeReclaimPolicy: Recycle\n")) == [("STS411", "main.yaml", 7)]
    assert codes(tmp_path, pv("")) == []  # a manually created PV defaults to Retain


def test_sts402_relates_every_definition_that_deletes(tmp_path):
    from tests.rules.helpers import related

    found = related(tmp_path, {"sts.yaml": workload() + "---\n" + service(),
                               "a.yaml": storage_class(reclaim="Delete"), "b.yaml": storage_class(),
                               "c.yaml": storage_class(reclaim="Retain")})
    assert found == [("STS402", [("a.yaml", 6, 1, 'StorageClass "fast" has reclaimPolicy: Delete here'),
                                 ("b.yaml", 2, 1, 'StorageClass "fast" omits reclaimPolicy (Delete)')])]


def test_only_the_alpha_annotation_is_no_class_and_the_message_says_so(tmp_path):
    alpha = claim("volumeMode: Filesystem", annotations="volume.alpha.kubernetes.io/storage-class: fast")
    (tmp_path / "db.yaml").write_text("---\n".join([workload(claims=alpha), service()]))
    report = check_json("db.yaml", cwd=tmp_path)  # through the command line
    assert triples(report) == [("STS404", 23, 7)]  # the claim template's metadata.name
    message = report["findings"][0]["message"]
    assert message == ('StatefulSet "web": volumeClaimTemplate "data": Kubernetes ignores annotation '
                       '"volume.alpha.kubernetes.io/storage-class"; set spec.storageClassName: "fast" instead')
    assert len(message) <= 165
    empty = claim("volumeMode: Filesystem", annotations='volume.alpha.kubernetes.io/storage-class: ""')
    (tmp_path / "db.yaml").write_text("---\n".join([workload(claims=empty), service()]))
    assert check_json("db.yaml", cwd=tmp_path)["findings"][0]["message"].endswith(
        "; set spec.storageClassName instead")


def test_the_alpha_annotation_beside_a_class_changes_nothing(tmp_path):
    both = claim("storageClassName: fast", annotations="volume.alpha.kubernetes.io/storage-class: slow")
    assert codes(tmp_path, workload(claims=both), service()) == []
    beta = claim("volumeMode: Filesystem", annotations="volume.alpha.kubernetes.io/storage-class: slow, "
                                                       "volume.beta.kubernetes.io/storage-class: fast")
    assert codes(tmp_path, workload(claims=beta), service()) == []  # the beta one names the class
    plain = run(tmp_path, workload(claims=claim("volumeMode: Filesystem", annotations="team: db")), service())
    assert plain == [("STS404", "main.yaml", 23)]
    bad = claim("volumeMode: Filesystem", annotations="volume.alpha.kubernetes.io/storage-class: 3")
    assert codes(tmp_path, workload(claims=bad), service()) == ["STS006"]  # an unreadable map: no guess
