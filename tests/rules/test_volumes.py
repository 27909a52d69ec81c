"""STS405-STS406: mounts against pod volumes and claim templates."""
from __future__ import annotations

from tests.rules.helpers import run, service, sts
from tests.rules.test_storage import claim


def containers(mounts: str) -> str:
    return ("- name: app\n  image: nginx:1.25\n  readinessProbe: {tcpSocket: {port: 80}}\n"
            f"  livenessProbe: {{tcpSocket: {{port: 80}}, failureThreshold: 6}}\n  volumeMounts: {mounts}")


def test_mount_of_unknown_volume(tmp_path):
    found = run(tmp_path, sts(containers=containers("[{name: data, mountPath: /d}, {name: cfg, mountPath: /c}]"),
                              claims=claim()), service())
    assert found == [("STS405", "main.yaml", 20)]


def test_pod_volumes_and_init_container_mounts_count(tmp_path):
    pod = ("volumes: [{name: cfg, configMap: {name: x}}]\ninitContainers:\n- name: init\n  image: busybox\n"
           "  volumeMounts: [{name: data, mountPath: /d}]")
    body = containers("[{name: cfg, mountPath: /c}]")
    assert run(tmp_path, sts(containers=body, claims=claim(), pod=pod), service()) == []


def test_unused_claim_template(tmp_path):
    found = run(tmp_path, sts(containers=containers("[]"), claims=claim()), service())
    assert found == [("STS406", "main.yaml", 23)]


def test_a_pod_volume_named_like_a_claim_template_is_shadowed(tmp_path):
    pod = "volumes:\n- name: data\n  emptyDir: {}\n- name: cfg\n  configMap: {name: x}"
    body = containers("[{name: data, mountPath: /d}, {name: cfg, mountPath: /c}]")
    assert run(tmp_path, sts(containers=body, claims=claim(), pod=pod), service(), select=["STS408"]) == [
        ("STS408", "main.yaml", 22)]
    unshadowed = pod.replace("- name: data\n  emptyDir: {}\n", "")
    assert run(tmp_path, sts(containers=body, claims=claim(), pod=unshadowed), service(), select=["STS408"]) == []


STORAGE_POD = "volumes:\n- name: data\n  {source}"


def no_storage(tmp_path, source: str | None, claims: str = "", select: list[str] | None = None) -> list[str]:
    pod = STORAGE_POD.format(source=source) if source is not None else ""
    mounts = "[{name: data, mountPath: /d}]" if source is not None or claims else "[]"
    found = run(tmp_path, sts(containers=containers(mounts), pod=pod, claims=claims), service(),
                select=select or ["STS409"])
    return [code for code, _, _ in found]


def test_no_persistent_storage_is_opt_in(tmp_path):
    assert no_storage(tmp_path, "emptyDir: {}", select=["ALL"]).count("STS409") == 1
    assert no_storage(tmp_path, "emptyDir: {}", select=["STS4"]) == ["STS409"]
    assert no_storage(tmp_path, "emptyDir: {}", select=["no-persistent-storage"]) == ["STS409"]
    assert "STS409" not in [c for c, _, _ in run(tmp_path, sts(containers=containers("[]")), service())]
    assert "STS409" not in [c for c, _, _ in run(tmp_path, sts(containers=containers("[]")), service(),
                                                 select=["STS"])]  # a bare family selects no opt-in rule


def test_what_counts_as_persistent_storage(tmp_path):
    for source in ("emptyDir: {}", "hostPath: {path: /srv}", "ephemeral: {volumeClaimTemplate: {spec: {}}}",
                   "csi: {driver: x}", "configMap: {name: x}", "secret: {secretName: x}", None):
        assert no_storage(tmp_path, source) == ["STS409"], source
    for source in ("persistentVolumeClaim: {claimName: x}", "nfs: {server: s, path: /p}", "iscsi: {}",
                   "cephfs: {monitors: [m]}", "rbd: {}", "awsElasticBlockStore: {volumeID: v}",
                   "gcePersistentDisk: {pdName: p}", "azureDisk: {diskName: d}", "vsphereVolume: {volumePath: p}"):
        assert no_storage(tmp_path, source) == [], source
    assert no_storage(tmp_path, None, claims=claim()) == []
    assert no_storage(tmp_path, "emptyDir: {}", claims=claim().replace("name: data", "name: other")) == []


def shared(tmp_path, *, replicas: str | None = "3", volume: str = "persistentVolumeClaim: {claimName: pg-data}",
           mount: str = "{name: data, mountPath: /d}", claims: str = "", docs: tuple[str, ...] = ()) -> list:
    extra = f"  replicas: {replicas}\n" if replicas is not None else ""
    pod = STORAGE_POD.format(source=volume)
    return run(tmp_path, sts(containers=containers(f"[{mount}]"), pod=pod, claims=claims, extra_spec=extra),
               service(), *docs, select=["STS410"])


PVC = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: pg-data\nspec:\n  accessModes: {modes}\n"


def test_one_claim_mounted_writable_by_several_replicas_is_shared(tmp_path):
    assert shared(tmp_path) == [("STS410", "main.yaml", 24)]
    assert shared(tmp_path, replicas="2") == [("STS410", "main.yaml", 24)]
    assert shared(tmp_path, docs=(PVC.format(modes="[ReadWriteOnce]"),)) == [("STS410", "main.yaml", 24)]
    assert shared(tmp_path, docs=(PVC.format(modes="[ReadWriteMany, ReadWriteOnce]"),)) == [
        ("STS410", "main.yaml", 24)]


def test_one_replica_read_only_shadowed_or_shared_on_purpose_is_quiet(tmp_path):
    assert shared(tmp_path, replicas="1") == []
    assert shared(tmp_path, replicas=None) == []  # 1 by default; an autoscaler may own it
    assert shared(tmp_path, volume="persistentVolumeClaim: {claimName: pg-data, readOnly: true}") == []
    assert shared(tmp_path, mount="{name: data, mountPath: /d, readOnly: true}") == []
    assert shared(tmp_path, claims=claim()) == []  # replaced by the claim template (STS408)
    assert shared(tmp_path, docs=(PVC.format(modes="[ReadWriteMany]"),)) == []
    assert shared(tmp_path, docs=(PVC.format(modes="[ReadOnlyMany]"),)) == []


def test_a_claim_in_another_namespace_does_not_make_the_sharing_deliberate(tmp_path):
    other = PVC.format(modes="[ReadWriteMany]").replace("name: pg-data", "name: pg-data\n  namespace: other")
    found = run(tmp_path, sts(containers=containers("[{name: data, mountPath: /d}]"), namespace="prod",
                              pod=STORAGE_POD.format(source="persistentVolumeClaim: {claimName: pg-data}"),
                              extra_spec="  replicas: 3\n"), service(namespace="prod"), other, select=["STS410"])
    assert [code for code, _, _ in found] == ["STS410"]
