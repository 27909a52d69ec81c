"""Benchmark: what configuration and suppressions cost a run.

Times, as the median of several runs of the real command line (cases interleaved round-robin):

- baseline: ``stslint check --isolated one.yaml`` (no configuration read at all);
- the same file with a ``.stslint.yaml`` found four directories up, holding every key including
  per-rule options (which read those rules' documentation files), then the same settings from
  ``[tool.stslint]`` in ``pyproject.toml``;
- a directory of generated manifests without configuration or suppressions, then with a
  configuration, a suppression comment on every StatefulSet's container line, an annotation on
  every StatefulSet, per-file-ignores and STS005 selected.

Prints each median and its ratio to the baseline (the last case: to the line above it) measured in
the same run. Run: ``python bench/config_bench.py [--files 500] [--runs 7]``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MANIFEST = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: app-{i}
{annotation}spec:
  serviceName: app-{i}
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
        - name: app{comment}
          image: registry.example.com/app:{i}
          readinessProbe: {{tcpSocket: {{port: 80}}}}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
---
apiVersion: v1
kind: Service
metadata:
  name: app-{i}
spec:
  clusterIP: None
  selector: {{app: app-{i}}}
"""

CONFIG_YAML = """\
select: [ALL]
ignore: [STS501]
extend-select: [STS005]
severity: {STS404: error, liveness-probe-missing: warning}
exclude: [vendor, "**/*.generated.yaml"]
per-file-ignores: {"legacy/**": [STS3]}
fail-on: warning
format: text
rules:
  STS301: {exempt-containers: [sidecar], exempt-images: ["*/fluent-bit:*"]}
  STS302: {exempt-containers: [sidecar]}
"""

CONFIG_TOML = """\
[tool.stslint]
select = ["ALL"]
ignore = ["STS501"]
extend-select = ["STS005"]
exclude = ["vendor", "**/*.generated.yaml"]
fail-on = "warning"
[tool.stslint.severity]
STS404 = "error"
[tool.stslint.per-file-ignores]
"legacy/**" = ["STS3"]
[tool.stslint.rules.STS301]
exempt-containers = ["sidecar"]
[tool.stslint.rules.STS302]
exempt-containers = ["sidecar"]
"""


def _run(args: list[str], cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "stslint", *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"stslint {' '.join(args)} exited {done.returncode}: {done.stderr.decode()}")
    return elapsed


def _one_file_repo(root: Path, files: dict[str, str]) -> Path:
    """A repository with one manifest four directories down; returns that directory."""
    (root / ".git").mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text)
    deep = root / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "one.yaml").write_text(MANIFEST.format(i=0, annotation="", comment=""))
    return deep


def main() -> None:
    """Generate the inputs, time each case (round-robin, so load drift hits all alike), print the
    medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big = root / "big"
        (big / ".git").mkdir(parents=True)
        (big / ".stslint.yaml").write_text(CONFIG_YAML.replace('"legacy/**"', '"suppressed/m1*.yaml"'))
        for folder in ("plain", "suppressed"):
            (big / folder).mkdir()
        for i in range(args.files):
            (big / "plain" / f"m{i}.yaml").write_text(MANIFEST.format(i=i, annotation="", comment=""))
            (big / "suppressed" / f"m{i}.yaml").write_text(MANIFEST.format(
                i=i, annotation='  annotations:\n    stslint.io/ignore: "STS404 -- bench"\n',
                comment="  # stslint: disable-line=STS302 -- bench"))
        cases = {
            "baseline: --isolated, one file": (["check", "--isolated", "one.yaml"], _one_file_repo(root / "iso", {})),
            "discovered .stslint.yaml 4 levels up, every key": (
                ["check", "one.yaml"], _one_file_repo(root / "yaml", {".stslint.yaml": CONFIG_YAML})),
            "[tool.stslint] in pyproject.toml 4 levels up": (
                ["check", "one.yaml"], _one_file_repo(root / "toml", {"pyproject.toml": CONFIG_TOML})),
            f"{args.files} files, --isolated, no suppressions": (["check", "--isolated", "plain"], big),
            f"{args.files} files, comment + annotation each, config, STS005": (
                ["check", "--extend-select", "STS005", "suppressed"], big),
        }
        samples: dict[str, list[float]] = {label: [] for label in cases}
        for round_number in range(args.runs + 1):
            for label, (command, cwd) in cases.items():
                elapsed = _run(command, cwd)
                if round_number:  # round 0 warms caches
                    samples[label].append(elapsed)
        medians = {label: statistics.median(values) for label, values in samples.items()}
        labels = list(cases)
        for index, label in enumerate(labels):
            reference = labels[3] if index == 4 else labels[0]
            print(f"{label:<70} {medians[label] * 1000:8.1f} ms  x{medians[label] / medians[reference]:.2f} "
                  f"(vs {'line 4' if index == 4 else 'baseline'})")


if __name__ == "__main__":
    main()
