"""Plain-loop reference implementations, written independently of :mod:`seqconv`.

They are slow on purpose (a Python loop over output positions, as in the seed lecture)
and obviously correct: tests compare the vectorized library against them, and the
benchmarks time the seed's loops as the baseline.

- :func:`conv1d_loop`: general 1-D convolution (batch, explicit zero padding, dilation,
  stride), computed in float64 for accuracy.
- :func:`pads_for`: the (left, right) zeros of each padding mode, as PyTorch defines them.
- ``seed_conv1d_valid``, ``seed_conv1d_causal``, ``seed_conv1d_dilated_causal``: the
  lecture's three loops, one (n, c) sequence at a time, in the input's dtype.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "conv1d_loop",
    "pads_for",
    "seed_conv1d_causal",
    "seed_conv1d_dilated_causal",
    "seed_conv1d_valid",
]


def pads_for(padding, kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """(left, right) zeros for "valid", "causal", "same" (odd extra zero on the right), p or (l, r)."""
    total = (kernel_size - 1) * dilation
    if padding == "valid":
        return (0, 0)
    if padding == "causal":
        return (total, 0)
    if padding == "same":
        left = total // 2
        return (left, total - left)
    if isinstance(padding, int):
        return (padding, padding)
    left, right = padding
    return (left, right)


def conv1d_loop(X, K, b=None, *, pad: tuple[int, int] = (0, 0), dilation: int = 1, stride: int = 1) -> np.ndarray:
    """Cross-correlation by a loop over output positions, in float64.

    X: (n, c_in) or (B, n, c_in); K: (s, c_in, c_out); b: (c_out,) or None.
    Zero-pads pad = (left, right) explicitly, then for each output position i gathers the
    dilated patch Xpad[i*stride + j*dilation], j < s, and contracts it with K.
    Returns (n_out, c_out) or (B, n_out, c_out) in float64,
    n_out = (n + left + right - dilation*(s-1) - 1) // stride + 1.
    """
    X = np.asarray(X, dtype=np.float64)
    K = np.asarray(K, dtype=np.float64)
    single = X.ndim == 2
    if single:
        X = X[None]
    B, n, c = X.shape
    s, c_in, c_out = K.shape
    assert c == c_in, (X.shape, K.shape)
    left, right = pad
    Xpad = np.concatenate([np.zeros((B, left, c)), X, np.zeros((B, right, c))], axis=1)
    n_out = (n + left + right - dilation * (s - 1) - 1) // stride + 1
    assert n_out >= 1, "kernel longer than the padded input"
    H = np.zeros((B, n_out, c_out))
    for i in range(n_out):
        idx = [i * stride + j * dilation for j in range(s)]
        patch = Xpad[:, idx, :]  # (B, s, c)
        H[:, i] = np.tensordot(patch, K, axes=([1, 2], [0, 1]))
    if b is not None:
        H += np.asarray(b, dtype=np.float64)
    return H[0] if single else H


# The seed lecture's three functions, unchanged in algorithm (one sequence, one output
# position per Python iteration, result in X's dtype). Used as the benchmark baseline.

def seed_conv1d_valid(X, K):
    """X: (n, c), K: (s, c, c_out) -> (n - s + 1, c_out)."""
    n, c = X.shape
    s, c_in, c_out = K.shape
    assert c_in == c
    H = np.zeros((n - s + 1, c_out), dtype=X.dtype)
    for i in range(n - s + 1):
        patch = X[i : i + s, :]
        H[i] = np.tensordot(patch, K, axes=([0, 1], [0, 1]))
    return H


def seed_conv1d_causal(X, K):
    """Left-pad s - 1 zeros, then valid: (n, c) -> (n, c_out)."""
    s = K.shape[0]
    pad = np.zeros((s - 1, X.shape[1]), dtype=X.dtype)
    return seed_conv1d_valid(np.concatenate([pad, X], axis=0), K)


def seed_conv1d_dilated_causal(X, K, dilation=1):
    """Left-pad (s - 1)*dilation zeros, gather the dilated patch ending at i: (n, c) -> (n, c_out)."""
    s = K.shape[0]
    width = (s - 1) * dilation + 1
    pad = np.zeros((width - 1, X.shape[1]), dtype=X.dtype)
    X_pad = np.concatenate([pad, X], axis=0)
    n = X.shape[0]
    H = np.zeros((n, K.shape[2]), dtype=X.dtype)
    for i in range(n):
        idxs = [i + width - 1 - j * dilation for j in range(s)][::-1]
        H[i] = np.tensordot(X_pad[idxs, :], K, axes=([0, 1], [0, 1]))
    return H
