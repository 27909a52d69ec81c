"""Benchmark: what policies with joins (refs) and CEL expressions cost, against baselines measured in
the same run.

In-process:

- the whole shared corpus (``../shared/corpus``, or ``--corpus DIR``) linted in one run without
  policies (the baseline) and with the ten policies of ``examples/policies`` — six schema-only, three
  joins (PodDisruptionBudget coverage, retaining StorageClass, headless governing Service) and one CEL
  expression — loaded and compiled in the run (jsonschema and cel-python already imported: their
  imports are measured on their own below);
- generated repositories of N StatefulSets, each with its Service, PodDisruptionBudget and
  StorageClass (N = 1,000, 2,000 and 5,000 by default), linted without and with the join and CEL
  policies: the marginal cost of the policies per StatefulSet must stay flat as N grows (joins go
  through the index, never a scan of every object per object).

In-process times are CPU times (``time.process_time``), medians of ``--runs``. As subprocesses (wall
time): ``python -c pass`` as the baseline, then the imports a policy with ``expr`` adds
(``import celpy``) and that any policy adds (``import jsonschema``).

Run: ``python bench/policy_bench.py [--runs 5] [--sizes 1000,2000,5000]``.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lint_bench import command_ms, row  # noqa: E402

from stslint.engine import Settings, lint  # noqa: E402
from stslint.loading.discover import discover  # noqa: E402
from stslint.selection import resolve  # noqa: E402
import timing  # noqa: E402  (bench/timing.py, beside this script)

EXAMPLES = ROOT / "examples" / "policies"
JOINS = ["ACME107-pdb-coverage.yaml", "ACME108-claims-retain.yaml", "ACME109-headless-governing-service.yaml",
         "ACME110-partition-within-replicas.yaml"]



def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median CPU time of ``action`` in this process, in milliseconds (CPU time, not wall time: the
    in-process measurements compare work, and stay meaningful on a machine shared with other jobs)."""
    return timing.median_ms(action, runs, clock=time.process_time)


def rules_of(paths: list[str]) -> object:
    """The rule set with the policies at ``paths`` (loaded and compiled, as ``check --policy`` does)."""
    from stslint.policy import PolicySource, policy_rule_set

    return policy_rule_set([PolicySource(path, str(ROOT)) for path in paths])


def lint_with(files: list[str], paths: list[str] | None) -> object:
    """The whole lint of ``files`` in one run, with the policies at ``paths`` loaded in the run."""
    if paths is None:
        return lint(discover(files))
    rules = rules_of(paths)
    return lint(discover(files), Settings(selected=resolve(rules=rules), rules=rules))


def generated(directory: Path, count: int) -> list[str]:
    """A repository of ``count`` StatefulSets with their Services, budgets and classes (100 per file)."""
    files = []
    per_file = 100
    for start in range(0, count, per_file):
        docs = []
        for number in range(start, min(count, start + per_file)):
            name = f"db-{number}"
            namespace = f"team-{number % 50}"
            docs.append(f"""apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  serviceName: {name}
  replicas: 3
  updateStrategy: {{rollingUpdate: {{partition: {number % 4}}}}}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
        - name: db
          image: registry.acme.io/db/postgres:16.3
          readinessProbe: {{exec: {{command: [pg_isready]}}}}
          livenessProbe: {{exec: {{command: [pg_isready]}}}}
          resources: {{limits: {{memory: 2Gi}}}}
          volumeMounts: [{{name: data, mountPath: /data}}]
  volumeClaimTemplates:
    - metadata: {{name: data}}
      spec: {{storageClassName: class-{number}, resources: {{requests: {{storage: 10Gi}}}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {namespace}}}
spec: {{clusterIP: None, publishNotReadyAddresses: {'true' if number % 2 else 'false'}, selector: {{app: {name}}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: {name}, namespace: {namespace}}}
spec: {{maxUnavailable: 1, selector: {{matchLabels: {{app: {name}}}}}}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {{name: class-{number}}}
provisioner: ebs.csi.aws.com
reclaimPolicy: Retain
allowVolumeExpansion: {'true' if number % 3 else 'false'}
""")
        path = directory / f"part-{start // per_file:04d}.yaml"
        path.write_text("---\n".join(docs), encoding="utf-8")
        files.append(str(path))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,2000,5000")
    args = parser.parse_args()
    files = sorted(str(p) for p in Path(args.corpus).rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    if not files:
        sys.exit(f"no manifests under {args.corpus}")
    ten = sorted(str(p) for p in EXAMPLES.glob("ACME*.yaml"))
    assert len(ten) == 10, ten
    joins = [str(EXAMPLES / name) for name in JOINS]
    lint_with(files[:5], ten)  # jsonschema and cel-python imported once (their imports are measured below)
    print(f"corpus: {len(files)} files; median of {args.runs} runs")
    plain = median_ms(lambda: lint_with(files, None), args.runs)
    print(row("baseline  stslint lint, whole corpus", plain, plain))
    with_ten = median_ms(lambda: lint_with(files, ten), args.runs)
    print(row("stslint lint + 10 policies (3 joins, 1 CEL), whole corpus", with_ten, plain))

    print("generated repositories (StatefulSet + Service + PodDisruptionBudget + StorageClass each):")
    marginal = []
    for size in [int(part) for part in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as scratch:
            repo = generated(Path(scratch), size)
            runs = max(1, args.runs // 2) if size > 2000 else args.runs
            base = median_ms(lambda: lint_with(repo, None), runs)
            policies = median_ms(lambda: lint_with(repo, joins), runs)
            per = (policies - base) / size * 1000
            marginal.append(per)
            print(row(f"baseline  stslint lint, {size} StatefulSets", base, base))
            print(row(f"  + 4 join/CEL policies ({per:.0f} us per StatefulSet)", policies, base))
    print(f"marginal cost per StatefulSet, largest vs smallest size: {marginal[-1] / marginal[0]:.2f}x "
          "(1.00x is linear)")

    start = command_ms([sys.executable, "-c", "pass"], args.runs)
    print(row("baseline  python -c pass", start, start))
    print(row('python -c "import jsonschema" (any policy)', command_ms([sys.executable, "-c", "import jsonschema"],
                                                                     args.runs), start))
    print(row('python -c "import celpy" (a policy with expr)', command_ms([sys.executable, "-c", "import celpy"],
                                                                        args.runs), start))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
