"""Lecture 04: a causal CNN forecaster in NumPy, trained by honest mini-batch SGD.

The pieces, in the order the lecture uses them:

- :func:`make_series` builds the synthetic series ``sin(t) + 0.3 sin(3t + 0.5) + noise``.
- :func:`make_windows` turns a series into supervised pairs (window -> value ``horizon``
  steps after it); :func:`time_split` cuts them into train/test by time.
- :class:`CausalConvForecaster` predicts the next value from a window of the past, either
  linearly (``hidden=0``, the simplest model) or with a two-layer causal CNN; its gradients
  are derived by hand and vectorized.
- :func:`fit` runs mini-batch SGD where one epoch is a full pass over the shuffled data.
- :func:`predict_one_step` returns predictions *with their time indices*, so a plot is not
  shifted; :func:`ar_generate` feeds predictions back in (naive autoregressive generation).
- :func:`check_gradients` compares the analytic gradients with centred differences.

Alignment, once and for all: a window ``x[i : i + window]`` is paired with the target
``x[i + window + horizon - 1]``; with ``horizon=1`` the prediction for ``x[t]`` uses
``x[t - window : t]``, strictly the past.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from seqconv._validate import (
    as_float_array,
    check_choice,
    check_generator,
    check_ndim,
    check_nonnegative_int,
    check_positive_int,
)
from seqconv.gradcheck import numerical_gradient, rel_error

__all__ = [
    "make_series",
    "make_windows",
    "time_split",
    "CausalConvForecaster",
    "FitHistory",
    "fit",
    "predict_one_step",
    "ar_generate",
    "check_gradients",
]

ACTIVATIONS = ("tanh", "relu")


def _check_real(value: object, name: str, *, low: float, low_inclusive: bool, high: float | None = None) -> float:
    """Return ``value`` as a finite ``float`` in the given range, else raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r}")
    v = float(value)
    above = v >= low if low_inclusive else v > low
    below = True if high is None else v < high
    if not (math.isfinite(v) and above and below):
        rng_txt = f"{'>=' if low_inclusive else '>'} {low}" + ("" if high is None else f" and < {high}")
        raise ValueError(f"{name} must be a finite number {rng_txt}; got {value!r}")
    return v


# --------------------------------------------------------------------------- data


def make_series(n: int = 600, *, noise: float = 0.05, rng: np.random.Generator | int) -> np.ndarray:
    """The lecture's synthetic series: ``sin(t) + 0.3 sin(3t + 0.5) + noise * N(0, 1)``.

    n: number of samples, ``t = linspace(0, 8 pi, n)`` (about four periods of ``sin t``).
    noise: standard deviation of the Gaussian noise (0 gives the clean signal).
    rng: a ``numpy.random.Generator`` or an int seed (the global NumPy RNG is never used).
    Returns x: (n,) float64.
    """
    n = check_positive_int(n, "n")
    noise = _check_real(noise, "noise", low=0.0, low_inclusive=True)
    gen = check_generator(rng)
    t = np.linspace(0.0, 8.0 * np.pi, n)
    return np.sin(t) + 0.3 * np.sin(3.0 * t + 0.5) + noise * gen.standard_normal(n)


