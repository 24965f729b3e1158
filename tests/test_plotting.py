"""The shared plots: each titled, axes labelled, the right artists at the right places."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection

from seqconv.forecast import CausalConvForecaster, fit, make_series, make_windows
from seqconv.plotting import (
    COURSE_STYLE,
    plot_forecast,
    plot_impulse_responses,
    plot_mask,
    plot_receptive_field,
    plot_spectrogram,
    plot_training_loss,
    use_course_style,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def assert_labelled(ax):
    assert ax.get_title(), "plot has no title"
    assert ax.get_xlabel() and ax.get_ylabel(), f"axis labels missing: {ax.get_xlabel()!r}, {ax.get_ylabel()!r}"


def test_use_course_style_sets_rcparams_idempotently():
    with matplotlib.rc_context():
        use_course_style()
        use_course_style()
        for key, value in COURSE_STYLE.items():
            got = matplotlib.rcParams[key]
            assert got == (list(value) if isinstance(value, tuple) else value), f"{key}: {got!r}"


# ----------------------------------------------------------------- impulse responses


def test_impulse_responses_stem_one_row_per_response():
    responses = {"d=1": np.r_[0, 0, 1, 1, 1, 0.0], "d=2": np.r_[0, 0, 1, 0, 1, 0, 1.0], "d=4": np.ones(3)}
    ax = plot_impulse_responses(responses, impulse_at=2)
    assert_labelled(ax)
    assert len(ax.containers) == 3
    assert [t.get_text() for t in ax.get_yticklabels()] == list(responses)
    # rows are offset downwards by one common spacing; the data are not rescaled
    offsets = ax.get_yticks()
    assert offsets[0] == 0 and np.allclose(np.diff(offsets), offsets[1] - offsets[0]) and offsets[1] < 0
    marker_y = ax.containers[1].markerline.get_ydata()
    np.testing.assert_allclose(marker_y - offsets[1], responses["d=2"])
    assert any(np.allclose(line.get_xdata(), 2) for line in ax.lines), "impulse position line missing"


def test_impulse_responses_step_into_given_axes():
    _fig, ax = plt.subplots()
    out = plot_impulse_responses({"a": np.arange(4.0), "b": -np.arange(4.0)}, ax=ax, kind="step", title="T")
    assert out is ax and ax.get_title() == "T"
    labelled = [line for line in ax.lines if line.get_label() in ("a", "b")]
    assert len(labelled) == 2


@pytest.mark.parametrize(
    ("responses", "kwargs", "exc", "match"),
    [
        ({}, {}, ValueError, "responses must be a non-empty dict"),
        ({"a": np.zeros((2, 2))}, {}, ValueError, r"responses\['a'\] must be 1-D"),
        ({"a": np.zeros(3)}, {"kind": "bar"}, ValueError, "kind must be one of 'stem', 'step'"),
        ({"a": np.zeros(3)}, {"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_impulse_responses_reject_bad_input(responses, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        plot_impulse_responses(responses, **kwargs)


# ----------------------------------------------------------------- receptive field


def _highlighted_input_positions(ax, n):
    """x positions of the coloured dots on the input row (y == 0); the grey row holds all n steps."""
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    on_input = [c for c in dots if np.all(c.get_offsets()[:, 1] == 0)]
    assert len(on_input) == 2, f"expected a background and a highlighted input row, got {len(on_input)}"
    background, highlighted = sorted(on_input, key=lambda c: -len(c.get_offsets()))
    np.testing.assert_array_equal(background.get_offsets()[:, 0], np.arange(n))
    return np.sort(np.asarray(highlighted.get_offsets()[:, 0]))


@pytest.mark.parametrize(("ks", "ds"), [([3, 3, 3], [1, 2, 4]), ([2], [3]), ([2, 2], [1, 1]), ([5], [1])])
def test_receptive_field_highlights_exactly_the_inputs_seen(ks, ds):
    R = 1 + sum((k - 1) * d for k, d in zip(ks, ds, strict=True))
    n = R + 4
    ax = plot_receptive_field(ks, ds)
    assert_labelled(ax)
    assert f"R = {R}" in ax.get_title()
    # brute force: the last output depends on input j iff a path of taps reaches it
    reach = {n - 1}
    for k, d in reversed(list(zip(ks, ds, strict=True))):
        reach = {p - d * j for p in reach for j in range(k)}
    np.testing.assert_array_equal(_highlighted_input_positions(ax, n), sorted(reach))
    assert len(ax.get_yticklabels()) == len(ks) + 1


def test_receptive_field_rejects_bad_input():
    with pytest.raises(ValueError, match="must be non-empty and of one length; got 2 and 1"):
        plot_receptive_field([3, 3], [1])
    with pytest.raises(ValueError, match=r"dilations\[1\] must be an integer >= 1"):
        plot_receptive_field([3, 3], [1, 0])
    with pytest.raises(ValueError, match="n_steps must be >= the receptive field R=7"):
        plot_receptive_field([3, 3], [1, 2], n_steps=5)


# ----------------------------------------------------------------- spectrogram


def test_spectrogram_axes_in_seconds_and_hertz_with_db_colorbar():
    sr, win, hop = 8000, 256, 128
    S_db = np.random.default_rng(0).normal(size=(30, win // 2 + 1))
    ax = plot_spectrogram(S_db, sr=sr, hop=hop, win=win)
    assert_labelled(ax)
    assert "(s)" in ax.get_xlabel() and "(Hz)" in ax.get_ylabel()
    images = ax.get_images()
    assert len(images) == 1
    np.testing.assert_array_equal(images[0].get_array(), S_db.T)  # frequency up, time across
    left, right, bottom, top = images[0].get_extent()
    first_centre, last_centre = (win / 2) / sr, (29 * hop + win / 2) / sr
    assert left < first_centre < left + hop / sr and right - hop / sr < last_centre < right
    assert bottom < 0 < bottom + sr / win and top == pytest.approx(sr / 2 + sr / win / 2)
    colorbars = [a for a in ax.figure.axes if a is not ax]
    assert len(colorbars) == 1 and "dB" in colorbars[0].get_ylabel()


def test_spectrogram_pixels_sit_at_the_spectral_modules_times_and_frequencies():
    spectral = pytest.importorskip("seqconv.spectral")
    sr, win, hop = 4000, 64, 16
    y = np.sin(2 * np.pi * 500 * np.arange(1000) / sr)
    S = spectral.stft_mag(y, win, hop)
    ax = plot_spectrogram(20 * np.log10(S + 1e-6), sr=sr, hop=hop, win=win)
    left, right, bottom, top = ax.get_images()[0].get_extent()
    frames, bins = S.shape
    np.testing.assert_allclose(left + (np.arange(frames) + 0.5) * (right - left) / frames,
                               spectral.frame_times(frames, sr, hop, win))
    np.testing.assert_allclose(bottom + (np.arange(bins) + 0.5) * (top - bottom) / bins,
                               spectral.fft_frequencies(sr, win), atol=1e-9)


def test_spectrogram_rejects_inconsistent_bins():
    expected = r"S_db must have shape \(frames >= 1, n_fft // 2 \+ 1 = 129\).*got \(10, 128\)"
    with pytest.raises(ValueError, match=expected):
        plot_spectrogram(np.zeros((10, 128)), sr=8000, hop=128, win=256)
    with pytest.raises(ValueError, match=r"S_db must be 2-D"):
        plot_spectrogram(np.zeros(129), sr=8000, hop=128, win=256)
    with pytest.raises(ValueError, match="sr must be a positive sample rate"):
        plot_spectrogram(np.zeros((3, 129)), sr=0, hop=128, win=256)
    ax = plot_spectrogram(np.zeros((3, 257)), sr=8000, hop=128, win=256, n_fft=512)
    assert ax.get_images()[0].get_extent()[3] == pytest.approx(4000 + 8000 / 512 / 2)


# ----------------------------------------------------------------- forecast and loss


def test_forecast_draws_predictions_at_their_own_time_indices():
    x = np.sin(np.arange(50) / 5)
    t_pred = np.arange(10, 50)
    y_pred = x[9:49][:, None]  # (N, 1) is accepted
    ax = plot_forecast(x, t_pred, y_pred, split=30, label="last value")
    assert_labelled(ax)
    assert len(ax.lines) == 3  # series, predictions, split
    series, preds = ax.lines[0], ax.lines[1]
    np.testing.assert_array_equal(series.get_xdata(), np.arange(50))
    np.testing.assert_array_equal(preds.get_xdata(), t_pred)
    np.testing.assert_array_equal(preds.get_ydata(), x[9:49])
    assert preds.get_label() == "last value"
    plot_forecast(None, np.arange(50, 55), np.zeros(5), ax=ax, label="AR")
    assert len(ax.lines) == 4


def test_forecast_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="t_pred and y_pred must have one length; got 3 and 4"):
        plot_forecast(np.zeros(10), np.arange(3), np.zeros(4))


def test_training_loss_from_fit_history_and_from_an_array():
    x = make_series(120, rng=0)
    X, Y = make_windows(x, 8)
    hist = fit(CausalConvForecaster(8, rng=0), X[:80], Y[:80], epochs=5, rng=0, validation=(X[80:], Y[80:]))
    ax = plot_training_loss(hist)
    assert_labelled(ax)
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), np.arange(1, 6))
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), hist.epoch_loss)
    ax2 = plot_training_loss(np.array([1.0, 0.5, 0.25]), log=False)
    assert len(ax2.lines) == 1 and ax2.get_yscale() == "linear"


# ----------------------------------------------------------------- mask


def test_mask_shows_valid_and_padded_positions():
    lengths = np.array([5, 2, 4])
    mask = np.arange(5)[None, :] < lengths[:, None]  # bool (3, 5)
    ax = plot_mask(mask)
    assert_labelled(ax)
    images = ax.get_images()
    assert len(images) == 1
    np.testing.assert_array_equal(images[0].get_array(), mask.astype(float))
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("valid" in t for t in texts) and any("padded" in t for t in texts)
    # the two states get different colours
    rgba = images[0].to_rgba(images[0].get_array())
    assert not np.allclose(rgba[1, 0], rgba[1, 4])


@pytest.mark.parametrize(
    ("mask", "exc", "match"),
    [
        (np.array([[0, 1, 2]]), ValueError, "mask must hold only 0/1"),
        (np.ones(4), ValueError, r"mask must be 2-D with shape \(B, T\); got shape \(4,\)"),
        (np.array([["a"]]), TypeError, "mask must be a real numeric array"),
    ],
)
def test_mask_rejects_bad_input(mask, exc, match):
    with pytest.raises(exc, match=match):
        plot_mask(mask)
