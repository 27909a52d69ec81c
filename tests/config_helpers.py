"""Helpers for the configuration and suppression tests: a throwaway repository and an in-process
``stslint`` run that keeps standard output and standard error apart."""
from __future__ import annotations

import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
"""
"""A StatefulSet whose only findings are STS301 and STS302 at 14:11 (container "nginx")."""

PV_DELETE = """\
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv1
spec:
  persistentVolumeReclaimPolicy: Delete
"""
"""A PersistentVolume with one error finding: STS403 at 6:3."""


@dataclass
class Run:
    """What one run gave: exit code, standard output, standard error."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        """The JSON report on standard output."""
        data: dict[str, Any] = json.loads(self.stdout)
        return data

    def triples(self) -> list[tuple[str, int, int]]:
        """(code, line, column) of the findings of a JSON report."""
        return [(f["code"], f["line"], f["column"]) for f in self.json()["findings"]]


def stslint(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """``stslint ARGS`` in-process with ``cwd`` as the current directory."""
    from stslint.cli import cli

    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False,
                                    env={"GITHUB_ACTIONS": None, **(env or {})})  # type: ignore[dict-item]
    finally:
        os.chdir(old)
    return Run(result.exit_code, result.stdout, result.stderr)


def write(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path → text, dedented) below ``root``; return ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def repo(tmp_path: Path, files: dict[str, str]) -> Path:
    """A directory holding ``.git`` (so configuration discovery stops there) and ``files``."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    return write(root, files)
