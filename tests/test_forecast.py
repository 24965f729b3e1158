"""The lecture-04 forecaster: data windows, model, gradients, SGD, alignment, causality."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqconv.forecast import (
    CausalConvForecaster,
    FitHistory,
    ar_generate,
    check_gradients,
    fit,
    make_series,
    make_windows,
    predict_one_step,
    time_split,
)
from seqconv.gradcheck import rel_error

# ----------------------------------------------------------------- independent references


def windows_loop(x, s, horizon=1):
    """The seed's make_dataset_1d, written as a plain loop (target index fixed by horizon)."""
    N = len(x) - s - horizon + 1
    X = np.zeros((N, s, 1))
    Y = np.zeros((N, 1))
    for i in range(N):
        X[i, :, 0] = x[i : i + s]
        Y[i, 0] = x[i + s + horizon - 1]
    return X, Y


def predict_loop(model, X):
    """Forward pass of either model with explicit loops over windows, positions and channels."""
    p = model.params
    N, W = X.shape[0], model.window
    out = np.zeros((N, 1))
    for n in range(N):
        if model.hidden == 0:
            out[n, 0] = sum(X[n, u, 0] * p["K"][u, 0, 0] for u in range(W)) + p["b"][0]
            continue
        k, h = model.kernel_size, model.hidden
        M = W - k + 1
        y = p["b2"][0]
        for i in range(M):
            for c in range(h):
                z = sum(X[n, i + u, 0] * p["K1"][u, 0, c] for u in range(k)) + p["b1"][c]
                a = math.tanh(z) if model.activation == "tanh" else max(z, 0.0)
                y += a * p["K2"][i, c, 0]
        out[n, 0] = y
    return out


def last_value_model(window):
    """Linear model whose prediction is the newest value of the window: y(t) = x[t-1]."""
    model = CausalConvForecaster(window, rng=0)
    model.params["K"][:] = 0.0
    model.params["K"][-1, 0, 0] = 1.0
    model.params["b"][:] = 0.0
    return model


@pytest.fixture
def series():
    return make_series(200, noise=0.05, rng=np.random.default_rng(0))


# ----------------------------------------------------------------- make_series


def test_make_series_is_the_lecture_formula_plus_seeded_noise():
    t = np.linspace(0, 8 * np.pi, 50)
    clean = np.sin(t) + 0.3 * np.sin(3 * t + 0.5)
    np.testing.assert_allclose(make_series(50, noise=0.0, rng=0), clean, rtol=0, atol=1e-15)
    noisy = make_series(50, noise=0.1, rng=3)
    expected_noise = 0.1 * np.random.default_rng(3).standard_normal(50)
    np.testing.assert_allclose(noisy - clean, expected_noise, atol=1e-12)
    assert make_series(rng=0).shape == (600,)


