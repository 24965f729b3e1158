"""The plain-data format between the student's kernel and the trusted checks (autograder/link/wire.py)."""

from __future__ import annotations

import base64
import json
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.link import wire

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.complex_numbers(allow_nan=False),
    lambda children: st.lists(children, max_size=4) | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(plain)
def test_plain_python_round_trips_with_its_exact_types(value):
    back = wire.decode(wire.encode(value))
    assert back == value and type(back) is type(value)


@given(hnp.arrays(dtype=st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.bool_, np.complex128, np.uint16]),
                  shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)))
def test_arrays_round_trip_with_dtype_and_shape(array):
    back = wire.decode(wire.encode(array))
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_special_floats_and_numpy_scalars():
    back = wire.decode(wire.encode([float("nan"), float("inf"), np.float32(1.5), np.int64(7)]))
    assert np.isnan(back[0]) and back[1] == float("inf")
    assert type(back[2]) is np.float32 and back[2] == 1.5 and type(back[3]) is np.int64


class _Anything:
    def __eq__(self, other):
        return True


class _Yes(np.ndarray):
    pass


class _Int(int):
    pass


@pytest.mark.parametrize("value", [
    _Anything(), np.zeros(3).view(_Yes), _Int(3), np.array([object()]), lambda: 1, {1, 2},
    np.zeros(2, dtype=[("a", "f8")]), [_Anything()], {1: "int key"},
], ids=["object", "ndarray subclass", "int subclass", "object array", "function", "set", "structured", "nested object",
        "int key"])
def test_objects_that_could_carry_behaviour_are_refused(value):
    with pytest.raises(wire.Unencodable):
        wire.encode(value)


def _raw(tree) -> bytes:
    return json.dumps(tree).encode()


@pytest.mark.parametrize("raw", [
    pickle.dumps(np.zeros(3)),                                                     # a pickle
    _raw({"ndarray": {"dtype": "|O", "shape": [1], "data": base64.b64encode(b"\0" * 8).decode()}}),   # object dtype
    _raw({"ndarray": {"dtype": "<f8", "shape": [4], "data": base64.b64encode(b"\0" * 8).decode()}}),  # short data
    _raw({"ndarray": {"dtype": "[('a', '<f8')]", "shape": [1], "data": base64.b64encode(b"\0" * 8).decode()}}),
    _raw({"class": "numpy.ndarray"}),                                              # unknown tag
    _raw({"int": "1" * 5000}),                                                     # absurd integer
    _raw([1, 2]),                                                                  # a bare JSON list
    _raw({"list": [1], "tuple": [2]}),                                             # two tags
    _raw({"dict": [[{"int": "1"}, 2]]}),                                           # a key that is not a string
    b'"\\ud800"',                                                                  # a lone surrogate
    _raw({"list": [None] * 1_000_001}),                                            # too many values
], ids=["pickle", "object dtype", "short data", "structured dtype", "unknown tag", "huge int", "bare list", "two tags",
        "int key", "lone surrogate", "too many values"])
def test_decode_refuses_anything_but_the_format(raw):
    with pytest.raises(wire.WireError):
        wire.decode(raw)


def test_decode_refuses_deep_nesting():
    tree: object = None
    for _ in range(100):
        tree = {"list": [tree]}
    with pytest.raises(wire.WireError):
        wire.decode(_raw(tree))
