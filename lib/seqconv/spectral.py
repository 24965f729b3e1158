"""Spectrograms: framing, windows, the STFT magnitude, decibels and a tone-mixture signal.

Layout: a signal is ``y`` of shape ``(n,)``, a batch of signals ``(B, n)``; a
spectrogram is time-major, ``(n_frames, n_bins)`` (frames x frequency bins), so
that it is directly a sequence ``X`` of shape ``(n, c)`` with ``c = n_bins``
channels for the convolutions of the other lectures; a batch is
``(B, n_frames, n_bins)``.

Frame ``k`` holds the samples ``y[k*hop : k*hop + win]``. Two framing rules:

- ``pad_end=True`` (default): the end of the signal is zero-padded so that every
  sample lands in a frame: ``n_frames = 1 + ceil(max(n - win, 0) / hop)``; the
  same frames as ``scipy.signal.stft(..., boundary=None, padded=True)``.
- ``pad_end=False``: only the frames that fit entirely in the signal,
  ``n_frames = 1 + (n - win) // hop`` (needs ``n >= win``); the last
  ``(n - win) % hop`` samples are then in no frame. This is
  ``librosa.stft(..., center=False)``'s rule.

``hop`` may not exceed ``win``: a larger hop would skip ``hop - win`` samples
between consecutive frames.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np
import scipy.fft
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import as_float_array, check_generator, check_ndim, check_positive_int

__all__ = [
    "WINDOWS",
    "n_frames",
    "frame",
    "hann",
    "get_window",
    "stft_mag",
    "fft_frequencies",
    "frame_times",
    "amplitude_to_db",
    "power_to_db",
    "tone_mixture",
]

#: Window names accepted by :func:`get_window` and :func:`stft_mag`.
WINDOWS = ("hann", "hamming", "blackman", "boxcar")

# Frames per block in stft_mag: a block of windowed frames and its spectrum
# (about 2 * 128 * win * 8 bytes, 0.5 MB for win = 256) stay in the CPU cache, which
# makes window -> FFT -> magnitude about 1.4x faster than three passes over whole arrays.
_BLOCK_FRAMES = 128


# --------------------------------------------------------------------------- checks


def _check_bool(value: object, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {type(value).__name__} {value!r}")
    return bool(value)


def _check_positive_real(value: object, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number; got {type(value).__name__} {value!r}")
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive number; got {value!r}")
    return number


def _check_nonnegative_real(value: object, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number >= 0; got {type(value).__name__} {value!r}")
    number = float(value)
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a number >= 0; got {value!r}")
    return number


def _check_win_hop(win: object, hop: object) -> tuple[int, int]:
    win = check_positive_int(win, "win")
    hop = check_positive_int(hop, "hop")
    if hop > win:
        raise ValueError(
            f"hop must be <= win so that consecutive frames touch or overlap "
            f"(a larger hop skips hop - win samples); got hop={hop}, win={win}"
        )
    return win, hop


def _count_frames(n: int, win: int, hop: int, pad_end: bool, name: str) -> int:
    """Frame count for a signal of ``n`` samples (arguments already checked)."""
    if n == 0:
        raise ValueError(f"{name} must hold at least one sample; got an empty signal")
    if pad_end:
        return 1 + max(0, -(-(n - win) // hop))
    if n < win:
        raise ValueError(
            f"{name} has {n} samples, fewer than win={win}: no full frame fits; "
            f"use pad_end=True to zero-pad it into one frame, or a smaller win"
        )
    return 1 + (n - win) // hop


def _signal(y: object, name: str = "y") -> np.ndarray:
    arr = as_float_array(y, name)
    check_ndim(arr, name, (1, 2), "(n,) or (B, n)")
    return arr


# --------------------------------------------------------------------------- framing


def n_frames(n: int, win: int, hop: int, *, pad_end: bool = True) -> int:
    """Number of frames of length ``win``, ``hop`` samples apart, in a signal of ``n`` samples.

    pad_end=True:  ``1 + ceil(max(n - win, 0) / hop)`` (the tail is zero-padded, n >= 1)
    pad_end=False: ``1 + (n - win) // hop``            (full frames only, n >= win)
    Needs ``1 <= hop <= win``.
    """
    n = check_positive_int(n, "n")
    win, hop = _check_win_hop(win, hop)
    return _count_frames(n, win, hop, _check_bool(pad_end, "pad_end"), "n")


def _frame_parts(y: np.ndarray, win: int, hop: int, pad_end: bool) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Frames of ``y`` (..., n) as a view of ``y`` for the frames that fit, plus the padded tail.

    Returns ``(head, tail, count)``: ``head`` (..., n_head, win) is a read-only view of
    ``y``; ``tail`` (..., n_tail, win) frames a small zero-padded copy of the end
    (``None`` when no padding is needed); ``n_head + n_tail = count``.
    """
    n = y.shape[-1]
    count = _count_frames(n, win, hop, pad_end, "y")
    n_head = 0 if n < win else min(count, 1 + (n - win) // hop)
    if n >= win:
        head = sliding_window_view(y, win, axis=-1)[..., : (n_head - 1) * hop + 1 : hop, :]
    else:
        head = np.empty((*y.shape[:-1], 0, win), dtype=y.dtype)
    if n_head == count:
        return head, None, count
    start = n_head * hop
    padded_len = win + (count - n_head - 1) * hop
    tail_signal = np.zeros((*y.shape[:-1], padded_len), dtype=y.dtype)
    tail_signal[..., : n - start] = y[..., start:]
    tail = sliding_window_view(tail_signal, win, axis=-1)[..., ::hop, :]
    return head, tail, count


def frame(y: np.ndarray, win: int, hop: int, *, pad_end: bool = True) -> np.ndarray:
    """Cut a signal into overlapping frames, without a loop.

    y: (n,) signal or (B, n) batch; win: frame length; hop: step between frame
    starts, 1 <= hop <= win.
    Returns a read-only array of shape (n_frames, win), or (B, n_frames, win), with
    ``frames[k] = y[k*hop : k*hop + win]`` and
      pad_end=True:  n_frames = 1 + ceil(max(n - win, 0) / hop); the end is zero-padded
                     so every sample lands in a frame (scipy.signal.stft's padded=True);
      pad_end=False: n_frames = 1 + (n - win) // hop; full frames only (needs n >= win),
                     the last (n - win) % hop samples are left out.
    It is a view of ``y`` when no padding is needed, else a view of a padded copy:
    copy it (``.copy()``) before writing into it.
    """
    y = _signal(y)
    win, hop = _check_win_hop(win, hop)
    pad_end = _check_bool(pad_end, "pad_end")
    count = _count_frames(y.shape[-1], win, hop, pad_end, "y")
    padded_len = win + (count - 1) * hop
    if padded_len > y.shape[-1]:
        y = np.concatenate([y, np.zeros((*y.shape[:-1], padded_len - y.shape[-1]), dtype=y.dtype)], axis=-1)
    return sliding_window_view(y, win, axis=-1)[..., : (count - 1) * hop + 1 : hop, :]


# --------------------------------------------------------------------------- windows


def hann(win: int, *, periodic: bool = True) -> np.ndarray:
    """Hann window of length ``win``, float64.

    periodic=True (default): ``w[k] = 0.5 - 0.5 cos(2 pi k / win)``, the window of
    spectral analysis, equal to ``scipy.signal.get_window("hann", win)`` and to
    librosa's; it is the symmetric window of length ``win + 1`` without its last point.
    periodic=False: ``w[k] = 0.5 - 0.5 cos(2 pi k / (win - 1))``, symmetric, equal to
    ``np.hanning(win)`` and ``scipy.signal.get_window("hann", win, fftbins=False)``
    (a common choice, slightly off for overlapping frames).
    ``hann(1)`` is ``[1.0]`` either way, as in scipy and NumPy.
    Returns (win,).
    """
    win = check_positive_int(win, "win")
    periodic = _check_bool(periodic, "periodic")
    if win == 1:
        return np.ones(1)
    period = win if periodic else win - 1
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(win) / period)