def test_make_series_never_touches_the_global_rng():
    state = np.random.get_state()[1].copy()
    a = make_series(30, rng=1)
    b = make_series(30, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    assert not np.array_equal(a, make_series(30, rng=2))


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n": 0, "rng": 0}, ValueError, "n must be an integer >= 1"),
        ({"n": 10, "noise": -0.1, "rng": 0}, ValueError, "noise must be a finite number >= 0"),
        ({"n": 10, "noise": float("nan"), "rng": 0}, ValueError, "noise"),
        ({"n": 10, "rng": None}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_make_series_rejects_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make_series(**kwargs)


# ----------------------------------------------------------------- make_windows / time_split


@pytest.mark.parametrize(("s", "horizon"), [(1, 1), (9, 1), (5, 3), (19, 1), (18, 2)])
def test_make_windows_matches_the_seed_loop(s, horizon):
    x = np.arange(20.0) ** 1.5
    X, Y = make_windows(x, s, horizon=horizon)
    X_ref, Y_ref = windows_loop(x, s, horizon)
    N = 20 - s - horizon + 1
    assert X.shape == (N, s, 1), f"expected {(N, s, 1)}, got {X.shape}"
    assert Y.shape == (N, 1), f"expected {(N, 1)}, got {Y.shape}"
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref)


@settings(max_examples=40)
@given(n=st.integers(2, 60), s=st.integers(1, 20), horizon=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_make_windows_matches_the_loop_property(n, s, horizon, seed):
    x = np.random.default_rng(seed).normal(size=n)
    if n - s - horizon + 1 < 1:
        with pytest.raises(ValueError, match="x is too short"):
            make_windows(x, s, horizon=horizon)
        return
    X, Y = make_windows(x, s, horizon=horizon)
    X_ref, Y_ref = windows_loop(x, s, horizon)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref)


def test_make_windows_multichannel_dtype_and_copies():
    x = np.arange(24, dtype=np.float32).reshape(12, 2)
    X, Y = make_windows(x, 4)
    assert X.shape == (8, 4, 2) and Y.shape == (8, 2)
    assert X.dtype == np.float32 and Y.dtype == np.float32
    np.testing.assert_array_equal(X[3], x[3:7])
    np.testing.assert_array_equal(Y[3], x[7])
    X[0, 0, 0] = -1.0
    Y[0, 0] = -1.0
    assert x[0, 0] == 0.0 and x[4, 0] == 8.0, "make_windows must not return views of x"
    assert make_windows(np.arange(6), 2)[0].dtype == np.float64


@pytest.mark.parametrize(
    ("x", "window", "horizon", "exc", "match"),
    [
        (np.arange(10.0), 0, 1, ValueError, "window must be an integer >= 1"),
        (np.arange(10.0), 2.5, 1, TypeError, "window must be an integer"),
        (np.arange(10.0), 10, 1, ValueError, r"x is too short for window=10.*got 10"),
        (np.arange(10.0), 8, 3, ValueError, r"window \+ horizon = 11"),
        (np.arange(10.0), 3, 0, ValueError, "horizon must be an integer >= 1"),
        (np.zeros((2, 3, 4)), 2, 1, ValueError, r"x must be 1-D or 2-D.*got shape \(2, 3, 4\)"),
        (["a", "b", "c"], 1, 1, TypeError, "x must be a real numeric array"),
    ],
)
def test_make_windows_rejects_bad_input(x, window, horizon, exc, match):
    with pytest.raises(exc, match=match):
        make_windows(x, window, horizon=horizon)


def test_time_split_keeps_time_order():
    X, Y = make_windows(np.arange(30.0), 5)  # Y[i] = i + 5
    X_tr, Y_tr, X_te, Y_te = time_split(X, Y, test_fraction=0.2)
    assert len(X_te) == round(25 * 0.2) == 5 and len(X_tr) == 20
    np.testing.assert_array_equal(np.concatenate([Y_tr, Y_te]), Y)
    np.testing.assert_array_equal(np.concatenate([X_tr, X_te]), X)
    assert Y_tr.max() < Y_te.min(), "every training target must come before every test target"


@pytest.mark.parametrize(
    ("fraction", "exc", "match"),
    [
        (0.0, ValueError, "test_fraction must be a finite number > 0"),
        (1.0, ValueError, "< 1"),
        ("0.2", TypeError, "test_fraction"),
    ],
)
def test_time_split_rejects_bad_fraction(fraction, exc, match):
    X, Y = make_windows(np.arange(30.0), 5)
    with pytest.raises(exc, match=match):
        time_split(X, Y, test_fraction=fraction)


def test_time_split_rejects_mismatched_pairs():
    X, Y = make_windows(np.arange(30.0), 5)
    with pytest.raises(ValueError, match=r"X and Y do not match.*shape \(25, 1\); got \(24, 1\)"):
        time_split(X, Y[:-1])
    with pytest.raises(ValueError, match="at least 2 pairs"):
        time_split(X[:1], Y[:1])


# ----------------------------------------------------------------- model: forward


def test_linear_loss_is_the_plain_loop_mse(series):
    X, Y = make_windows(series, 9)
    model = CausalConvForecaster(9, rng=np.random.default_rng(1))
    model.params["b"][:] = 0.3
    total = 0.0
    for n in range(len(X)):
        y = sum(X[n, u, 0] * model.params["K"][u, 0, 0] for u in range(9)) + 0.3
        total += (y - Y[n, 0]) ** 2
    assert rel_error(model.loss(X, Y), total / len(X)) < 1e-12
    assert model.num_params == 10


@pytest.mark.parametrize(
    ("window", "hidden", "kernel_size", "activation"),
    [(6, 0, None, "tanh"), (6, 3, 2, "tanh"), (6, 3, 6, "relu"), (5, 2, 1, "relu"), (4, 2, None, "tanh")],
)
def test_predict_matches_loops(window, hidden, kernel_size, activation):
    rng = np.random.default_rng(2)
    model = CausalConvForecaster(window, hidden, kernel_size=kernel_size, activation=activation, rng=rng)
    for p in model.params.values():
        p += 0.1 * rng.normal(size=p.shape)  # non-zero biases too
    X = rng.normal(size=(7, window, 1))
    out = model.predict(X)
    assert out.shape == (7, 1), f"expected (7, 1), got {out.shape}"
    assert rel_error(out, predict_loop(model, X)) < 1e-10


def test_two_layer_model_is_a_causal_cnn_like_torch():
    """Forward and gradients equal a torch Conv1d -> tanh -> Conv1d stack (cross-correlation)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    model = CausalConvForecaster(8, 4, kernel_size=3, rng=rng)
    X = rng.normal(size=(11, 8, 1))
    Y = rng.normal(size=(11, 1))
    w1 = torch.tensor(model.params["K1"].transpose(2, 1, 0), requires_grad=True)  # (h, 1, k)
    b1 = torch.tensor(model.params["b1"], requires_grad=True)
    w2 = torch.tensor(model.params["K2"].transpose(2, 1, 0), requires_grad=True)  # (1, h, M)
    b2 = torch.tensor(model.params["b2"], requires_grad=True)
    xt = torch.tensor(X.transpose(0, 2, 1))  # (N, 1, window)
    y = torch.nn.functional.conv1d(torch.tanh(torch.nn.functional.conv1d(xt, w1, b1)), w2, b2)[:, :, 0]
    loss_t = torch.mean((y - torch.tensor(Y)) ** 2)
    loss_t.backward()
    loss, grads = model.loss_and_grads(X, Y)
    assert rel_error(loss, loss_t.item()) < 1e-12
    assert rel_error(grads["K1"], w1.grad.numpy().transpose(2, 1, 0)) < 1e-10
    assert rel_error(grads["b1"], b1.grad.numpy()) < 1e-10
    assert rel_error(grads["K2"], w2.grad.numpy().transpose(2, 1, 0)) < 1e-10
    assert rel_error(grads["b2"], b2.grad.numpy()) < 1e-10


def test_float32_model_stays_float32():
    model = CausalConvForecaster(5, 3, rng=0, dtype=np.float32)
    X = np.ones((4, 5, 1), np.float32)
    assert model.predict(X).dtype == np.float32
    _, grads = model.loss_and_grads(X, np.zeros((4, 1), np.float32))
    assert all(g.dtype == np.float32 for g in grads.values())


# ----------------------------------------------------------------- model: gradients


@pytest.mark.parametrize(
    ("window", "hidden", "kernel_size", "activation"),
    [(7, 0, None, "tanh"), (7, 4, 3, "tanh"), (7, 4, 3, "relu"), (5, 3, 5, "tanh"), (5, 3, 1, "tanh")],
)
def test_analytic_gradients_match_centred_differences(window, hidden, kernel_size, activation):
    rng = np.random.default_rng(4)
    model = CausalConvForecaster(window, hidden, kernel_size=kernel_size, activation=activation, rng=rng)
    for p in model.params.values():
        p += 0.1 * rng.normal(size=p.shape)
    X = rng.normal(size=(13, window, 1))
    Y = rng.normal(size=(13, 1))
    before = {k: v.copy() for k, v in model.params.items()}
    errors = check_gradients(model, X, Y)
    assert set(errors) == set(model.params)
    for name, err in errors.items():
        assert err < 1e-6, f"gradient of {name}: rel_error {err:.2e}"
    for name, p in model.params.items():
        np.testing.assert_array_equal(p, before[name])
    _, grads = model.loss_and_grads(X, Y)
    for name, g in grads.items():
        assert g.shape == model.params[name].shape


def test_check_gradients_catches_a_wrong_gradient(monkeypatch):
    """The check can fail: a backward pass with a wrong factor gives a large error."""
    model = CausalConvForecaster(5, 2, rng=5)
    X = np.random.default_rng(5).normal(size=(6, 5, 1))
    Y = np.zeros((6, 1))
    right = CausalConvForecaster._backward

    def wrong(self, dy, cache):
        return right(self, 0.5 * dy, cache)

    monkeypatch.setattr(CausalConvForecaster, "_backward", wrong)
    errors = check_gradients(model, X, Y)
    assert min(errors.values()) > 0.1


def test_check_gradients_needs_float64():
    model = CausalConvForecaster(4, rng=0, dtype=np.float32)
    with pytest.raises(ValueError, match="check_gradients needs a float64 model"):
        check_gradients(model, np.zeros((3, 4, 1)), np.zeros((3, 1)))


# ----------------------------------------------------------------- fit


def _training_data():
    x = make_series(300, noise=0.05, rng=0)
    return make_windows(x, 12)


def test_fit_lowers_the_loss_substantially():
    X, Y = _training_data()
    for hidden in (0, 6):
        model = CausalConvForecaster(12, hidden, rng=1)
        start = model.loss(X, Y)
        hist = fit(model, X, Y, epochs=30, batch_size=16, lr=0.02, rng=2)
        assert isinstance(hist, FitHistory)
        assert hist.epoch_loss.shape == (30,)
        assert hist.epoch_loss[-1] < 0.2 * hist.epoch_loss[0], f"hidden={hidden}: {hist.epoch_loss[[0, -1]]}"
        assert model.loss(X, Y) < 0.1 * start
        assert model.loss(X, Y) < 0.02  # the noise variance is 0.0025


def test_fit_is_deterministic_for_a_seed_and_leaves_the_global_rng_alone():
    X, Y = _training_data()
    state = np.random.get_state()[1].copy()
    runs = []
    for _ in range(2):
        model = CausalConvForecaster(12, 4, rng=7)
        hist = fit(model, X, Y, epochs=3, batch_size=20, lr=0.02, momentum=0.5, rng=np.random.default_rng(8))
        runs.append((hist, model))
    np.testing.assert_array_equal(runs[0][0].step_loss, runs[1][0].step_loss)
    for name in runs[0][1].params:
        np.testing.assert_array_equal(runs[0][1].params[name], runs[1][1].params[name])
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    other = CausalConvForecaster(12, 4, rng=7)
    hist_other = fit(other, X, Y, epochs=3, batch_size=20, lr=0.02, momentum=0.5, rng=9)
    assert not np.array_equal(hist_other.step_loss, runs[0][0].step_loss)


def test_an_epoch_is_one_full_pass_over_shuffled_data(monkeypatch):
    """The seed's 'epochs' were single mini-batch steps; here every pair is seen once per epoch."""
    N, W = 23, 3
    X = np.arange(N * W, dtype=float).reshape(N, W, 1) / 100.0  # row n is identifiable by X[n, 0, 0]
    Y = np.zeros((N, 1))
    model = CausalConvForecaster(W, rng=0)
    seen = []
    original = CausalConvForecaster._loss_and_grads

    def spy(self, Xb, Yb):
        seen.append(np.rint(Xb[:, 0, 0] * 100 / W).astype(int))
        return original(self, Xb, Yb)

    monkeypatch.setattr(CausalConvForecaster, "_loss_and_grads", spy)
    hist = fit(model, X, Y, epochs=3, batch_size=5, lr=0.01, rng=0)
    assert hist.steps_per_epoch == 5 and hist.step_loss.shape == (15,)
    assert [len(b) for b in seen] == [5, 5, 5, 5, 3] * 3
    epochs = [np.concatenate(seen[5 * e : 5 * e + 5]) for e in range(3)]
    for rows in epochs:
        np.testing.assert_array_equal(np.sort(rows), np.arange(N))
    assert not np.array_equal(epochs[0], epochs[1]), "each epoch must reshuffle"
    # the epoch loss is the sample-weighted mean of its steps' losses
    sizes = np.array([5, 5, 5, 5, 3])
    np.testing.assert_allclose(hist.epoch_loss[0], hist.step_loss[:5] @ sizes / N)


def test_fit_records_validation_loss_and_accepts_a_batch_larger_than_n():
    X, Y = _training_data()
    X_tr, Y_tr, X_te, Y_te = time_split(X, Y)
    model = CausalConvForecaster(12, rng=0)
    hist = fit(model, X_tr, Y_tr, epochs=4, batch_size=10_000, lr=0.05, rng=0, validation=(X_te, Y_te))
    assert hist.steps_per_epoch == 1
    assert hist.val_loss is not None and hist.val_loss.shape == (4,)
    assert hist.val_loss[-1] == pytest.approx(model.loss(X_te, Y_te))


def test_fit_progress_bar_only_on_request(capsys):
    X, Y = _training_data()
    fit(CausalConvForecaster(12, rng=0), X, Y, epochs=2, rng=0)
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == "", "fit must print nothing unless progress=True"
    fit(CausalConvForecaster(12, rng=0), X, Y, epochs=2, rng=0, progress=True)
    assert "fit" in capsys.readouterr().err


def test_fit_reports_divergence():
    X, Y = _training_data()
    with pytest.raises(FloatingPointError, match="lower lr"):
        fit(CausalConvForecaster(12, 4, rng=0), X, Y, epochs=50, lr=1e6, rng=0)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"epochs": 0}, ValueError, "epochs must be an integer >= 1"),
        ({"epochs": 2.0}, TypeError, "epochs must be an integer"),
        ({"batch_size": 0}, ValueError, "batch_size must be an integer >= 1"),
        ({"lr": 0.0}, ValueError, "lr must be a finite number > 0"),
        ({"lr": -1.0}, ValueError, "lr must be"),
        ({"lr": float("inf")}, ValueError, "lr must be"),
        ({"momentum": 1.0}, ValueError, "momentum must be a finite number >= 0.0 and < 1"),
        ({"rng": "seed"}, TypeError, "rng must be a numpy.random.Generator"),
        ({"validation": [1, 2]}, TypeError, "validation must be a tuple"),
    ],
)
def test_fit_rejects_bad_settings(kwargs, exc, match):
    X, Y = make_windows(np.arange(20.0), 4)
    kwargs = {"rng": 0} | kwargs
    with pytest.raises(exc, match=match):
        fit(CausalConvForecaster(4, rng=0), X, Y, **kwargs)


