"""Timing helpers shared by the benchmarks: medians of repeats, taken side by side.

The machine is shared and noisy, so every benchmark times its candidates in one
run, interleaved, and reports ratios of medians rather than absolute limits.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["Timing", "time_side_by_side"]


@dataclass(frozen=True)
class Timing:
    """Median and spread of one candidate's wall-clock time per call, in seconds."""

    name: str
    median: float
    q25: float
    q75: float
    calls: int


def _calls_for(fn: Callable[[], object], min_seconds: float) -> int:
    """How many calls make one sample last at least ``min_seconds`` (at least 1)."""
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    return max(1, int(np.ceil(min_seconds / max(once, 1e-9))))


def time_side_by_side(
    candidates: Mapping[str, Callable[[], object]],
    *,
    repeats: int = 7,
    min_seconds: float = 0.05,
    max_calls: dict[str, int] | None = None,
) -> dict[str, Timing]:
    """Time each candidate ``repeats`` times, round-robin, and return medians per call.

    Each sample calls a candidate enough times to last ``min_seconds`` (after a
    warm-up call), so fast functions are not lost in timer noise; ``max_calls``
    caps the calls per sample for slow ones (a Python loop, say).
    """
    calls = {}
    for name, fn in candidates.items():
        fn()  # warm-up: imports, caches, thread pools
        calls[name] = _calls_for(fn, min_seconds)
        if max_calls and name in max_calls:
            calls[name] = min(calls[name], max_calls[name])
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            start = time.perf_counter()
            for _ in range(calls[name]):
                fn()
            samples[name].append((time.perf_counter() - start) / calls[name])
    return {
        name: Timing(name, float(np.median(s)), float(np.percentile(s, 25)), float(np.percentile(s, 75)), calls[name])
        for name, s in samples.items()
    }
