"""Plain per-frame references for seqconv.spectral: the seed lecture's loop STFT, corrected.

The seed looped over frame starts, windowed each segment with the symmetric
``np.hanning`` and dropped the tail. These loops keep the seed's shape (one
``rfft`` per frame, Python ``for``) but use the periodic Hann window (written
out from its formula) and zero-pad the tail so that every sample lands in a
frame. They share no code with the library: the tests compare against them and
the benchmark times them.
"""

from __future__ import annotations

import math

import numpy as np


def hann_loop(win: int, periodic: bool = True) -> np.ndarray:
    """Hann window from its textbook formula, one sample at a time."""
    if win == 1:
        return np.ones(1)
    period = win if periodic else win - 1
    return np.array([0.5 - 0.5 * math.cos(2 * math.pi * k / period) for k in range(win)])


def frame_starts_loop(n: int, win: int, hop: int, pad_end: bool = True) -> list[int]:
    """Start index of every frame, found by stepping through the signal."""
    starts = [0]
    if pad_end:
        while starts[-1] + win < n:  # the last frame does not reach the end yet
            starts.append(starts[-1] + hop)
    else:
        if win > n:
            return []
        while starts[-1] + hop + win <= n:
            starts.append(starts[-1] + hop)
    return starts


def stft_mag_loop(
    y: np.ndarray, win: int = 256, hop: int = 128, window: np.ndarray | None = None, pad_end: bool = True
) -> np.ndarray:
    """|rfft| of each windowed frame, frame by frame: (n_frames, win // 2 + 1), float64."""
    y = np.asarray(y, dtype=np.float64)
    w = hann_loop(win) if window is None else np.asarray(window, dtype=np.float64)
    rows = []
    for start in frame_starts_loop(len(y), win, hop, pad_end):
        segment = y[start : start + win]
        if len(segment) < win:  # the tail: zero-pad to a full frame
            segment = np.concatenate([segment, np.zeros(win - len(segment))])
        rows.append(np.abs(np.fft.rfft(segment * w)))
    return np.stack(rows)
