"""The shared input checks: what passes, what is converted, what each refusal says."""

import numpy as np
import pytest

from seqconv._validate import (
    as_float_array,
    as_int_array,
    check_choice,
    check_generator,
    check_ndim,
    check_nonnegative_int,
    check_positive_int,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (np.zeros(3, np.float32), np.float32),
        (np.zeros(3, np.float64), np.float64),
        (np.zeros(3, np.float16), np.float32),
        (np.arange(3), np.float64),
        (np.zeros(3, np.uint8), np.float64),
        ([True, False], np.float64),
        ([1, 2, 3], np.float64),
    ],
)
def test_float_dtype_rule(given, expected):
    assert as_float_array(given, "X").dtype == expected


def test_float32_is_not_copied():
    x = np.zeros(4, np.float32)
    assert as_float_array(x, "X") is x


@pytest.mark.parametrize("bad", [np.array(["a", "b"]), np.zeros(2, complex), np.array([object()])])
def test_non_numeric_is_refused_with_the_name(bad):
    with pytest.raises(TypeError, match=r"^X must be a real numeric array.*got dtype"):
        as_float_array(bad, "X")


def test_ragged_list_is_refused():
    with pytest.raises(TypeError, match="seqs must be a numeric array"):
        as_float_array([[1, 2], [3]], "seqs")


def test_int_array():
    assert as_int_array([], "ids").dtype.kind == "i"
    assert as_int_array(np.array([1, 2], np.uint16), "ids").dtype == np.uint16
    with pytest.raises(TypeError, match="ids must be an integer array; got dtype float64"):
        as_int_array([1.5], "ids")


def test_check_ndim_names_layout_and_shape():
    check_ndim(np.zeros((2, 3)), "X", (2, 3), "(n, c) or (B, n, c)")
    with pytest.raises(ValueError, match=r"X must be 2-D or 3-D with shape \(n, c\) or \(B, n, c\); got shape \(5,\)"):
        check_ndim(np.zeros(5), "X", (2, 3), "(n, c) or (B, n, c)")


@pytest.mark.parametrize("good", [1, np.int64(3), 10**6])
def test_positive_int_accepts(good):
    assert check_positive_int(good, "dilation") == int(good)
    assert type(check_positive_int(good, "dilation")) is int


@pytest.mark.parametrize(("bad", "error"), [(0, ValueError), (-2, ValueError), (1.0, TypeError), (True, TypeError), ("2", TypeError)])
def test_positive_int_refuses(bad, error):
    with pytest.raises(error, match="dilation must be an integer >= 1"):
        check_positive_int(bad, "dilation")


def test_nonnegative_int():
    assert check_nonnegative_int(0, "pad") == 0
    with pytest.raises(ValueError, match="pad must be an integer >= 0; got -1"):
        check_nonnegative_int(-1, "pad")


def test_choice():
    assert check_choice("pre", "side", ("pre", "post")) == "pre"
    with pytest.raises(ValueError, match="side must be one of 'pre', 'post'; got 'left'"):
        check_choice("left", "side", ("pre", "post"))


def test_generator():
    rng = np.random.default_rng(0)
    assert check_generator(rng) is rng
    a, b = check_generator(5).normal(size=3), np.random.default_rng(5).normal(size=3)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator"):
        check_generator(np.random.RandomState(0))
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator"):
        check_generator(None)
