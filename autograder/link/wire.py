"""Plain data between the student's kernel and the trusted checks: encode there, decode here.

What a student's function returns reaches the checks only through this format: JSON
with NumPy arrays as (dtype, shape, base64 bytes). ``decode`` rebuilds plain Python and
NumPy values and nothing else (no pickle, no object arrays, no classes), so a returned
object cannot carry behaviour (an ``__eq__`` that is always true, a lying ``__array__``)
into the process that decides the score.

This file is also loaded inside the student's kernel, as the module ``_grader_wire`` that
student_side.py imports, so it uses nothing but the standard library and NumPy (and no other
module of the autograder package, which is not importable there).
"""

from __future__ import annotations

import base64
import json
import math

import numpy as np

MAX_DEPTH = 32
MAX_NODES = 1_000_000
# Array dtypes that are data: bool, integers, floats, complex, unicode strings.
ARRAY_KINDS = "biufcU"


class WireError(ValueError):
    """The bytes are not plain data in this format."""


class Unencodable(TypeError):
    """A value (a returned object) that is not plain data."""


def _encode(value, depth: int):
    if depth > MAX_DEPTH:
        raise Unencodable("nested more than 32 levels deep")
    # exact types only: a subclass of int or ndarray can override its comparisons
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return {"int": str(value)}
    if kind is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if kind is complex:
        return {"complex": [repr(value.real), repr(value.imag)]}
    if kind in (list, tuple):
        return {kind.__name__: [_encode(v, depth + 1) for v in value]}
    if kind is dict:
        if any(type(k) is not str for k in value):
            raise Unencodable("a dict whose keys are not all strings")
        return {"dict": [[k, _encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        value = np.asarray(value)
        return {"scalar": _array(value)}
    if kind is np.ndarray:
        return {"ndarray": _array(value)}
    raise Unencodable(f"a {kind.__module__}.{kind.__qualname__}")


def _array(a) -> dict:
    if a.dtype.kind not in ARRAY_KINDS or a.dtype.fields is not None:
        raise Unencodable(f"an array of dtype {a.dtype}")
    return {"dtype": a.dtype.str, "shape": list(a.shape), "data": base64.b64encode(a.tobytes(order="C")).decode("ascii")}


def encode(value) -> bytes:
    """``value`` (plain data, possibly nested) as bytes; Unencodable for anything else."""
    return json.dumps(_encode(value, 0)).encode()


class _Decoder:
    """Rebuilds plain data from a parsed JSON tree, counting nodes (a bound on the work)."""

    def __init__(self):
        self.nodes = 0

    def __call__(self, node, depth: int = 0):
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise WireError("nested too deep or too many values")
        if node is None or type(node) in (bool, float):
            return node
        if type(node) is str:
            return _text(node)
        if type(node) is not dict or len(node) != 1:
            raise WireError(f"unexpected {type(node).__name__}")
        (tag, body), = node.items()
        if tag == "int" and type(body) is str:
            if len(body) > 4300:
                raise WireError("integer too long")
            return int(body)
        if tag == "float" and body in ("nan", "inf", "-inf"):
            return float(body)
        if tag == "complex" and type(body) is list and len(body) == 2:
            return complex(float(body[0]), float(body[1]))
        if tag in ("list", "tuple") and type(body) is list:
            items = [self(v, depth + 1) for v in body]
            return items if tag == "list" else tuple(items)
        if tag == "dict" and type(body) is list:
            out = {}
            for pair in body:
                # string keys only: their hashes are randomized, so no crafted collisions
                if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                    raise WireError("bad dict item")
                out[_text(pair[0])] = self(pair[1], depth + 1)
            return out
        if tag in ("ndarray", "scalar") and type(body) is dict:
            array = _decode_array(body)
            return array[()] if tag == "scalar" else array
        raise WireError(f"unknown tag {tag!r}")


def _text(value: str) -> str:
    """A string that can be written as UTF-8 (a lone surrogate is refused)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise WireError("a string with a lone surrogate") from None
    return value


def _decode_array(body: dict) -> np.ndarray:
    try:
        dtype = np.dtype(str(body["dtype"]))
        shape = tuple(int(n) for n in body["shape"])
        data = base64.b64decode(body["data"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise WireError(f"bad array: {exc}") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None or dtype.hasobject:
        raise WireError(f"array dtype {dtype} is not plain data")
    if any(n < 0 for n in shape) or math.prod(shape) * dtype.itemsize != len(data):
        raise WireError("array shape does not match its data")
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def decode(raw: bytes):
    """Plain data from ``raw`` (bytes written by ``encode``); WireError for anything else."""
    try:
        tree = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not JSON: {exc}") from None
    return _Decoder()(tree)
