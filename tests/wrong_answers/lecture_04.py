"""Plausible wrong answers to lecture 04's exercises (scheduled sampling in AR generation).

Each passes the visible tests of its exercise and fails a hidden one.
"""

from autograder.workbook.example_answers import WRONG_FOR_BEN

LECTURE = "04-forecasting"

_EX1_HEAD = '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=np.float64)
    W = model.window
    if start < W:
        raise ValueError("start < window")
    if start + steps > x.shape[0]:
        raise ValueError("start + steps > len(x)")
    buf = np.empty(W + steps)
    buf[:W] = x[start - W:start]
    y_hat = np.empty(steps)
    for i in range(steps):
        y_hat[i] = model.predict(buf[None, i:i + W, None])[0, 0]
'''

_EX3_CALLS = '''mae_by_step_pure = horizon_mae({model}, x, {start}, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))
mae_by_step_half = horizon_mae({model}, x, {start}, H, p_true=0.5, n_runs={runs}, rng=np.random.default_rng(2015))
mae_pure = float(mae_by_step_pure.mean())
mae_half = float(mae_by_step_half.mean())
'''

WRONG = {
    "ex1-answer": {
        # Looks like "the other tail of the uniform": same extremes (p=0 never, p=1 always), other coin flips.
        "truth iff u > 1 - p_true (inverted threshold)": _EX1_HEAD + '''        u = rng.random()
        buf[W + i] = x[start + i] if u > 1 - p_true else y_hat[i]
    return y_hat
''',
        # Saves random numbers when the outcome is certain: the rng stream is then out of step.
        "draws a random number only when 0 < p_true < 1": _EX1_HEAD + '''        if p_true <= 0:
            use_truth = False
        elif p_true >= 1:
            use_truth = True
        else:
            use_truth = rng.random() < p_true
        buf[W + i] = x[start + i] if use_truth else y_hat[i]
    return y_hat
''',
        # "The last fed value is never used", so it skips the last draw: steps - 1 draws.
        "skips the draw after the last prediction": _EX1_HEAD + '''        if i < steps - 1:
            buf[W + i] = x[start + i] if rng.random() < p_true else y_hat[i]
    return y_hat
''',
        # One coin for the whole run instead of one per step.
        "one coin flip for the whole run": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=np.float64)
    W = model.window
    if start < W:
        raise ValueError("start < window")
    if start + steps > x.shape[0]:
        raise ValueError("start + steps > len(x)")
    use_truth = rng.random() < p_true
    buf = np.empty(W + steps)
    buf[:W] = x[start - W:start]
    y_hat = np.empty(steps)
    for i in range(steps):
        y_hat[i] = model.predict(buf[None, i:i + W, None])[0, 0]
        buf[W + i] = x[start + i] if use_truth else y_hat[i]
    return y_hat
''',
        # No check that the truth exists: with p_true=0 it silently runs past the end of x.
        "no check of start + steps <= len(x)": '''def ar_generate_scheduled(model, x, start, steps, p_true, rng):
    x = np.asarray(x, dtype=np.float64)
    W = model.window
    if start < W:
        raise ValueError("start < window")
    buf = list(x[start - W:start])
    y_hat = []
    for i in range(steps):
        y = model.predict(np.array(buf[-W:])[None, :, None])[0, 0]
        y_hat.append(y)
        buf.append(x[start + i] if rng.random() < p_true else y)
    return np.array(y_hat)
''',
    },
    "ex2-answer": {
        **WRONG_FOR_BEN[LECTURE]["ex2-answer"],   # the example student ben's (autograder/examples/)
        # Root mean square over runs: equal to the mean |error| when all runs agree (p_true = 0 or 1).
        "root mean square over runs": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    x = np.asarray(x, dtype=np.float64)
    truth = x[start:start + steps]
    errors = np.array([ar_generate_scheduled(model, x, start, steps, p_true, rng) - truth for _ in range(n_runs)])
    return np.sqrt(np.mean(errors ** 2, axis=0))
''',
        # One run only: n_runs ignored.
        "ignores n_runs (one run)": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    x = np.asarray(x, dtype=np.float64)
    return np.abs(ar_generate_scheduled(model, x, start, steps, p_true, rng) - x[start:start + steps])
''',
    },
    "ex3-answer": {
        **WRONG_FOR_BEN[LECTURE]["ex3-answer"],   # the example student ben's (autograder/examples/)
        # The index of the first test pair (N_train) is not its time (N_train + W).
        "starts at the first test pair's index N_train, not its time t0": _EX3_CALLS.format(model="cnn", start="N_train", runs=20),
        "one run at p_true = 0.5": _EX3_CALLS.format(model="cnn", start="t0", runs=1),
    },
}

