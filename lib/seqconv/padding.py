"""Batching variable-length sequences: padding, truncation and masks.

A batch of ``B`` sequences of lengths ``t_i`` becomes one array ``X`` of shape
``(B, T)`` (token ids) or ``(B, T, c)`` (feature sequences) and a boolean
``mask`` of shape ``(B, T)`` that is True at the real (not padded) positions.

Semantics follow Keras' ``pad_sequences``: ``side`` says where the padding goes
(``"post"``: after the sequence, ``"pre"``: before it) and ``truncate`` says
which end is cut from a sequence longer than ``max_len`` (``"pre"`` drops the
beginning and keeps the last ``max_len`` steps).

Masked pooling (average, max) over a padded batch is an exercise of lecture 06
and deliberately not part of this module.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import DTypeLike

from ._validate import as_int_array, check_choice, check_ndim, check_positive_int

__all__ = ["pad_batch", "lengths_to_mask", "mask_to_lengths"]

_SIDES = ("post", "pre")


def lengths_to_mask(lengths: object, max_len: int | None = None, *, side: str = "post") -> np.ndarray:
    """Boolean mask of the real positions of a padded batch.

    lengths: (B,) integers >= 0, the length of each sequence.
    max_len: T, the padded length; default ``max(lengths)`` (0 for an empty batch).
        Every length must be <= max_len (truncate first, e.g. with ``np.minimum``).
    side: ``"post"`` (real steps first, padding after) or ``"pre"`` (padding first).
    returns mask: (B, T) bool; ``mask[b, t]`` is ``t < lengths[b]`` for ``"post"``
        and ``t >= T - lengths[b]`` for ``"pre"``.
    """
    lengths = as_int_array(lengths, "lengths")
    check_ndim(lengths, "lengths", 1, "(B,)")
    check_choice(side, "side", _SIDES)
    if lengths.size and lengths.min() < 0:
        raise ValueError(f"lengths must be >= 0; got {int(lengths.min())} at index {int(lengths.argmin())}")
    longest = int(lengths.max()) if lengths.size else 0
    if max_len is None:
        T = longest
    else:
        T = check_positive_int(max_len, "max_len")
        if longest > T:
            raise ValueError(
                f"lengths must be <= max_len = {T}; got length {longest} at index {int(lengths.argmax())}"
            )
    positions = np.arange(T)
    if side == "post":
        return positions[None, :] < lengths[:, None]
    return positions[None, :] >= (T - lengths)[:, None]


def mask_to_lengths(mask: object) -> np.ndarray:
    """Number of real positions per row: the inverse of :func:`lengths_to_mask`.

    mask: (B, T) bool (or 0/1 integers), True at real positions.
    returns lengths: (B,) int64, ``mask.sum(axis=1)``.
    """
    arr = np.asarray(mask)
    if arr.dtype.kind in "iu":
        if arr.size and not np.isin(arr, (0, 1)).all():
            raise ValueError("mask must hold only 0/1 (or True/False) values; got other integers")
        arr = arr.astype(bool)
    elif arr.dtype.kind != "b":
        raise TypeError(f"mask must be a boolean array (True at real positions); got dtype {arr.dtype}")
    check_ndim(arr, "mask", 2, "(B, T)")
    return arr.sum(axis=1, dtype=np.int64)


def pad_batch(
    seqs: Sequence[object],
    *,
    value: float = 0,
    side: str = "post",
    max_len: int | None = None,
    truncate: str = "post",
    dtype: DTypeLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pad (and truncate) a list of sequences into one array, with its mask.

    seqs: non-empty list of B arrays, all of shape (t_i,) (e.g. token ids) or all of
        shape (t_i, c) with the same c. Zero-length sequences are allowed.
    value: the fill value of the padded positions (must be representable in ``dtype``).
    side: where the padding goes, ``"post"`` (after) or ``"pre"`` (before).
    max_len: T; default the longest t_i. Longer sequences are truncated to T.
    truncate: which end of a too-long sequence is cut: ``"post"`` keeps the first T
        steps, ``"pre"`` drops the beginning and keeps the last T steps.
    dtype: dtype of X; default the common dtype of the non-empty sequences (integer
        ids stay integer, float32 stays float32). Only same-kind casts are allowed
        (float input cannot be padded into an integer array).
    returns X: (B, T) or (B, T, c), and mask: (B, T) bool, True at the
        min(t_i, T) real positions of row i.
    """
    if isinstance(seqs, (np.ndarray, str, bytes)) or not isinstance(seqs, Sequence):
        raise TypeError(
            "seqs must be a list of arrays of shape (t_i,) or (t_i, c) "
            f"(wrap a single sequence as [X]); got {type(seqs).__name__}"
        )
    if len(seqs) == 0:
        raise ValueError("seqs must be a non-empty list of sequences; got an empty list")
    check_choice(side, "side", _SIDES)
    check_choice(truncate, "truncate", _SIDES)

    arrays = [_as_sequence(s, i) for i, s in enumerate(seqs)]
    ndim, feature_shape = arrays[0].ndim, arrays[0].shape[1:]
    for i, a in enumerate(arrays):
        if a.ndim != ndim:
            raise ValueError(
                f"seqs must all have the same ndim; seqs[0] has shape {arrays[0].shape} "
                f"but seqs[{i}] has shape {a.shape}"
            )
        if a.shape[1:] != feature_shape:
            raise ValueError(
                f"seqs must all have the same number of channels c; seqs[0] has c = {feature_shape[0]} "
                f"but seqs[{i}] has shape {a.shape}"
            )

    out_dtype = _resolve_dtype(arrays, dtype)
    fill = _check_value(value, out_dtype)

    T = max(a.shape[0] for a in arrays) if max_len is None else check_positive_int(max_len, "max_len")
    kept = [a[:T] if truncate == "post" else a[max(a.shape[0] - T, 0):] for a in arrays]
    lengths = np.array([a.shape[0] for a in kept], dtype=np.int64)
    mask = lengths_to_mask(lengths, T if T > 0 else None, side=side)

    X = np.full((len(kept), T) + feature_shape, fill, dtype=out_dtype)
    # Boolean indexing walks rows in order and positions left to right, which is
    # exactly the order of the concatenated sequences, for either side.
    X[mask] = np.concatenate(kept, axis=0)
    return X, mask


