"""The timing helper the benchmarks share (each script imports it from beside itself)."""
from __future__ import annotations

import statistics
import time
from typing import Callable


def median_ms(action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """The median time of ``action`` in milliseconds over ``runs`` runs, by ``clock`` (wall time by
    default; ``time.process_time`` for CPU time); ``setup`` runs untimed before each."""
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start = clock()
        action()
        times.append((clock() - start) * 1000)
    return statistics.median(times)
