"""Benchmark: what fixing costs, against a check of the same files measured in the same run.

In-process, over every set of the shared corpus (``../shared/corpus``, or ``--corpus DIR``; each
set's files linted together, as EXPECTED.md lists them):

- baseline: ``check`` of every set (stslint.api.lint_paths);
- ``fix --diff`` of every set, safe fixes (stslint.api.fix_paths: lint, choose, splice, verify by
  re-loading, lint again; nothing written);
- the same with --unsafe-fixes (more fixes, so more passes and verifications);
- a synthetic repository of ``--files`` copies of a manifest with five fixes (two passes): ``check``
  (baseline) against ``fix --diff --unsafe-fixes`` (nothing written), and against ``fix
  --unsafe-fixes`` writing every file (temporary file, fsync, rename).

As subprocesses (start-up): ``stslint check`` of one small manifest (baseline) against ``stslint fix
--diff --unsafe-fixes`` of the same manifest (five fixes, one adding a selector with a quoted label).

Baseline and candidate are timed alternately, run after run (a busy machine slows both alike); prints
their medians and the median of the per-run ratios. Run: ``python bench/fix_bench.py [--runs 7]``.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stslint.api import fix_paths, lint_paths  # noqa: E402
from stslint.fixes import write_fixed  # noqa: E402
from stslint.settings import Settings  # noqa: E402
from timing import median_ms  # noqa: E402  (bench/timing.py, beside this script)

MANIFEST = """\
apiVersion: apps/v1beta1
kind: StatefulSet
metadata:
  name: db{n}
spec:
  serviceName: db{n}
  persistentVolumeClaimRetentionPolicy: {{whenDeleted: Delete, whenScaled: Delete}}
  template:
    metadata:
      labels: {{app: db{n}, enabled: "on"}}
    spec:
      containers:
      - name: db
        image: postgres:16
---
apiVersion: v1
kind: Service
metadata: {{name: db{n}}}
spec:
  clusterIP: 10.0.0.7
  selector: {{app: db{n}}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {{name: pv{n}}}
spec: {{persistentVolumeReclaimPolicy: Delete}}
"""




def corpus_sets(corpus: Path) -> list[list[str]]:
    """The file lists of the corpus sets (EXPECTED.md)."""
    sys.path.insert(0, str(ROOT))
    from tests.test_corpus import parse_expected

    sets = parse_expected(corpus / "EXPECTED.md").values()
    return [[str(corpus / name) for name in entry["files"]] for entry in sets]


def paired(baseline: Callable[[], object], candidate: Callable[[], object], runs: int,
           setup: Callable[[], object] | None = None) -> tuple[float, float, float]:
    """Medians (ms) of ``baseline`` and ``candidate`` timed alternately (a busy machine slows both
    alike), and the median of their per-run ratios."""
    base_times, times, ratios = [], [], []
    for _ in range(runs):
        b = median_ms(baseline, 1, setup)
        c = median_ms(candidate, 1, setup)
        base_times.append(b)
        times.append(c)
        ratios.append(c / b)
    return statistics.median(base_times), statistics.median(times), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    settings = Settings()
    rows: list[tuple[str, float, float, float]] = []

    sets = corpus_sets(args.corpus)

    def check_corpus() -> None:
        for files in sets:
            lint_paths(files, settings)

    for unsafe in (False, True):
        def fix_corpus(unsafe: bool = unsafe) -> None:
            for files in sets:
                fix_paths(files, settings, unsafe=unsafe)

        base, took, ratio = paired(check_corpus, fix_corpus, args.runs)
        rows.append((f"corpus: fix --diff{' --unsafe-fixes' if unsafe else ''} of {len(sets)} sets vs check",
                     base, took, ratio))

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / "repo"
        pristine = Path(directory) / "pristine"
        pristine.mkdir()
        for n in range(args.files):
            (pristine / f"m{n}.yaml").write_text(MANIFEST.format(n=n))

        def reset() -> None:
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(pristine, root)

        def fix_and_write() -> None:
            outcome = fix_paths([str(root)], settings, unsafe=True)
            for item in outcome.files:
                if item.changed:
                    assert write_fixed(item) is None

        reset()
        base, took, ratio = paired(lambda: lint_paths([str(root)], settings),
                                   lambda: fix_paths([str(root)], settings, unsafe=True), args.runs)
        rows.append((f"synthetic: fix --diff --unsafe-fixes of {args.files} files vs check", base, took, ratio))
        base, took, ratio = paired(lambda: lint_paths([str(root)], settings), fix_and_write, args.runs, setup=reset)
        rows.append((f"synthetic: fix --unsafe-fixes writing {args.files} files vs check", base, took, ratio))

        one = Path(directory) / "one.yaml"
        one.write_text(MANIFEST.format(n=0))
        command = [sys.executable, "-m", "stslint"]
        base, took, ratio = paired(
            lambda: subprocess.run([*command, "check", "--isolated", str(one)], capture_output=True, cwd=ROOT),
            lambda: subprocess.run([*command, "fix", "--isolated", "--diff", "--unsafe-fixes", str(one)],
                                   capture_output=True, cwd=ROOT), args.runs)
        rows.append(("process: stslint fix --diff --unsafe-fixes one.yaml vs check", base, took, ratio))

    width = max(len(name) for name, *_ in rows)
    print(f"{'':<{width}}  {'baseline':>10}  {'fix':>10}  ratio (median of paired runs)")
    for name, base, took, ratio in rows:
        print(f"{name:<{width}}  {base:8.1f}ms  {took:8.1f}ms  x{ratio:5.2f}")


if __name__ == "__main__":
    main()
