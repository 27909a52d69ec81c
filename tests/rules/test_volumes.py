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
