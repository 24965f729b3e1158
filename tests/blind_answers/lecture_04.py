"""Answers to lecture 04 written blind (issue 12): by a writer who read only the student notebook and
the library, never the hidden tests. CORRECT: alternative correct answers, written differently from the
master (each must keep full marks). WRONG: plausible wrong answers, each breaking a rule of the statement
(each must pass the visible tests or be caught by them, and fail the hidden ones).
"""

LECTURE = "04-forecasting"

# ----------------------------------------------------------------------------- ex1
EX1_CORRECT = {
"buffer of length W + steps, one rng.random() per step inside the loop": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    """Autoregressive generation that feeds back the truth with probability p_true."""
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W:
        raise ValueError(f"start={start} must be >= the window W={W}: no full true window before it")
    if start + steps > x.shape[0]:
        raise ValueError(f"start + steps = {start + steps} exceeds len(x) = {x.shape[0]}: no truth to feed")
    buf = np.empty(W + steps, dtype=float)
    buf[:W] = x[start - W:start]
    y_hat = np.empty(steps, dtype=float)
    for i in range(steps):
        y_hat[i] = model.predict(buf[None, i:i + W, None])[0, 0]
        u = rng.random()
        buf[W + i] = x[start + i] if u < p_true else y_hat[i]
    return y_hat
''',
"python list as the window, all coin flips drawn at once with rng.random(steps)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    W = model.window
    n = len(x)
    if start < W or start + steps > n:
        raise ValueError(f"need W <= start and start + steps <= len(x); got W={W}, start={start}, steps={steps}, len(x)={n}")
    window = [float(v) for v in x[start - W:start]]
    coins = rng.random(steps)              # the same numbers as steps calls of rng.random()
    preds = []
    for i in range(steps):
        recent = np.array(window[-W:], dtype=float)
        y = float(model.predict(recent[None, :, None])[0, 0])
        preds.append(y)
        window.append(float(x[start + i]) if coins[i] < p_true else y)
    return np.array(preds, dtype=float).reshape(steps)
''',
"collections.deque(maxlen=W) sliding window, separate checks": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    from collections import deque
    xs = np.asarray(x).astype(np.float64)
    W = model.window
    if start < W:
        raise ValueError("start must be at least model.window")
    if start + steps > len(xs):
        raise ValueError("start + steps must not exceed len(x)")
    window = deque(xs[start - W:start].tolist(), maxlen=W)
    out = np.zeros(steps)
    for i in range(steps):
        out[i] = model.predict(np.array(window).reshape(1, W, 1))[0, 0]
        feed_truth = rng.random() < p_true
        window.append(xs[start + i] if feed_truth else out[i])
    return out
''',
"np.roll the window array each step, fed value chosen with np.where": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.array(x, dtype=np.float64)          # a private copy
    W = model.window
    if not (W <= start and start + steps <= x.size):
        raise ValueError(f"invalid start/steps: W={W}, start={start}, steps={steps}, n={x.size}")
    window = x[start - W:start].copy()
    y_hat = []
    for i in range(steps):
        pred = model.predict(window.reshape(1, W, 1)).item()
        y_hat.append(pred)
        fed = np.where(rng.random() < p_true, x[start + i], pred)
        window = np.roll(window, -1)
        window[-1] = fed
    return np.asarray(y_hat, dtype=np.float64).reshape(-1)
''',
}

