"""Helpers for the policy tests: a policy file from a few lines, and an in-process run in a
throwaway repository."""
from __future__ import annotations

import textwrap
from pathlib import Path

from tests.config_helpers import Run, repo, stslint

HEADER = """\
code: ACME101
name: acme-check
severity: error
summary: The ACME check holds.
rationale: Because.
remediation: Fix it.
"""
"""The metadata every test policy shares (6 lines)."""


def policy(body: str, header: str = HEADER) -> str:
    """A policy file: the shared metadata, then ``body`` (dedented)."""
    return header + textwrap.dedent(body)


def check(tmp_path: Path, files: dict[str, str], *args: str, policies: tuple[str, ...] = ("policy.yaml",)) -> Run:
    """``stslint check --format json --policy P... ARGS`` in a repository holding ``files``."""
    root = repo(tmp_path, files)
    options = [arg for path in policies for arg in ("--policy", path)]
    return stslint(root, "check", "--format", "json", *options, *args)


def findings(run: Run, code_prefix: str = "ACME") -> list[tuple[str, int, int]]:
    """(code, line, column) of the findings whose code starts with ``code_prefix``."""
    assert run.exit_code in (0, 1), run.stderr
    return [t for t in run.triples() if t[0].startswith(code_prefix)]


def messages(run: Run, code_prefix: str = "ACME") -> list[str]:
    """The messages of the findings whose code starts with ``code_prefix``."""
    return [f["message"] for f in run.json()["findings"] if f["code"].startswith(code_prefix)]


STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: prod-a
  labels:
    tier: database
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
          volumeMounts:
            - name: data
              mountPath: /data
        - name: sidecar
          image: envoy:1.30
          restartPolicy: Always
      containers:
        - name: main
          image: postgres:16
          args: [-c, max_connections=100, 7]
          volumeMounts:
            - name: data
              mountPath: /var/lib/data
            - name: scratch
              mountPath: /tmp
      volumes:
        - name: scratch
          emptyDir: {}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        storageClassName: gp2
        resources:
          requests:
            storage: 4Ti
"""
"""A StatefulSet in namespace prod-a with two init containers (a native sidecar among them), one
container, a volume, three mounts and one claim template. Lines: kind 2, metadata.name 4, replicas
10, template spec 16, initContainers 17, init name 18, its image 19, its mount name 21, sidecar name
23, sidecar image 24, containers 26, main name 27, main image 28, args items 29 (-c col 18), mounts
31 and 33, volumes 35 (name 36), volumeClaimTemplates 38, metadata.name 40, spec 41, storageClassName
42, resources 43, storage 45."""
