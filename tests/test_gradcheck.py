"""The shared comparison helper and the centred-difference gradient check."""

import numpy as np
import pytest

from seqconv.gradcheck import numerical_gradient, rel_error


def test_rel_error_hand_checked():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [3.0]) == pytest.approx(0.5)  # |1-3| / (1+3)
    assert rel_error([0.0], [0.0]) == 0.0
    assert rel_error(np.zeros((0, 3)), np.zeros((0, 3))) == 0.0


def test_rel_error_refuses_shape_mismatch():
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))


def test_numerical_gradient_of_a_quadratic_form():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    before = x.copy()
    grad = numerical_gradient(lambda: float(x @ A @ x), x)
    assert rel_error(grad, (A + A.T) @ before) < 1e-8
    np.testing.assert_array_equal(x, before)  # every perturbed entry restored


def test_numerical_gradient_multi_dimensional():
    W = np.arange(6, dtype=float).reshape(2, 3)
    grad = numerical_gradient(lambda: float(np.sum(np.sin(W))), W)
    assert rel_error(grad, np.cos(W)) < 1e-8


def test_numerical_gradient_needs_a_float_array():
    with pytest.raises(TypeError, match="x must be a floating-point numpy array"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