EX1_WRONG = {
"no coin drawn at the last step (breaks: draw one number per step INCLUDING the last step)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    window = list(x[start - W:start])
    preds = []
    for i in range(steps):
        y = model.predict(np.array(window[-W:])[None, :, None])[0, 0]
        preds.append(y)
        if i == steps - 1:
            break                    # the last fed value is never used, so no need to flip a coin
        u = rng.random()
        window.append(x[start + i] if u < p_true else y)
    return np.array(preds, dtype=float)
''',
"skips the coin flips when p_true is 0 or 1 (breaks: exactly one rng.random() per step, whatever p_true)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    window = list(x[start - W:start])
    preds = []
    for i in range(steps):
        y = model.predict(np.array(window[-W:])[None, :, None])[0, 0]
        preds.append(y)
        if p_true >= 1.0:
            fed = x[start + i]
        elif p_true <= 0.0:
            fed = y
        else:
            fed = x[start + i] if rng.random() < p_true else y
        window.append(fed)
    return np.array(preds, dtype=float)
''',
"own fixed-seed generator instead of the given rng (breaks: the coin flips come from rng, no other random numbers)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    gen = np.random.default_rng(0)     # reproducible coin flips
    window = list(x[start - W:start])
    preds = []
    for i in range(steps):
        y = model.predict(np.array(window[-W:])[None, :, None])[0, 0]
        preds.append(y)
        window.append(x[start + i] if gen.random() < p_true else y)
    return np.array(preds, dtype=float)
''',
"coin from rng.binomial(1, p_true) (breaks: draw exactly u = rng.random() and compare u < p_true)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    window = list(x[start - W:start])
    preds = []
    for i in range(steps):
        y = model.predict(np.array(window[-W:])[None, :, None])[0, 0]
        preds.append(y)
        use_truth = rng.binomial(1, p_true) == 1
        window.append(x[start + i] if use_truth else y)
    return np.array(preds, dtype=float)
''',
"coin i decides the value fed at step i-1, first draw wasted (breaks: one number per step, in step order)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    window = list(x[start - W:start])
    preds = []
    for i in range(steps):
        u = rng.random()
        if i > 0:   # decide what replaces the previous prediction in the window
            window.append(x[start + i - 1] if u < p_true else preds[-1])
        preds.append(model.predict(np.array(window[-W:])[None, :, None])[0, 0])
    return np.array(preds, dtype=float)
''',
"feeds the truth when u > p_true (breaks: append the truth if u < p_true)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    window = list(x[start - W:start])
    preds = []
    for i in range(steps):
        y = model.predict(np.array(window[-W:])[None, :, None])[0, 0]
        preds.append(y)
        u = rng.random()
        window.append(y if u < p_true else x[start + i])
    return np.array(preds, dtype=float)
''',
"returns the values that were fed back (breaks: return the predictions, not the fed values)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    buf = np.empty(W + steps)
    buf[:W] = x[start - W:start]
    for i in range(steps):
        y = model.predict(buf[None, i:i + W, None])[0, 0]
        buf[W + i] = x[start + i] if rng.random() < p_true else y
    return buf[W:]
''',
"no check that start >= W: negative slice gives a wrong window (breaks: raise ValueError if start < W)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start + steps > len(x):
        raise ValueError("start + steps exceeds len(x)")
    buf = np.concatenate([x[:start][-W:], np.zeros(steps)])
    if buf.size < W + steps:          # short history: pad with zeros in front
        buf = np.concatenate([np.zeros(W + steps - buf.size), buf])
    y_hat = np.empty(steps)
    for i in range(steps):
        y_hat[i] = model.predict(buf[None, i:i + W, None])[0, 0]
        buf[W + i] = x[start + i] if rng.random() < p_true else y_hat[i]
    return y_hat
''',
"rejects start == W, the first valid start (breaks: ValueError only if start < W)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start <= W:
        raise ValueError("start must be after the first window")
    if start + steps > len(x):
        raise ValueError("start + steps exceeds len(x)")
    buf = np.empty(W + steps)
    buf[:W] = x[start - W:start]
    y_hat = np.empty(steps)
    for i in range(steps):
        y_hat[i] = model.predict(buf[None, i:i + W, None])[0, 0]
        buf[W + i] = x[start + i] if rng.random() < p_true else y_hat[i]
    return y_hat
''',
"no length check: past the end it raises IndexError only if the coin asks for the missing truth, otherwise runs on (breaks: ValueError if start + steps > len(x))": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W:
        raise ValueError("start must be >= W")
    buf = np.empty(W + steps)
    buf[:W] = x[start - W:start]
    y_hat = np.empty(steps)
    for i in range(steps):
        y_hat[i] = model.predict(buf[None, i:i + W, None])[0, 0]
        buf[W + i] = x[start + i] if rng.random() < p_true else y_hat[i]
    return y_hat
''',
"feeds its own prediction when the truth runs out instead of raising (breaks: ValueError if start + steps > len(x))": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start < W:
        raise ValueError("start must be >= W")
    buf = np.empty(W + steps)
    buf[:W] = x[start - W:start]
    y_hat = np.empty(steps)
    for i in range(steps):
        y_hat[i] = model.predict(buf[None, i:i + W, None])[0, 0]
        u = rng.random()
        has_truth = start + i < len(x)
        buf[W + i] = x[start + i] if (u < p_true and has_truth) else y_hat[i]
    return y_hat
''',
"shifts the window in place inside x (breaks: do not modify the caller's series x)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    window = x[start - W:start]          # a view into x
    y_hat = np.empty(steps)
    for i in range(steps):
        y_hat[i] = model.predict(window[None, :, None])[0, 0]
        fed = x[start + i] if rng.random() < p_true else y_hat[i]
        window[:-1] = window[1:]
        window[-1] = fed
    return y_hat
''',
"buffer in x's dtype: an integer series truncates the fed predictions and the output (breaks: return a float array)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    W = model.window
    if start < W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    buf = np.empty(W + steps, dtype=np.asarray(x).dtype)
    buf[:W] = x[start - W:start]
    y_hat = np.empty(steps, dtype=buf.dtype)
    for i in range(steps):
        y_hat[i] = model.predict(buf[None, i:i + W, None])[0, 0]
        buf[W + i] = x[start + i] if rng.random() < p_true else y_hat[i]
    return y_hat
''',
"first window off by one, x[start-W-1:start-1] (breaks: start from the true window x[start-W:start])": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=float)
    W = model.window
    if start <= W or start + steps > len(x):
        raise ValueError("invalid start or steps")
    window = list(x[start - W - 1:start - 1])
    preds = []
    for i in range(steps):
        y = model.predict(np.array(window[-W:])[None, :, None])[0, 0]
        preds.append(y)
        window.append(x[start + i] if rng.random() < p_true else y)
    return np.array(preds, dtype=float)
''',
}

