"""Every target of a policy, located exactly: the object, the pod spec, each container, each init
container (native sidecars included), all containers, each claim template, each volume and each
volume mount; a CronJob's pod template; kinds outside match.kinds are not judged."""
from __future__ import annotations

import pytest

from tests.policy.helpers import STS, check, findings, policy

IMAGE = "schema:\n  properties:\n    image: {type: string, pattern: '^registry[.]acme[.]io/'}\n"


@pytest.mark.parametrize(("target", "schema", "expected"), [
    ("object", "schema:\n  properties:\n    spec:\n      properties:\n        replicas: {minimum: 3}\n",
     [(10, 3)]),
    ("podSpec", "schema:\n  required: [securityContext]\n", [(16, 5)]),
    ("containers", IMAGE, [(28, 11)]),
    ("initContainers", IMAGE, [(19, 11), (24, 11)]),
    ("allContainers", IMAGE, [(19, 11), (24, 11), (28, 11)]),
    ("volumeClaimTemplates",
     "schema:\n  properties:\n    spec:\n      properties:\n        storageClassName: {const: gp3}\n", [(42, 9)]),
    ("volumes", "schema:\n  required: [persistentVolumeClaim]\n", [(36, 11)]),
    ("volumeMounts", "schema:\n  properties:\n    mountPath: {pattern: '^/var/'}\n", [(22, 15), (34, 15)]),
])
def test_each_target_is_judged_and_located(tmp_path, target, schema, expected):
    run = check(tmp_path, {"policy.yaml": policy(f"target: {target}\n{schema}"), "sts.yaml": STS})
    assert findings(run) == [("ACME101", line, column) for line, column in expected]


def test_container_targets_name_their_container(tmp_path):
    run = check(tmp_path, {"policy.yaml": policy("target: volumeMounts\nschema:\n  properties:\n"
                                                 "    mountPath: {pattern: '^/var/'}\n"), "sts.yaml": STS})
    assert [(f["line"], f["container"]) for f in run.json()["findings"] if f["code"] == "ACME101"] == [
        (22, "init"), (34, "main")]


CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: dump
              image: postgres:16
"""


def test_a_cronjobs_pod_template_is_under_its_job_template(tmp_path):
    run = check(tmp_path, {"policy.yaml": policy("match: {kinds: [CronJob]}\ntarget: containers\n" + IMAGE),
                           "cron.yaml": CRONJOB, "sts.yaml": STS})
    assert findings(run) == [("ACME101", 14, 15)]
    pod = check(tmp_path / "pod", {"policy.yaml": policy("match: {kinds: [CronJob]}\ntarget: podSpec\n"
                                                         "schema: {required: [securityContext]}\n"),
                                   "cron.yaml": CRONJOB})
    assert findings(pod) == [("ACME101", 10, 9)]  # the template's spec: key


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""
DAEMONSET = DEPLOYMENT.replace("kind: Deployment", "kind: DaemonSet")


def test_only_the_listed_kinds_are_judged(tmp_path):
    files = {"policy.yaml": policy("match: {kinds: [StatefulSet, Deployment]}\ntarget: containers\n" + IMAGE),
             "sts.yaml": STS, "deploy.yaml": DEPLOYMENT, "ds.yaml": DAEMONSET}
    run = check(tmp_path, files)
    assert sorted((f["file"], f["line"]) for f in run.json()["findings"] if f["code"] == "ACME101") == [
        ("deploy.yaml", 12), ("sts.yaml", 28)]


def test_the_default_kind_is_statefulset(tmp_path):
    run = check(tmp_path, {"policy.yaml": policy("target: containers\n" + IMAGE), "deploy.yaml": DEPLOYMENT})
    assert findings(run) == []
    assert run.exit_code == 0


def test_other_kinds_with_the_object_target(tmp_path):
    storage_class = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: x\n"
    run = check(tmp_path, {"policy.yaml": policy("match: {kinds: [StorageClass]}\n"
                                                 "schema: {required: [reclaimPolicy]}\n"),
                           "sc.yaml": storage_class, "sts.yaml": STS})
    assert findings(run) == [("ACME101", 2, 1)]  # a missing top-level field: the kind: key
