"""Benchmark of :func:`seqconv.conv.conv1d` against a plain Python loop, scipy and PyTorch.

Shapes (all float32, time-major for seqconv, as the lecture):
- one-channel audio: 1 s at 16 kHz, n = 16000, c = 1, k = 9, padding "valid";
- B = 8, n = 16000, c_in = c_out = 32, k = 9, "valid";
- B = 8, n = 16000, c_in = c_out = 32, k = 3, dilation = 4, "causal" (the lecture's dilated causal conv);
- B = 32, n = 200, c_in = c_out = 64, k = 5, "valid".

Candidates: ``seqconv.conv1d``; a Python loop over output positions (``tests.reference.seed_conv1d_*``,
applied to each sequence of a batch in turn); ``scipy.signal.correlate`` (one-channel case
only); ``torch.nn.functional.conv1d`` when torch is importable, with torch's default thread
count, on tensors already in its (B, c, n) layout (the layout change is not timed; for the
causal case ``F.pad`` is part of the timed call, as it is part of the job).

Every candidate's result is checked against seqconv's before timing. Timings are medians of
interleaved repeats (bench._timing.time_side_by_side).

Public interface (for ``python -m bench``):
- ``TITLE``: a heading for the table;
- ``COLUMNS``: the row keys in display order;
- ``run(quick=False) -> list[dict]``: one row per (case, candidate) with keys
  ``case`` (str), ``candidate`` (str), ``median_ms`` (float, per call), ``q25_ms`` and
  ``q75_ms`` (float, spread of the repeats), ``calls`` (calls per timed sample),
  ``ratio_vs_seqconv`` (candidate's median / seqconv's median on that case: > 1 means
  seqconv is faster), ``note`` (str, e.g. how a slow loop was timed);
- ``notes() -> list[str]``: the machine facts the figures depend on (BLAS, threads).
Run it on a quiet machine: multi-threaded BLAS (seqconv's products and PyTorch's) slows
down by one to two orders of magnitude when other processes oversubscribe the cores, which
``notes()`` reports as the load average.
With ``quick=True`` fewer repeats are taken and the Python loop on the long batches is timed
on a slice of one sequence and scaled up linearly (its row's note says so).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy
import scipy.signal

from bench._timing import Timing, time_side_by_side
from seqconv.conv import conv1d
from seqconv.gradcheck import rel_error
from tests.reference import seed_conv1d_dilated_causal, seed_conv1d_valid

try:  # optional reference
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - depends on the machine
    torch = None

TITLE = "conv1d: seqconv vs a plain Python loop, scipy and PyTorch (float32, median ms per call)"
COLUMNS = ("case", "candidate", "median_ms", "q25_ms", "q75_ms", "calls", "ratio_vs_seqconv", "note")

SEQCONV = "seqconv.conv1d"
SEED = "Python loop (per position)"
SCIPY = "scipy.signal.correlate"
TORCH = "torch.nn.functional.conv1d"


@dataclass(frozen=True)
class Case:
    name: str
    B: int | None  # None: a single (n, c) sequence
    n: int
    c_in: int
    c_out: int
    k: int
    dilation: int = 1
    padding: str = "valid"


CASES = (
    Case("audio 1 s @ 16 kHz: n=16000, c=1, k=9, valid", None, 16000, 1, 1, 9),
    Case("B=8, n=16000, c=32->32, k=9, valid", 8, 16000, 32, 32, 9),
    Case("B=8, n=16000, c=32->32, k=3, dilation=4, causal", 8, 16000, 32, 32, 3, dilation=4, padding="causal"),
    Case("B=32, n=200, c=64->64, k=5, valid", 32, 200, 64, 64, 5),
)

# In quick mode the Python loop runs on one sequence of this many steps and is scaled up.
_QUICK_SLICE = 2000


def _seed_loop(case: Case) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The Python loop over output positions for this case, applied to each sequence of a batch in turn."""
    if case.padding == "valid":
        one = seed_conv1d_valid
    else:
        def one(X, K):
            return seed_conv1d_dilated_causal(X, K, dilation=case.dilation)

    def loop(X, K):
        if X.ndim == 2:
            return one(X, K)
        return np.stack([one(x, K) for x in X])

    return loop


def _candidates(case: Case, X: np.ndarray, K: np.ndarray) -> dict[str, Callable[[], np.ndarray]]:
    """Zero-argument callables returning results in seqconv's layout (for the check)."""
    cands: dict[str, Callable[[], np.ndarray]] = {
        SEQCONV: lambda: conv1d(X, K, padding=case.padding, dilation=case.dilation),
    }
    if case.c_in == 1 and case.c_out == 1 and case.padding == "valid" and case.dilation == 1:
        x, k = X.reshape(-1), K.reshape(-1)
        cands[SCIPY] = lambda: scipy.signal.correlate(x, k, mode="valid")
    if torch is not None:
        Xt = torch.from_numpy(np.ascontiguousarray((X if X.ndim == 3 else X[None]).transpose(0, 2, 1)))
        Wt = torch.from_numpy(np.ascontiguousarray(K.transpose(2, 1, 0)))  # (c_out, c_in, s)
        left = (case.k - 1) * case.dilation if case.padding == "causal" else 0

        def run_torch():
            with torch.inference_mode():
                x = F.pad(Xt, (left, 0)) if left else Xt
                return F.conv1d(x, Wt, dilation=case.dilation)

        cands[TORCH] = run_torch
    return cands


