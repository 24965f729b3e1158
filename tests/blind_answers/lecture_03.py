"""Answers to lecture 03 written blind (issue 12): by a writer who read only the student notebook and
the library, never the hidden tests. CORRECT: alternative correct answers, written differently from the
master (each must keep full marks). WRONG: plausible wrong answers, each breaking a rule of the statement
(each must pass the visible tests or be caught by them, and fail the hidden ones).
"""

LECTURE = "03-dilation"

CORRECT = {
    "ex1-answer": {
        "two library calls: conv1d_dilated_causal with dilation 1, then dilation 2": '''def dilated_stack(X, K1, K2):
    """Two causal convolutions: dilation 1 with K1, then dilation 2 with K2 (no bias, no nonlinearity)."""
    H1 = conv1d_dilated_causal(X, K1, dilation=1)        # (n, h)
    return conv1d_dilated_causal(H1, K2, dilation=2)     # (n, c_out)
''',
        "conv1d with explicit left padding pairs ((s - 1) * d, 0)": '''def dilated_stack(X, K1, K2):
    """Two causal convolutions: dilation 1 with K1, then dilation 2 with K2 (no bias, no nonlinearity)."""
    s1, s2 = K1.shape[0], K2.shape[0]
    H1 = conv1d(X, K1, padding=(s1 - 1, 0))
    H = conv1d(H1, K2, padding=(2 * (s2 - 1), 0), dilation=2)
    return H
''',
        "hand-written causal layer: left zeros, sliding_window_view over the span, every d-th tap, einsum": '''def dilated_stack(X, K1, K2):
    """Two causal convolutions: dilation 1 with K1, then dilation 2 with K2 (no bias, no nonlinearity)."""
    from numpy.lib.stride_tricks import sliding_window_view

    def causal(Z, K, d):
        s = K.shape[0]
        span = (s - 1) * d + 1
        Zp = np.concatenate([np.zeros((span - 1, Z.shape[1])), Z], axis=0)
        P = sliding_window_view(Zp, span, axis=0)[:, :, ::d]     # (n, c, s): taps t - (s-1-j) d
        return np.einsum("ncs,sco->no", P, K)

    X = np.asarray(X, dtype=float)
    return causal(causal(X, K1, 1), K2, 2)
''',
        "one equivalent kernel of span R (K_eff[R-1-lag] += K1[j1] @ K2[j2]) and a single causal conv": '''def dilated_stack(X, K1, K2):
    """Two causal convolutions: dilation 1 with K1, then dilation 2 with K2 (no bias, no nonlinearity)."""
    s1, c, h = K1.shape
    s2, _, c_out = K2.shape
    R = 1 + (s1 - 1) + 2 * (s2 - 1)
    K_eff = np.zeros((R, c, c_out), dtype=np.result_type(K1, K2, float))
    for j1 in range(s1):                    # loops over kernel taps only
        for j2 in range(s2):
            lag = (s1 - 1 - j1) + 2 * (s2 - 1 - j2)
            K_eff[R - 1 - lag] += K1[j1] @ K2[j2]
    return conv1d(X, K_eff, padding="causal")
''',
        "left-pad X once with R - 1 zeros, then two valid convolutions (dilation 1, then 2)": '''def dilated_stack(X, K1, K2):
    """Two causal convolutions: dilation 1 with K1, then dilation 2 with K2 (no bias, no nonlinearity)."""
    s1, s2 = K1.shape[0], K2.shape[0]
    R = receptive_field([s1, s2], [1, 2])
    Xp = np.pad(np.asarray(X, dtype=float), ((R - 1, 0), (0, 0)))   # zeros stay zeros: no bias
    H1 = conv1d(Xp, K1)                              # (n + 2 (s2 - 1), h)
    return conv1d(H1, K2, dilation=2)                # (n, c_out)
''',
    },
    "ex2-answer": {
        "impulses of both signs and several sizes at t = 0, on a zero and on random backgrounds; span of the lags that moved": '''def measure_receptive_field(layer_fn, n=64):
    """Measure the receptive field of a causal, time-invariant layer by probing it with impulses."""
    rng = np.random.default_rng(0)
    backgrounds = [np.zeros((n, 1))] + [rng.normal(size=(n, 1)) for _ in range(3)]
    moved = np.zeros(n, dtype=bool)                 # moved[lag]: output `lag` moved when X[0] changed
    for base in backgrounds:
        H0 = np.asarray(layer_fn(base.copy()), dtype=float).reshape(n)
        for amp in (1.0, -1.0, 0.1, -0.1, 10.0, -10.0, rng.normal()):
            X = base.copy()
            X[0, 0] += amp
            H = np.asarray(layer_fn(X), dtype=float).reshape(n)
            moved |= np.abs(H - H0) > 1e-10
    lags = np.flatnonzero(moved)
    if lags.size == 0:
        return 0
    return int(lags[-1] - lags[0] + 1)
''',
        "perturb every input position p and watch the LAST output: oldest and newest influencing p give the span": '''def measure_receptive_field(layer_fn, n=64):
    """Measure the receptive field of a causal, time-invariant layer by probing it with impulses."""
    gen = np.random.default_rng(1)
    bases = [np.zeros((n, 1)), gen.standard_normal((n, 1)), 3.0 * gen.standard_normal((n, 1))]
    last_ref = [float(np.asarray(layer_fn(b.copy()))[-1, 0]) for b in bases]
    influences = []
    for p in range(n):                                  # one input position at a time
        hit = False
        for b, ref in zip(bases, last_ref):
            for delta in (1.0, -1.0, 5.0, -5.0):
                X = b.copy()
                X[p, 0] += delta
                if abs(float(np.asarray(layer_fn(X))[-1, 0]) - ref) > 1e-10:
                    hit = True
                    break
            if hit:
                break
        if hit:
            influences.append(p)
    if not influences:
        return 0
    return int(max(influences) - min(influences) + 1)
''',
        "impulse response minus zero response for +1 and -1 (and a random background), first and last nonzero lag": '''def measure_receptive_field(layer_fn, n=64):
    """Measure the receptive field of a causal, time-invariant layer by probing it with impulses."""
    zero = np.zeros((n, 1))
    rnd = np.random.default_rng(42).uniform(-1.0, 1.0, size=(n, 1))
    changed = np.zeros(n, dtype=bool)
    for background in (zero, rnd):
        ref = np.asarray(layer_fn(background.copy()), dtype=float)[:, 0]
        for sign in (+1.0, -1.0):
            probe = background.copy()
            probe[0, 0] = background[0, 0] + sign
            out = np.asarray(layer_fn(probe), dtype=float)[:, 0]
            changed = changed | ~np.isclose(out, ref, rtol=0.0, atol=1e-12)
    first = int(np.argmax(changed))
    last = n - 1 - int(np.argmax(changed[::-1]))
    return int(last - first + 1) if changed.any() else 0
''',
        "central differences around several random sequences (derivative of every output w.r.t. X[0]), plus +-1 impulses on zeros": '''def measure_receptive_field(layer_fn, n=64):
    """Measure the receptive field of a causal, time-invariant layer by probing it with impulses."""
    rng = np.random.default_rng(2025)
    f = lambda Z: np.asarray(layer_fn(Z), dtype=np.float64).reshape(-1)
    reach = np.zeros(n, dtype=bool)
    e0 = np.zeros((n, 1))
    e0[0, 0] = 1.0
    base = f(np.zeros((n, 1)))
    reach |= np.abs(f(e0) - base) > 1e-10
    reach |= np.abs(f(-e0) - base) > 1e-10
    for _ in range(4):
        X = rng.normal(size=(n, 1))
        grad = (f(X + 1e-3 * e0) - f(X - 1e-3 * e0)) / 2e-3
        reach |= np.abs(grad) > 1e-7
    idx = np.nonzero(reach)[0]
    return int(idx.max() - idx.min() + 1) if idx.size else 0
''',
    },
}

