"""Spectrograms: framing, windows and stft_mag against scipy and a per-frame loop; decibels; tones."""

import numpy as np
import pytest
import scipy.fft
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from seqconv.gradcheck import rel_error
from seqconv.spectral import (
    WINDOWS,
    amplitude_to_db,
    fft_frequencies,
    frame,
    frame_times,
    get_window,
    hann,
    n_frames,
    power_to_db,
    stft_mag,
    tone_mixture,
)
from tests.reference_spectral import frame_starts_loop, hann_loop, stft_mag_loop


def scipy_stft_mag(y, w, hop, pad_end):
    """scipy's STFT magnitude, frames x bins, with its 1 / w.sum() scaling undone."""
    win = len(w)
    _, _, Z = scipy.signal.stft(
        y, window=w, nperseg=win, noverlap=win - hop, boundary=None, padded=pad_end, detrend=False
    )
    return np.swapaxes(np.abs(Z), -1, -2) * np.sum(w)


# --- windows -------------------------------------------------------------------------------


@pytest.mark.parametrize("win", [1, 2, 3, 4, 5, 16, 255, 256])
def test_hann_matches_scipy_numpy_and_the_formula(win):
    periodic = hann(win)
    symmetric = hann(win, periodic=False)
    assert periodic.shape == symmetric.shape == (win,)
    np.testing.assert_allclose(periodic, scipy.signal.get_window("hann", win, fftbins=True), rtol=0, atol=1e-15)
    np.testing.assert_allclose(symmetric, scipy.signal.get_window("hann", win, fftbins=False), rtol=0, atol=1e-15)
    np.testing.assert_allclose(symmetric, np.hanning(win), rtol=0, atol=1e-15)
    np.testing.assert_allclose(periodic, hann_loop(win, periodic=True), rtol=0, atol=1e-15)


def test_periodic_hann_is_the_symmetric_one_of_length_plus_one_truncated():
    np.testing.assert_allclose(hann(8), np.hanning(9)[:-1], rtol=0, atol=1e-15)
    # by hand: 0.5 - 0.5 cos(2 pi k / 4)
    np.testing.assert_allclose(hann(4), [0.0, 0.5, 1.0, 0.5], atol=1e-15)
    np.testing.assert_allclose(hann(5, periodic=False), [0.0, 0.5, 1.0, 0.5, 0.0], atol=1e-15)


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize("periodic", [True, False])
def test_named_windows_match_scipy(name, periodic):
    np.testing.assert_allclose(
        get_window(name, 64, periodic=periodic), scipy.signal.get_window(name, 64, fftbins=periodic), rtol=0, atol=1e-15
    )


def test_window_array_is_used_as_given():
    w = np.linspace(0.0, 1.0, 8)
    np.testing.assert_array_equal(get_window(w, 8), w)
    np.testing.assert_array_equal(get_window(np.arange(3), 3), [0.0, 1.0, 2.0])


# --- framing -------------------------------------------------------------------------------


def test_frame_by_hand_pads_the_tail():
    y = np.arange(1.0, 8.0)  # 7 samples, win 4, hop 2: starts 0, 2, 4 (the last one padded)
    expected = np.array([[1, 2, 3, 4], [3, 4, 5, 6], [5, 6, 7, 0]], dtype=float)
    np.testing.assert_array_equal(frame(y, 4, 2), expected)
    np.testing.assert_array_equal(frame(y, 4, 2, pad_end=False), expected[:2])
    assert n_frames(7, 4, 2) == 3 and n_frames(7, 4, 2, pad_end=False) == 2


def test_frame_exact_fit_is_a_read_only_view():
    y = np.arange(8.0)
    frames = frame(y, 4, 2)
    np.testing.assert_array_equal(frames, [[0, 1, 2, 3], [2, 3, 4, 5], [4, 5, 6, 7]])
    assert np.shares_memory(frames, y)
    assert not frames.flags.writeable