# ----------------------------------------------------------------------------- ex2
EX2_CORRECT = {
"loop over runs, accumulate |error|, divide by n_runs": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    """Mean absolute error of ar_generate_scheduled at each horizon, averaged over n_runs runs."""
    truth = np.asarray(x, dtype=float)[start:start + steps]
    total = np.zeros(steps, dtype=float)
    for _ in range(n_runs):
        y_hat = ar_generate_scheduled(model, x, start, steps, p_true, rng)
        total += np.abs(y_hat - truth)
    return total / n_runs
''',
"stack all runs into (n_runs, steps) and np.mean over axis 0": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    runs = np.stack([ar_generate_scheduled(model, x, start, steps, p_true, rng) for _ in range(n_runs)])
    errors = np.abs(runs - np.asarray(x, dtype=float)[start:start + steps][None, :])
    return errors.mean(axis=0)
''',
"running (incremental) mean over the runs": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    target = np.array([x[start + i] for i in range(steps)], dtype=np.float64)
    mae = np.zeros(steps)
    for r in range(1, n_runs + 1):
        err = np.abs(ar_generate_scheduled(model, x, start, steps, p_true, rng) - target)
        mae += (err - mae) / r
    return mae
''',
"preallocated error matrix filled row by row, np.average over runs": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    err = np.empty((n_runs, steps))
    truth = np.asarray(x, dtype=float)[start:start + steps]
    for r in range(n_runs):
        err[r] = np.abs(ar_generate_scheduled(model, x, start, steps, p_true, rng) - truth)
    return np.average(err, axis=0).astype(float)
''',
}

