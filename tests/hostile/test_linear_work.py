"""Work an attacker can multiply stays linear: suppression directives against findings, next-line
directives, "did you mean" lookups. Each case is timed at two sizes; linear work grows about as
the size does (4x here), quadratic work as its square (16x)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from stslint.engine import lint
from stslint.loading.discover import discover

PV = ("---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: p{i}}}\n"
      "spec: {{persistentVolumeReclaimPolicy: Delete}}\n")


def _seconds(action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def _growth(tmp_path: Path, make: Callable[[int], str], small: int) -> float:
    """How much longer linting ``make(4 * small)`` takes than ``make(small)``."""
    times = []
    for size in (small, 4 * small):
        path = tmp_path / f"f{size}.yaml"
        path.write_text(make(size))
        times.append(_seconds(lambda: lint(discover([str(path)]))))
    return times[1] / times[0]


def test_disable_file_directives_against_findings_stay_linear(tmp_path):
    def make(n: int) -> str:
        return "".join(PV.format(i=i) for i in range(n)) + "# stslint: disable-file=STS403\n" * (5 * n)

    path = tmp_path / "check.yaml"
    path.write_text(make(50))
    assert lint(discover([str(path)])).findings == []
    assert _growth(tmp_path, make, 400) < 8


def test_next_line_directives_stay_linear(tmp_path):
    def make(n: int) -> str:
        return "# stslint: disable-next-line=STS403\n" * (20 * n) + "".join(PV.format(i=i) for i in range(n))

    assert _growth(tmp_path, make, 300) < 8


def test_lookups_in_one_large_file_stay_linear(tmp_path):
    def make(n: int) -> str:
        services = "".join(f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\n"
                           f"spec: {{clusterIP: None, selector: {{app: a{i}}}}}\n" for i in range(n))
        workloads = "".join(f"---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: w{i}}}\n"
                            f"spec:\n  serviceName: s{i}\n  selector: {{matchLabels: {{app: a{i}}}}}\n"
                            f"  template:\n    metadata: {{labels: {{app: a{i}}}}}\n"
                            "    spec: {containers: [{name: c, image: i}]}\n" for i in range(n))
        return services + workloads  # one stream, as helm template or kustomize build writes it

    assert _growth(tmp_path, make, 500) < 8
