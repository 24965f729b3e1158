"""seqconv.conv against a plain loop, PyTorch, SciPy, hand-checkable inputs and properties."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from seqconv import conv as conv_module
from seqconv.conv import (
    conv1d,
    conv1d_causal,
    conv1d_dilated_causal,
    conv1d_output_length,
    conv1d_valid,
    receptive_field,
    resolve_padding,
)
from seqconv.gradcheck import rel_error
from tests.reference import (
    conv1d_loop,
    pads_for,
    seed_conv1d_causal,
    seed_conv1d_dilated_causal,
    seed_conv1d_valid,
)

# Errors are measured against a tenth of the result's scale: an output that sums to nearly
# zero has no relative accuracy in floating point, whatever the implementation.
TOL = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-10}

PADDINGS = ["valid", "causal", "same", 2, (3, 1), (0, 4)]


def assert_matches(H: np.ndarray, ref: np.ndarray, dtype, what: str = "") -> None:
    """H has ref's shape, the expected dtype, and agrees with it to that dtype's precision."""
    dtype = np.dtype(dtype)
    assert H.shape == ref.shape, f"{what}: expected shape {ref.shape}, got {H.shape}"
    assert H.dtype == dtype, f"{what}: expected dtype {dtype}, got {H.dtype}"
    scale = max(float(np.abs(ref).max()), 1e-30)
    err = rel_error(H, ref, eps=0.1 * scale)
    assert err < TOL[dtype], f"{what}: relative error {err:.2e} > {TOL[dtype]:.0e}"


@pytest.fixture(params=["end_to_end", "per_sequence"])
def strategy(request, monkeypatch):
    """Run a test under both multi-channel strategies: batches laid end to end, or one
    product per (sequence, tap). Single sequences always take the second."""
    monkeypatch.setattr(conv_module, "_FLAT_MAX_LEN", 10**9 if request.param == "end_to_end" else 0)
    return request.param


# --- against the plain loop -------------------------------------------------------------


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("dilation", [1, 2, 3])
@pytest.mark.parametrize("s", [3, 4])  # "same": total pad (s-1)*dilation is even for s=3, odd for s=4 and odd dilation
@pytest.mark.parametrize("padding", PADDINGS, ids=str)
def test_matches_loop_reference(padding, s, dilation, stride, strategy):
    rng = np.random.default_rng(0)
    pad = pads_for(padding, s, dilation)
    for c_in, c_out in [(3, 2), (8, 16)]:  # few channels (numpy products) and BLAS's in-place gemm
        K = rng.standard_normal((s, c_in, c_out))
        b = rng.standard_normal(c_out)
        for shape in [(17, c_in), (3, 17, c_in)]:
            X = rng.standard_normal(shape)
            ref = conv1d_loop(X, K, b, pad=pad, dilation=dilation, stride=stride)
            for dtype in (np.float64, np.float32):
                Xd, Kd, bd = X.astype(dtype), K.astype(dtype), b.astype(dtype)
                ref_d = conv1d_loop(Xd, Kd, bd, pad=pad, dilation=dilation, stride=stride)
                H = conv1d(Xd, Kd, bd, padding=padding, dilation=dilation, stride=stride)
                assert_matches(H, ref_d, dtype, f"{shape} {c_in}->{c_out} {dtype.__name__}")
            H = conv1d(X, K, padding=padding, dilation=dilation, stride=stride)
            assert_matches(H, ref - b, np.float64, f"{shape} without bias")


@pytest.mark.parametrize("B", [None, 3])
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("dilation", [1, 3])
@pytest.mark.parametrize("s", [1, 2, 5, 9, 16])  # stride 1 and s >= 5 take the banded one-channel path
@pytest.mark.parametrize("padding", ["valid", "causal", "same", (5, 2)], ids=str)
def test_one_channel_matches_loop_reference(padding, s, dilation, stride, B, strategy):
    rng = np.random.default_rng(1)
    pad = pads_for(padding, s, dilation)
    n = 50
    X = rng.standard_normal((n, 1) if B is None else (B, n, 1))
    K = rng.standard_normal((s, 1, 1))
    b = rng.standard_normal(1)
    for dtype in (np.float64, np.float32):
        Xd, Kd, bd = X.astype(dtype), K.astype(dtype), b.astype(dtype)
        ref = conv1d_loop(Xd, Kd, pad=pad, dilation=dilation, stride=stride)
        assert_matches(conv1d(Xd, Kd, padding=padding, dilation=dilation, stride=stride), ref, dtype, "no bias")
        assert_matches(conv1d(Xd, Kd, bd, padding=padding, dilation=dilation, stride=stride), ref + bd, dtype, "bias")


@st.composite
def conv_problems(draw):
    """A random convolution problem that fits: shapes, padding, dilation, stride and a seed."""
    s = draw(st.integers(1, 6))
    dilation = draw(st.integers(1, 4))
    stride = draw(st.integers(1, 4))
    padding = draw(st.one_of(
        st.sampled_from(["valid", "causal", "same"]),
        st.integers(0, 6),
        st.tuples(st.integers(0, 6), st.integers(0, 6)),
    ))
    left, right = pads_for(padding, s, dilation)
    n_min = max(1, (s - 1) * dilation + 1 - left - right)
    n = draw(st.integers(n_min, n_min + 40))
    B = draw(st.sampled_from([None, 1, 2, 5]))
    c_in, c_out = draw(st.sampled_from([(1, 1), (1, 3), (2, 1), (3, 4), (8, 8), (1, 16), (5, 17)]))
    return dict(s=s, dilation=dilation, stride=stride, padding=padding, n=n, B=B, c_in=c_in, c_out=c_out,
                bias=draw(st.booleans()), seed=draw(st.integers(0, 2**32 - 1)))


@settings(max_examples=150, deadline=None)
@given(conv_problems())
def test_random_problems_match_loop_reference(p):
    rng = np.random.default_rng(p["seed"])
    shape = (p["n"], p["c_in"]) if p["B"] is None else (p["B"], p["n"], p["c_in"])
    X = rng.standard_normal(shape)
    K = rng.standard_normal((p["s"], p["c_in"], p["c_out"]))
    b = rng.standard_normal(p["c_out"]) if p["bias"] else None
    pad = pads_for(p["padding"], p["s"], p["dilation"])
    ref = conv1d_loop(X, K, b, pad=pad, dilation=p["dilation"], stride=p["stride"])
    H = conv1d(X, K, b, padding=p["padding"], dilation=p["dilation"], stride=p["stride"])
    assert_matches(H, ref, np.float64, str(p))
    assert H.flags.c_contiguous


def test_lecture_wrappers_match_the_seed_loops():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((20, 2))
    K = rng.standard_normal((3, 2, 4)) * 0.1
    H = conv1d_valid(X, K)
    assert H.shape == (18, 4), f"conv1d_valid: expected (n - s + 1, c_out) = (18, 4), got {H.shape}"
    assert_matches(H, seed_conv1d_valid(X, K), np.float64, "conv1d_valid")
    H = conv1d_causal(X, K)
    assert H.shape == (20, 4), f"conv1d_causal: expected (n, c_out) = (20, 4), got {H.shape}"
    assert_matches(H, seed_conv1d_causal(X, K), np.float64, "conv1d_causal")
    for dilation in (1, 2, 4):
        H = conv1d_dilated_causal(X, K, dilation=dilation)
        assert_matches(H, seed_conv1d_dilated_causal(X, K, dilation=dilation), np.float64, f"dilated d={dilation}")
    b = rng.standard_normal(4)
    assert_matches(conv1d_valid(X, K, b), seed_conv1d_valid(X, K) + b, np.float64, "conv1d_valid with b")
    # the wrappers take batches too
    Xb = rng.standard_normal((3, 20, 2))
    assert_matches(conv1d_dilated_causal(Xb, K, 2), np.stack([seed_conv1d_dilated_causal(x, K, 2) for x in Xb]),
                   np.float64, "dilated causal batch")


# --- against PyTorch and SciPy ------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("dilation", [1, 2])
@pytest.mark.parametrize("s", [2, 3, 4])
@pytest.mark.parametrize("padding", ["valid", "same", "causal", 1, (2, 0)], ids=str)
def test_matches_torch(padding, s, dilation, stride):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(3)
    for c_in, c_out in [(3, 2), (4, 16)]:
        X = rng.standard_normal((2, 15, c_in))
        K = rng.standard_normal((s, c_in, c_out))
        b = rng.standard_normal(c_out)
        x = torch.from_numpy(X.transpose(0, 2, 1).copy())  # (B, c_in, n)
        w = torch.from_numpy(K.transpose(2, 1, 0).copy())  # (c_out, c_in, s)
        if padding == "same" and stride == 1:
            expected = F.conv1d(x, w, torch.from_numpy(b), padding="same", dilation=dilation)
        else:  # torch's padding="same" needs stride 1; pad explicitly, as seqconv defines the modes
            left, right = pads_for(padding, s, dilation)
            expected = F.conv1d(F.pad(x, (left, right)), w, torch.from_numpy(b), dilation=dilation, stride=stride)
        expected = expected.numpy().transpose(0, 2, 1)
        H = conv1d(X, K, b, padding=padding, dilation=dilation, stride=stride)
        assert_matches(H, expected, np.float64, f"vs torch, {c_in}->{c_out}")


def test_same_padding_puts_the_odd_zero_on_the_right_like_torch():
    torch = pytest.importorskip("torch")
    X = np.arange(1.0, 7.0).reshape(6, 1)
    K = np.ones((4, 1, 1))  # total pad 3: one zero on the left, two on the right
    x = torch.from_numpy(X.T[None].copy())  # (1, 1, 6)
    w = torch.from_numpy(K.transpose(2, 1, 0).copy())  # (1, 1, 4)
    expected = torch.nn.functional.conv1d(x, w, padding="same").numpy()[0].T
    H = conv1d(X, K, padding="same")
    np.testing.assert_array_equal(H[:, 0], [6.0, 10.0, 14.0, 18.0, 15.0, 11.0])  # 0+1+2+3, ..., 5+6+0+0
    np.testing.assert_array_equal(H, expected)
    assert resolve_padding("same", 4) == (1, 2)


@pytest.mark.parametrize("s", [1, 3, 9, 33])
@pytest.mark.parametrize("n", [40, 1000])
def test_one_channel_matches_scipy_correlate(n, s):
    rng = np.random.default_rng(4)
    x = rng.standard_normal(n)
    k = rng.standard_normal(s)
    H = conv1d(x[:, None], k[:, None, None])
    assert_matches(H[:, 0], scipy.signal.correlate(x, k, mode="valid"), np.float64, "mode='valid'")
    H = conv1d(x[:, None], k[:, None, None], padding=s - 1)
    assert_matches(H[:, 0], scipy.signal.correlate(x, k, mode="full"), np.float64, "mode='full' (padding s - 1)")
    H32 = conv1d(x[:, None].astype(np.float32), k[:, None, None].astype(np.float32))
    assert_matches(H32[:, 0], scipy.signal.correlate(x.astype(np.float32), k.astype(np.float32), mode="valid"),
                   np.float32, "float32")


# --- hand-checkable inputs ----------------------------------------------------------------


def test_moving_sums_of_arange():
    X = np.arange(6).reshape(6, 1)  # 0 1 2 3 4 5
    ones3 = np.ones((3, 1, 1))
    cases = {
        "valid": ([3, 6, 9, 12], conv1d(X, ones3)),
        "causal": ([0, 1, 3, 6, 9, 12], conv1d(X, ones3, padding="causal")),
        "same": ([1, 3, 6, 9, 12, 9], conv1d(X, ones3, padding="same")),
        "stride 2": ([3, 9], conv1d(X, ones3, stride=2)),
        "dilation 2, s=2": ([2, 4, 6, 8], conv1d(X, np.ones((2, 1, 1)), dilation=2)),
        "padding (1, 0)": ([1, 3, 6, 9, 12], conv1d(X, ones3, padding=(1, 0))),
        "bias 10": ([13, 16, 19, 22], conv1d(X, ones3, [10.0])),
    }
    for name, (expected, H) in cases.items():
        assert H.shape == (len(expected), 1), f"{name}: expected shape {(len(expected), 1)}, got {H.shape}"
        np.testing.assert_array_equal(H[:, 0], expected, err_msg=name)


def test_channels_are_mixed_by_the_kernel():
    X = np.arange(12.0).reshape(6, 2)  # channel 0: 0 2 4 6 8 10, channel 1: 1 3 5 7 9 11
    K = np.zeros((3, 2, 3))
    K[:, 0, 0] = 1  # output 0: moving sum of channel 0
    K[:, 1, 1] = 1  # output 1: moving sum of channel 1
    K[:, :, 2] = 1  # output 2: moving sum of both
    H = conv1d(X, K)
    np.testing.assert_array_equal(H[:, 0], [6, 12, 18, 24])
    np.testing.assert_array_equal(H[:, 1], [9, 15, 21, 27])
    np.testing.assert_array_equal(H[:, 2], [15, 27, 39, 51])
    Xb = np.stack([X, 10 * X])  # a batch: the second sequence's outputs are 10 times the first's
    Hb = conv1d(Xb, K)
    np.testing.assert_array_equal(Hb[0], H)
    np.testing.assert_array_equal(Hb[1], 10 * H)


def test_kernel_is_not_flipped():
    X = np.zeros((7, 1))
    X[3] = 1.0
    K = np.array([1.0, 2.0, 3.0]).reshape(3, 1, 1)
    # cross-correlation: H[i] = sum_j X[i + j] K[j], so the impulse at 3 reads the kernel backwards
    np.testing.assert_array_equal(conv1d(X, K)[:, 0], [0, 3, 2, 1, 0])


def test_lecture_impulse_demo():
    X_demo = np.zeros((40, 1))
    X_demo[10] = 1.0
    K_demo = np.ones((3, 1, 1))
    for dilation in (1, 2, 4):
        H = conv1d_dilated_causal(X_demo, K_demo, dilation=dilation)
        assert H.shape == (40, 1)
        np.testing.assert_array_equal(np.flatnonzero(H[:, 0]), [10, 10 + dilation, 10 + 2 * dilation])


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 60), s=st.integers(1, 8), dilation=st.integers(1, 5), stride=st.integers(1, 5),
       padding=st.one_of(st.sampled_from(["valid", "causal", "same"]), st.integers(0, 8),
                         st.tuples(st.integers(0, 8), st.integers(0, 8))))
def test_output_length_formula(n, s, dilation, stride, padding):
    left, right = pads_for(padding, s, dilation)
    assert resolve_padding(padding, s, dilation) == (left, right)
    X = np.ones((n, 1))
    K = np.ones((s, 1, 2))
    if (s - 1) * dilation + 1 > n + left + right:
        with pytest.raises(ValueError, match="span"):
            conv1d_output_length(n, s, padding=padding, dilation=dilation, stride=stride)
        with pytest.raises(ValueError, match="span"):
            conv1d(X, K, padding=padding, dilation=dilation, stride=stride)
        return
    expected = (n + left + right - dilation * (s - 1) - 1) // stride + 1
    assert conv1d_output_length(n, s, padding=padding, dilation=dilation, stride=stride) == expected
    H = conv1d(X, K, padding=padding, dilation=dilation, stride=stride)
    assert H.shape == (expected, 2), f"expected ({expected}, 2), got {H.shape}"
    if stride == 1 and padding in ("causal", "same"):
        assert expected == n


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 40), s=st.integers(1, 6), dilation=st.integers(1, 4),
       channels=st.sampled_from([(1, 1), (2, 3), (8, 16)]), B=st.sampled_from([None, 3]),
       data=st.data())
def test_causal_outputs_ignore_the_future(n, s, dilation, channels, B, data):
    t = data.draw(st.integers(0, n - 2), label="t")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    c_in, c_out = channels
    X = rng.standard_normal((n, c_in) if B is None else (B, n, c_in))
    K = rng.standard_normal((s, c_in, c_out))
    X_future = X.copy()
    X_future[..., t + 1 :, :] += 100 * rng.standard_normal(X[..., t + 1 :, :].shape)
    for name, f in [("conv1d causal", lambda Z: conv1d(Z, K, padding="causal", dilation=dilation)),
                    ("conv1d_causal", lambda Z: conv1d_causal(Z, K)),
                    ("conv1d_dilated_causal", lambda Z: conv1d_dilated_causal(Z, K, dilation=dilation))]:
        H, H_future = f(X), f(X_future)
        assert H.shape[-2] == n
        np.testing.assert_allclose(H_future[..., : t + 1, :], H[..., : t + 1, :], rtol=1e-12, atol=1e-12,
                                   err_msg=f"{name}: outputs up to t={t} moved when inputs after t changed")


def test_non_causal_padding_does_see_the_future():
    """The perturbation check has teeth: with "same" padding the future leaks into output t."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((20, 2))
    K = rng.uniform(0.5, 1.5, size=(3, 2, 2))
    X_future = X.copy()
    X_future[11] += 1.0
    H, H_future = conv1d(X, K, padding="same"), conv1d(X_future, K, padding="same")
    assert np.all(H_future[10] != H[10]), "output 10 of a centred kernel should see input 11"
    np.testing.assert_array_equal(H_future[:10], H[:10])