EX2_WRONG = {
"each run gets a deepcopy of rng, so every run uses the same numbers (breaks: run r uses the NEXT steps random numbers of the shared rng)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    import copy
    truth = np.asarray(x, dtype=float)[start:start + steps]
    total = np.zeros(steps)
    for _ in range(n_runs):
        y_hat = ar_generate_scheduled(model, x, start, steps, p_true, copy.deepcopy(rng))
        total += np.abs(y_hat - truth)
    return total / n_runs
''',
"absolute value of the mean signed error (breaks: mean of |error|, not |mean error|)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start:start + steps]
    runs = np.stack([ar_generate_scheduled(model, x, start, steps, p_true, rng) for _ in range(n_runs)])
    return np.abs(np.mean(runs - truth, axis=0))
''',
"root mean squared error over runs (breaks: the mean of absolute errors)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start:start + steps]
    runs = np.stack([ar_generate_scheduled(model, x, start, steps, p_true, rng) for _ in range(n_runs)])
    return np.sqrt(np.mean((runs - truth) ** 2, axis=0))
''',
"median over runs (breaks: mae is the MEAN over the n_runs runs)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start:start + steps]
    runs = np.stack([ar_generate_scheduled(model, x, start, steps, p_true, rng) for _ in range(n_runs)])
    return np.median(np.abs(runs - truth), axis=0)
''',
"one call reused for every run (breaks: n_runs separate calls, averaged)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start:start + steps]
    err = np.abs(ar_generate_scheduled(model, x, start, steps, p_true, rng) - truth)
    total = np.zeros(steps)
    for _ in range(n_runs):
        total += err
    return total / n_runs
''',
"worst case (max) over runs (breaks: the mean over runs)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start:start + steps]
    worst = np.zeros(steps)
    for _ in range(n_runs):
        worst = np.maximum(worst, np.abs(ar_generate_scheduled(model, x, start, steps, p_true, rng) - truth))
    return worst
''',
"a fresh generator seeded from rng for each run (breaks: the calls share the same rng, one after another)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start:start + steps]
    seeds = rng.integers(0, 2**32, size=n_runs)
    errs = [np.abs(ar_generate_scheduled(model, x, start, steps, p_true, np.random.default_rng(int(s))) - truth)
            for s in seeds]
    return np.mean(errs, axis=0)
''',
"compares with the previous value x[start + i - 1] (breaks: error against x[start + i])": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start - 1:start - 1 + steps]
    runs = np.stack([ar_generate_scheduled(model, x, start, steps, p_true, rng) for _ in range(n_runs)])
    return np.abs(runs - truth).mean(axis=0)
''',
"divides by (n_runs - 1) like a sample variance, guarded for one run (breaks: 1/n_runs average)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start:start + steps]
    total = np.zeros(steps)
    for _ in range(n_runs):
        total += np.abs(ar_generate_scheduled(model, x, start, steps, p_true, rng) - truth)
    return total / max(n_runs - 1, 1)
''',
"mean over both runs and horizon, broadcast to (steps,) (breaks: one value per horizon i)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    truth = np.asarray(x, dtype=float)[start:start + steps]
    runs = np.stack([ar_generate_scheduled(model, x, start, steps, p_true, rng) for _ in range(n_runs)])
    return np.full(steps, np.abs(runs - truth).mean())
''',
}

# ----------------------------------------------------------------------------- ex3
EX3_CORRECT = {
"two curves, float(np.mean(...)), plot both": '''mae_curve_pure = horizon_mae(cnn, x, t0, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))
mae_curve_half = horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))
mae_pure = float(np.mean(mae_curve_pure))
mae_half = float(np.mean(mae_curve_half))

fig, ax = plt.subplots()
ax.plot(np.arange(1, H + 1), mae_curve_pure, label="p_true = 0 (pure autoregressive)")
ax.plot(np.arange(1, H + 1), mae_curve_half, label="p_true = 0.5 (20 runs)")
ax.set_yscale("log")
ax.set_xlabel("horizon (steps ahead)")
ax.set_ylabel("mean |error|")
ax.legend()
plt.show()
mae_pure, mae_half
''',
"positional arguments, .mean().item(), no plot": '''curves = {
    "pure": horizon_mae(cnn, x, t0, H, 0.0, 1, np.random.default_rng(0)),
    "half": horizon_mae(cnn, x, t0, H, 0.5, 20, np.random.default_rng(2015)),
}
mae_pure = curves["pure"].mean().item()
mae_half = curves["half"].mean().item()
mae_pure, mae_half
''',
"sum / H, generators created first, plot via a loop": '''rng_pure, rng_half = np.random.default_rng(0), np.random.default_rng(2015)
curve_pure = horizon_mae(cnn, x, start=t0, steps=H, p_true=0.0, n_runs=1, rng=rng_pure)
curve_half = horizon_mae(cnn, x, start=t0, steps=H, p_true=0.5, n_runs=20, rng=rng_half)
mae_pure = float(curve_pure.sum() / H)
mae_half = float(curve_half.sum() / H)
fig, ax = plt.subplots()
for curve, name in [(curve_pure, "pure"), (curve_half, "half")]:
    ax.plot(1 + np.arange(curve.size), curve, label=name)
ax.legend()
plt.show()
mae_pure, mae_half
''',
}

