"""1-D convolution of sequences: valid, causal, "same", dilated and strided, vectorized.

Conventions (the lecture's): a sequence is time-major ``X: (n, c_in)``, a batch is
``X: (B, n, c_in)``; a kernel is ``K: (s, c_in, c_out)``; the bias is ``b: (c_out,)``.
Convolution means cross-correlation (the kernel is not flipped), as in PyTorch::

    H[i, o] = b[o] + sum_{j < s} sum_{c < c_in} Xpad[i * stride + j * dilation, c] * K[j, c, o]

where ``Xpad`` is ``X`` with ``left`` zeros before and ``right`` zeros after it, and
the output length is (the formula of ``torch.nn.Conv1d``)::

    n_out = floor((n + left + right - dilation * (s - 1) - 1) / stride) + 1

How it is computed (vectorized: Python loops run over kernel taps and sequences of a
batch, never over time steps):

- One matrix product per kernel tap: tap ``j`` multiplies the rows
  ``X[i * stride + j * dilation - left]`` by ``K[j]`` and adds them into ``H``. With
  enough channels the sum happens inside BLAS (``gemm`` with ``beta = 1``), so it makes
  no temporary arrays.
- Long sequences: one product per (sequence, tap), written straight into ``H``. The zero
  padding is never materialised: each tap only touches the output rows whose input row
  lies inside ``X``.
- Batches of short sequences: the padded sequences are laid end to end and each tap is
  one product for the whole batch (the few rows straddling two sequences are discarded).
- One-channel signals (``c_in = c_out = 1``, audio) with stride 1 and a kernel of 5 taps
  or more: the signal is cut into rows of 16 samples and multiplied by 16 x 16 blocks of
  a band matrix built from the kernel, a couple of products instead of ``s`` passes.

The products run on BLAS's threads (2 on a 2-core machine). When several processes share
the cores (parallel grading, say), set ``OPENBLAS_NUM_THREADS=1`` in each: oversubscribed
BLAS threads wait on one another and a convolution can become tens of times slower.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Literal

import numpy as np
from scipy.linalg import blas as _blas

from seqconv._validate import (
    as_float_array,
    check_choice,
    check_ndim,
    check_nonnegative_int,
    check_positive_int,
)

__all__ = [
    "Padding",
    "conv1d",
    "conv1d_valid",
    "conv1d_causal",
    "conv1d_dilated_causal",
    "conv1d_output_length",
    "resolve_padding",
    "receptive_field",
]

Padding = Literal["valid", "causal", "same"] | int | tuple[int, int]
PADDING_MODES = ("valid", "causal", "same")

# Batches whose output is shorter than this are laid end to end (one product per tap
# for the whole batch); longer sequences get one product per tap and sequence.
_FLAT_MAX_LEN = 1024
# One-channel signals with stride 1 are cut into rows of this many samples (banded products).
_BAND = 16


def resolve_padding(padding: Padding, kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """Zeros added ``(left, right)`` of the sequence for a padding mode.

    padding: ``"valid"`` -> (0, 0); ``"causal"`` -> ((s-1)*dilation, 0), so output i sees
        inputs <= i only; ``"same"`` -> total (s-1)*dilation split in half, the extra zero
        of an odd total on the right (as PyTorch's ``padding="same"``); an int ``p`` -> (p, p);
        a pair ``(left, right)`` as given.
    kernel_size: s >= 1; dilation: >= 1.
    """
    s = check_positive_int(kernel_size, "kernel_size")
    d = check_positive_int(dilation, "dilation")
    total = (s - 1) * d
    if isinstance(padding, str):
        mode = check_choice(padding, "padding", PADDING_MODES)
        if mode == "valid":
            return (0, 0)
        if mode == "causal":
            return (total, 0)
        return (total // 2, total - total // 2)
    if isinstance(padding, numbers.Integral) and not isinstance(padding, (bool, np.bool_)):
        p = check_nonnegative_int(padding, "padding")
        return (p, p)
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(
                f"padding as a sequence must be a (left, right) pair; got {len(padding)} entries: {padding!r}"
            )
        return (check_nonnegative_int(padding[0], "padding[0] (left)"),
                check_nonnegative_int(padding[1], "padding[1] (right)"))
    raise TypeError(
        f"padding must be 'valid', 'causal', 'same', an int >= 0 or a (left, right) pair of ints; "
        f"got {type(padding).__name__} {padding!r}"
    )


def _output_length(n: int, s: int, left: int, right: int, dilation: int, stride: int) -> int:
    """n_out of the formula above; raises if the dilated kernel does not fit the padded input."""
    span = (s - 1) * dilation + 1
    padded = n + left + right
    if span > padded:
        raise ValueError(
            f"the kernel span (s - 1) * dilation + 1 = ({s} - 1) * {dilation} + 1 = {span} is longer than "
            f"the padded input n + left + right = {n} + {left} + {right} = {padded}; "
            "use a shorter kernel, a smaller dilation or more padding"
        )
    return (padded - span) // stride + 1


def conv1d_output_length(
    n: int, kernel_size: int, *, padding: Padding = "valid", dilation: int = 1, stride: int = 1
) -> int:
    """Output length of :func:`conv1d` on a length-``n`` input.

    Returns n_out = floor((n + left + right - dilation*(kernel_size - 1) - 1) / stride) + 1
    with (left, right) = resolve_padding(padding, kernel_size, dilation). Raises ValueError
    if the kernel's span dilation*(kernel_size - 1) + 1 is longer than n + left + right.
    """
    n = check_positive_int(n, "n")
    s = check_positive_int(kernel_size, "kernel_size")
    d = check_positive_int(dilation, "dilation")
    st = check_positive_int(stride, "stride")
    left, right = resolve_padding(padding, s, d)
    return _output_length(n, s, left, right, d, st)


def conv1d(
    X: np.ndarray,
    K: np.ndarray,
    b: np.ndarray | None = None,
    *,
    padding: Padding = "valid",
    dilation: int = 1,
    stride: int = 1,
) -> np.ndarray:
    """1-D convolution (cross-correlation) of a sequence or a batch with a kernel bank.

    X: (n, c_in) sequence or (B, n, c_in) batch.
    K: (s, c_in, c_out) kernel; K[j] maps the input at offset j * dilation to the outputs.
    b: (c_out,) bias or None.
    padding: "valid" | "causal" | "same" | int p | (left, right); see :func:`resolve_padding`.
    dilation, stride: integers >= 1.
    Returns H: (n_out, c_out), or (B, n_out, c_out) for a batch, with
    n_out = floor((n + left + right - dilation*(s - 1) - 1) / stride) + 1 (n_out = n for
    "causal" and "same" with stride 1; output i of "causal" depends on X[:i+1] only).
    Equal to ``torch.nn.functional.conv1d`` on the transposed layouts.
    dtype: float32 inputs give float32; integers are computed in float64; a float32/float64
    mix (bias included) gives float64.
    """
    X = as_float_array(X, "X")
    check_ndim(X, "X", (2, 3), "(n, c_in) or (B, n, c_in)")
    K = as_float_array(K, "K")
    check_ndim(K, "K", 3, "(s, c_in, c_out)")
    if 0 in K.shape:
        raise ValueError(
            f"K must have s >= 1, c_in >= 1 and c_out >= 1 in its shape (s, c_in, c_out); got shape {K.shape}"
        )
    if X.ndim == 3 and X.shape[0] == 0:
        raise ValueError(f"X must hold at least one sequence; got an empty batch, shape {X.shape} (B = 0)")
    if X.shape[-2] == 0:
        raise ValueError(f"X must have at least one time step; got shape {X.shape} (n = 0)")
    s, c_in, c_out = K.shape
    if X.shape[-1] != c_in:
        raise ValueError(
            f"K's c_in must equal X's channel count: K has shape (s, c_in, c_out) = {K.shape}, "
            f"X has shape {X.shape} with c_in = {X.shape[-1]}"
        )
    d = check_positive_int(dilation, "dilation")
    st = check_positive_int(stride, "stride")
    left, right = resolve_padding(padding, s, d)
    n = X.shape[-2]
    n_out = _output_length(n, s, left, right, d, st)
    dtypes = [X.dtype, K.dtype]
    if b is not None:
        b = as_float_array(b, "b")
        if b.shape != (c_out,):
            raise ValueError(f"b must have shape (c_out,) = ({c_out},); got shape {b.shape}")
        dtypes.append(b.dtype)
    dtype = np.result_type(*dtypes)

    single = X.ndim == 2
    X3 = np.ascontiguousarray(X.astype(dtype, copy=False))
    if single:
        X3 = X3[None]
    K = np.ascontiguousarray(K.astype(dtype, copy=False))
    bias = None if b is None else b.astype(dtype, copy=False)
    B = X3.shape[0]

    if c_in == 1 and c_out == 1 and st == 1 and s >= 5 and 2 * _band_blocks(s, d) <= s:
        H = _conv_one_channel_banded(X3, K, bias, left, right, d, n_out)
    elif B > 1 and n_out < _FLAT_MAX_LEN:
        H = _conv_end_to_end(X3, K, bias, left, right, d, st, n_out)
    else:
        H = _conv_per_sequence(X3, K, bias, left, d, st, n_out)
    return H[0] if single else H


def _tap_plan(n: int, n_out: int, s: int, left: int, dilation: int, stride: int) -> list[tuple[int, int, int, int]]:
    """For each tap j: the output rows [i_lo, i_hi) whose input row p = i*stride + j*dilation - left
    lies inside [0, n), and p at i_lo. Taps that cover every output row come first."""
    plan = []
    for j in range(s):
        offset = j * dilation - left
        i_lo = max(0, -(offset // stride))  # ceil(-offset / stride)
        i_hi = min(n_out, (n - 1 - offset) // stride + 1)
        if i_hi > i_lo:
            plan.append((j, i_lo, i_hi, i_lo * stride + offset))
    plan.sort(key=lambda tap: (tap[1], -tap[2]))
    return plan


def _accumulate(out: np.ndarray, Xs: np.ndarray, Kj: np.ndarray, first: bool) -> None:
    """out <- Xs @ Kj if first, else out += Xs @ Kj, in place.

    out: (L, c_out) C-contiguous; Xs: (L, c_in) rows (a view); Kj: (c_in, c_out) C-contiguous.
    """
    c_in, c_out = Kj.shape
    if c_out >= 16 or (c_in >= 8 and c_out >= 8):
        # BLAS adds the product into out itself (gemm with beta = 1): no temporary, no extra pass.
        # BLAS is column-major, so compute out.T = Kj.T @ Xs.T: every transpose is Fortran-ordered
        # and nothing is copied (a strided Xs, stride > 1, is gathered once by the wrapper).
        gemm = _blas.sgemm if out.dtype == np.float32 else _blas.dgemm
        out_t = out.T
        result = gemm(1.0, Kj.T, Xs.T, beta=0.0 if first else 1.0, c=out_t, overwrite_c=True)
        if not np.shares_memory(result, out_t):  # the wrapper had to copy: write the result back
            out_t[...] = result
        return
    # Few channels: BLAS's accumulating gemm is slow on such thin products (measured), and
    # numpy's matmul is slow when c_in = 1, where the product is an outer product.
    prod = Xs * Kj[0] if c_in == 1 else Xs @ Kj
    if first:
        out[...] = prod
    else:
        out += prod


def _rows(X2: np.ndarray, p_lo: int, count: int, stride: int) -> np.ndarray:
    """The ``count`` rows X2[p_lo], X2[p_lo + stride], ... as a view."""
    return X2[p_lo : p_lo + (count - 1) * stride + 1 : stride]


def _conv_per_sequence(X3, K, bias, left, dilation, stride, n_out):
    """One product per (sequence, tap) straight into the output; no padded copy of X."""
    B, n, _ = X3.shape
    H = np.empty((B, n_out, K.shape[2]), dtype=X3.dtype)
    plan = _tap_plan(n, n_out, K.shape[0], left, dilation, stride)
    full_first = bias is None and bool(plan) and plan[0][1:3] == (0, n_out)
    if bias is not None:
        H[...] = bias
    elif not full_first:
        H[...] = 0
    for seq in range(B):
        for t, (j, i_lo, i_hi, p_lo) in enumerate(plan):
            Xs = _rows(X3[seq], p_lo, i_hi - i_lo, stride)
            _accumulate(H[seq, i_lo:i_hi], Xs, K[j], t == 0 and full_first)
    return H


def _conv_end_to_end(X3, K, bias, left, right, dilation, stride, n_out):
    """The padded sequences laid end to end as one long one: one product per tap for the batch.

    Each sequence occupies G*stride rows (padded, rounded up to a multiple of the stride), so
    output i of sequence b is row b*G + i of the long output; its rows i >= n_out are discarded.
    """
    B, n, c = X3.shape
    s, _, c_out = K.shape
    G = -(-(n + left + right) // stride)
    if left == 0 and G * stride == n:
        Xp = X3
    else:
        Xp = np.zeros((B, G * stride, c), dtype=X3.dtype)
        Xp[:, left : left + n] = X3
    Xf = Xp.reshape(B * G * stride, c)
    rows = (B * G * stride - 1 - (s - 1) * dilation) // stride + 1
    acc = np.empty((B * G, c_out), dtype=X3.dtype)
    for j in range(s):
        _accumulate(acc[:rows], _rows(Xf, j * dilation, rows, stride), K[j], j == 0)
    H = acc.reshape(B, G, c_out)[:, :n_out]
    H = H if n_out == G else np.ascontiguousarray(H)
    if bias is not None:
        H += bias
    return H


def _band_blocks(s: int, dilation: int) -> int:
    """How many rows of _BAND samples one output row of the banded product reads."""
    return (_BAND - 1 + (s - 1) * dilation) // _BAND + 1


def _conv_one_channel_banded(X3, K, bias, left, right, dilation, n_out):
    """c_in = c_out = 1, stride 1, as a few small matrix products with band matrices.

    The padded signal is cut into rows of T = _BAND samples; output row m (outputs mT..mT+T-1)
    is sum_q rows[m + q] @ M[q] with the (T, T) blocks of the band matrix
    M[v, u] = k[j] where v - u = j * dilation. Q = _band_blocks(s, dilation) products replace
    s passes over the signal. Sequences of a batch are laid end to end, each in G*T samples.
    """
    T = _BAND
    B, n, _ = X3.shape
    s = K.shape[0]
    Q = _band_blocks(s, dilation)
    G = -(-(n + left + right) // T)
    rows = B * G
    xflat = np.zeros((rows + Q - 1) * T, dtype=X3.dtype)
    xflat[: rows * T].reshape(B, G * T)[:, left : left + n] = X3[:, :, 0]
    xrows = xflat.reshape(rows + Q - 1, T)
    band = np.zeros((Q * T, T), dtype=X3.dtype)
    u = np.arange(T)
    band[u[None, :] + dilation * np.arange(s)[:, None], u[None, :]] = K[:, 0, :]
    band = band.reshape(Q, T, T)
    acc = np.empty((rows, T), dtype=X3.dtype)
    for q in range(Q):
        _accumulate(acc, xrows[q : q + rows], band[q], q == 0)
    H = acc.reshape(B, G * T)[:, :n_out]
    if B > 1 and n_out != G * T:
        H = np.ascontiguousarray(H)
    if bias is not None:
        H += bias[0]
    return H[:, :, None]


def conv1d_valid(X: np.ndarray, K: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """The lecture's valid convolution. X: (n, c) or (B, n, c); K: (s, c, c_out).

    Returns (n - s + 1, c_out) (or with a leading B): H[i] = sum_j X[i + j] @ K[j] (+ b).
    """
    return conv1d(X, K, b, padding="valid")


def conv1d_causal(X: np.ndarray, K: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """The lecture's causal convolution: left-pad s - 1 zeros, then a valid convolution.

    X: (n, c) or (B, n, c); K: (s, c, c_out). Returns (n, c_out) aligned with X's positions:
    H[i] = sum_j X[i - (s - 1) + j] @ K[j] (zeros before the start) depends on X[:i+1] only.
    """
    return conv1d(X, K, b, padding="causal")


def conv1d_dilated_causal(
    X: np.ndarray, K: np.ndarray, dilation: int = 1, b: np.ndarray | None = None
) -> np.ndarray:
    """The lecture's dilated causal convolution: left-pad (s - 1)*dilation zeros, then dilate.

    X: (n, c) or (B, n, c); K: (s, c, c_out). Returns (n, c_out) aligned with X's positions:
    H[i] = sum_j X[i - (s - 1 - j)*dilation] @ K[j]; receptive field (s - 1)*dilation + 1.
    """
    return conv1d(X, K, b, padding="causal", dilation=dilation)


def receptive_field(
    kernel_sizes: Sequence[int],
    dilations: Sequence[int] | None = None,
    strides: Sequence[int] | None = None,
) -> int:
    """Receptive field (in input samples) of one output of a stack of conv layers.

    kernel_sizes, dilations, strides: one entry per layer, first layer first (dilations and
    strides default to 1). Returns 1 + sum_l (k_l - 1) * d_l * prod_{m < l} stride_m;
    an empty stack has receptive field 1.
    """
    ks = _int_list(kernel_sizes, "kernel_sizes")
    layers = len(ks)
    ds = [1] * layers if dilations is None else _int_list(dilations, "dilations", layers)
    ss = [1] * layers if strides is None else _int_list(strides, "strides", layers)
    field, jump = 1, 1
    for k, d, st in zip(ks, ds, ss, strict=True):
        field += (k - 1) * d * jump
        jump *= st
    return field


def _int_list(values: object, name: str, length: int | None = None) -> list[int]:
    """``values`` as a list of integers >= 1 (one per layer), of ``length`` entries if given."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise TypeError(
            f"{name} must be a sequence of integers >= 1, one per layer; got {type(values).__name__} {values!r}"
        )
    items = list(np.asarray(values).ravel()) if isinstance(values, np.ndarray) else list(values)
    if length is not None and len(items) != length:
        raise ValueError(
            f"{name} must have one entry per layer ({length} layers, from kernel_sizes); got {len(items)}: {values!r}"
        )
    return [check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(items)]