def test_fit_rejects_bad_data():
    X, Y = make_windows(np.arange(20.0), 4)
    model = CausalConvForecaster(4, rng=0)
    with pytest.raises(ValueError, match=r"X and Y do not match"):
        fit(model, X, Y[:-2], rng=0)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 4, 1\).*got \(15, 5, 1\)"):
        fit(model, *make_windows(np.arange(20.0), 5), rng=0)
    with pytest.raises(ValueError, match=r"Y must be 2-D with shape \(N, c\); got shape \(16,\)"):
        fit(model, X, Y[:, 0], rng=0)
    with pytest.raises(TypeError, match="model must be a CausalConvForecaster"):
        fit("model", X, Y, rng=0)


# ----------------------------------------------------------------- one-step prediction


def test_one_step_predictions_are_aligned(series):
    """A 'last value' model reproduces the series shifted by exactly one step (the seed drew it s steps off)."""
    W = 9
    t, y_hat = predict_one_step(last_value_model(W), series)
    np.testing.assert_array_equal(t, np.arange(W, len(series)))
    np.testing.assert_array_equal(y_hat, series[t - 1])
    t2, y2 = predict_one_step(last_value_model(W), series, W, horizon=3)
    np.testing.assert_array_equal(t2, np.arange(W + 2, len(series)))
    np.testing.assert_array_equal(y2, series[t2 - 3])


