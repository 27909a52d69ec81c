"""Helpers for the context tests: throwaway git repositories and small manifests."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_IDENTITY = ("-c", "user.name=stslint-tests", "-c", "user.email=tests@example.com",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false")


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` (with a test identity); its stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=repo, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def write(repo: Path, files: dict[str, str]) -> None:
    """Write files (relative path → text) below ``repo``."""
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def make_repo(repo: Path, files: dict[str, str], commit: bool = True) -> Path:
    """A git repository holding ``files``, committed unless asked not to."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    write(repo, files)
    if commit and files:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "initial")
    return repo


def statefulset(name: str = "db", service: str = "db", namespace: str | None = None,
                storage_class: str | None = None) -> str:
    """A StatefulSet that is clean on its own except for cross-file references."""
    ns = f"\n  namespace: {namespace}" if namespace else ""
    claims = ""
    mounts = ""
    if storage_class is not None:
        mounts = """
          volumeMounts:
            - name: data
              mountPath: /data"""
        claims = f"""
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        storageClassName: {storage_class}
        accessModes: [ReadWriteOnce]
        resources: {{requests: {{storage: 1Gi}}}}"""
    return f"""apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {name}{ns}
spec:
  serviceName: {service}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: main
          image: example/{name}:1
          readinessProbe: {{exec: {{command: [ready]}}}}
          livenessProbe: {{exec: {{command: [live]}}}}{mounts}{claims}
"""


def service(name: str = "db", app: str = "db", headless: bool = True, namespace: str | None = None) -> str:
    """A Service selecting ``app``; headless unless asked otherwise."""
    ns = f"\n  namespace: {namespace}" if namespace else ""
    cluster_ip = "None" if headless else "10.0.0.12"
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}{ns}
spec:
  clusterIP: {cluster_ip}
  selector: {{app: {app}}}
"""


def storage_class(name: str = "fast", policy: str | None = "Retain") -> str:
    """A StorageClass with that reclaim policy (omitted when None)."""
    reclaim = f"\nreclaimPolicy: {policy}" if policy else ""
    return f"""apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: {name}
provisioner: example.com/disk{reclaim}
"""


def codes(report: dict) -> list[tuple[str, str, int]]:  # type: ignore[type-arg]
    """(code, file, line) of every finding of a JSON report."""
    return [(f["code"], f["file"], f["line"]) for f in report["findings"]]