def _as_sequence(s: object, i: int) -> np.ndarray:
    name = f"seqs[{i}]"
    try:
        arr = np.asarray(s)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name} must be a numeric array; could not convert {type(s).__name__}: {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array (integer ids or float features); got dtype {arr.dtype}")
    check_ndim(arr, name, (1, 2), "(t,) or (t, c)")
    return arr


def _resolve_dtype(arrays: list[np.ndarray], dtype: DTypeLike | None) -> np.dtype:
    # np.asarray([]) is float64: an empty list must not turn integer ids into floats.
    non_empty = [a for a in arrays if a.shape[0] > 0] or arrays
    common = np.result_type(*non_empty)
    if dtype is None:
        return common
    try:
        target = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a NumPy numeric dtype; got {dtype!r}") from None
    if target.kind not in "biuf":
        raise TypeError(f"dtype must be a real numeric dtype (integer or float); got {target}")
    if not np.can_cast(common, target, casting="same_kind"):
        raise TypeError(f"dtype {target} cannot hold the sequences' values of dtype {common} without losing them")
    return target


def _check_value(value: object, dtype: np.dtype) -> object:
    v = np.asarray(value)
    if v.ndim != 0 or v.dtype.kind not in "biuf":
        raise TypeError(f"value must be a real number (the padding fill); got {value!r}")
    if dtype.kind in "biu":
        info = np.iinfo(dtype) if dtype.kind != "b" else None
        low, high = (0, 1) if info is None else (int(info.min), int(info.max))
        if v.dtype.kind == "f":
            x = float(v)
            ok = np.isfinite(x) and x.is_integer() and low <= int(x) <= high
        else:
            ok = low <= int(v) <= high
        if not ok:
            raise ValueError(
                f"value must be an integer in [{low}, {high}] to pad an array of dtype {dtype}; got {value!r}"
            )
        return int(v) if dtype.kind != "b" else bool(v)
    return v.item()