EX3_WRONG = {
"uses the linear model lin (breaks: on the trained TWO-LAYER model cnn)": '''mae_pure = float(np.mean(horizon_mae(lin, x, t0, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))))
mae_half = float(np.mean(horizon_mae(lin, x, t0, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))))
mae_pure, mae_half
''',
"starts at the pair index N_train instead of the time t0 (breaks: from the first test TIME t0)": '''mae_pure = float(np.mean(horizon_mae(cnn, x, N_train, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))))
mae_half = float(np.mean(horizon_mae(cnn, x, N_train, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))))
mae_pure, mae_half
''',
"seed 0 for both generators (breaks: rng=np.random.default_rng(2015) for mae_half)": '''mae_pure = float(np.mean(horizon_mae(cnn, x, t0, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))))
mae_half = float(np.mean(horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(0))))
mae_pure, mae_half
''',
"one shared generator for both measurements (breaks: a fresh default_rng(2015) for mae_half)": '''gen = np.random.default_rng(0)
mae_pure = float(np.mean(horizon_mae(cnn, x, t0, H, p_true=0.0, n_runs=1, rng=gen)))
mae_half = float(np.mean(horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=20, rng=gen)))
mae_pure, mae_half
''',
"a single run for mae_half (breaks: n_runs=20)": '''mae_pure = float(np.mean(horizon_mae(cnn, x, t0, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))))
mae_half = float(np.mean(horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=1, rng=np.random.default_rng(2015))))
mae_pure, mae_half
''',
"sum over the horizon instead of the mean (breaks: the mean over the horizon)": '''mae_pure = float(np.sum(horizon_mae(cnn, x, t0, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))))
mae_half = float(np.sum(horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))))
mae_pure, mae_half
''',
"median over the horizon (breaks: the mean over the horizon)": '''mae_pure = float(np.median(horizon_mae(cnn, x, t0, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))))
mae_half = float(np.median(horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))))
mae_pure, mae_half
''',
"uses the notebook's global rng (breaks: the given seeds 0 and 2015)": '''mae_pure = float(np.mean(horizon_mae(cnn, x, t0, H, p_true=0.0, n_runs=1, rng=rng)))
mae_half = float(np.mean(horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=20, rng=rng)))
mae_pure, mae_half
''',
"horizon of 40 steps only, the length of the earlier plot (breaks: H steps, H = n - t0)": '''mae_pure = float(np.mean(horizon_mae(cnn, x, t0, 40, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))))
mae_half = float(np.mean(horizon_mae(cnn, x, t0, 40, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))))
mae_pure, mae_half
''',
"keeps the (H,) curves instead of their means (breaks: two floats)": '''mae_pure = horizon_mae(cnn, x, t0, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))
mae_half = horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))
mae_pure, mae_half
''',
"starts one step early, at t0 - 1 (breaks: from the first test time t0)": '''mae_pure = float(np.mean(horizon_mae(cnn, x, t0 - 1, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))))
mae_half = float(np.mean(horizon_mae(cnn, x, t0 - 1, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))))
mae_pure, mae_half
''',
}

CORRECT = {"ex1-answer": EX1_CORRECT, "ex2-answer": EX2_CORRECT, "ex3-answer": EX3_CORRECT}
WRONG = {"ex1-answer": EX1_WRONG, "ex2-answer": EX2_WRONG, "ex3-answer": EX3_WRONG}