def test_one_step_predictions_match_the_windowed_targets(series):
    model = CausalConvForecaster(7, 3, rng=0)
    X, Y = make_windows(series, 7)
    t, y_hat = predict_one_step(model, series)
    np.testing.assert_array_equal(series[t], Y[:, 0])  # t indexes the value each prediction targets
    np.testing.assert_allclose(y_hat, model.predict(X)[:, 0], rtol=1e-12)


def test_predictions_do_not_depend_on_the_future(series):
    """Perturb x from t0 on: predictions for every t <= t0 must not move; t0 + 1 must."""
    model = CausalConvForecaster(10, 5, rng=1)
    t0 = 120
    perturbed = series.copy()
    perturbed[t0:] += np.random.default_rng(1).normal(size=len(series) - t0)
    t, before = predict_one_step(model, series)
    _, after = predict_one_step(model, perturbed)
    past = t <= t0
    np.testing.assert_array_equal(after[past], before[past])
    assert after[t == t0 + 1] != before[t == t0 + 1], "the perturbation should reach t0 + 1"


def test_predict_one_step_rejects_bad_input(series):
    model = CausalConvForecaster(10, rng=0)
    with pytest.raises(ValueError, match="window must equal the model's window=10; got window=9"):
        predict_one_step(model, series, 9)
    with pytest.raises(ValueError, match=r"x must be 1-D with shape \(n,\)"):
        predict_one_step(model, series[:, None])
    with pytest.raises(ValueError, match="x is too short for window=10"):
        predict_one_step(model, series[:10])