@pytest.mark.parametrize("B, n", [(4, 30), (4, 2000)])  # end-to-end and per-sequence strategies
def test_sequences_of_a_batch_do_not_leak_into_each_other(B, n):
    rng = np.random.default_rng(6)
    X = rng.standard_normal((B, n, 8))
    K = rng.standard_normal((5, 8, 8))
    for padding in ["valid", "causal", "same", (7, 7)]:
        H = conv1d(X, K, padding=padding, dilation=2)
        X2 = X.copy()
        X2[1] = 1e6
        H2 = conv1d(X2, K, padding=padding, dilation=2)
        keep = [0, 2, 3]
        np.testing.assert_array_equal(H2[keep], H[keep], err_msg=f"padding={padding}")


@st.composite
def layer_stacks(draw, max_stride: int):
    layers = draw(st.integers(1, 4))
    return [(draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, max_stride))) for _ in range(layers)]


@settings(max_examples=60, deadline=None)
@given(stack=layer_stacks(max_stride=1), seed=st.integers(0, 2**32 - 1))
def test_receptive_field_is_the_support_of_the_impulse_response(stack, seed):
    """A stack of causal dilated convs with positive kernels on an impulse at time 0: its
    response spans times 0 .. receptive_field - 1 (dilations may leave holes inside that span:
    k=2, d=2 alone responds at 0 and 2, so the extent is measured, not the count)."""
    rng = np.random.default_rng(seed)
    ks, ds = [k for k, _, _ in stack], [d for _, d, _ in stack]
    rf = receptive_field(ks, ds)
    H = np.zeros((rf + 10, 1))
    H[0] = 1.0
    for k, d in zip(ks, ds, strict=True):
        H = conv1d_dilated_causal(H, rng.uniform(0.5, 1.5, size=(k, H.shape[1], 2)), dilation=d)
    support = np.flatnonzero(np.abs(H).sum(axis=1))
    extent = support[-1] - support[0] + 1
    assert support[0] == 0 and extent == rf, (
        f"stack {stack}: impulse response spans {support[0]}..{support[-1]}, expected 0..{rf - 1}")
    if all(k == 1 or d <= receptive_field(ks[:i], ds[:i]) for i, (k, d) in enumerate(zip(ks, ds, strict=True))):
        # no holes when each layer's tap spacing is bridged by what the layers below already see
        assert support.size == rf, f"stack {stack}: {support.size} nonzero responses, receptive_field {rf}"