def get_window(window: str | np.ndarray, win: int, *, periodic: bool = True) -> np.ndarray:
    """The analysis window of length ``win`` as a float64 array.

    window: a name in ``WINDOWS`` ("hann", "hamming", "blackman", "boxcar"), made periodic
    or symmetric as in ``scipy.signal.get_window(name, win, fftbins=periodic)``, or an
    array of shape (win,) returned as is (``periodic`` is then ignored).
    Returns (win,).
    """
    win = check_positive_int(win, "win")
    periodic = _check_bool(periodic, "periodic")
    if isinstance(window, str):
        if window not in WINDOWS:
            options = ", ".join(repr(w) for w in WINDOWS)
            raise ValueError(f"window must be one of {options} or an array of shape (win,); got {window!r}")
        if window == "hann":
            return hann(win, periodic=periodic)
        import scipy.signal  # imported here: it costs half a second, and only non-Hann windows need it

        return scipy.signal.get_window(window, win, fftbins=periodic).astype(np.float64)
    w = as_float_array(window, "window")
    if w.shape != (win,):
        raise ValueError(f"window must be a name or an array of shape (win,) = ({win},); got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError("window must hold finite values; got NaN or inf")
    return w.astype(np.float64, copy=False)


# --------------------------------------------------------------------------- STFT


def _block_ranges(batch: int, frames: int) -> list[tuple[int, int, int, int]]:
    """Blocks ``(b0, b1, f0, f1)`` of about _BLOCK_FRAMES frames covering (batch, frames)."""
    if frames >= _BLOCK_FRAMES:
        return [(b, b + 1, f, min(f + _BLOCK_FRAMES, frames)) for b in range(batch) for f in range(0, frames, _BLOCK_FRAMES)]
    per_block = max(1, _BLOCK_FRAMES // max(frames, 1))
    return [(b, min(b + per_block, batch), 0, frames) for b in range(0, batch, per_block)]


def _magnitudes_into(frames: np.ndarray, w: np.ndarray, out: np.ndarray) -> None:
    """out[...] = |rfft(frames * w)| for frames (B, m, win), a block of frames at a time."""
    batch, m, win = frames.shape
    if batch == 0 or m == 0:
        return
    windowed = np.empty(_BLOCK_FRAMES * win, dtype=frames.dtype)
    for b0, b1, f0, f1 in _block_ranges(batch, m):
        x = windowed[: (b1 - b0) * (f1 - f0) * win].reshape(b1 - b0, f1 - f0, win)
        np.multiply(frames[b0:b1, f0:f1], w, out=x)
        # scipy.fft keeps float32 as complex64 (NumPy < 2 would not)
        np.abs(scipy.fft.rfft(x, axis=-1, overwrite_x=True), out=out[b0:b1, f0:f1])


def stft_mag(
    y: np.ndarray,
    win: int = 256,
    hop: int = 128,
    *,
    window: str | np.ndarray = "hann",
    periodic: bool = True,
    pad_end: bool = True,
) -> np.ndarray:
    """Magnitude of the short-time Fourier transform, frames x bins (time-major).

    y: (n,) signal or (B, n) batch; win: frame (and FFT) length; hop: step between
    frames, 1 <= hop <= win; window: a name in WINDOWS or an array of shape (win,);
    periodic: periodic (default, as scipy and librosa) or symmetric named window;
    pad_end: zero-pad the tail so every sample lands in a frame (see :func:`frame`).
    Returns S of shape (n_frames, n_bins), or (B, n_frames, n_bins), with
    ``n_bins = win // 2 + 1`` and n_frames as in :func:`n_frames`:
    ``S[k, f] = |sum_j w[j] y[k*hop + j] exp(-2 pi i f j / win)|``, unscaled.
    Bin ``f`` is the frequency ``f * sr / win`` (:func:`fft_frequencies`); frame ``k``
    is centred at ``(k*hop + win/2) / sr`` seconds (:func:`frame_times`).

    Equal, up to rounding, to
      ``np.abs(scipy.signal.stft(y, window=w, nperseg=win, noverlap=win - hop, boundary=None,
      padded=pad_end, detrend=False)[2]).T * w.sum()``  (scipy's default scaling divides by
      ``w.sum()``), and, with pad_end=False, to
      ``np.abs(librosa.stft(y, n_fft=win, hop_length=hop, window="hann", center=False)).T``.
    float32 input gives float32 output; integer input is computed in float64.
    """
    y = _signal(y)
    win, hop = _check_win_hop(win, hop)
    periodic = _check_bool(periodic, "periodic")
    pad_end = _check_bool(pad_end, "pad_end")
    w = get_window(window, win, periodic=periodic).astype(y.dtype)
    head, tail, count = _frame_parts(y, win, hop, pad_end)
    batched = y.ndim == 2
    if not batched:
        head = head[np.newaxis]
        tail = None if tail is None else tail[np.newaxis]
    out = np.empty((head.shape[0], count, win // 2 + 1), dtype=y.dtype)
    n_head = head.shape[1]
    _magnitudes_into(head, w, out[:, :n_head])
    if tail is not None:
        _magnitudes_into(tail, w, out[:, n_head:])
    return out if batched else out[0]


def fft_frequencies(sr: float, win: int) -> np.ndarray:
    """Frequency in Hz of each STFT bin: ``f * sr / win`` for f = 0 .. win // 2.

    Returns (win // 2 + 1,), equal to ``scipy.fft.rfftfreq(win, 1 / sr)``.
    """
    sr = _check_positive_real(sr, "sr")
    win = check_positive_int(win, "win")
    return np.arange(win // 2 + 1) * (sr / win)


def frame_times(n_frames: int, sr: float, hop: int, win: int) -> np.ndarray:
    """Time in seconds of the centre of each frame: ``(k*hop + win/2) / sr`` for k < n_frames.

    Returns (n_frames,), equal to the times ``scipy.signal.stft(..., boundary=None)`` returns.
    """
    count = check_positive_int(n_frames, "n_frames")
    sr = _check_positive_real(sr, "sr")
    win, hop = _check_win_hop(win, hop)
    return (np.arange(count) * hop + win / 2) / sr


# --------------------------------------------------------------------------- decibels


def _db_arguments(S: np.ndarray, ref: object, amin: object, top_db: object) -> tuple[float, float | None]:
    amin = _check_positive_real(amin, "amin")
    if top_db is not None:
        top_db = _check_nonnegative_real(top_db, "top_db")
    if S.size == 0:
        raise ValueError(f"S must hold at least one value; got shape {S.shape}")
    if callable(ref):
        value = np.asarray(ref(S))
        if value.ndim != 0 or value.dtype.kind not in "biuf" or not np.isfinite(value) or value < 0:
            raise ValueError(f"ref(S) must return a finite scalar >= 0; got {value!r}")
        ref_value = float(value)
    else:
        ref_value = _check_positive_real(ref, "ref")
    return max(amin, ref_value), top_db


def _to_db(S: np.ndarray, factor: float, ref_value: float, amin: float, top_db: float | None) -> np.ndarray:
    # Python floats keep float32 input float32 (NumPy's weak scalar rule).
    db = factor * np.log10(np.maximum(S, amin))
    db -= factor * float(np.log10(ref_value))
    if top_db is not None:
        np.maximum(db, db.max() - top_db, out=db)
    return db


def amplitude_to_db(
    S: np.ndarray,
    *,
    ref: float | Callable[[np.ndarray], float] = 1.0,
    amin: float = 1e-5,
    top_db: float | None = 80.0,
) -> np.ndarray:
    """Amplitude (magnitude) spectrogram to decibels, with librosa's semantics.

    S: array of any shape (typically (n_frames, n_bins)); its magnitude ``|S|`` is used,
    so a complex STFT or a signed real signal is accepted.
    ref: the amplitude that maps to 0 dB: a number > 0, or a callable such as ``np.max``
    applied to ``|S|`` that returns a scalar >= 0.
    Returns, with the shape of S (float32 stays float32):
      ``20 log10(max(|S|, amin)) - 20 log10(max(ref, amin))``,
    then, unless top_db is None, clipped from below at ``max(result) - top_db``
    (the maximum is over the whole array, a batch included).
    Equal to ``power_to_db(|S|**2, ref=ref**2, amin=amin**2, top_db=top_db)``.
    amin > 0 (so that zero gives ``20 log10(amin)`` = -100 dB by default); top_db >= 0.
    """
    arr = np.asarray(S)
    if arr.dtype.kind == "c":
        arr = np.abs(arr)
    magnitude = np.abs(as_float_array(arr, "S"))
    ref_value, top_db = _db_arguments(magnitude, ref, amin, top_db)
    return _to_db(magnitude, 20.0, ref_value, float(amin), top_db)


def power_to_db(
    S: np.ndarray,
    *,
    ref: float | Callable[[np.ndarray], float] = 1.0,
    amin: float = 1e-10,
    top_db: float | None = 80.0,
) -> np.ndarray:
    """Power spectrogram (``|STFT|**2``) to decibels, with librosa's semantics.

    S: real array of any shape with S >= 0 (a ValueError otherwise; complex input is
    refused: pass ``np.abs(X)**2``, or use :func:`amplitude_to_db`).
    ref: the power that maps to 0 dB: a number > 0, or a callable such as ``np.max``
    applied to S that returns a scalar >= 0.
    Returns, with the shape of S (float32 stays float32):
      ``10 log10(max(S, amin)) - 10 log10(max(ref, amin))``,
    then, unless top_db is None, clipped from below at ``max(result) - top_db``
    (the maximum is over the whole array, a batch included).
    amin > 0 (so that zero gives ``10 log10(amin)`` = -100 dB by default); top_db >= 0.
    """
    if np.asarray(S).dtype.kind == "c":
        raise TypeError("S must be a real power spectrogram; got a complex array: pass np.abs(X) ** 2")
    power = as_float_array(S, "S")
    if np.any(power < 0):
        raise ValueError(f"S must be a power spectrogram, >= 0 everywhere; got a minimum of {float(power.min())!r}")
    ref_value, top_db = _db_arguments(power, ref, amin, top_db)
    return _to_db(power, 10.0, ref_value, float(amin), top_db)


# --------------------------------------------------------------------------- signals


def tone_mixture(
    freqs: object,
    amps: object,
    *,
    sr: float = 8000,
    duration: float = 2.0,
    noise: float = 0.0,
    phases: object = None,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A synthetic recording: a sum of sines plus white Gaussian noise (the lecture's audio).

    freqs, amps: (k,) tone frequencies in Hz, within [0, sr/2], and amplitudes;
    phases: (k,) phases in radians (default 0); noise: standard deviation of the noise,
    drawn from ``rng`` (a Generator or an int seed; required when noise > 0).
    Returns ``(t, y)``, both (n,) float64 with ``n = round(duration * sr)``, ``t = arange(n) / sr``
    and ``y = sum_i amps[i] sin(2 pi freqs[i] t + phases[i]) + noise * N(0, 1)``.
    """
    sr = _check_positive_real(sr, "sr")
    duration = _check_positive_real(duration, "duration")
    noise = _check_nonnegative_real(noise, "noise")
    f = as_float_array(freqs, "freqs").astype(np.float64)
    check_ndim(f, "freqs", 1, "(k,)")
    if f.size == 0:
        raise ValueError("freqs must hold at least one frequency; got shape (0,)")
    a = as_float_array(amps, "amps").astype(np.float64)
    if a.shape != f.shape:
        raise ValueError(f"amps must have the shape of freqs, {f.shape}; got shape {a.shape}")
    if phases is None:
        p = np.zeros_like(f)
    else:
        p = as_float_array(phases, "phases").astype(np.float64)
        if p.shape != f.shape:
            raise ValueError(f"phases must have the shape of freqs, {f.shape}; got shape {p.shape}")
    if not (np.all(np.isfinite(f)) and np.all(np.isfinite(a)) and np.all(np.isfinite(p))):
        raise ValueError("freqs, amps and phases must be finite")
    if f.min() < 0 or f.max() > sr / 2:
        raise ValueError(
            f"freqs must lie in [0, sr/2] = [0, {sr / 2:g}] Hz (higher tones alias at this sample rate); "
            f"got values from {f.min():g} to {f.max():g}"
        )
    n = int(round(duration * sr))  # noqa: RUF046 - round() of a NumPy float stays a NumPy float
    if n < 1:
        raise ValueError(f"duration * sr must give at least one sample; got {duration} * {sr:g}")
    if noise > 0:
        if rng is None:
            raise TypeError("rng must be a numpy.random.Generator or an int seed when noise > 0; got None")
        gen = check_generator(rng)
    t = np.arange(n) / sr
    y = np.zeros(n)
    for freq, amp, phase in zip(f, a, p, strict=True):  # a loop over the few tones, not over time
        y += amp * np.sin(2.0 * np.pi * freq * t + phase)
    if noise > 0:
        y += noise * gen.standard_normal(n)
    return t, y
