"""Input checks shared by every public function of :mod:`seqconv`.

Each helper raises a ``TypeError`` or ``ValueError`` whose message names the
argument, what was expected and what was received, so that a student who
passes the wrong thing reads what to change, not a NumPy broadcasting error.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

__all__ = [
    "as_float_array",
    "as_int_array",
    "check_ndim",
    "check_positive_int",
    "check_nonnegative_int",
    "check_choice",
    "check_generator",
]


def _describe(value: object) -> str:
    """Short description of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def as_float_array(x: object, name: str, *, dtype: np.dtype | None = None) -> np.ndarray:
    """Return ``x`` as a floating-point array, following the library's dtype rule.

    float32 and float64 stay as they are; integer and boolean input becomes float64.
    Complex, object, string and other non-numeric input raises ``TypeError``.
    ``dtype`` forces the result type (used to bring several arrays to a common one).
    """
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists, for example
        raise TypeError(f"{name} must be a numeric array; could not convert {type(x).__name__}: {exc}") from None
    kind = arr.dtype.kind
    if kind not in "biuf":
        raise TypeError(
            f"{name} must be a real numeric array (float or integer); got dtype {arr.dtype}"
        )
    if dtype is not None:
        return arr.astype(dtype, copy=False)
    if kind == "f":
        return arr if arr.dtype.itemsize >= 4 else arr.astype(np.float32)
    return arr.astype(np.float64)


def as_int_array(x: object, name: str) -> np.ndarray:
    """Return ``x`` as an integer array (token ids, lengths); floats are refused."""
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name} must be an integer array; could not convert {type(x).__name__}: {exc}") from None
    if arr.size == 0 and arr.dtype.kind == "f":  # np.asarray([]) is float64
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be an integer array; got dtype {arr.dtype}")
    return arr


def check_ndim(arr: np.ndarray, name: str, ndims: int | Sequence[int], layout: str) -> None:
    """Raise ``ValueError`` unless ``arr.ndim`` is one of ``ndims``.

    ``layout`` names the expected shape in the lecture's terms, e.g. ``"(n, c) or (B, n, c)"``.
    """
    allowed = (ndims,) if isinstance(ndims, int) else tuple(ndims)
    if arr.ndim not in allowed:
        dims = " or ".join(f"{d}-D" for d in allowed)
        raise ValueError(f"{name} must be {dims} with shape {layout}; got shape {arr.shape}")


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= 1, else raise."""
    return _check_int(value, name, minimum=1)


def check_nonnegative_int(value: object, name: str) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= 0, else raise."""
    return _check_int(value, name, minimum=0)


def _check_int(value: object, name: str, *, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {_describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (strings), else raise ``ValueError``."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def check_generator(rng: object, name: str = "rng") -> np.random.Generator:
    """Return ``rng`` if it is a ``numpy.random.Generator``; an int seed is turned into one.

    The global NumPy RNG is never used: pass ``np.random.default_rng(seed)`` or a seed.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)) or an int seed; "
        f"got {_describe(rng)}"
    )