def test_receptive_field_counts_the_nonzero_responses_of_the_lecture_stack():
    X = np.zeros((20, 1))
    X[0] = 1.0
    H = conv1d_dilated_causal(conv1d_dilated_causal(X, np.ones((3, 1, 1)), 1), np.ones((3, 1, 1)), 2)
    np.testing.assert_array_equal(np.flatnonzero(H[:, 0]), np.arange(receptive_field([3, 3], [1, 2])))


@settings(max_examples=60, deadline=None)
@given(stack=layer_stacks(max_stride=3), seed=st.integers(0, 2**32 - 1))
def test_receptive_field_with_strides_is_the_set_of_inputs_each_output_sees(stack, seed):
    """All unit impulses at once (a batch of N sequences, impulse p in sequence p) through a
    stack of valid strided convs with positive kernels: the inputs output o sees span
    receptive_field positions starting at o * (product of the strides)."""
    rng = np.random.default_rng(seed)
    ks, ds, ss = zip(*stack, strict=True)
    rf = receptive_field(ks, ds, ss)
    jump = int(np.prod(ss))
    N = rf + 3 * jump
    H = np.eye(N)[:, :, None]  # (B = N, n = N, c = 1)
    for k, d, s in stack:
        H = conv1d(H, rng.uniform(0.5, 1.5, size=(k, H.shape[2], 2)), dilation=d, stride=s)
    seen = np.abs(H).sum(axis=2) > 0  # (input position p, output position o)
    for o in range(H.shape[1]):
        inputs = np.flatnonzero(seen[:, o])
        assert (inputs[0], inputs[-1]) == (o * jump, o * jump + rf - 1), (
            f"stack {stack}: output {o} sees inputs {inputs[0]}..{inputs[-1]}, "
            f"expected {o * jump}..{o * jump + rf - 1}")


