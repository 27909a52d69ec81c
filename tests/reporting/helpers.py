"""Helpers for the report-format tests: run ``stslint check`` in-process in a directory, and
manifests that produce known findings."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {name}
spec:
  serviceName: ""
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: nginx
"""
"""A StatefulSet with an empty serviceName (STS101 at 6:3) and a container without probes
(STS301/STS302 at 14:11)."""

PV_DELETE = """\
apiVersion: v1
kind: PersistentVolume
metadata:
  name: {name}
spec:
  persistentVolumeReclaimPolicy: Delete
"""
"""A PersistentVolume that reclaims with Delete (STS403 at 6:3)."""


def statefulset(name: str = "web") -> str:
    """The text of :data:`STATEFULSET` with a (YAML-quoted as given) name."""
    return STATEFULSET.format(name=name)


def invoke(*args: str, cwd: str | os.PathLike[str] | None = None, env: dict[str, Any] | None = None) -> Result:
    """``stslint check ARGS`` in-process, from ``cwd`` (output as text, bytes as ``stdout_bytes``)."""
    from stslint.cli import cli

    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner(env=env).invoke(cli, ["check", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def make_repo(root: Path) -> Path:
    """A directory that looks like a git checkout (it holds ``.git``)."""
    (root / ".git").mkdir(parents=True)
    return root