def test_frame_shorter_than_win_is_one_padded_frame():
    np.testing.assert_array_equal(frame(np.array([1.0, 2.0]), 4, 3), [[1, 2, 0, 0]])


def test_frame_hop_not_dividing_win_and_batch():
    y = np.arange(10.0)
    frames = frame(y, 4, 3)  # starts 0, 3, 6
    np.testing.assert_array_equal(frames, [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
    batch = frame(np.stack([y, -y]), 4, 3)
    assert batch.shape == (2, 3, 4)
    np.testing.assert_array_equal(batch[1], -frames)


def test_frame_keeps_float32():
    assert frame(np.zeros(10, np.float32), 4, 2).dtype == np.float32


@settings(max_examples=150)
@given(n=st.integers(1, 300), win=st.integers(1, 64), hop_fraction=st.floats(0.0, 1.0), pad_end=st.booleans())
def test_frame_count_and_coverage(n, win, hop_fraction, pad_end):
    hop = max(1, min(win, round(hop_fraction * win)))
    starts = frame_starts_loop(n, win, hop, pad_end)
    if not starts:  # pad_end=False and no full frame fits
        with pytest.raises(ValueError, match="fewer than win"):
            n_frames(n, win, hop, pad_end=pad_end)
        return
    count = n_frames(n, win, hop, pad_end=pad_end)
    assert count == len(starts)
    if pad_end:
        assert count == 1 + int(np.ceil(max(n - win, 0) / hop))
    else:
        assert count == 1 + (n - win) // hop
    y = np.arange(1.0, n + 1)  # sample i holds i + 1, padding holds 0
    frames = frame(y, win, hop, pad_end=pad_end)
    assert frames.shape == (count, win)
    covered = np.unique(frames[frames > 0]).astype(int) - 1
    if pad_end:
        np.testing.assert_array_equal(covered, np.arange(n))  # every sample lands in a frame
        assert (count - 1) * hop < n  # and the last frame is not padding only
    else:
        np.testing.assert_array_equal(covered, np.arange((count - 1) * hop + win))
    if n >= win and win > 1:
        noverlap = win - hop
        _, _t, Z = scipy.signal.stft(y, window="boxcar", nperseg=win, noverlap=noverlap, boundary=None, padded=pad_end)
        assert Z.shape[-1] == count


# --- stft_mag ------------------------------------------------------------------------------

SHAPES = [(256, 128), (256, 64), (64, 48), (64, 24), (31, 10), (8, 8), (16, 1)]


@pytest.mark.parametrize(("win", "hop"), SHAPES)
@pytest.mark.parametrize("n", [1000, 1001])
@pytest.mark.parametrize("pad_end", [True, False])
@pytest.mark.parametrize("periodic", [True, False])
def test_stft_mag_matches_scipy(win, hop, n, pad_end, periodic):
    y = np.random.default_rng(n + win + hop).standard_normal(n)
    w = hann(win, periodic=periodic)
    S = stft_mag(y, win, hop, periodic=periodic, pad_end=pad_end)
    expected = scipy_stft_mag(y, w, hop, pad_end)
    assert S.shape == expected.shape == (n_frames(n, win, hop, pad_end=pad_end), win // 2 + 1)
    assert rel_error(S, expected) < 1e-9


def test_stft_mag_default_matches_scipy_string_window():
    y = np.random.default_rng(1).standard_normal(4000)
    _, _, Z = scipy.signal.stft(y, window="hann", nperseg=256, noverlap=128, boundary=None, padded=True, detrend=False)
    assert rel_error(stft_mag(y), np.abs(Z).T * hann(256).sum()) < 1e-9


@pytest.mark.parametrize("name", WINDOWS)
def test_stft_mag_named_and_array_windows_match_scipy(name):
    y = np.random.default_rng(2).standard_normal(777)
    w = scipy.signal.get_window(name, 32)
    expected = scipy_stft_mag(y, w, 12, True)
    assert rel_error(stft_mag(y, 32, 12, window=name), expected) < 1e-9
    assert rel_error(stft_mag(y, 32, 12, window=w), expected) < 1e-9


@pytest.mark.parametrize(("n", "win", "hop"), [(1, 8, 4), (5, 8, 4), (8, 8, 4), (9, 8, 4), (700, 64, 50), (3000, 256, 128)])
def test_stft_mag_matches_the_per_frame_loop(n, win, hop):
    y = np.random.default_rng(n).standard_normal(n)
    for pad_end in (True, False) if n >= win else (True,):
        expected = stft_mag_loop(y, win, hop, pad_end=pad_end)
        assert rel_error(stft_mag(y, win, hop, pad_end=pad_end), expected) < 1e-9


@settings(max_examples=60)
@given(n=st.integers(1, 400), win=st.integers(1, 40), hop_fraction=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_stft_mag_matches_the_loop_property(n, win, hop_fraction, seed):
    hop = max(1, min(win, round(hop_fraction * win)))
    y = np.random.default_rng(seed).standard_normal(n)
    assert rel_error(stft_mag(y, win, hop), stft_mag_loop(y, win, hop)) < 1e-9


def test_stft_mag_long_signal_crosses_block_boundaries():
    # more frames than one internal block, a padded tail, and a batch
    y = np.random.default_rng(3).standard_normal((2, 40_001))
    S = stft_mag(y, 64, 16)
    assert S.shape == (2, n_frames(40_001, 64, 16), 33)
    for b in range(2):
        assert rel_error(S[b], stft_mag_loop(y[b], 64, 16)) < 1e-9


def test_stft_mag_batch_equals_each_row():
    rng = np.random.default_rng(4)
    for n in (100, 5):  # several frames each, and a single padded frame each
        Y = rng.standard_normal((3, n))
        S = stft_mag(Y, 16, 8)
        assert S.shape == (3, n_frames(n, 16, 8), 9)
        for b in range(3):
            np.testing.assert_array_equal(S[b], stft_mag(Y[b], 16, 8))


def test_pure_tone_on_a_bin_peaks_in_that_bin_with_the_hand_computed_height():
    sr, win, hop, k0, amp = 8000, 256, 128, 20, 0.7
    f0 = k0 * sr / win  # exactly on bin k0: 625 Hz
    _t, y = tone_mixture([f0], [amp], sr=sr, duration=1.0)
    S = stft_mag(y, win, hop, pad_end=False)
    assert np.all(np.argmax(S, axis=1) == k0)
    # periodic Hann sums to win/2, a sine of amplitude A puts A/2 of it in its bin
    np.testing.assert_allclose(S[:, k0], amp * win / 4, rtol=1e-9)
    # and the periodic Hann leaks into the two neighbouring bins only (half as much), none further
    np.testing.assert_allclose(S[:, [k0 - 1, k0 + 1]], amp * win / 8, rtol=1e-9)
    assert np.max(np.delete(S, [k0 - 1, k0, k0 + 1], axis=1)) < 1e-9 * amp * win


def test_parseval_per_frame():
    win, hop = 64, 20
    y = np.random.default_rng(5).standard_normal(500)
    S = stft_mag(y, win, hop)
    weights = np.full(win // 2 + 1, 2.0)
    weights[[0, -1]] = 1.0  # DC and Nyquist appear once in the full spectrum
    energy = (S**2) @ weights / win
    np.testing.assert_allclose(energy, np.sum((frame(y, win, hop) * hann(win)) ** 2, axis=1), rtol=1e-10)


def test_float32_stays_float32_and_integers_become_float64():
    y = np.random.default_rng(6).standard_normal(2000)
    S32 = stft_mag(y.astype(np.float32), 128, 32)
    assert S32.dtype == np.float32
    assert rel_error(S32, stft_mag(y, 128, 32)) < 1e-3
    assert stft_mag(np.arange(300), 64, 32).dtype == np.float64
    assert stft_mag(np.zeros((2, 300), np.float32), 64, 32).dtype == np.float32


def test_symmetric_window_differs_from_periodic():
    y = np.random.default_rng(7).standard_normal(1000)
    assert rel_error(stft_mag(y, periodic=False), stft_mag(y)) > 1e-3


def test_matches_librosa_without_centering():
    librosa = pytest.importorskip("librosa")
    y = np.random.default_rng(8).standard_normal(3000)
    D = librosa.stft(y, n_fft=256, hop_length=100, window="hann", center=False)
    assert rel_error(stft_mag(y, 256, 100, pad_end=False), np.abs(D).T) < 1e-5


def test_fft_frequencies_and_frame_times_match_scipy():
    np.testing.assert_allclose(fft_frequencies(8000, 256), scipy.fft.rfftfreq(256, 1 / 8000), rtol=0, atol=1e-9)
    np.testing.assert_allclose(fft_frequencies(10, 5), [0.0, 2.0, 4.0])
    y = np.zeros(5000)
    _, t, Z = scipy.signal.stft(y, fs=8000, nperseg=256, noverlap=256 - 96, boundary=None, padded=True)
    np.testing.assert_allclose(frame_times(Z.shape[-1], 8000, 96, 256), t, rtol=1e-12)
    np.testing.assert_allclose(frame_times(3, 10, 2, 4), [0.2, 0.4, 0.6])


# --- decibels ------------------------------------------------------------------------------


def test_amplitude_to_db_by_hand():
    S = np.array([1.0, 10.0, 0.1, 0.0, 100.0])
    np.testing.assert_allclose(amplitude_to_db(S, top_db=None), [0.0, 20.0, -20.0, -100.0, 40.0], atol=1e-12)
    np.testing.assert_allclose(amplitude_to_db(S, amin=1e-3, top_db=None)[3], -60.0)
    np.testing.assert_allclose(amplitude_to_db(S, ref=10.0, top_db=None), [-20.0, 0.0, -40.0, -120.0, 20.0], atol=1e-12)


def test_power_to_db_by_hand():
    S = np.array([1.0, 10.0, 100.0, 0.0, 1e-3])
    np.testing.assert_allclose(power_to_db(S, top_db=None), [0.0, 10.0, 20.0, -100.0, -30.0], atol=1e-12)
    np.testing.assert_allclose(power_to_db(S, ref=100.0, top_db=None), [-20.0, -10.0, 0.0, -120.0, -50.0], atol=1e-12)


def test_top_db_clips_below_the_peak():
    S = np.array([[1.0, 1e-6], [0.5, 1e-2]])
    np.testing.assert_allclose(amplitude_to_db(S), [[0.0, -80.0], [20 * np.log10(0.5), -40.0]], atol=1e-12)
    np.testing.assert_allclose(amplitude_to_db(S, top_db=30.0), [[0.0, -30.0], [20 * np.log10(0.5), -30.0]], atol=1e-12)
    np.testing.assert_allclose(amplitude_to_db(S, top_db=0.0), np.zeros((2, 2)), atol=1e-12)
    assert amplitude_to_db(S, top_db=None)[0, 1] == pytest.approx(-100.0)  # amin = 1e-5 floors 1e-6
    assert amplitude_to_db(S, top_db=None, amin=1e-9)[0, 1] == pytest.approx(-120.0)
    # the clip follows the peak, not 0 dB
    np.testing.assert_allclose(power_to_db(np.array([1e4, 1e-9]), top_db=50.0), [40.0, -10.0], atol=1e-12)


def test_ref_max_puts_the_peak_at_zero_db():
    S = stft_mag(np.random.default_rng(9).standard_normal(3000))
    D = amplitude_to_db(S, ref=np.max)
    assert D.max() == pytest.approx(0.0, abs=1e-12)
    assert D.min() >= -80.0 - 1e-9
    assert power_to_db(S**2, ref=np.max).max() == pytest.approx(0.0, abs=1e-12)
    # all-zero input: the reference falls back to amin, as in librosa
    np.testing.assert_allclose(amplitude_to_db(np.zeros(3), ref=np.max), 0.0)


def test_amplitude_is_power_of_the_square():
    S = np.abs(np.random.default_rng(10).standard_normal((20, 9))) * 3
    S[0, 0] = 0.0
    for kwargs in ({}, {"ref": 2.0, "top_db": 30.0}, {"top_db": None, "amin": 1e-3}):
        power_kwargs = dict(kwargs)
        power_kwargs["amin"] = kwargs.get("amin", 1e-5) ** 2
        if "ref" in kwargs:
            power_kwargs["ref"] = kwargs["ref"] ** 2
        np.testing.assert_allclose(amplitude_to_db(S, **kwargs), power_to_db(S**2, **power_kwargs), atol=1e-10)


def test_amplitude_to_db_takes_the_magnitude():
    np.testing.assert_allclose(amplitude_to_db(np.array([-10.0, 3 + 4j]), top_db=None), [20.0, 20 * np.log10(5.0)])


def test_db_keeps_float32():
    S = np.array([1.0, 0.5, 0.0], np.float32)
    assert amplitude_to_db(S).dtype == np.float32
    assert amplitude_to_db(S, ref=np.max).dtype == np.float32
    assert power_to_db(S, ref=np.float64(2.0)).dtype == np.float32
    assert power_to_db(np.array([1, 10])).dtype == np.float64


# --- tone_mixture --------------------------------------------------------------------------


def test_tone_mixture_without_noise_is_the_sum_of_sines():
    t, y = tone_mixture([220, 660], [0.7, 0.4], sr=8000, duration=2.0)
    assert t.shape == y.shape == (16000,)
    np.testing.assert_allclose(t[:3], [0.0, 1 / 8000, 2 / 8000])
    expected = 0.7 * np.sin(2 * np.pi * 220 * t) + 0.4 * np.sin(2 * np.pi * 660 * t)
    np.testing.assert_allclose(y, expected, atol=1e-12)
    _, y_shifted = tone_mixture([5.0], [1.0], sr=100, duration=1.0, phases=[np.pi / 2])
    np.testing.assert_allclose(y_shifted, np.cos(2 * np.pi * 5 * np.arange(100) / 100), atol=1e-12)


def test_tone_mixture_noise_comes_from_the_generator():
    _, a = tone_mixture([440], [0.5], noise=0.1, rng=0)
    _, b = tone_mixture([440], [0.5], noise=0.1, rng=np.random.default_rng(0))
    _, c = tone_mixture([440], [0.5], noise=0.1, rng=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    _, clean = tone_mixture([440], [0.5])
    assert np.std(a - clean) == pytest.approx(0.1, rel=0.05)


def test_tone_mixture_spectrogram_peaks_at_its_tones():
    sr, win = 8000, 256
    _, y = tone_mixture([500, 2000], [1.0, 0.8], sr=sr, noise=0.05, rng=3)
    S = stft_mag(y, win, 128)
    peaks = fft_frequencies(sr, win)[np.argsort(S.mean(axis=0))[-2:]]
    assert sorted(peaks.tolist()) == [500.0, 2000.0]


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: stft_mag(np.zeros((2, 3, 4))), ValueError, r"y must be 1-D or 2-D with shape \(n,\) or \(B, n\); got shape \(2, 3, 4\)"),
        (lambda: stft_mag(np.float64(3.0)), ValueError, r"y must be 1-D or 2-D.*got shape \(\)"),
        (lambda: stft_mag(np.zeros(0)), ValueError, "y must hold at least one sample"),
        (lambda: stft_mag(np.zeros((2, 0))), ValueError, "y must hold at least one sample"),
        (lambda: stft_mag(np.array(["a", "b"])), TypeError, "y must be a real numeric array"),
        (lambda: stft_mag(np.zeros(10, complex)), TypeError, "y must be a real numeric array"),
        (lambda: stft_mag(np.zeros(100), 0, 1), ValueError, "win must be an integer >= 1; got 0"),
        (lambda: stft_mag(np.zeros(100), 16.0, 8), TypeError, "win must be an integer >= 1; got float 16.0"),
        (lambda: stft_mag(np.zeros(100), 16, 0), ValueError, "hop must be an integer >= 1; got 0"),
        (lambda: stft_mag(np.zeros(100), 16, 2.5), TypeError, "hop must be an integer >= 1; got float"),
        (lambda: stft_mag(np.zeros(100), 16, True), TypeError, "hop must be an integer >= 1; got bool"),
        (lambda: stft_mag(np.zeros(100), 16, 17), ValueError, "hop must be <= win .*got hop=17, win=16"),
        (lambda: stft_mag(np.zeros(10), 16, 8, pad_end=False), ValueError, "y has 10 samples, fewer than win=16"),
        (lambda: stft_mag(np.zeros(100), 16, 8, window=np.ones(15)), ValueError, r"window must be .*shape \(win,\) = \(16,\); got shape \(15,\)"),
        (lambda: stft_mag(np.zeros(100), 16, 8, window=np.ones((16, 1))), ValueError, r"window must be .*got shape \(16, 1\)"),
        (lambda: stft_mag(np.zeros(100), 16, 8, window="hanning"), ValueError, "window must be one of 'hann'.*got 'hanning'"),
        (lambda: stft_mag(np.zeros(100), 16, 8, window=np.full(16, np.nan)), ValueError, "window must hold finite values"),
        (lambda: stft_mag(np.zeros(100), 16, 8, window=["a"] * 16), TypeError, "window must be a real numeric array"),
        (lambda: stft_mag(np.zeros(100), 16, 8, pad_end=1), TypeError, "pad_end must be True or False; got int 1"),
        (lambda: stft_mag(np.zeros(100), 16, 8, periodic="yes"), TypeError, "periodic must be True or False"),
        (lambda: frame(np.zeros((2, 3, 4)), 2, 1), ValueError, r"y must be 1-D or 2-D"),
        (lambda: frame(np.zeros(3), 4, 2, pad_end=False), ValueError, "y has 3 samples, fewer than win=4"),
        (lambda: frame(np.zeros(0), 4, 2), ValueError, "y must hold at least one sample"),
        (lambda: frame(np.zeros(9), 4, 5), ValueError, "hop must be <= win"),
        (lambda: n_frames(0, 4, 2), ValueError, "n must be an integer >= 1; got 0"),
        (lambda: n_frames(3, 4, 2, pad_end=False), ValueError, "n has 3 samples, fewer than win=4"),
        (lambda: n_frames(10, -4, 2), ValueError, "win must be an integer >= 1; got -4"),
        (lambda: hann(0), ValueError, "win must be an integer >= 1; got 0"),
        (lambda: hann(8, periodic=None), TypeError, "periodic must be True or False"),
        (lambda: get_window("kaiser", 8), ValueError, "window must be one of"),
        (lambda: fft_frequencies(0, 8), ValueError, "sr must be a positive number; got 0"),
        (lambda: fft_frequencies(8000, 0), ValueError, "win must be an integer >= 1"),
        (lambda: frame_times(0, 8000, 128, 256), ValueError, "n_frames must be an integer >= 1; got 0"),
        (lambda: frame_times(4, "8k", 128, 256), TypeError, "sr must be a positive number; got str"),
        (lambda: frame_times(4, 8000, 300, 256), ValueError, "hop must be <= win"),
    ],
)
def test_stft_refusals_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


S_OK = np.ones((3, 4))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: amplitude_to_db(S_OK, amin=0.0), ValueError, "amin must be a positive number; got 0.0"),
        (lambda: power_to_db(S_OK, amin=-1e-10), ValueError, "amin must be a positive number; got -1e-10"),
        (lambda: amplitude_to_db(S_OK, amin="small"), TypeError, "amin must be a positive number; got str"),
        (lambda: amplitude_to_db(S_OK, top_db=-1.0), ValueError, "top_db must be a number >= 0; got -1.0"),
        (lambda: power_to_db(S_OK, top_db=-80), ValueError, "top_db must be a number >= 0; got -80"),
        (lambda: power_to_db(S_OK, top_db="80"), TypeError, "top_db must be a number >= 0; got str"),
        (lambda: amplitude_to_db(S_OK, ref=0.0), ValueError, "ref must be a positive number; got 0.0"),
        (lambda: power_to_db(S_OK, ref=-1.0), ValueError, "ref must be a positive number; got -1.0"),
        (lambda: amplitude_to_db(S_OK, ref=lambda s: s.max(axis=0)), ValueError, r"ref\(S\) must return a finite scalar"),
        (lambda: power_to_db(S_OK, ref=lambda s: np.nan), ValueError, r"ref\(S\) must return a finite scalar"),
        (lambda: power_to_db(-S_OK), ValueError, "S must be a power spectrogram, >= 0 everywhere; got a minimum of -1.0"),
        (lambda: power_to_db(S_OK + 1j), TypeError, "S must be a real power spectrogram; got a complex array"),
        (lambda: amplitude_to_db(np.array(["x"])), TypeError, "S must be a real numeric array"),
        (lambda: amplitude_to_db(np.zeros((0, 4))), ValueError, r"S must hold at least one value; got shape \(0, 4\)"),
        (lambda: power_to_db([]), ValueError, "S must hold at least one value"),
    ],
)
def test_db_refusals_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"freqs": [5000], "amps": [1.0]}, ValueError, r"freqs must lie in \[0, sr/2\] = \[0, 4000\] Hz.*got values from 5000 to 5000"),
        ({"freqs": [-1.0], "amps": [1.0]}, ValueError, r"freqs must lie in \[0, sr/2\]"),
        ({"freqs": [], "amps": []}, ValueError, "freqs must hold at least one frequency"),
        ({"freqs": [[440]], "amps": [[1.0]]}, ValueError, r"freqs must be 1-D with shape \(k,\); got shape \(1, 1\)"),
        ({"freqs": [440, 880], "amps": [1.0]}, ValueError, r"amps must have the shape of freqs, \(2,\); got shape \(1,\)"),
        ({"freqs": [440], "amps": [1.0], "phases": [0.0, 1.0]}, ValueError, r"phases must have the shape of freqs"),
        ({"freqs": ["a"], "amps": [1.0]}, TypeError, "freqs must be a real numeric array"),
        ({"freqs": [440], "amps": [np.inf]}, ValueError, "freqs, amps and phases must be finite"),
        ({"freqs": [440], "amps": [1.0], "noise": 0.1}, TypeError, "rng must be a numpy.random.Generator or an int seed when noise > 0"),
        ({"freqs": [440], "amps": [1.0], "noise": 0.1, "rng": np.random}, TypeError, "rng must be a numpy.random.Generator"),
        ({"freqs": [440], "amps": [1.0], "noise": -0.1}, ValueError, "noise must be a number >= 0; got -0.1"),
        ({"freqs": [440], "amps": [1.0], "sr": 0}, ValueError, "sr must be a positive number; got 0"),
        ({"freqs": [440], "amps": [1.0], "duration": 0.0}, ValueError, "duration must be a positive number; got 0.0"),
        ({"freqs": [1], "amps": [1.0], "sr": 4, "duration": 0.1}, ValueError, "duration \\* sr must give at least one sample"),
    ],
)
def test_tone_mixture_refusals_name_the_argument(kwargs, error, message):
    freqs, amps = kwargs.pop("freqs"), kwargs.pop("amps")
    with pytest.raises(error, match=message):
        tone_mixture(freqs, amps, **kwargs)
