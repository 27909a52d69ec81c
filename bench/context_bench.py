"""Benchmark: checking one changed file of a 5,000-manifest git repository with --context-git.

Generates the repository in a temporary directory (StatefulSets, their headless Services,
ConfigMaps, PodDisruptionBudgets, StorageClasses and kustomizations), commits it, changes one
StatefulSet, and times, as the median of several runs of the real command line:

- baseline: ``stslint check one.yaml`` with no context (the one-file start-up);
- cold: ``stslint check --context-git one.yaml`` with no cache (the cache directory,
  ``git rev-parse --git-path stslint-cache``, removed first);
- warm: the same with the cache written by a previous run.

Prints each time and its ratio to the baseline measured in the same run. The target is
warm <= 2x baseline. Run: ``python bench/context_bench.py [--files 5000] [--runs 7]``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: app-{i}
  namespace: team-{team}
  labels:
    app.kubernetes.io/name: app-{i}
spec:
  serviceName: app-{i}
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: app-{i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-{i}
    spec:
      containers:
        - name: main
          image: registry.example.com/app-{i}:1.{i}
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            httpGet: {{path: /ready, port: http}}
          livenessProbe:
            httpGet: {{path: /live, port: http}}
          volumeMounts:
            - name: data
              mountPath: /var/lib/app
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        storageClassName: retain-{sc}
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 10Gi
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
  namespace: team-{team}
spec:
  clusterIP: None
  selector:
    app.kubernetes.io/name: app-{i}
  ports:
    - name: http
      port: 8080
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{i}-config
  namespace: team-{team}
data:
  LOG_LEVEL: info
  SETTINGS: |
    listen = 0.0.0.0:8080
    data = /var/lib/app
"""

PDB = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: app-{i}
  namespace: team-{team}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: app-{i}
"""

STORAGE_CLASS = """\
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: retain-{sc}
provisioner: ebs.csi.aws.com
reclaimPolicy: Retain
"""

KUSTOMIZATION = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - statefulset.yaml
  - service.yaml
  - configmap.yaml
"""

APP_FILES = {"statefulset.yaml": STATEFULSET, "service.yaml": SERVICE, "configmap.yaml": CONFIGMAP,
             "pdb.yaml": PDB, "kustomization.yaml": KUSTOMIZATION}
STORAGE_CLASSES = 20


def generate(root: Path, files: int) -> Path:
    """Write and commit a repository of ``files`` manifests; return the StatefulSet to change."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "storage").mkdir()
    for sc in range(STORAGE_CLASSES):
        (root / "storage" / f"retain-{sc}.yaml").write_text(STORAGE_CLASS.format(sc=sc))
    apps = (files - STORAGE_CLASSES) // len(APP_FILES)
    for i in range(apps):
        app = root / "apps" / f"team-{i % 25}" / f"app-{i}"
        app.mkdir(parents=True)
        for name, template in APP_FILES.items():
            (app / name).write_text(template.format(i=i, team=i % 25, sc=i % STORAGE_CLASSES))
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "generated"], cwd=root, check=True)
    changed = root / "apps" / "team-7" / "app-7" / "statefulset.yaml"
    changed.write_text(changed.read_text().replace("replicas: 3", "replicas: 5"))
    return changed


def run(args: list[str], cwd: Path) -> float:
    """Seconds one ``stslint check ARGS`` takes."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "stslint", "check", *args], cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"stslint {' '.join(args)} failed: {done.stderr.decode()}")
    return elapsed


def median_time(args: list[str], cwd: Path, runs: int, before: list[Path] | None = None) -> float:
    """The median of ``runs`` timings (removing the paths in ``before`` ahead of each run)."""
    times = []
    for _ in range(runs):
        for path in before or ():
            shutil.rmtree(path, ignore_errors=True)
        times.append(run(args, cwd))
    return statistics.median(times)


def main() -> None:
    """Generate the repository, time the three cases and print them with ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="manifests in the generated repository")
    parser.add_argument("--runs", type=int, default=7, help="runs per case (the median is printed)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stslint-bench-") as temp:
        repo = Path(temp) / "repo"
        changed = generate(repo, options.files).relative_to(repo)
        count = int(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, check=True,
                                   text=True).stdout.count("\n"))
        cache_path = subprocess.run(["git", "rev-parse", "--git-path", "stslint-cache"], cwd=repo,
                                    capture_output=True, check=True, text=True).stdout.rstrip("\n")
        cache = repo / cache_path
        one = [str(changed)]
        context = ["--context-git", str(changed)]
        run(one, repo)  # warm the OS file cache and Python's bytecode cache
        baseline = median_time(one, repo, options.runs)
        cold = median_time(context, repo, max(3, options.runs // 2), before=[cache])
        run(context, repo)
        if not (cache / "context.json").is_file():
            raise SystemExit(f"no cache was written at {cache}")
        warm = median_time(context, repo, options.runs)
        no_cache = median_time(["--no-cache", *context], repo, max(3, options.runs // 2))
        print(f"repository: {count} manifests; checked: 1 changed StatefulSet; median of {options.runs} runs")
        print(f"baseline  stslint check one.yaml                   {baseline * 1000:8.1f} ms  1.00x")
        for label, value in (("cold", cold), ("warm", warm), ("no-cache", no_cache)):
            print(f"{label:<9} stslint check --context-git one.yaml     {value * 1000:8.1f} ms  "
                  f"{value / baseline:5.2f}x")
        verdict = "meets" if warm <= 2 * baseline else "MISSES"
        print(f"warm cache {verdict} the target (<= 2.00x the one-file start-up)")


if __name__ == "__main__":
    main()
