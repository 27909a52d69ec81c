"""Benchmark: how fast stslint reads and lints, against baselines measured in the same run.

In-process, over the manifests of the shared corpus (``../shared/corpus``, or ``--corpus DIR``):

- baseline: PyYAML's ``load_all`` with the libyaml loader (the fastest plain read a PyYAML-based tool
  can do, without positions);
- stslint's loader alone (positions, aliases shared, duplicate keys, limits);
- the whole lint of every file in one run (load, index, all rules, suppressions, sorting);
- the same for the largest corpus file alone (a 2 MB, 35,780-line Argo CD install);
- the whole lint in one run with ten schema-only policies (the six of ``examples/policies`` and four
  more), loaded in the run as ``check --policy`` loads them, against the whole lint without them
  (jsonschema already imported: its import is measured on its own below).

As subprocesses (start-up, what a pre-commit hook pays): ``python -c pass`` as the baseline, then
``stslint --version``, ``stslint check`` of one small manifest, the same with one policy, and
``python -c "import jsonschema"`` (the import a loaded policy adds).

Prints each median and its ratio to its baseline. Run: ``python bench/lint_bench.py [--runs 7]``.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from stslint.engine import Settings, lint  # noqa: E402
from stslint.loading.discover import discover  # noqa: E402
from stslint.loading.yamlload import load_text  # noqa: E402
from stslint.selection import resolve  # noqa: E402
from timing import median_ms  # noqa: E402  (bench/timing.py, beside this script)

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)




def read_plain(texts: list[str]) -> None:
    """The baseline: every document of every text, as PyYAML loads them (errors skipped)."""
    for text in texts:
        try:
            list(yaml.load_all(text, Loader=LOADER))
        except yaml.YAMLError:
            pass


def read_positioned(texts: list[str]) -> None:
    """stslint's loader over every text (errors skipped)."""
    for text in texts:
        try:
            load_text(text)
        except Exception:  # noqa: BLE001 - a load error is a result here, not a failure
            pass


POLICY_HEADER = """\
  - code: BENCH{number:03d}
    name: bench-{number}
    severity: warning
    summary: A benchmark policy.
    rationale: Measures the cost of policies.
    remediation: None needed.
"""
MORE_POLICIES = [
    "    target: podSpec\n    schema: {required: [securityContext]}\n",
    "    target: volumeMounts\n    schema: {properties: {mountPath: {pattern: '^/'}, readOnly: {type: boolean}}}\n",
    "    match: {kinds: [StatefulSet, Deployment, DaemonSet], namespaces: ['!kube-*']}\n    target: containers\n"
    "    schema:\n      properties:\n        resources:\n          properties:\n            requests:\n"
    "              properties: {cpu: {maximumQuantity: '8'}, memory: {maximumQuantity: 64Gi}}\n",
    "    match: {kinds: [Service]}\n    schema:\n      properties:\n        spec:\n"
    "          properties: {type: {enum: [ClusterIP, NodePort, LoadBalancer]}}\n",
]
"""Four schema-only policies besides the six examples: other targets and kinds."""


def ten_policies(directory: Path) -> list[str]:
    """Policy paths: the six schema-only policies of examples/policies and a PolicySet of four more in
    ``directory``."""
    policy_set = "kind: PolicySet\npolicies:\n" + "".join(POLICY_HEADER.format(number=number) + body
                                                         for number, body in enumerate(MORE_POLICIES, 1))
    (directory / "more.yaml").write_text(policy_set, encoding="utf-8")
    six = sorted(str(path) for path in (ROOT / "examples" / "policies").glob("ACME10[1-6]-*.yaml"))
    return [*six, str(directory / "more.yaml")]  # the join and CEL examples: bench/policy_bench.py


def lint_with_policies(files: list[str], paths: list[str]) -> object:
    """The whole lint with the policies at ``paths``, loaded and compiled in the run."""
    from stslint.policy import PolicySource, policy_rule_set

    rules = policy_rule_set([PolicySource(path, str(ROOT)) for path in paths])
    return lint(discover(files), Settings(selected=resolve(rules=rules), rules=rules))


def command_ms(args: list[str], runs: int) -> float:
    """The median wall time of a subprocess in milliseconds."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return median_ms(lambda: subprocess.run(args, env=env, capture_output=True), runs)


def row(label: str, ms: float, base: float) -> str:
    """One line of the report."""
    return f"{label:<52} {ms:9.1f} ms  {ms / base:6.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    files = sorted(str(p) for p in Path(args.corpus).rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    if not files:
        sys.exit(f"no manifests under {args.corpus}")
    texts = [Path(f).read_text(encoding="utf-8", errors="replace") for f in files]
    largest = max(files, key=os.path.getsize)
    size = sum(len(t) for t in texts)
    print(f"corpus: {len(files)} files, {size / 1e6:.1f} MB; largest {os.path.getsize(largest) / 1e6:.1f} MB; "
          f"median of {args.runs} runs; libyaml: {LOADER is not yaml.SafeLoader}")

    base = median_ms(lambda: read_plain(texts), args.runs)
    print(row("baseline  PyYAML load_all (libyaml), whole corpus", base, base))
    print(row("stslint loader (positions), whole corpus", median_ms(lambda: read_positioned(texts), args.runs), base))
    print(row("stslint lint, whole corpus in one run", median_ms(lambda: lint(discover(files)), args.runs), base))
    with tempfile.TemporaryDirectory() as scratch:
        paths = ten_policies(Path(scratch))
        lint_with_policies(files, paths)  # jsonschema imported once (measured separately below)
        plain = median_ms(lambda: lint(discover(files)), args.runs)
        print(row("baseline  stslint lint, whole corpus", plain, plain))
        print(row("stslint lint + 10 schema-only policies, whole corpus", median_ms(
            lambda: lint_with_policies(files, paths), args.runs), plain))
    largest_text = [Path(largest).read_text(encoding="utf-8")]
    one_base = median_ms(lambda: read_plain(largest_text), args.runs)
    print(row("baseline  PyYAML load_all, largest file", one_base, one_base))
    print(row("stslint lint, largest file", median_ms(lambda: lint(discover([largest])), args.runs), one_base))

    small = str(ROOT / "fixtures" / "STS103-service-not-headless" / "good.yaml")
    start = command_ms([sys.executable, "-c", "pass"], args.runs)
    print(row("baseline  python -c pass", start, start))
    print(row("stslint --version", command_ms([sys.executable, "-m", "stslint", "--version"], args.runs), start))
    print(row("stslint check one.yaml", command_ms([sys.executable, "-m", "stslint", "check", "--isolated", small],
                                                 args.runs), start))
    one_policy = str(ROOT / "examples" / "policies" / "ACME101-prod-storage-class.yaml")
    print(row("stslint check one.yaml --policy one-policy.yaml", command_ms(
        [sys.executable, "-m", "stslint", "check", "--isolated", "--policy", one_policy, small], args.runs), start))
    print(row('python -c "import jsonschema" (what a policy imports)', command_ms(
        [sys.executable, "-c", "import jsonschema"], args.runs), start))


if __name__ == "__main__":
    main()
