"""Answers to lecture 02 written blind (issue 12): by a writer who read only the student notebook and
the library, never the hidden tests. CORRECT: alternative correct answers, written differently from the
master (each must keep full marks). WRONG: plausible wrong answers, each breaking a rule of the statement
(each must pass the visible tests or be caught by them, and fail the hidden ones).
"""

LECTURE = "02-causal"

CORRECT = {
    "ex1-answer": {
        "loop over input steps p: random change of X[p] on a float copy, earliest moved output t < p, k = p - t": '''def max_lookahead(conv_fn, X, K):
    """Largest k >= 1 such that changing only X[t + k] changes an output H[t]; 0 if none (causal)."""
    X = np.asarray(X)
    rng = np.random.default_rng(0)
    base = np.asarray(conv_fn(X.copy(), K), dtype=float)
    base = base.reshape(base.shape[0], -1)
    n = X.shape[0]
    best = 0
    for p in range(n):                                   # one call per input time step
        Xc = np.array(X, dtype=float, copy=True)
        Xc[p] = Xc[p] + rng.normal(size=Xc[p].shape)     # every channel of step p changes
        H = np.asarray(conv_fn(Xc, K), dtype=float).reshape(base.shape)
        moved = np.flatnonzero(np.abs(H - base).max(axis=1) > 1e-9)
        if moved.size and moved[0] < p:
            best = max(best, p - int(moved[0]))
    return int(best)
''',
        "dependency matrix D[p, t] from one perturbation per step, then max of p - t over p > t with np.nonzero": '''def max_lookahead(conv_fn, X, K):
    """Largest k >= 1 such that changing only X[t + k] changes an output H[t]; 0 if none (causal)."""
    X_ref = np.array(X, dtype=np.float64)            # private copy, X itself is never touched
    n, c = X_ref.shape
    rng = np.random.default_rng(12345)
    H_ref = np.asarray(conv_fn(X_ref.copy(), K), dtype=np.float64)
    H_ref = H_ref.reshape(H_ref.shape[0], -1)
    D = np.zeros((n, H_ref.shape[0]), dtype=bool)    # D[p, t]: input p moves output t
    for p in range(n):
        X_new = X_ref.copy()
        X_new[p] += rng.standard_normal(c)
        H_new = np.asarray(conv_fn(X_new, K), dtype=np.float64).reshape(H_ref.shape)
        D[p] = np.any(np.abs(H_new - H_ref) > 1e-9, axis=1)
    p_idx, t_idx = np.nonzero(D)
    ahead = p_idx - t_idx
    ahead = ahead[ahead >= 1]
    return int(ahead.max()) if ahead.size else 0
''',
        "cache each step's change, then search k from n - 1 down to 1 and return the first k with a moved H[p - k]": '''def max_lookahead(conv_fn, X, K):
    """Largest k >= 1 such that changing only X[t + k] changes an output H[t]; 0 if none (causal)."""
    rng = np.random.default_rng(seed=7)
    X0 = np.asarray(X, dtype=float).copy()
    n = X0.shape[0]
    H0 = np.asarray(conv_fn(X0.copy(), K), dtype=float)
    H0 = H0.reshape(len(H0), -1)
    moved = []                                         # moved[p]: bool per output
    for p in range(n):
        Xp = X0.copy()
        Xp[p] += rng.uniform(0.5, 2.0, size=Xp.shape[1:]) * rng.choice([-1.0, 1.0], size=Xp.shape[1:])
        Hp = np.asarray(conv_fn(Xp, K), dtype=float).reshape(H0.shape)
        moved.append(np.abs(Hp - H0).max(axis=1) > 1e-9)
    for k in range(n - 1, 0, -1):
        for p in range(k, n):
            if p - k < len(moved[p]) and moved[p][p - k]:
                return k
    return 0
''',
        "two independent random changes per step (robust to an unlucky draw), largest p - t among moved outputs": '''def max_lookahead(conv_fn, X, K):
    """Largest k >= 1 such that changing only X[t + k] changes an output H[t]; 0 if none (causal)."""
    gen = np.random.default_rng(2024)
    Xf = np.asarray(X).astype(float)                  # astype makes a copy
    H = np.asarray(conv_fn(Xf.copy(), K), dtype=float)
    H = H.reshape(H.shape[0], -1)
    n = Xf.shape[0]
    k_max = 0
    for p in range(1, n):                             # step 0 has no earlier output
        for scale in (1.0, 10.0):
            Xp = Xf.copy()
            Xp[p] = Xp[p] + scale * gen.normal(size=Xf.shape[1])
            diff = np.abs(np.asarray(conv_fn(Xp, K), dtype=float).reshape(H.shape) - H).max(axis=1)
            earlier = np.flatnonzero(diff[:p] > 1e-9)
            if earlier.size:
                k_max = max(k_max, p - int(earlier.min()))
    return int(k_max)
''',
    },
    "ex2-answer": {
        "padded series, dilated windows from sliding_window_view[:, ::d], lstsq; forecast = future taps set to zero": '''def one_step_errors(x, s, padding, dilation=1):
    """Training and forecasting MSE of the least-squares linear conv layer that predicts x[t + 1]."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    xp = np.pad(x, (left, right))
    W = sliding_window_view(xp, span)[:, ::dilation]     # (n, s): row t = x[t - left + j d]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])        # (n - 1, s + 1)
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    train_mse = float(np.mean((Z @ w - y) ** 2))
    future = np.flatnonzero(np.arange(s) * dilation - left > 0)   # taps reading after t
    Zf = Z.copy()
    Zf[:, future] = 0.0                                  # on x[:t+1] they read right padding
    forecast_mse = float(np.mean((Zf @ w - y) ** 2))
    return train_mse, forecast_mse
''',
        "index arithmetic: idx[t, j] = t - left + j d, gather with masks for the padding and for the future": '''def one_step_errors(x, s, padding, dilation=1):
    """Training and forecasting MSE of the least-squares linear conv layer that predicts x[t + 1]."""
    from seqconv.conv import resolve_padding as rp
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    left, _ = rp(padding, s, dilation)
    t = np.arange(n - 1)[:, None]
    idx = t - left + dilation * np.arange(s)[None, :]    # (n - 1, s) input read by tap j at output t
    inside = (idx >= 0) & (idx < n)
    vals = np.where(inside, x[np.clip(idx, 0, n - 1)], 0.0)
    Z = np.hstack([vals, np.ones((n - 1, 1))])
    y = x[1:]
    coef, *_ = np.linalg.lstsq(Z, y, rcond=None)
    known = idx <= t                                     # at forecasting time only x[:t+1] exists
    Zf = np.hstack([np.where(known, vals, 0.0), np.ones((n - 1, 1))])
    train = np.mean((Z @ coef - y) ** 2)
    forecast = np.mean((Zf @ coef - y) ** 2)
    return float(train), float(forecast)
''',
        "fit with lstsq, predictions with conv1d itself; forecasts = conv1d with the look-ahead taps of K zeroed": '''def one_step_errors(x, s, padding, dilation=1):
    """Training and forecasting MSE of the least-squares linear conv layer that predicts x[t + 1]."""
    x = np.asarray(x, dtype=float)
    n = x.size
    left, right = resolve_padding(padding, s, dilation)
    xp = np.concatenate([np.zeros(left), x, np.zeros(right)])
    span = (s - 1) * dilation + 1
    Z = np.ones((n - 1, s + 1))
    Z[:, :s] = sliding_window_view(xp, span)[: n - 1, ::dilation]
    sol = np.linalg.lstsq(Z, x[1:], rcond=None)[0]
    K, b = sol[:s].reshape(s, 1, 1), sol[s:]
    H_train = conv1d(x[:, None], K, b, padding=(left, right), dilation=dilation)[:-1, 0]
    K_now = K.copy()
    K_now[np.arange(s) * dilation > left] = 0.0          # taps that would read x[t + 1], x[t + 2], ...
    H_fore = conv1d(x[:, None], K_now, b, padding=(left, right), dilation=dilation)[:-1, 0]
    return float(np.mean((H_train - x[1:]) ** 2)), float(np.mean((H_fore - x[1:]) ** 2))
''',
        "design matrix column by column (loop over the s taps, not over t) with shifted copies of x": '''def one_step_errors(x, s, padding, dilation=1):
    """Training and forecasting MSE of the least-squares linear conv layer that predicts x[t + 1]."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    Z = np.zeros((n - 1, s + 1))
    Z[:, s] = 1.0
    Zf = Z.copy()
    for j in range(s):                                  # s iterations whatever n is
        off = j * dilation - left                       # tap j reads x[t + off]
        col = np.zeros(n - 1)
        lo, hi = max(0, -off), min(n - 1, n - off)      # rows t whose input t + off is in 0..n-1
        if hi > lo:
            col[lo:hi] = x[lo + off : hi + off]
        Z[:, j] = col
        if off <= 0:                                    # past or present: known when forecasting
            Zf[:, j] = col
    y = x[1:]
    w, _, _, _ = np.linalg.lstsq(Z, y, rcond=None)
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
    },
}

WRONG = {
    "ex1-answer": {
        "reads the answer from K.shape after one causality probe - breaks 'Do not compute the answer from K.shape or a padding rule'": '''def max_lookahead(conv_fn, X, K):
    Xc = np.array(X, dtype=float)
    H0 = conv_fn(Xc.copy(), K)
    Xc[-1] += 1.0
    if np.allclose(conv_fn(Xc, K)[:-1], H0[:-1], atol=1e-9, rtol=0):
        return 0                                   # causal
    s = K.shape[0]
    return int((s - 1) - (s - 1) // 2)             # right padding of "same"
''',
        "counts how many earlier outputs moved instead of the distance - breaks 'the largest k' (holes, dilation)": '''def max_lookahead(conv_fn, X, K):
    rng = np.random.default_rng(0)
    X0 = np.array(X, dtype=float)
    H0 = conv_fn(X0.copy(), K)
    best = 0
    for p in range(X0.shape[0]):
        Xp = X0.copy()
        Xp[p] += rng.normal(size=X0.shape[1])
        d = np.abs(conv_fn(Xp, K) - H0).max(axis=1)
        best = max(best, int(np.sum(d[:p] > 1e-9)))
    return best
''',
        "only tests k = 1 (does H[t] move when X[t + 1] moves?) - breaks 'the largest k >= 1'": '''def max_lookahead(conv_fn, X, K):
    rng = np.random.default_rng(0)
    X0 = np.array(X, dtype=float)
    H0 = conv_fn(X0.copy(), K)
    for p in range(1, X0.shape[0]):
        Xp = X0.copy()
        Xp[p] += rng.normal(size=X0.shape[1])
        if np.abs(conv_fn(Xp, K) - H0)[p - 1].max() > 1e-9:
            return 1
    return 0
''',
        "changes only channel 0 of each step - breaks 'random changes in every channel'": '''def max_lookahead(conv_fn, X, K):
    rng = np.random.default_rng(0)
    X0 = np.array(X, dtype=float)
    H0 = conv_fn(X0.copy(), K)
    best = 0
    for p in range(X0.shape[0]):
        Xp = X0.copy()
        Xp[p, 0] += rng.normal()
        moved = np.flatnonzero(np.abs(conv_fn(Xp, K) - H0).max(axis=1) > 1e-9)
        if moved.size and moved[0] < p:
            best = max(best, p - int(moved[0]))
    return best
''',
        "adds the same +1 to every channel (not random) - breaks 'random changes in every channel' (channel differences cancel)": '''def max_lookahead(conv_fn, X, K):
    X0 = np.array(X, dtype=float)
    H0 = conv_fn(X0.copy(), K)
    best = 0
    for p in range(X0.shape[0]):
        Xp = X0.copy()
        Xp[p] += 1.0
        moved = np.flatnonzero(np.abs(conv_fn(Xp, K) - H0).max(axis=1) > 1e-9)
        if moved.size and moved[0] < p:
            best = max(best, p - int(moved[0]))
    return best
''',
        "sets X[p] to zero instead of a random change - breaks 'random changes' (no change where X[p] is already 0)": '''def max_lookahead(conv_fn, X, K):
    X0 = np.array(X, dtype=float)
    H0 = conv_fn(X0.copy(), K)
    best = 0
    for p in range(X0.shape[0]):
        Xp = X0.copy()
        Xp[p] = 0.0
        moved = np.flatnonzero(np.abs(conv_fn(Xp, K) - H0).max(axis=1) > 1e-9)
        if moved.size and moved[0] < p:
            best = max(best, p - int(moved[0]))
    return best
''',
        "exact comparison != instead of 'by more than 1e-9' - breaks the tolerance rule (round-off counts as a change)": '''def max_lookahead(conv_fn, X, K):
    rng = np.random.default_rng(0)
    X0 = np.array(X, dtype=float)
    H0 = conv_fn(X0.copy(), K)
    best = 0
    for p in range(X0.shape[0]):
        Xp = X0.copy()
        Xp[p] += rng.normal(size=X0.shape[1])
        moved = np.flatnonzero(np.any(conv_fn(Xp, K) != H0, axis=1))
        if moved.size and moved[0] < p:
            best = max(best, p - int(moved[0]))
    return best
''',
        "perturbs only the last time step - breaks 'for any t' (look-ahead that is not the same at every t)": '''def max_lookahead(conv_fn, X, K):
    rng = np.random.default_rng(0)
    X0 = np.array(X, dtype=float)
    n = X0.shape[0]
    H0 = conv_fn(X0.copy(), K)
    Xp = X0.copy()
    Xp[n - 1] += rng.normal(size=X0.shape[1])
    moved = np.flatnonzero(np.abs(conv_fn(Xp, K) - H0).max(axis=1) > 1e-9)
    return int(n - 1 - moved[0]) if moved.size else 0
''',
        "sums the change over output channels (signed) - breaks 'changes some output H[t]' (channel changes cancel)": '''def max_lookahead(conv_fn, X, K):
    rng = np.random.default_rng(0)
    X0 = np.array(X, dtype=float)
    H0 = conv_fn(X0.copy(), K)
    best = 0
    for p in range(X0.shape[0]):
        Xp = X0.copy()
        Xp[p] += rng.normal(size=X0.shape[1])
        change = np.abs((conv_fn(Xp, K) - H0).sum(axis=1))
        moved = np.flatnonzero(change > 1e-9)
        if moved.size and moved[0] < p:
            best = max(best, p - int(moved[0]))
    return best
''',
        "searches k only up to 4 (hard-coded window) - breaks 'the largest k ... for any t'": '''def max_lookahead(conv_fn, X, K):
    rng = np.random.default_rng(0)
    X0 = np.array(X, dtype=float)
    n = X0.shape[0]
    H0 = conv_fn(X0.copy(), K)
    best = 0
    for k in range(1, 5):
        for t in range(n - k):
            Xp = X0.copy()
            Xp[t + k] += rng.normal(size=X0.shape[1])
            if np.abs(conv_fn(Xp, K) - H0)[t].max() > 1e-9:
                best = k
                break
    return best
''',
        "perturbs X in place and undoes it by subtraction - breaks 'Do not modify X (work on copies)' (round-off stays in X)": '''def max_lookahead(conv_fn, X, K):
    rng = np.random.default_rng(0)
    H0 = conv_fn(X.copy(), K)
    best = 0
    for p in range(X.shape[0]):
        delta = rng.normal(size=X.shape[1])
        X[p] += delta
        moved = np.flatnonzero(np.abs(conv_fn(X, K) - H0).max(axis=1) > 1e-9)
        X[p] -= delta
        if moved.size and moved[0] < p:
            best = max(best, p - int(moved[0]))
    return best
''',
        "unseeded global np.random and a float result - breaks 'seeded np.random.default_rng' and 'Return an int'": '''def max_lookahead(conv_fn, X, K):
    X0 = np.array(X, dtype=float)
    H0 = conv_fn(X0.copy(), K)
    ks = [0.0]
    for p in range(X0.shape[0]):
        Xp = X0.copy()
        Xp[p] += np.random.randn(X0.shape[1])
        moved = np.flatnonzero(np.abs(conv_fn(Xp, K) - H0).max(axis=1) > 1e-9)
        ks += [float(p - t) for t in moved if t < p]
    return np.max(ks)
''',
    },
    "ex2-answer": {
        "fits only on rows whose window is free of padding (drops the warm-up), evaluates on all - breaks 'fit for every t (keep them)'": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    W = sliding_window_view(np.pad(x, (left, right)), span)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    full = np.arange(n - 1) >= left                    # windows that read no left padding
    w = np.linalg.lstsq(Z[full], y[full], rcond=None)[0]
    future = np.arange(s) * dilation - left > 0
    Zf = Z.copy()
    Zf[:, :s][:, future] = 0.0
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
        "contiguous windows of s inputs, dilation ignored in the design matrix - breaks 'for any padding and dilation'": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    W = sliding_window_view(np.pad(x, (left, right)), s)[: n - 1]
    Z = np.column_stack([W, np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    Zf[:, :s][:, np.arange(s) - left > 0] = 0.0
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
        "masks future taps by index j > left instead of j * d > left - breaks 'same padding and dilation' in the forecast": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    W = sliding_window_view(np.pad(x, (left, right)), span)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    Zf[:, :s][:, np.arange(s) > left] = 0.0
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
        "own padding rule: causal or else half on each side - breaks 'an int p or a pair (left, right)' (resolve_padding)": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    total = (s - 1) * dilation
    left = total if padding == "causal" else total // 2
    right = total - left
    W = sliding_window_view(np.pad(x, (left, right)), total + 1)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    Zf[:, :s][:, np.arange(s) * dilation > left] = 0.0
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
        "'same' with the extra zero of an even kernel on the left (ceil) - breaks resolve_padding's convention (extra zero on the right)": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    total = (s - 1) * dilation
    if padding == "same":
        left = -(-total // 2)
        right = total - left
    else:
        left, right = resolve_padding(padding, s, dilation)
    W = sliding_window_view(np.pad(x, (left, right)), total + 1)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    Zf[:, :s][:, np.arange(s) * dilation > left] = 0.0
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
        "returns one np.array([train, forecast]) instead of a tuple of two floats - breaks 'returning (train_mse, forecast_mse), two floats'": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    W = sliding_window_view(np.pad(x, (left, right)), span)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    Zf[:, :s][:, np.arange(s) * dilation > left] = 0.0
    return np.array([np.mean((Z @ w - y) ** 2), np.mean((Zf @ w - y) ** 2)])
''',
        "forecast zeroes the last `right` taps (look-ahead counted in taps, not steps) - breaks 'same padding and dilation' in the forecast": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    W = sliding_window_view(np.pad(x, (left, right)), span)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    if right > 0:
        Zf[:, s - right : s] = 0.0                     # the layer looks `right` ahead
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
        "forecasts with a Python loop over t, running conv1d on x[:t+1] - breaks 'Vectorized: no Python loop over t'": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    W = sliding_window_view(np.pad(x, (left, right)), span)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    K, b = w[:s].reshape(s, 1, 1), w[s:]
    preds = np.array([conv1d(x[: t + 1, None], K, b, padding=padding, dilation=dilation)[-1, 0] for t in range(n - 1)])
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((preds - y) ** 2))
''',
        "forecast = training predictions (future taps not removed) - breaks 'run the layer on x[:t+1]'": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    W = sliding_window_view(np.pad(x, (left, right)), span)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    mse = float(np.mean((Z @ w - y) ** 2))
    return mse, mse
''',
        "no bias column in the design matrix - breaks 'K ... and b of shape (1,)', row t ends with 1": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    Z = sliding_window_view(np.pad(x, (left, right)), span)[:-1, ::dilation]
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    Zf[:, np.arange(s) * dilation > left] = 0.0
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
        "forecast fills the future taps with the last known value x[t] (persistence) instead of padding zeros - breaks 'what the taps after t see'": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    W = sliding_window_view(np.pad(x, (left, right)), span)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    fut = np.flatnonzero(np.arange(s) * dilation - left > 0)
    Zf[:, fut] = x[:-1, None]
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
        "forecast zeroes the present tap too (offset >= 0) - breaks 'only x[:t+1] is known' (x[t] is known)": '''def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    span = (s - 1) * dilation + 1
    W = sliding_window_view(np.pad(x, (left, right)), span)[:, ::dilation]
    Z = np.column_stack([W[:-1], np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(Z, y, rcond=None)[0]
    Zf = Z.copy()
    Zf[:, np.flatnonzero(np.arange(s) * dilation - left >= 0)] = 0.0
    return float(np.mean((Z @ w - y) ** 2)), float(np.mean((Zf @ w - y) ** 2))
''',
    },
}