def test_receptive_field_by_hand():
    assert receptive_field([3]) == 3
    assert receptive_field([3, 3], [1, 2]) == 7  # the lecture's exercise: dilations 1 and 2
    assert receptive_field([2, 2, 2, 2], [1, 2, 4, 8]) == 16  # WaveNet-style doubling
    assert receptive_field([3, 3], strides=[2, 1]) == 1 + 2 + 2 * 2
    assert receptive_field([]) == 1
    assert receptive_field(np.array([3, 3]), (1, 2)) == 7


# --- dtypes and input handling ------------------------------------------------------------


@pytest.mark.parametrize("x_dtype, k_dtype, b_dtype, expected", [
    (np.float32, np.float32, None, np.float32),
    (np.float32, np.float32, np.float32, np.float32),
    (np.float64, np.float64, None, np.float64),
    (np.int64, np.int64, None, np.float64),
    (np.int32, np.float32, None, np.float64),  # integers are computed in float64
    (np.float32, np.float64, None, np.float64),
    (np.float64, np.float32, None, np.float64),
    (np.float32, np.float32, np.float64, np.float64),
    (np.bool_, np.int8, None, np.float64),
    (np.float16, np.float16, None, np.float32),
])
@pytest.mark.parametrize("channels", [(1, 1), (2, 3), (8, 16)])
def test_dtype_rules(x_dtype, k_dtype, b_dtype, expected, channels):
    c_in, c_out = channels
    X = (np.arange(20 * c_in).reshape(20, c_in) % 3).astype(x_dtype)
    K = np.ones((5, c_in, c_out)).astype(k_dtype)
    b = None if b_dtype is None else np.ones(c_out, dtype=b_dtype)
    for padding in ["valid", "causal"]:
        H = conv1d(X, K, b, padding=padding)
        assert H.dtype == expected, (
            f"{x_dtype.__name__} X, {k_dtype.__name__} K: expected {expected.__name__}, got {H.dtype}")
        ref = conv1d_loop(X, K, b, pad=pads_for(padding, 5))
        np.testing.assert_array_equal(H, ref)  # small integers: exact in any float type


