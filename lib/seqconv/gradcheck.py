"""The one comparison helper and the centred-difference gradient check.

Tests, notebooks and the forecaster's gradient check all use these, instead of
ad-hoc tolerances (cs231n's ``rel_error`` and ``eval_numerical_gradient``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["rel_error", "numerical_gradient"]


def rel_error(a: object, b: object, *, eps: float = 1e-8) -> float:
    """Largest elementwise relative error ``|a - b| / max(eps, |a| + |b|)``.

    ``a`` and ``b`` must have the same shape (a ``ValueError`` says which differ).
    Around 1e-7 or less for float64 results that agree; around 1e-3 for float32.
    """
    a_arr = np.asarray(a, dtype=np.float64)
    b_arr = np.asarray(b, dtype=np.float64)
    if a_arr.shape != b_arr.shape:
        raise ValueError(f"rel_error needs arrays of one shape; got {a_arr.shape} and {b_arr.shape}")
    if a_arr.size == 0:
        return 0.0
    denom = np.maximum(eps, np.abs(a_arr) + np.abs(b_arr))
    return float(np.max(np.abs(a_arr - b_arr) / denom))


def numerical_gradient(f: Callable[[], float], x: np.ndarray, *, h: float = 1e-5) -> np.ndarray:
    """Centred-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    ``f`` takes no argument and reads ``x`` (a parameter array changed in place);
    each entry is perturbed by +h and -h and then restored exactly, so ``x`` is
    unchanged on return. Returns an array of ``x``'s shape in float64.
    This loops over entries on purpose: it is a check, run on small models only.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(f"x must be a floating-point numpy array changed in place; got {type(x).__name__}")
    grad = np.zeros(x.shape, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        old = x[idx].copy()
        x[idx] = old + h
        f_plus = float(f())
        x[idx] = old - h
        f_minus = float(f())
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2.0 * h)
    return grad