def _as_seqconv_layout(name: str, out, single: bool) -> np.ndarray:
    if name == TORCH:
        out = out.numpy().transpose(0, 2, 1)
        return out[0] if single else out
    if name == SCIPY:
        return out[:, None]
    return out


def _timing_rows(case: Case, timings, seqconv_ms: float, notes: dict[str, str]) -> list[dict]:
    rows = []
    for name, t in timings.items():
        rows.append({
            "case": case.name,
            "candidate": name,
            "median_ms": t.median * 1e3,
            "q25_ms": t.q25 * 1e3,
            "q75_ms": t.q75 * 1e3,
            "calls": t.calls,
            "ratio_vs_seqconv": t.median * 1e3 / seqconv_ms,
            "note": notes.get(name, ""),
        })
    return rows


def _check_agrees(name: str, case: Case, got: np.ndarray, expected: np.ndarray) -> None:
    """Same result up to float32 rounding: errors are measured against a tenth of the output's
    scale, since sums of hundreds of float32 products near zero have no relative accuracy."""
    err = rel_error(got, expected, eps=0.1 * float(np.abs(expected).max()))
    assert err < 1e-4, f"{name} disagrees with seqconv on {case.name}: rel_error {err:.2e}"


def run_case(case: Case, *, quick: bool = False, rng: np.random.Generator | None = None) -> list[dict]:
    """Check and time every candidate on one case; rows as described in the module docstring."""
    rng = np.random.default_rng(0) if rng is None else rng
    shape = (case.n, case.c_in) if case.B is None else (case.B, case.n, case.c_in)
    X = rng.standard_normal(shape).astype(np.float32)
    K = (rng.standard_normal((case.k, case.c_in, case.c_out)) / np.sqrt(case.k * case.c_in)).astype(np.float32)
    cands = _candidates(case, X, K)
    expected = cands[SEQCONV]()
    assert expected.dtype == np.float32
    for name, fn in cands.items():
        _check_agrees(name, case, _as_seqconv_layout(name, fn(), case.B is None), expected)

    repeats = 3 if quick else 7
    timings = time_side_by_side(cands, repeats=repeats, min_seconds=0.05 if quick else 0.2)
    seqconv_ms = timings[SEQCONV].median * 1e3
    rows = _timing_rows(case, timings, seqconv_ms, {})

    seed = _seed_loop(case)
    notes = {}
    if quick and case.B is not None and case.n > _QUICK_SLICE:
        Xs = X[0, :_QUICK_SLICE]
        # output positions timed vs the full job's (the loop's cost is linear in them)
        n_out_full = case.n if case.padding == "causal" else case.n - (case.k - 1) * case.dilation
        n_out_slice = _QUICK_SLICE if case.padding == "causal" else _QUICK_SLICE - (case.k - 1) * case.dilation
        scale = case.B * n_out_full / n_out_slice
        seed_fn = lambda: seed(Xs, K)  # noqa: E731
        notes[SEED] = f"timed on 1 sequence x {_QUICK_SLICE} steps, scaled x{scale:.0f}"
    else:
        scale = 1.0
        seed_fn = lambda: seed(X, K)  # noqa: E731
        _check_agrees(SEED, case, seed_fn(), expected)
        notes[SEED] = "timed in full"
    t = time_side_by_side({SEED: seed_fn}, repeats=3, min_seconds=0.0, max_calls={SEED: 1})[SEED]
    t = Timing(t.name, t.median * scale, t.q25 * scale, t.q75 * scale, t.calls)
    rows += _timing_rows(case, {SEED: t}, seqconv_ms, notes)
    return rows


def notes() -> list[str]:
    """Facts the figures depend on: cores, BLAS, thread counts, OPENBLAS_CORETYPE."""
    load = os.getloadavg()[0]
    lines = [f"{os.cpu_count()} CPU cores, load average {load:.1f} when the notes were taken; NumPy {np.__version__}"]
    try:
        blas = scipy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        lines.append(f"seqconv's products run in SciPy's BLAS: {blas['name']} {blas['version']}")
    except (AttributeError, KeyError, TypeError):
        pass
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    lines.append(f"OPENBLAS_CORETYPE={coretype}" if coretype
                 else "OPENBLAS_CORETYPE not set (OpenBLAS picks its kernels for this CPU)")
    if torch is not None:
        threads = torch.get_num_threads()
        lines.append(f"PyTorch {torch.__version__} with its default thread count, torch.get_num_threads() = {threads}")
    else:
        lines.append("PyTorch not installed: no torch rows")
    return lines


def run(quick: bool = False) -> list[dict]:
    """All cases; see the module docstring for the row format."""
    rng = np.random.default_rng(0)
    rows: list[dict] = []
    for case in CASES:
        rows += run_case(case, quick=quick, rng=rng)
    return rows


if __name__ == "__main__":
    import sys

    quick = "--quick" in sys.argv
    print(f"## {TITLE}\n")
    for line in notes():
        print(f"- {line}")
    print()
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in run(quick=quick):
        cells = [f"{v:.3g}" if isinstance(v, float) else str(v) for v in (row[c] for c in COLUMNS)]
        print("| " + " | ".join(cells) + " |")