def test_lists_and_non_contiguous_views_are_accepted_and_inputs_are_not_modified():
    rng = np.random.default_rng(7)
    base = rng.standard_normal((3, 40, 6))
    X = base[:, ::2, ::2]  # (3, 20, 3), not contiguous
    K = rng.standard_normal((3, 3, 16))
    b = rng.standard_normal(16)
    copies = [a.copy() for a in (base, K, b)]
    ref = conv1d_loop(X, K, b, pad=(2, 0))
    assert_matches(conv1d(X, K, b, padding="causal"), ref, np.float64, "strided view")
    assert_matches(conv1d(X.tolist(), K.tolist(), b.tolist(), padding="causal"), ref, np.float64, "lists")
    XT = np.ascontiguousarray(X[0].T).T  # Fortran-ordered (20, 3)
    assert_matches(conv1d(XT, K, b, padding="causal"), ref[0], np.float64, "Fortran order")
    for before, after in zip(copies, (base, K, b), strict=True):
        np.testing.assert_array_equal(before, after)


def test_padding_larger_than_the_input_is_fine():
    X = np.array([[1.0], [2.0]])
    K = np.ones((3, 1, 1))
    np.testing.assert_array_equal(conv1d(X, K, padding=4)[:, 0], [0, 0, 1, 3, 3, 2, 0, 0])
    # strided outputs that see only zeros
    np.testing.assert_array_equal(conv1d(X, np.ones((2, 1, 1)), padding=(3, 3), stride=5)[:, 0], [0, 0])
    np.testing.assert_array_equal(conv1d(X, np.ones((2, 1, 1)), [1.5], padding=(3, 3), stride=5)[:, 0], [1.5, 1.5])


