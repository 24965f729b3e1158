"""The few plots the lectures share: every one titled, with labelled axes and units.

Each function draws into ``ax`` (a new figure when ``ax`` is None) and returns the Axes,
so a notebook cell can add to it and end with ``plt.show()``. ``matplotlib.pyplot`` is
imported only when a function runs, so ``import seqconv`` does not pick a backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from seqconv._validate import as_float_array, check_choice, check_ndim, check_positive_int

__all__ = [
    "use_course_style",
    "plot_impulse_responses",
    "plot_receptive_field",
    "plot_spectrogram",
    "plot_forecast",
    "plot_training_loss",
    "plot_mask",
]

COURSE_STYLE: dict[str, Any] = {
    "figure.figsize": (8.0, 3.0),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "image.cmap": "magma",
}


def use_course_style() -> None:
    """Set the course's readable matplotlib defaults (``COURSE_STYLE``); calling it again is harmless."""
    mpl.rcParams.update(COURSE_STYLE)  # type: ignore[arg-type]  # matplotlib types the keys as literals


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
    return ax


def _as_1d(values: object, name: str) -> np.ndarray:
    """A (n,) float array; a single-column (n, 1) array is accepted and flattened."""
    arr = as_float_array(values, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    check_ndim(arr, name, 1, "(n,) or (n, 1)")
    return arr


def plot_impulse_responses(
    responses: Mapping[str, object],
    *,
    ax: Axes | None = None,
    title: str = "Impulse responses",
    kind: str = "stem",
    impulse_at: int | None = None,
) -> Axes:
    """Stack several impulse responses in one Axes, one row per response (first on top).

    responses: {label: (n,) response}; the lengths may differ.
    kind: "stem" (one stem per sample) or "step".
    impulse_at: time step of the input impulse, drawn as a dashed vertical line.
    All rows share one amplitude scale (rows are offset, not rescaled), so sizes compare.
    Returns the Axes; each row is labelled on the y axis with its key.
    """
    check_choice(kind, "kind", ("stem", "step"))
    if not isinstance(responses, Mapping) or len(responses) == 0:
        raise ValueError(f"responses must be a non-empty dict {{label: (n,) array}}; got {responses!r:.80}")
    rows = {str(label): _as_1d(r, f"responses[{label!r}]") for label, r in responses.items()}
    extent = max(float(np.ptp(np.concatenate([r, [0.0]]))) for r in rows.values())
    spacing = 1.3 * extent if extent > 0 else 1.0
    ax = _axes(ax)
    offsets = -spacing * np.arange(len(rows))
    for i, ((label, r), off) in enumerate(zip(rows.items(), offsets, strict=True)):
        t = np.arange(r.shape[0])
        if kind == "stem":
            stems = ax.stem(t, r + off, bottom=off, linefmt=f"C{i}-", markerfmt=f"C{i}o", basefmt="k-", label=label)
            stems.markerline.set_markersize(4)
        else:
            ax.step(t, r + off, where="mid", color=f"C{i}", label=label)
            ax.axhline(off, color="k", lw=0.6)
    if impulse_at is not None:
        ax.axvline(impulse_at, color="0.4", ls="--", lw=1.0, label="impulse")
    ax.set_yticks(offsets, list(rows))
    ax.set_xlabel("time step (samples)")
    ax.set_ylabel(f"response (rows {spacing:.3g} apart)")
    ax.set_title(title)
    return ax


def plot_receptive_field(
    kernel_sizes: Sequence[int],
    dilations: Sequence[int],
    *,
    n_steps: int | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Which inputs the last output of a stack of causal (dilated) convolutions sees.

    kernel_sizes, dilations: one entry per layer, stride 1.
    Draws the input row at the bottom and one row per layer, every time step as a dot;
    the dots the last output depends on, and the connections between them, are highlighted.
    The receptive field is R = 1 + sum_l (k_l - 1) d_l; n_steps defaults to R + 4.
    Returns the Axes (title states R unless ``title`` is given).
    """
    ks = [check_positive_int(k, f"kernel_sizes[{i}]") for i, k in enumerate(kernel_sizes)]
    ds = [check_positive_int(d, f"dilations[{i}]") for i, d in enumerate(dilations)]
    if len(ks) == 0 or len(ks) != len(ds):
        raise ValueError(
            f"kernel_sizes and dilations must be non-empty and of one length; got {len(ks)} and {len(ds)}"
        )
    R = 1 + sum((k - 1) * d for k, d in zip(ks, ds, strict=True))
    n_steps = R + 4 if n_steps is None else check_positive_int(n_steps, "n_steps")
    if n_steps < R:
        raise ValueError(f"n_steps must be >= the receptive field R={R} to show it; got {n_steps}")
    from matplotlib.collections import LineCollection

    ax = _axes(ax)
    L = len(ks)
    t = np.arange(n_steps)
    # touched[l]: positions in row l (0 = input) that the last output reaches.
    touched = [np.array([n_steps - 1])]
    segments = []
    for layer in range(L, 0, -1):
        k, d = ks[layer - 1], ds[layer - 1]
        top = touched[0]
        below = (top[:, None] - d * np.arange(k)[None, :])  # (len(top), k)
        segments += [((b, layer - 1), (p, layer)) for p, row in zip(top, below, strict=True) for b in row]
        touched.insert(0, np.unique(below))
    for row in range(L + 1):
        ax.scatter(t, np.full(n_steps, row), s=18, color="0.8", zorder=2)
        ax.scatter(touched[row], np.full(touched[row].shape, row), s=36, color="C0" if row < L else "C3", zorder=3)
    ax.add_collection(LineCollection(segments, colors="C0", linewidths=1.0, alpha=0.7, zorder=1))
    ax.set_yticks(range(L + 1), ["input"] + [f"layer {i + 1} (k={k}, d={d})" for i, (k, d) in enumerate(zip(ks, ds, strict=True))])
    ax.set_ylim(-0.5, L + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("time step (samples)")
    ax.set_ylabel("layer")
    ax.grid(False)
    ax.set_title(title if title is not None else f"Receptive field of the last output: R = {R} samples")
    return ax


def plot_spectrogram(
    S_db: object,
    *,
    sr: float,
    hop: int,
    win: int,
    n_fft: int | None = None,
    ax: Axes | None = None,
    title: str = "Spectrogram",
    cmap: str | None = None,
) -> Axes:
    """Show a dB spectrogram with time in seconds, frequency in Hz and a colorbar in dB.

    S_db: (frames, bins) magnitudes in dB (time-major, as ``stft_mag`` returns them),
    with bins = n_fft // 2 + 1 (n_fft defaults to win). Frame f is drawn at the centre of
    its window, (f * hop + win / 2) / sr seconds (STFT without centering); bin j at
    j * sr / n_fft Hz. Returns the Axes (the colorbar is attached to its figure).
    """
    S = as_float_array(S_db, "S_db")
    check_ndim(S, "S_db", 2, "(frames, bins)")
    if not (isinstance(sr, (int, float, np.integer, np.floating)) and not isinstance(sr, bool) and sr > 0):
        raise ValueError(f"sr must be a positive sample rate in Hz; got {sr!r}")
    hop = check_positive_int(hop, "hop")
    win = check_positive_int(win, "win")
    n_fft = win if n_fft is None else check_positive_int(n_fft, "n_fft")
    frames, bins = S.shape
    if frames == 0 or bins != n_fft // 2 + 1:
        raise ValueError(
            f"S_db must have shape (frames >= 1, n_fft // 2 + 1 = {n_fft // 2 + 1}) for n_fft={n_fft}; got {S.shape}"
        )
    df = sr / n_fft
    t_first = (win / 2) / sr
    t_last = ((frames - 1) * hop + win / 2) / sr
    half_hop = hop / 2 / sr
    ax = _axes(ax)
    im = ax.imshow(
        S.T,
        origin="lower",
        aspect="auto",
        interpolation="nearest",
        cmap=cmap,
        extent=(t_first - half_hop, t_last + half_hop, -df / 2, (bins - 1) * df + df / 2),
    )
    ax.figure.colorbar(im, ax=ax, label="magnitude (dB)")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("frequency (Hz)")
    ax.grid(False)
    ax.set_title(title)
    return ax


def plot_forecast(
    x: object | None,
    t_pred: object,
    y_pred: object,
    *,
    ax: Axes | None = None,
    label: str = "one-step prediction",
    title: str = "Forecast",
    split: int | None = None,
) -> Axes:
    """Overlay a series and predictions drawn at their own time indices (no shift).

    x: (n,) series drawn at t = 0 .. n-1, or None to add predictions to an existing plot.
    t_pred: (N,) integer time index of each prediction; y_pred: (N,) or (N, 1) predictions
    (``predict_one_step`` returns exactly (t_pred, y_pred)).
    split: optional train/test boundary (time index), drawn as a dashed vertical line.
    Returns the Axes.
    """
    t = _as_1d(t_pred, "t_pred")
    y = _as_1d(y_pred, "y_pred")
    if t.shape != y.shape:
        raise ValueError(f"t_pred and y_pred must have one length; got {t.shape[0]} and {y.shape[0]}")
    ax = _axes(ax)
    if x is not None:
        series = _as_1d(x, "x")
        ax.plot(np.arange(series.shape[0]), series, color="0.55", lw=1.2, label="series")
    ax.plot(t, y, lw=1.4, label=label)
    if split is not None:
        ax.axvline(split, color="k", ls="--", lw=1.0, label="train | test")
    ax.set_xlabel("time step t (samples)")
    ax.set_ylabel("x[t] (series units)")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def plot_training_loss(
    history: object, *, ax: Axes | None = None, title: str = "Training loss", log: bool = True
) -> Axes:
    """Per-epoch training loss (and validation loss if recorded) of ``fit``.

    history: a ``FitHistory`` (from ``seqconv.forecast.fit``) or an (epochs,) array of losses.
    log: logarithmic loss axis. Returns the Axes.
    """
    train = getattr(history, "epoch_loss", history)
    val = getattr(history, "val_loss", None)
    loss = _as_1d(train, "history")
    ax = _axes(ax)
    epochs = np.arange(1, loss.shape[0] + 1)
    ax.plot(epochs, loss, marker="." if loss.shape[0] <= 60 else None, label="train")
    if val is not None:
        ax.plot(epochs, _as_1d(val, "history.val_loss"), label="validation")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch (full passes over the data)")
    ax.set_ylabel("MSE (squared series units)")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_mask(mask: object, *, ax: Axes | None = None, title: str = "Padding mask") -> Axes:
    """Show a (B, T) mask as a grid: valid positions (1) coloured, padded positions (0) grey.

    mask: (B, T) of 0/1 or bool (``pad_batch`` returns it). Returns the Axes.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    m = as_float_array(mask, "mask")
    check_ndim(m, "mask", 2, "(B, T)")
    if m.size and not np.all((m == 0) | (m == 1)):
        raise ValueError(f"mask must hold only 0/1 (or False/True); got values {np.unique(m)[:6]}")
    ax = _axes(ax)
    B, T = m.shape
    valid_color = mpl.colors.to_hex(mpl.colormaps["tab10"](0))
    ax.imshow(m, cmap=ListedColormap(["#dddddd", valid_color]), vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    # white cell borders so single positions can be counted
    ax.set_xticks(np.arange(-0.5, T, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, B, 1), minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="white", linewidth=1.0, alpha=1.0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("time step (position in padded sequence)")
    ax.set_ylabel("sequence (index in batch)")
    ax.set_title(title)
    ax.legend(
        handles=[Patch(color=valid_color, label="valid (1)"), Patch(color="#dddddd", label="padded (0)")],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    return ax