# ----------------------------------------------------------------- autoregressive generation


def test_ar_generate_with_a_last_value_model_repeats_the_last_value():
    prefix = np.array([0.5, -1.0, 2.0, 3.5])
    out = ar_generate(last_value_model(3), prefix, 6)
    np.testing.assert_array_equal(out, np.full(6, 3.5))


def test_ar_generate_feeds_predictions_back():
    """A model predicting x[t - window] repeats the last window periodically."""
    model = last_value_model(4)
    model.params["K"][:] = 0.0
    model.params["K"][0, 0, 0] = 1.0
    out = ar_generate(model, np.arange(10.0), 9)
    np.testing.assert_array_equal(out, np.array([6, 7, 8, 9, 6, 7, 8, 9, 6], dtype=float))


def test_ar_generate_matches_a_loop_over_predict():
    model = CausalConvForecaster(6, 3, rng=2)
    prefix = make_series(20, rng=0)
    buf = list(prefix[-6:])
    expected = []
    for _ in range(15):
        y = model.predict(np.array(buf[-6:]).reshape(1, 6, 1))[0, 0]
        expected.append(y)
        buf.append(y)
    np.testing.assert_allclose(ar_generate(model, prefix, 15), expected, rtol=1e-12)
    assert ar_generate(model, prefix, 0).shape == (0,)