WRONG = {
    "ex1-answer": {
        "dilations in the wrong order (K1 with dilation 2, K2 with dilation 1) - breaks 'K1 and dilation 1, followed by ... K2 and dilation 2' (same for 1-channel ones)": '''def dilated_stack(X, K1, K2):
    H1 = conv1d_dilated_causal(X, K1, dilation=2)
    return conv1d_dilated_causal(H1, K2, dilation=1)
''',
        "'same' padding in both layers - breaks 'causal ... output i depends on X[0..i] only'": '''def dilated_stack(X, K1, K2):
    H1 = conv1d(X, K1, padding="same")
    return conv1d(H1, K2, padding="same", dilation=2)
''',
        "two valid convolutions, then R - 1 zeros in front of the output - breaks 'from the very first output' and 'shorter than the receptive field'": '''def dilated_stack(X, K1, K2):
    s1, s2 = K1.shape[0], K2.shape[0]
    H = conv1d(conv1d(X, K1), K2, dilation=2)          # (n - R + 1, c_out)
    R = 1 + (s1 - 1) + 2 * (s2 - 1)
    return np.concatenate([np.zeros((R - 1, H.shape[1])), H], axis=0)
''',
        "ReLU between the layers - breaks 'No bias, no nonlinearity between the layers'": '''def dilated_stack(X, K1, K2):
    H1 = np.maximum(conv1d_dilated_causal(X, K1, dilation=1), 0.0)     # ReLU, "a real network has one"
    return conv1d_dilated_causal(H1, K2, dilation=2)
''',
        "np.convolve per channel pair (full, truncated to n) - flips the kernels, breaks 'cross-correlation, the lecture's convention'": '''def dilated_stack(X, K1, K2):
    def causal_convolve(Z, K, d):
        s, c_in, c_out = K.shape
        Kd = np.zeros(((s - 1) * d + 1, c_in, c_out))
        Kd[::d] = K
        n = Z.shape[0]
        out = np.zeros((n, c_out))
        for o in range(c_out):
            for c in range(c_in):
                out[:, o] += np.convolve(Z[:, c], Kd[:, c, o])[:n]
        return out
    return causal_convolve(causal_convolve(X, K1, 1), K2, 2)
''',
        "symmetric int padding (s - 1) * d, then drops the last (s - 1) * d outputs with [:-p] - breaks 'kernels of size 1' (p = 0 gives an empty array)": '''def dilated_stack(X, K1, K2):
    p1 = K1.shape[0] - 1
    H1 = conv1d(X, K1, padding=p1)[:-p1]
    p2 = 2 * (K2.shape[0] - 1)
    return conv1d(H1, K2, padding=p2, dilation=2)[:-p2]
''',
        "returns zeros when the sequence is shorter than the receptive field - breaks 'a sequence shorter than the receptive field included'": '''def dilated_stack(X, K1, K2):
    R = receptive_field([K1.shape[0], K2.shape[0]], [1, 2])
    if X.shape[0] < R:
        return np.zeros((X.shape[0], K2.shape[2]))
    H1 = conv1d_dilated_causal(X, K1, dilation=1)
    return conv1d_dilated_causal(H1, K2, dilation=2)
''',
        "hand-written second layer with its taps in reverse order (K2[j] at lag 2j) - breaks 'H[i] = sum_j H1[i - 2(s2-1-j)] K2[j]'": '''def dilated_stack(X, K1, K2):
    H1 = conv1d_dilated_causal(X, K1, dilation=1)      # (n, h)
    n, h = H1.shape
    s2 = K2.shape[0]
    H1p = np.concatenate([np.zeros((2 * (s2 - 1), h)), H1], axis=0)
    H = np.zeros((n, K2.shape[2]))
    for j in range(s2):                                 # tap j read at lag 2 j
        lag = 2 * j
        H += H1p[2 * (s2 - 1) - lag : 2 * (s2 - 1) - lag + n] @ K2[j]
    return H
''',
        "adds the hidden channels up before the second layer (and sums K2 over its input channels) - breaks 'any numbers of channels' (K2 (s2, h, c_out))": '''def dilated_stack(X, K1, K2):
    H1 = conv1d_dilated_causal(X, K1, dilation=1).sum(axis=1, keepdims=True)       # (n, 1)
    K2_sum = K2.sum(axis=1, keepdims=True) / K2.shape[1]                           # (s2, 1, c_out)
    return conv1d_dilated_causal(H1, K2_sum, dilation=2)
''',
        "pads the second layer by s2 - 1 instead of 2 (s2 - 1) and trims the end - breaks causality ('output i depends on X[:i+1] only')": '''def dilated_stack(X, K1, K2):
    n = X.shape[0]
    s2 = K2.shape[0]
    H1 = conv1d(X, K1, padding="causal")
    return conv1d(H1, K2, padding=(s2 - 1, s2 - 1), dilation=2)[:n]
''',
    },
    "ex2-answer": {
        "counts the lags with a nonzero response - breaks 'the holes count in the span'": '''def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0] = 1.0
    d = layer_fn(X)[:, 0] - layer_fn(np.zeros((n, 1)))[:, 0]
    return int(np.count_nonzero(d))
''',
        "last nonzero lag + 1 (assumes the newest input is always the output's own step) - breaks 'the newest input ... may be older (a delay)'": '''def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0] = 1.0
    d = layer_fn(X)[:, 0] - layer_fn(np.zeros((n, 1)))[:, 0]
    return int(np.flatnonzero(d)[-1] + 1)
''',
        "reads the raw impulse response, no comparison with the zero response - breaks 'a bias gives a nonzero output ... look at what an impulse changes'": '''def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0] = 1.0
    lags = np.flatnonzero(np.abs(layer_fn(X)[:, 0]) > 1e-12)
    return int(lags[-1] - lags[0] + 1)
''',
        "only a +1 impulse - breaks 'a ReLU can silence a +1 impulse where -1 would pass'": '''def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0] = 1.0
    d = np.abs(layer_fn(X)[:, 0] - layer_fn(np.zeros((n, 1)))[:, 0])
    lags = np.flatnonzero(d > 1e-12)
    return int(lags[-1] - lags[0] + 1)
''',
        "impulse in the middle of the sequence (n // 2) - breaks 'R can be close to n' (only n/2 lags visible)": '''def measure_receptive_field(layer_fn, n=64):
    t0 = n // 2
    base = layer_fn(np.zeros((n, 1)))[:, 0]
    changed = np.zeros(n, dtype=bool)
    for amp in (1.0, -1.0):
        X = np.zeros((n, 1))
        X[t0] = amp
        changed |= np.abs(layer_fn(X)[:, 0] - base) > 1e-12
    lags = np.flatnonzero(changed)
    return int(lags[-1] - lags[0] + 1)
''',
        "probes with a fixed length of 32 steps whatever n is - breaks 'use sequences of length n' (fields longer than 32)": '''def measure_receptive_field(layer_fn, n=64):
    L = 32
    base = layer_fn(np.zeros((L, 1)))[:, 0]
    changed = np.zeros(L, dtype=bool)
    for amp in (1.0, -1.0):
        X = np.zeros((L, 1))
        X[0] = amp
        changed |= np.abs(layer_fn(X)[:, 0] - base) > 1e-12
    lags = np.flatnonzero(changed)
    return int(lags[-1] - lags[0] + 1)
''',
        "probes with 2 n steps 'to be safe' - breaks 'use sequences of length n' (a layer may only accept length n)": '''def measure_receptive_field(layer_fn, n=64):
    L = 2 * n
    base = layer_fn(np.zeros((L, 1)))[:, 0]
    changed = np.zeros(L, dtype=bool)
    for amp in (1.0, -1.0):
        X = np.zeros((L, 1))
        X[0] = amp
        changed |= np.abs(layer_fn(X)[:, 0] - base) > 1e-12
    lags = np.flatnonzero(changed)
    return int(lags[-1] - lags[0] + 1)
''',
        "keeps only the lags where the response went UP (> 0) - breaks 'taps may be zero or negative'": '''def measure_receptive_field(layer_fn, n=64):
    base = layer_fn(np.zeros((n, 1)))[:, 0]
    up = np.zeros(n, dtype=bool)
    for amp in (1.0, -1.0):
        X = np.zeros((n, 1))
        X[0] = amp
        up |= (layer_fn(X)[:, 0] - base) * amp > 1e-12
    lags = np.flatnonzero(up)
    return int(lags[-1] - lags[0] + 1)
''',
        "treats changes below 0.01 as noise - breaks 'changing X[p] can change H[i]' (small weights, saturated tanh)": '''def measure_receptive_field(layer_fn, n=64):
    base = layer_fn(np.zeros((n, 1)))[:, 0]
    changed = np.zeros(n, dtype=bool)
    for amp in (1.0, -1.0):
        X = np.zeros((n, 1))
        X[0] = amp
        changed |= np.abs(layer_fn(X)[:, 0] - base) > 1e-2
    lags = np.flatnonzero(changed)
    return int(lags[-1] - lags[0] + 1)
''',
        "newest minus oldest lag without the + 1 - breaks 'both included'": '''def measure_receptive_field(layer_fn, n=64):
    base = layer_fn(np.zeros((n, 1)))[:, 0]
    changed = np.zeros(n, dtype=bool)
    for amp in (1.0, -1.0):
        X = np.zeros((n, 1))
        X[0] = amp
        changed |= np.abs(layer_fn(X)[:, 0] - base) > 1e-12
    lags = np.flatnonzero(changed)
    return int(lags[-1] - lags[0])
''',
        "feeds a batch (n, n, 1) of all impulses at once - breaks 'layer_fn maps one sequence (n, 1) ... (not a batch)'": '''def measure_receptive_field(layer_fn, n=64):
    impulses = np.eye(n)[:, :, None]                    # batch: sequence p has its 1 at p
    J = layer_fn(impulses)[:, :, 0] - layer_fn(np.zeros((1, n, 1)))[:, :, 0]
    reads = np.flatnonzero(np.abs(J[:, -1]) > 1e-12)    # inputs that reach the last output
    return int(reads[-1] - reads[0] + 1)
''',
        "returns the span as a float from np.ptp - breaks 'Return, as an int'": '''def measure_receptive_field(layer_fn, n=64):
    base = layer_fn(np.zeros((n, 1)))[:, 0]
    changed = np.zeros(n, dtype=bool)
    for amp in (1.0, -1.0):
        X = np.zeros((n, 1))
        X[0] = amp
        changed |= np.abs(layer_fn(X)[:, 0] - base) > 1e-12
    lags = np.flatnonzero(changed).astype(float)
    return np.ptp(lags) + 1.0
''',
    },
}