from tests.wrong_answers import Rule  # noqa: E402 - the records are defined once the package is importing its lectures

RULES = {
    "ex1-answer": [
        Rule("draw **exactly one** number `u = rng.random()`", "ex1-tests-randomness",
             ("draws a random number only when 0 < p_true < 1", "skips the coin flips when p_true is 0 or 1", "rng.binomial")),
        Rule("append to the window the **true** `x[start + i]` if `u < p_true`, otherwise `y_hat_i`", "ex1-tests-randomness",
             ("truth iff u > 1 - p_true", "feeds the truth when u > p_true", "one coin flip for the whole run")),
        Rule("Draw one number per step, in step order, including the last step (whose fed value is never used)",
             "ex1-tests-randomness",
             ("skips the draw after the last prediction", "no coin drawn at the last step", "coin i decides the value fed at step i-1")),
        Rule("Use no other random numbers", "ex1-tests-randomness", ("own fixed-seed generator",)),
        Rule("not the values that were fed back", "ex1-tests-extremes", ("returns the values that were fed back",)),
        Rule("as a float array of shape `(steps,)`", "ex1-tests-randomness", ("buffer in x's dtype",)),
        Rule("Raise `ValueError` if `start < W`", "ex1-tests-shape", ("no check that start >= W", "rejects start == W")),
        Rule("or if `start + steps > len(x)` (there is no truth to feed)", "ex1-tests-shape",
             ("no check of start + steps <= len(x)", "no length check: past the end", "feeds its own prediction when the truth runs out")),
        Rule("Start from the true window `x[start - W : start]`", "ex1-tests-shape", ("first window off by one",)),
    ],
    "ex2-answer": [
        Rule("mae[i] = mean over runs of |y_hat[i] - x[start + i]|", "ex2-tests-runs",
             ("signed error (truth - prediction)", "root mean square over runs", "absolute value of the mean signed error",
              "root mean squared error over runs", "median over runs", "worst case (max) over runs", "divides by (n_runs - 1)",
              "compares with the previous value", "mean over both runs and horizon")),
        Rule("The calls are made one after another with **the same** `rng`, so run `r` uses the next `steps` random numbers",
             "ex2-tests-runs",
             ("ignores n_runs (one run)", "each run gets a deepcopy of rng", "one call reused for every run",
              "a fresh generator seeded from rng")),
    ],
    "ex3-answer": [
        Rule("On the trained **two-layer** model `cnn`", "ex3-tests-numbers",
             ("uses the linear model lin instead of cnn", "uses the linear model lin (breaks")),
        Rule("from the first test time `t0` for `H` steps", "ex3-tests-numbers",
             ("starts at the first test pair's index", "starts at the pair index", "starts one step early",
              "horizon of 40 steps only")),
        Rule("`mae_half`: the mean over the horizon of `horizon_mae(cnn, x, t0, H, p_true=0.5, n_runs=20, "
             "rng=np.random.default_rng(2015))`", "ex3-tests-numbers",
             ("one run at p_true = 0.5", "seed 0 for both generators", "one shared generator for both",
              "a single run for mae_half", "uses the notebook's global rng")),
        Rule("the mean over the horizon", "ex3-tests-numbers", ("sum over the horizon", "median over the horizon")),
        Rule("compute two floats", "ex3-tests-numbers", ("keeps the (H,) curves",)),
    ],
}