# --- bad input ----------------------------------------------------------------------------

X_OK = np.zeros((10, 2))
K_OK = np.zeros((3, 2, 4))

BAD_CALLS = [
    # (description, call, error type, message pattern)
    ("X 1-D", lambda: conv1d(np.zeros(5), K_OK), ValueError, r"X must be 2-D or 3-D .*got shape \(5,\)"),
    ("X 4-D", lambda: conv1d(np.zeros((1, 2, 10, 2)), K_OK), ValueError, r"X must be 2-D or 3-D"),
    ("K 2-D", lambda: conv1d(X_OK, np.zeros((3, 2))), ValueError, r"K must be 3-D .*\(s, c_in, c_out\)"),
    ("K 4-D", lambda: conv1d(X_OK, np.zeros((3, 2, 4, 1))), ValueError, r"K must be 3-D"),
    ("c_in mismatch", lambda: conv1d(X_OK, np.zeros((3, 3, 4))), ValueError, r"K's c_in must equal X's channel count"),
    ("kernel longer than input", lambda: conv1d(np.zeros((2, 2)), K_OK), ValueError, r"span .* = 3 is longer than the padded input"),
    ("dilated kernel longer", lambda: conv1d(np.zeros((4, 2)), K_OK, dilation=2), ValueError, r"span .* = 5"),
    ("kernel longer than padded input", lambda: conv1d(np.zeros((1, 2)), np.zeros((5, 2, 4)), padding=(1, 2)),
     ValueError, r"padded input n \+ left \+ right = 1 \+ 1 \+ 2 = 4"),
    ("dilation 0", lambda: conv1d(X_OK, K_OK, dilation=0), ValueError, r"dilation must be an integer >= 1; got 0"),
    ("dilation float", lambda: conv1d(X_OK, K_OK, dilation=1.5), TypeError, r"dilation must be an integer"),
    ("dilation bool", lambda: conv1d(X_OK, K_OK, dilation=True), TypeError, r"dilation must be an integer"),
    ("stride 0", lambda: conv1d(X_OK, K_OK, stride=0), ValueError, r"stride must be an integer >= 1"),
    ("stride -2", lambda: conv1d(X_OK, K_OK, stride=-2), ValueError, r"stride must be an integer >= 1"),
    ("stride str", lambda: conv1d(X_OK, K_OK, stride="2"), TypeError, r"stride must be an integer"),
    ("negative pad", lambda: conv1d(X_OK, K_OK, padding=-1), ValueError, r"padding must be an integer >= 0; got -1"),
    ("negative right pad", lambda: conv1d(X_OK, K_OK, padding=(1, -2)), ValueError, r"padding\[1\] \(right\) must be an integer >= 0"),
    ("negative left pad", lambda: conv1d(X_OK, K_OK, padding=[-1, 0]), ValueError, r"padding\[0\] \(left\)"),
    ("pad triple", lambda: conv1d(X_OK, K_OK, padding=(1, 2, 3)), ValueError, r"padding .* \(left, right\) pair; got 3"),
    ("pad float", lambda: conv1d(X_OK, K_OK, padding=1.5), TypeError, r"padding must be 'valid', 'causal', 'same', an int"),
    ("pad None", lambda: conv1d(X_OK, K_OK, padding=None), TypeError, r"padding must be"),
    ("pad bool", lambda: conv1d(X_OK, K_OK, padding=True), TypeError, r"padding must be"),
    ("pad float in pair", lambda: conv1d(X_OK, K_OK, padding=(1.0, 1)), TypeError, r"padding\[0\] \(left\) must be an integer"),
    ("unknown mode", lambda: conv1d(X_OK, K_OK, padding="full"), ValueError, r"padding must be one of 'valid', 'causal', 'same'; got 'full'"),
    ("empty batch", lambda: conv1d(np.zeros((0, 10, 2)), K_OK), ValueError, r"X must hold at least one sequence.*B = 0"),
    ("empty sequence", lambda: conv1d(np.zeros((0, 2)), K_OK), ValueError, r"X must have at least one time step.*n = 0"),
    ("empty sequences in batch", lambda: conv1d(np.zeros((3, 0, 2)), K_OK), ValueError, r"X must have at least one time step"),
    ("no channels", lambda: conv1d(np.zeros((10, 0)), K_OK), ValueError, r"K's c_in must equal X's channel count"),
    ("empty kernel", lambda: conv1d(X_OK, np.zeros((0, 2, 4))), ValueError, r"K must have s >= 1, c_in >= 1 and c_out >= 1"),
    ("no output channels", lambda: conv1d(X_OK, np.zeros((3, 2, 0))), ValueError, r"K must have s >= 1"),
    ("X strings", lambda: conv1d(np.array([["a", "b"]] * 10), K_OK), TypeError, r"X must be a real numeric array.*<U1"),
    ("X complex", lambda: conv1d(X_OK + 1j, K_OK), TypeError, r"X must be a real numeric array.*complex"),
    ("X object", lambda: conv1d(np.array([[1.0, None]] * 10), K_OK), TypeError, r"X must be a real numeric array.*object"),
    ("X ragged", lambda: conv1d([[1.0, 2.0], [3.0]], K_OK), TypeError, r"X must be a numeric array"),
    ("K complex", lambda: conv1d(X_OK, K_OK.astype(complex)), TypeError, r"K must be a real numeric array"),
    ("K strings", lambda: conv1d(X_OK, np.full((3, 2, 4), "x")), TypeError, r"K must be a real numeric array"),
    ("b strings", lambda: conv1d(X_OK, K_OK, ["a"] * 4), TypeError, r"b must be a real numeric array"),
    ("b too short", lambda: conv1d(X_OK, K_OK, np.zeros(3)), ValueError, r"b must have shape \(c_out,\) = \(4,\); got shape \(3,\)"),
    ("b 2-D", lambda: conv1d(X_OK, K_OK, np.zeros((1, 4))), ValueError, r"b must have shape \(c_out,\) = \(4,\); got shape \(1, 4\)"),
    ("b scalar", lambda: conv1d(X_OK, K_OK, 1.0), ValueError, r"b must have shape \(c_out,\)"),
    ("wrapper dilation", lambda: conv1d_dilated_causal(X_OK, K_OK, dilation=0), ValueError, r"dilation must be"),
    ("wrapper X", lambda: conv1d_valid(np.zeros(5), K_OK), ValueError, r"X must be 2-D or 3-D"),
    ("wrapper span", lambda: conv1d_valid(np.zeros((2, 2)), K_OK), ValueError, r"span"),
    ("length n 0", lambda: conv1d_output_length(0, 3), ValueError, r"n must be an integer >= 1"),
    ("length n float", lambda: conv1d_output_length(5.0, 3), TypeError, r"n must be an integer"),
    ("length kernel 0", lambda: conv1d_output_length(5, 0), ValueError, r"kernel_size must be an integer >= 1"),
    ("length span", lambda: conv1d_output_length(2, 3), ValueError, r"span"),
    ("length mode", lambda: conv1d_output_length(5, 3, padding="full"), ValueError, r"padding must be one of"),
    ("length stride", lambda: conv1d_output_length(5, 3, stride=0), ValueError, r"stride must be"),
    ("resolve kernel", lambda: resolve_padding("same", 0), ValueError, r"kernel_size must be an integer >= 1"),
    ("resolve dilation", lambda: resolve_padding("same", 3, 0), ValueError, r"dilation must be an integer >= 1"),
    ("rf kernel 0", lambda: receptive_field([3, 0]), ValueError, r"kernel_sizes\[1\] must be an integer >= 1"),
    ("rf kernel float", lambda: receptive_field([3.0]), TypeError, r"kernel_sizes\[0\] must be an integer"),
    ("rf not a sequence", lambda: receptive_field(3), TypeError, r"kernel_sizes must be a sequence of integers"),
    ("rf string", lambda: receptive_field("33"), TypeError, r"kernel_sizes must be a sequence"),
    ("rf dilations length", lambda: receptive_field([3, 3], [1]), ValueError, r"dilations must have one entry per layer \(2 layers"),
    ("rf strides length", lambda: receptive_field([3], [1], [1, 2]), ValueError, r"strides must have one entry per layer"),
    ("rf dilation 0", lambda: receptive_field([3], [0]), ValueError, r"dilations\[0\] must be an integer >= 1"),
]


@pytest.mark.parametrize("call, error, pattern", [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS])
def test_bad_input_is_refused_with_a_message_naming_it(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_causal_padding_rescues_a_short_input():
    """The span check is on the padded input: what "valid" refuses, "causal" accepts."""
    X = np.ones((2, 2))
    K = np.ones((3, 2, 1))
    with pytest.raises(ValueError, match="span"):
        conv1d(X, K)
    np.testing.assert_array_equal(conv1d(X, K, padding="causal")[:, 0], [2, 4])
