"""STFT magnitude: seqconv.spectral.stft_mag against scipy.signal.stft and the per-frame loop.

One minute of 16 kHz audio, win 256, hop 128, periodic Hann, the tail zero-padded:
the same frames for every candidate (their outputs are checked equal before timing).
The per-frame loop builds the periodic window once and pads the tail; a naive per-frame loop,
which rebuilds a symmetric np.hanning every frame and drops the tail, is timed
for reference.
scipy's result is bins x frames and scaled by 1 / window.sum(); taking ``np.abs`` of
it is part of its candidate, the rescaling is not (it would only add to scipy's time).

    python -m bench --only bench_stft
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from bench._timing import time_side_by_side
from seqconv.spectral import hann, stft_mag
from tests.reference_spectral import stft_mag_loop

TITLE = "STFT magnitude, 60 s of 16 kHz audio, win 256, hop 128 (periodic Hann, padded tail)"

SR, SECONDS, WIN, HOP = 16_000, 60.0, 256, 128
LOOP = "per-frame loop (tests/reference_spectral.py)"
SEED = "per-frame loop rebuilding np.hanning each frame"


def _scipy_stft_abs(y: np.ndarray) -> np.ndarray:
    return np.abs(
        scipy.signal.stft(y, window="hann", nperseg=WIN, noverlap=WIN - HOP, boundary=None, padded=True, detrend=False)[2]
    )


def _seed_loop(y: np.ndarray) -> np.ndarray:
    """A naive per-frame stft_mag (symmetric window rebuilt every frame, tail dropped)."""
    windows = []
    for start in range(0, len(y) - WIN + 1, HOP):
        windows.append(np.abs(np.fft.rfft(y[start : start + WIN] * np.hanning(WIN))))
    return np.stack(windows, axis=0)


def _check_same(y: np.ndarray) -> None:
    ours = stft_mag(y, WIN, HOP)
    theirs = _scipy_stft_abs(y).T * hann(WIN).sum()
    tol = 1e-3 if y.dtype == np.float32 else 1e-9
    if ours.shape != theirs.shape or not np.allclose(ours, theirs, rtol=tol, atol=tol * np.abs(theirs).max()):
        raise AssertionError("stft_mag and scipy.signal.stft disagree; timings would be meaningless")


def run(quick: bool = False) -> list[dict]:
    """Rows: case, candidate, median_ms, q25_ms, q75_ms, calls, ratio_vs_seqconv (time / stft_mag's), note."""
    rng = np.random.default_rng(0)
    y64 = rng.standard_normal(int(SR * SECONDS))
    repeats, min_seconds = (3, 0.02) if quick else (9, 0.2)
    rows: list[dict] = []
    for dtype in (np.float64, np.float32):
        y = y64.astype(dtype)
        _check_same(y)
        candidates = {
            "seqconv.spectral.stft_mag": lambda y=y: stft_mag(y, WIN, HOP),
            "scipy.signal.stft + np.abs": lambda y=y: _scipy_stft_abs(y),
        }
        if dtype == np.float64:
            candidates[LOOP] = lambda y=y: stft_mag_loop(y, WIN, HOP)
            candidates[SEED] = lambda y=y: _seed_loop(y)
        timings = time_side_by_side(candidates, repeats=repeats, min_seconds=min_seconds, max_calls={LOOP: 1, SEED: 1})
        base = timings["seqconv.spectral.stft_mag"].median
        case = f"{SECONDS:g} s, {np.dtype(dtype).name}"
        for name, t in timings.items():
            rows.append(
                {
                    "case": case,
                    "candidate": name,
                    "median_ms": t.median * 1e3,
                    "q25_ms": t.q25 * 1e3,
                    "q75_ms": t.q75 * 1e3,
                    "calls": t.calls,
                    "ratio_vs_seqconv": t.median / base,
                    "note": "symmetric window, tail dropped: not the same output" if name == SEED else "",
                }
            )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