@pytest.mark.parametrize(
    ("prefix", "steps", "exc", "match"),
    [
        (np.arange(3.0), 5, ValueError, "prefix must hold at least window=4 values; got 3"),
        (np.zeros((5, 1)), 5, ValueError, r"prefix must be 1-D"),
        (np.arange(5.0), -1, ValueError, "steps must be an integer >= 0"),
    ],
)
def test_ar_generate_rejects_bad_input(prefix, steps, exc, match):
    with pytest.raises(exc, match=match):
        ar_generate(CausalConvForecaster(4, rng=0), prefix, steps)


# ----------------------------------------------------------------- construction


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        ((0,), {}, ValueError, "window must be an integer >= 1"),
        ((5, -1), {}, ValueError, "hidden must be an integer >= 0"),
        ((5, 2), {"kernel_size": 6}, ValueError, "kernel_size must be <= window=5; got kernel_size=6"),
        ((5, 2), {"kernel_size": 0}, ValueError, "kernel_size must be an integer >= 1"),
        ((5,), {"kernel_size": 3}, ValueError, "kernel_size applies only to the two-layer model"),
        ((5, 2), {"activation": "sigmoid"}, ValueError, "activation must be one of 'tanh', 'relu'"),
        ((5,), {"dtype": np.int64}, TypeError, "dtype must be float32 or float64"),
    ],
)
def test_model_rejects_bad_construction(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        CausalConvForecaster(*args, rng=0, **kwargs)


def test_model_init_is_seeded_and_shaped():
    a = CausalConvForecaster(9, 4, kernel_size=3, rng=3)
    b = CausalConvForecaster(9, 4, kernel_size=3, rng=np.random.default_rng(3))
    shapes = {name: p.shape for name, p in a.params.items()}
    assert shapes == {"K1": (3, 1, 4), "b1": (4,), "K2": (7, 4, 1), "b2": (1,)}
    assert a.num_params == 12 + 4 + 28 + 1
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])
    assert "window=9" in repr(a)


def test_predict_and_loss_reject_bad_shapes():
    model = CausalConvForecaster(4, rng=0)
    with pytest.raises(ValueError, match=r"Xw must be 3-D with shape \(N, window=4, 1\); got shape \(4,\)"):
        model.predict(np.zeros(4))
    with pytest.raises(ValueError, match=r"Xw must have shape \(N, 4, 1\).*got \(2, 4, 2\)"):
        model.predict(np.zeros((2, 4, 2)))
    with pytest.raises(ValueError, match=r"Xw and Y do not match.*\(3, 1\); got \(2, 1\)"):
        model.loss(np.zeros((3, 4, 1)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match="Xw holds no windows"):
        model.loss_and_grads(np.zeros((0, 4, 1)), np.zeros((0, 1)))