def make_windows(x: object, window: int, *, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Supervised pairs from a series: each window of ``window`` samples and the value after it.

    x: (n,) series or (n, c) multichannel series.
    window: samples per input window (the model's receptive field), >= 1.
    horizon: how far ahead the target lies (1 = the next value).
    Returns X: (N, window, c) with X[i] = x[i : i + window] (c = 1 for a 1-D series) and
    Y: (N, c) with Y[i] = x[i + window + horizon - 1], where N = n - window - horizon + 1.
    Both are fresh arrays (not views of ``x``), in ``x``'s float dtype.
    """
    arr = as_float_array(x, "x")
    check_ndim(arr, "x", (1, 2), "(n,) or (n, c)")
    window = check_positive_int(window, "window")
    horizon = check_positive_int(horizon, "horizon")
    series = arr[:, None] if arr.ndim == 1 else arr
    n = series.shape[0]
    N = n - window - horizon + 1
    if N < 1:
        raise ValueError(
            f"x is too short for window={window} and horizon={horizon}: need at least "
            f"window + horizon = {window + horizon} samples, got {n}"
        )
    # sliding_window_view gives (n - window + 1, c, window); keep the first N windows.
    X = np.ascontiguousarray(sliding_window_view(series, window, axis=0)[:N].transpose(0, 2, 1))
    Y = series[window + horizon - 1 :].copy()
    return X, Y


def time_split(
    X: object, Y: object, *, test_fraction: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split windowed pairs into train and test by time (no shuffling across the boundary).

    X: (N, window, c) windows and Y: (N, c) targets from :func:`make_windows`.
    test_fraction: share of the pairs, taken from the end, that goes to the test set (0 < f < 1).
    Returns (X_train, Y_train, X_test, Y_test) with N_test = max(1, round(N * test_fraction))
    and N_train = N - N_test >= 1. Every training target lies strictly before every test target.
    """
    X_arr, Y_arr = _check_pairs(X, Y, "X", "Y")
    f = _check_real(test_fraction, "test_fraction", low=0.0, low_inclusive=False, high=1.0)
    N = X_arr.shape[0]
    if N < 2:
        raise ValueError(f"time_split needs at least 2 pairs to make a train and a test set; got N={N}")
    n_test = min(N - 1, max(1, round(N * f)))
    k = N - n_test
    return X_arr[:k], Y_arr[:k], X_arr[k:], Y_arr[k:]


def _check_pairs(X: object, Y: object, xname: str, yname: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate windows (N, window, c) and targets (N, c) that belong together."""
    X_arr = as_float_array(X, xname)
    Y_arr = as_float_array(Y, yname)
    check_ndim(X_arr, xname, 3, "(N, window, c)")
    check_ndim(Y_arr, yname, 2, "(N, c)")
    if X_arr.shape[0] != Y_arr.shape[0] or X_arr.shape[2] != Y_arr.shape[1]:
        raise ValueError(
            f"{xname} and {yname} do not match: {xname} has shape {X_arr.shape} (N, window, c), so "
            f"{yname} must have shape ({X_arr.shape[0]}, {X_arr.shape[2]}); got {Y_arr.shape}"
        )
    if X_arr.shape[0] == 0:
        raise ValueError(f"{xname} holds no windows (N=0); make the series longer or the window shorter")
    return X_arr, Y_arr


# --------------------------------------------------------------------------- model


class CausalConvForecaster:
    """Predict the next value of a series from the ``window`` samples before it.

    Two variants, both causal by construction (they only ever see the window, i.e. the past):

    - ``hidden=0`` (linear, the simplest model): ``y = sum_u X[u] K[u] + b``, i.e. one causal
      conv with kernel size ``window`` read at the last time step.
      Parameters ``K: (window, 1, 1)``, ``b: (1,)``.
    - ``hidden=h > 0`` (two-layer causal CNN): a conv with kernel size ``k`` and ``h`` output
      channels over the window, then ``tanh`` (or ReLU), then a readout conv with kernel size
      ``M = window - k + 1`` and 1 output channel, which leaves exactly one output::

          H = act(conv1d_valid(X, K1) + b1)       # (M, h),  M = window - k + 1
          y = conv1d_valid(H, K2) + b2            # (1, 1)

      Parameters ``K1: (k, 1, h)``, ``b1: (h,)``, ``K2: (M, h, 1)``, ``b2: (1,)``.
      The receptive field is ``k + M - 1 = window``.

    Parameters live in ``self.params`` (a dict of arrays updated in place by :func:`fit`,
    which is what :func:`check_gradients` perturbs). Weights start as
    ``N(0, 1 / fan_in)`` draws from ``rng``; biases start at 0.
    The model computes in ``dtype`` (float64 by default; the result type of the input and
    the parameters otherwise).
    """

    def __init__(
        self,
        window: int,
        hidden: int = 0,
        *,
        kernel_size: int | None = None,
        activation: str = "tanh",
        rng: np.random.Generator | int,
        dtype: type | np.dtype = np.float64,
    ) -> None:
        self.window = check_positive_int(window, "window")
        self.hidden = check_nonnegative_int(hidden, "hidden")
        self.activation = check_choice(activation, "activation", ACTIVATIONS)
        dt = np.dtype(dtype)
        if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise TypeError(f"dtype must be float32 or float64; got {dt}")
        gen = check_generator(rng)
        if self.hidden == 0:
            if kernel_size is not None:
                raise ValueError(
                    "kernel_size applies only to the two-layer model (hidden > 0); "
                    f"the linear model's kernel spans the whole window; got kernel_size={kernel_size}"
                )
            self.kernel_size = self.window
            self.params = {
                "K": (gen.standard_normal((self.window, 1, 1)) / math.sqrt(self.window)).astype(dt),
                "b": np.zeros(1, dtype=dt),
            }
        else:
            k = min(3, self.window) if kernel_size is None else check_positive_int(kernel_size, "kernel_size")
            if k > self.window:
                raise ValueError(f"kernel_size must be <= window={self.window}; got kernel_size={k}")
            self.kernel_size = k
            M, h = self.window - k + 1, self.hidden
            self.params = {
                "K1": (gen.standard_normal((k, 1, h)) / math.sqrt(k)).astype(dt),
                "b1": np.zeros(h, dtype=dt),
                "K2": (gen.standard_normal((M, h, 1)) / math.sqrt(M * h)).astype(dt),
                "b2": np.zeros(1, dtype=dt),
            }

    def __repr__(self) -> str:
        kind = ("linear" if self.hidden == 0 else
                f"hidden={self.hidden}, kernel_size={self.kernel_size}, activation={self.activation!r}")
        return f"CausalConvForecaster(window={self.window}, {kind}, params={self.num_params})"

    @property
    def num_params(self) -> int:
        """Total number of scalar parameters."""
        return int(sum(p.size for p in self.params.values()))

    # -- validation -----------------------------------------------------------

    def _check_windows(self, Xw: object, name: str = "Xw") -> np.ndarray:
        X = as_float_array(Xw, name)
        check_ndim(X, name, 3, f"(N, window={self.window}, 1)")
        if X.shape[1:] != (self.window, 1):
            raise ValueError(
                f"{name} must have shape (N, {self.window}, 1) for this model (window={self.window}, "
                f"one channel); got {X.shape}"
            )
        return X

    def _check_xy(
        self, Xw: object, Y: object, xname: str = "Xw", yname: str = "Y"
    ) -> tuple[np.ndarray, np.ndarray]:
        X_arr, Y_arr = _check_pairs(Xw, Y, xname, yname)
        return self._check_windows(X_arr, xname), Y_arr

    # -- forward and backward --------------------------------------------------

    def _forward(self, X2: np.ndarray) -> tuple[np.ndarray, dict]:
        """X2: (N, window) windows. Returns predictions (N,) and what backward needs."""
        p = self.params
        if self.hidden == 0:
            return X2 @ p["K"][:, 0, 0] + p["b"][0], {"X2": X2}
        N, k, h = X2.shape[0], self.kernel_size, self.hidden
        M = self.window - k + 1
        P = sliding_window_view(X2, k, axis=1)  # (N, M, k) patches, P[n, i] = X2[n, i:i+k]
        Z = P @ p["K1"][:, 0, :] + p["b1"]  # (N, M, h)
        A = np.tanh(Z) if self.activation == "tanh" else np.maximum(Z, 0)
        y = A.reshape(N, M * h) @ p["K2"].reshape(M * h) + p["b2"][0]
        return y, {"P": P, "Z": Z, "A": A}

    def _backward(self, dy: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
        """dy: (N,) = dL/dy. Returns dL/dparam for every parameter, shapes as in ``params``."""
        p = self.params
        if self.hidden == 0:
            dK = (cache["X2"].T @ dy).reshape(self.window, 1, 1)
            return {"K": dK, "b": np.array([dy.sum()])}
        P, Z, A = cache["P"], cache["Z"], cache["A"]
        N, M, h = A.shape
        k = self.kernel_size
        # y = A . K2 + b2  ->  dK2 = sum_n dy[n] A[n],  dA = dy[n] K2
        dK2 = (A.reshape(N, M * h).T @ dy).reshape(M, h, 1)
        dA = dy[:, None, None] * p["K2"][None, :, :, 0]  # (N, M, h)
        dZ = dA * (1.0 - A * A) if self.activation == "tanh" else dA * (Z > 0)
        # Z[n, i] = P[n, i] @ K1 + b1  ->  dK1 = sum_{n,i} P[n, i]^T dZ[n, i]
        dK1 = (P.reshape(N * M, k).T @ dZ.reshape(N * M, h)).reshape(k, 1, h)
        return {"K1": dK1, "b1": dZ.sum(axis=(0, 1)), "K2": dK2, "b2": np.array([dy.sum()])}

    def _loss_and_grads(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        y, cache = self._forward(X[:, :, 0])
        err = y - Y[:, 0]
        N = err.shape[0]
        grads = self._backward((2.0 / N) * err, cache)
        dt = np.result_type(*self.params.values())
        return float(np.mean(err * err)), {name: g.astype(dt, copy=False) for name, g in grads.items()}

    # -- public API -------------------------------------------------------------

    def predict(self, Xw: object) -> np.ndarray:
        """Xw: (N, window, 1) windows. Returns (N, 1): the prediction of the value after each window."""
        X = self._check_windows(Xw)
        y, _ = self._forward(X[:, :, 0])
        return y[:, None]

    def loss(self, Xw: object, Y: object) -> float:
        """Mean squared error ``mean((predict(Xw) - Y) ** 2)``; Xw: (N, window, 1), Y: (N, 1)."""
        X, Y_arr = self._check_xy(Xw, Y)
        y, _ = self._forward(X[:, :, 0])
        return float(np.mean((y - Y_arr[:, 0]) ** 2))

    def loss_and_grads(self, Xw: object, Y: object) -> tuple[float, dict[str, np.ndarray]]:
        """MSE loss and its analytic gradient for every parameter.

        Xw: (N, window, 1) windows, Y: (N, 1) targets.
        Returns (loss, grads) with ``grads[name].shape == params[name].shape``.
        With ``e = y - Y`` and ``dy = 2 e / N``: linear ``dK[u] = sum_n dy[n] X[n, u]``,
        ``db = sum_n dy[n]``; the two-layer model backpropagates ``dy`` through the readout,
        the activation and the first conv (see the comments in ``_backward``).
        """
        X, Y_arr = self._check_xy(Xw, Y)
        return self._loss_and_grads(X, Y_arr)


# --------------------------------------------------------------------------- training


@dataclass(frozen=True, eq=False)
class FitHistory:
    """What :func:`fit` returns.

    epoch_loss: (epochs,) mean training loss of each epoch, i.e. the average over all N
        training pairs of the mini-batch loss measured just before each SGD step.
    step_loss: (epochs * steps_per_epoch,) the loss of every mini-batch step.
    val_loss: (epochs,) loss on the validation pairs after each epoch, or None.
    steps_per_epoch: ceil(N / batch_size).
    """

    epoch_loss: np.ndarray
    step_loss: np.ndarray
    val_loss: np.ndarray | None
    steps_per_epoch: int


def _check_model(model: object) -> CausalConvForecaster:
    if not isinstance(model, CausalConvForecaster):
        raise TypeError(f"model must be a CausalConvForecaster; got {type(model).__name__}")
    return model


def fit(
    model: CausalConvForecaster,
    X: object,
    Y: object,
    *,
    epochs: int = 50,
    batch_size: int = 32,
    lr: float = 0.05,
    momentum: float = 0.0,
    rng: np.random.Generator | int,
    validation: tuple[object, object] | None = None,
    progress: bool = False,
) -> FitHistory:
    """Train ``model`` in place by mini-batch SGD on the MSE loss.

    X: (N, window, 1) windows, Y: (N, 1) targets (from :func:`make_windows`).
    One epoch is a full pass over the N pairs in a fresh random order (drawn from ``rng``),
    in ceil(N / batch_size) mini-batches (the last may be smaller).
    Update per step: ``v = momentum * v - lr * grad; param += v`` (plain SGD when momentum=0).
    validation: optional (X_val, Y_val) evaluated after every epoch.
    progress: show a tqdm progress bar over epochs.
    Returns a :class:`FitHistory`. Raises FloatingPointError if the loss stops being finite
    (the learning rate is too large).
    """
    model = _check_model(model)
    X_arr, Y_arr = model._check_xy(X, Y, "X", "Y")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    lr = _check_real(lr, "lr", low=0.0, low_inclusive=False)
    momentum = _check_real(momentum, "momentum", low=0.0, low_inclusive=True, high=1.0)
    gen = check_generator(rng)
    if validation is not None:
        if not (isinstance(validation, tuple) and len(validation) == 2):
            raise TypeError(f"validation must be a tuple (X_val, Y_val); got {type(validation).__name__}")
        X_val, Y_val = model._check_xy(validation[0], validation[1], "X_val", "Y_val")

    from tqdm.auto import tqdm  # imported here: only fit needs it

    N = X_arr.shape[0]
    steps = -(-N // batch_size)
    step_loss = np.empty(epochs * steps)
    epoch_loss = np.empty(epochs)
    val_loss = np.empty(epochs) if validation is not None else None
    velocity = {name: np.zeros_like(p) for name, p in model.params.items()}

    bar = tqdm(range(epochs), desc="fit", unit="epoch", disable=not progress, leave=True)   # kept: training takes a second
    for epoch in bar:
        order = gen.permutation(N)
        total = 0.0
        for j in range(steps):
            idx = order[j * batch_size : (j + 1) * batch_size]
            with np.errstate(over="ignore", invalid="ignore"):
                loss, grads = model._loss_and_grads(X_arr[idx], Y_arr[idx])
            if not math.isfinite(loss):
                raise FloatingPointError(
                    f"training diverged at epoch {epoch + 1}, step {j + 1}: loss is {loss}; lower lr (now {lr})"
                )
            step_loss[epoch * steps + j] = loss
            total += loss * idx.size
            for name, p in model.params.items():
                v = velocity[name]
                v *= momentum
                v -= lr * grads[name]
                p += v
        epoch_loss[epoch] = total / N
        postfix = {"loss": f"{epoch_loss[epoch]:.4g}"}
        if val_loss is not None:
            val_loss[epoch] = model.loss(X_val, Y_val)
            postfix["val"] = f"{val_loss[epoch]:.4g}"
        if progress:
            bar.set_postfix(postfix)
    bar.close()
    return FitHistory(epoch_loss=epoch_loss, step_loss=step_loss, val_loss=val_loss, steps_per_epoch=steps)


# --------------------------------------------------------------------------- prediction


def predict_one_step(
    model: CausalConvForecaster, x: object, window: int | None = None, *, horizon: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Teacher-forced predictions over a whole series, returned with their time indices.

    x: (n,) series; window: optional, must equal ``model.window`` if given.
    horizon: the horizon the model was trained for (1 = next value).
    Returns (t, y_hat), both (n - window - horizon + 1,): ``y_hat[j]`` predicts ``x[t[j]]``
    from ``x[t[j] - horizon - window + 1 : t[j] - horizon + 1]``, with
    ``t = arange(window + horizon - 1, n)``. Plot ``plt.plot(t, y_hat)`` against
    ``plt.plot(arange(n), x)``: no shift.
    """
    model = _check_model(model)
    if window is not None and check_positive_int(window, "window") != model.window:
        raise ValueError(f"window must equal the model's window={model.window}; got window={window}")
    arr = as_float_array(x, "x")
    check_ndim(arr, "x", 1, "(n,)")
    X, _ = make_windows(arr, model.window, horizon=horizon)
    t = np.arange(model.window + horizon - 1, arr.shape[0])
    y, _ = model._forward(X[:, :, 0])
    return t, y


def ar_generate(model: CausalConvForecaster, prefix: object, steps: int) -> np.ndarray:
    """Naive autoregressive generation: each prediction becomes the newest input.

    prefix: (n_prefix,) observed values, n_prefix >= model.window; only the last
    ``window`` are used. steps: how many values to generate (>= 0).
    Returns (steps,): the values that would follow ``prefix``, i.e. ``out[j]`` stands for
    time ``n_prefix + j`` if ``prefix`` starts at time 0.
    Each step depends on the previous one, so this loops over steps (O(window) each).
    """
    model = _check_model(model)
    steps = check_nonnegative_int(steps, "steps")
    arr = as_float_array(prefix, "prefix")
    check_ndim(arr, "prefix", 1, "(n_prefix,)")
    W = model.window
    if arr.shape[0] < W:
        raise ValueError(f"prefix must hold at least window={W} values; got {arr.shape[0]}")
    dt = np.result_type(arr, *model.params.values())
    buf = np.empty(W + steps, dtype=dt)
    buf[:W] = arr[-W:]
    for j in range(steps):
        y, _ = model._forward(buf[None, j : j + W])
        buf[W + j] = y[0]
    return buf[W:].copy()


def check_gradients(model: CausalConvForecaster, X: object, Y: object, *, h: float = 1e-5) -> dict[str, float]:
    """Relative error between analytic and centred-difference gradients, per parameter.

    X: (N, window, 1), Y: (N, 1); keep N and the model small (2 loss evaluations per scalar
    parameter). Needs a float64 model. Returns {param name: rel_error}; values around 1e-7
    or less mean the derivation is right. Parameters are restored exactly afterwards.
    """
    model = _check_model(model)
    X_arr, Y_arr = model._check_xy(X, Y, "X", "Y")
    h = _check_real(h, "h", low=0.0, low_inclusive=False)
    bad = [name for name, p in model.params.items() if p.dtype != np.float64]
    if bad:
        raise ValueError(
            f"check_gradients needs a float64 model (dtype=np.float64); parameters {bad} are "
            f"{model.params[bad[0]].dtype}, too coarse for centred differences"
        )
    X_arr = X_arr.astype(np.float64, copy=False)
    Y_arr = Y_arr.astype(np.float64, copy=False)
    _, grads = model._loss_and_grads(X_arr, Y_arr)

    def f() -> float:
        y, _ = model._forward(X_arr[:, :, 0])
        return float(np.mean((y - Y_arr[:, 0]) ** 2))

    return {name: rel_error(grads[name], numerical_gradient(f, p, h=h)) for name, p in model.params.items()}
