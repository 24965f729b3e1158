"""Padding and masks: pad_batch against a plain loop, lengths_to_mask by hand, every refusal."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqconv.padding import lengths_to_mask, mask_to_lengths, pad_batch


def reference_pad(seqs, value, side, max_len, truncate, dtype):
    """Plain-loop padding, position by position (Keras pad_sequences semantics)."""
    T = max(len(s) for s in seqs) if max_len is None else max_len
    feature_shape = np.asarray(seqs[0]).shape[1:]
    X = np.empty((len(seqs), T) + feature_shape, dtype=dtype)
    mask = np.zeros((len(seqs), T), dtype=bool)
    for i, s in enumerate(seqs):
        s = list(s)
        if len(s) > T:
            s = s[:T] if truncate == "post" else s[len(s) - T :]
        start = 0 if side == "post" else T - len(s)
        for t in range(T):
            if start <= t < start + len(s):
                X[i, t] = s[t - start]
                mask[i, t] = True
            else:
                X[i, t] = value
    return X, mask


# --- lengths_to_mask / mask_to_lengths --------------------------------------------------


def test_lengths_to_mask_post_by_hand():
    expected = np.array(
        [
            [0, 0, 0, 0],
            [1, 1, 0, 0],
            [1, 1, 1, 1],
            [1, 0, 0, 0],
        ],
        dtype=bool,
    )
    got = lengths_to_mask([0, 2, 4, 1])
    assert got.dtype == bool
    np.testing.assert_array_equal(got, expected)


def test_lengths_to_mask_pre_with_max_len_by_hand():
    expected = np.array(
        [
            [0, 0, 0, 0, 0],
            [0, 0, 0, 1, 1],
            [0, 1, 1, 1, 1],
        ],
        dtype=bool,
    )
    np.testing.assert_array_equal(lengths_to_mask(np.array([0, 2, 4]), 5, side="pre"), expected)


def test_lengths_to_mask_empty_and_zero_lengths():
    assert lengths_to_mask(np.array([], dtype=int)).shape == (0, 0)
    assert lengths_to_mask([0, 0]).shape == (2, 0)
    assert lengths_to_mask([0, 0], 3).tolist() == [[False] * 3] * 2


def test_mask_to_lengths_inverts_lengths_to_mask():
    lengths = np.array([3, 0, 5, 1])
    for side in ("post", "pre"):
        np.testing.assert_array_equal(mask_to_lengths(lengths_to_mask(lengths, 6, side=side)), lengths)
    np.testing.assert_array_equal(mask_to_lengths(np.array([[1, 1, 0], [0, 0, 0]], np.int32)), [2, 0])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"lengths": [1.5, 2]}, TypeError, "lengths must be an integer array"),
        ({"lengths": [[1, 2]]}, ValueError, r"lengths must be 1-D with shape \(B,\); got shape \(1, 2\)"),
        ({"lengths": [2, -1]}, ValueError, "lengths must be >= 0; got -1 at index 1"),
        ({"lengths": [2, 5], "max_len": 3}, ValueError, "lengths must be <= max_len = 3; got length 5 at index 1"),
        ({"lengths": [2], "max_len": 0}, ValueError, "max_len must be an integer >= 1; got 0"),
        ({"lengths": [2], "max_len": 2.0}, TypeError, "max_len must be an integer"),
        ({"lengths": [2], "side": "left"}, ValueError, "side must be one of 'post', 'pre'; got 'left'"),
    ],
)
def test_lengths_to_mask_refusals(kwargs, error, message):
    with pytest.raises(error, match=message):
        lengths_to_mask(**kwargs)


@pytest.mark.parametrize(
    ("mask", "error", "message"),
    [
        (np.ones(3, bool), ValueError, r"mask must be 2-D with shape \(B, T\)"),
        (np.ones((2, 2)), TypeError, "mask must be a boolean array"),
        (np.array([[0, 2]]), ValueError, "mask must hold only 0/1"),
    ],
)
def test_mask_to_lengths_refusals(mask, error, message):
    with pytest.raises(error, match=message):
        mask_to_lengths(mask)


# --- pad_batch by hand ------------------------------------------------------------------


def test_pad_batch_ids_post_by_hand():
    X, mask = pad_batch([np.array([5, 6, 7]), np.array([8]), np.array([], dtype=int)])
    np.testing.assert_array_equal(X, [[5, 6, 7], [8, 0, 0], [0, 0, 0]])
    np.testing.assert_array_equal(mask, [[1, 1, 1], [1, 0, 0], [0, 0, 0]])
    assert X.dtype == np.int64 and mask.dtype == bool


def test_pad_batch_pre_truncate_pre_by_hand():
    # Keras: truncating="pre" drops the beginning, padding="pre" pads in front.
    X, mask = pad_batch([[1, 2, 3, 4, 5], [6, 7]], side="pre", max_len=3, truncate="pre", value=-1)
    np.testing.assert_array_equal(X, [[3, 4, 5], [-1, 6, 7]])
    np.testing.assert_array_equal(mask, [[1, 1, 1], [0, 1, 1]])


def test_pad_batch_features_keep_channels_and_dtype():
    a = np.arange(6, dtype=np.float32).reshape(3, 2)
    b = np.arange(2, dtype=np.float32).reshape(1, 2) + 100
    X, mask = pad_batch([a, b], value=np.nan)
    assert X.shape == (2, 3, 2) and X.dtype == np.float32
    np.testing.assert_array_equal(X[0], a)
    np.testing.assert_array_equal(X[1, 0], b[0])
    assert np.isnan(X[1, 1:]).all()
    np.testing.assert_array_equal(mask, [[1, 1, 1], [1, 0, 0]])


def test_empty_python_list_does_not_turn_ids_into_floats():
    X, _ = pad_batch([[1, 2], []])
    assert X.dtype.kind == "i"


def test_all_empty_sequences_give_zero_width():
    X, mask = pad_batch([np.zeros((0, 3)), np.zeros((0, 3))])
    assert X.shape == (2, 0, 3) and mask.shape == (2, 0)


def test_explicit_dtype_same_kind_cast():
    X, _ = pad_batch([np.array([1, 2], np.int64)], dtype=np.int32)
    assert X.dtype == np.int32
    X, _ = pad_batch([np.array([1, 2], np.int64)], dtype=np.float32)
    assert X.dtype == np.float32


# --- pad_batch against the loop reference (hypothesis) ----------------------------------


@settings(max_examples=150)
@given(
    lengths=st.lists(st.integers(0, 7), min_size=1, max_size=5),
    channels=st.sampled_from([None, 1, 2, 3]),
    side=st.sampled_from(["post", "pre"]),
    truncate=st.sampled_from(["post", "pre"]),
    max_len_kind=st.sampled_from(["none", "smaller", "larger"]),
    dtype=st.sampled_from([np.int64, np.int32, np.float32, np.float64]),
    value=st.integers(-3, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_pad_batch_matches_loop_reference(lengths, channels, side, truncate, max_len_kind, dtype, value, seed):
    rng = np.random.default_rng(seed)
    shape_of = (lambda t: (t,)) if channels is None else (lambda t: (t, channels))
    seqs = [(rng.integers(-50, 50, size=shape_of(t))).astype(dtype) for t in lengths]
    longest = max(lengths)
    max_len = {"none": None, "smaller": max(1, longest - 2), "larger": longest + 3}[max_len_kind]

    X, mask = pad_batch(seqs, value=value, side=side, max_len=max_len, truncate=truncate)
    X_ref, mask_ref = reference_pad(seqs, value, side, max_len, truncate, dtype)

    assert X.dtype == np.dtype(dtype), f"dtype {dtype} not kept: got {X.dtype}"
    assert X.shape == X_ref.shape, f"expected shape {X_ref.shape}, got {X.shape}"
    np.testing.assert_array_equal(mask, mask_ref)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(mask_to_lengths(mask), np.minimum(lengths, X.shape[1]))
    assert (X[~mask] == value).all()


# --- pad_batch refusals -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("seqs", "kwargs", "error", "message"),
    [
        ([], {}, ValueError, "seqs must be a non-empty list"),
        (np.zeros((3, 2)), {}, TypeError, r"seqs must be a list of arrays.*wrap a single sequence as \[X\]"),
        ("abc", {}, TypeError, "seqs must be a list of arrays"),
        ([np.zeros(3), np.zeros((3, 1))], {}, ValueError, r"same ndim.*seqs\[1\] has shape \(3, 1\)"),
        ([np.zeros((3, 2)), np.zeros((2, 2)), np.zeros((3, 4))], {}, ValueError, r"channels c.*seqs\[2\] has shape \(3, 4\)"),
        ([np.zeros((2, 2, 2))], {}, ValueError, r"seqs\[0\] must be 1-D or 2-D with shape \(t,\) or \(t, c\)"),
        ([np.array(5)], {}, ValueError, r"seqs\[0\] must be 1-D or 2-D"),
        ([[1, 2], ["a", "b"]], {}, TypeError, r"seqs\[1\] must be a real numeric array.*got dtype <U1"),
        ([np.zeros(2, complex)], {}, TypeError, r"seqs\[0\] must be a real numeric array"),
        ([[[1, 2], [3]]], {}, TypeError, r"seqs\[0\] must be a numeric array; could not convert"),
        ([[1, 2]], {"max_len": 0}, ValueError, "max_len must be an integer >= 1; got 0"),
        ([[1, 2]], {"max_len": -1}, ValueError, "max_len must be an integer >= 1"),
        ([[1, 2]], {"max_len": 2.5}, TypeError, "max_len must be an integer"),
        ([[1, 2]], {"side": "right"}, ValueError, "side must be one of 'post', 'pre'; got 'right'"),
        ([[1, 2]], {"truncate": "left"}, ValueError, "truncate must be one of 'post', 'pre'; got 'left'"),
        ([[1, 2]], {"value": 0.5}, ValueError, r"value must be an integer in \[.*dtype int64; got 0.5"),
        ([[1, 2]], {"value": np.nan}, ValueError, "value must be an integer"),
        ([np.array([1, 2], np.int8)], {"value": 300}, ValueError, r"value must be an integer in \[-128, 127\]"),
        ([[1, 2]], {"value": "x"}, TypeError, "value must be a real number"),
        ([[1.5, 2.0]], {"dtype": np.int64}, TypeError, "dtype int64 cannot hold the sequences' values of dtype float64"),
        ([[1, 2]], {"dtype": str}, TypeError, "dtype must be a real numeric dtype"),
        ([[1, 2]], {"dtype": "nonsense"}, TypeError, "dtype must be a NumPy numeric dtype"),
    ],
)
def test_pad_batch_refusals(seqs, kwargs, error, message):
    with pytest.raises(error, match=message):
        pad_batch(seqs, **kwargs)
