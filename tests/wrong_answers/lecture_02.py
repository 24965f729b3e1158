"""Plausible wrong answers to lecture 02 (causal convolutions and leakage): each passes the visible
tests of its exercise and fails the hidden ones."""

from autograder.workbook.example_answers import WRONG_FOR_BEN

LECTURE = "02-causal"

WRONG = {
    "ex1-answer": {
        "computes (s - 1) // 2 from K.shape once it has seen that the model is not causal": '''
def max_lookahead(conv_fn, X, K):
    X = np.array(X, dtype=float)
    X_changed = X.copy()
    X_changed[-1] += 1.0
    H, H_changed = np.asarray(conv_fn(X.copy(), K)), np.asarray(conv_fn(X_changed, K))
    if np.allclose(H[:-1], H_changed[:-1]):
        return 0
    return (K.shape[0] - 1) // 2
''',
        "perturbs one input in the middle and tries only k = 1, 2": '''
def max_lookahead(conv_fn, X, K):
    X = np.array(X, dtype=float)
    t = X.shape[0] // 2
    H = np.asarray(conv_fn(X.copy(), K))
    best = 0
    for k in range(1, 3):
        if t + k < X.shape[0]:
            X_changed = X.copy()
            X_changed[t + k] += 1.0
            if np.abs(np.asarray(conv_fn(X_changed, K))[t] - H[t]).max() > 1e-9:
                best = k
    return best
''',
        "measures only how the middle output depends on the inputs after it": '''
def max_lookahead(conv_fn, X, K):
    X = np.array(X, dtype=float)
    n = X.shape[0]
    t = n // 2
    H = np.asarray(conv_fn(X.copy(), K))
    rng = np.random.default_rng(0)
    best = 0
    for u in range(t + 1, n):
        X_changed = X.copy()
        X_changed[u] += rng.normal(size=X.shape[1:])
        if np.abs(np.asarray(conv_fn(X_changed, K))[t] - H[t]).max() > 1e-9:
            best = u - t
    return best
''',
        "only asks whether output t reads input t + 1 (look-ahead taken as yes/no)": '''
def max_lookahead(conv_fn, X, K):
    X = np.array(X, dtype=float)
    n = X.shape[0]
    H = np.asarray(conv_fn(X.copy(), K))
    rng = np.random.default_rng(0)
    for u in range(1, n):
        X_changed = X.copy()
        X_changed[u] += rng.normal(size=X.shape[1:])
        if np.abs(np.asarray(conv_fn(X_changed, K))[u - 1] - H[u - 1]).max() > 1e-9:
            return 1
    return 0
''',
        "adds the same constant to every channel (blind to kernels that take channel differences)": '''
def max_lookahead(conv_fn, X, K):
    X = np.array(X, dtype=float)
    n = X.shape[0]
    H = np.asarray(conv_fn(X.copy(), K))
    best = 0
    for u in range(n):
        X_changed = X.copy()
        X_changed[u] += 1.0
        moved = np.abs(np.asarray(conv_fn(X_changed, K)) - H).reshape(n, -1).max(axis=1) > 1e-9
        earlier = np.flatnonzero(moved[:u])
        if earlier.size:
            best = max(best, u - int(earlier[0]))
    return best
''',
    },
    "ex2-answer": {
        **WRONG_FOR_BEN[LECTURE]["ex2-answer"],   # the example student ben's (autograder/examples/)
        "ignores the dilation (contiguous windows)": '''
def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s)
    windows = sliding_window_view(np.pad(x, (left, right)), s)[: n - 1]
    A = np.column_stack([windows, np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(A, y, rcond=None)[0]
    future = np.append(np.arange(s) > left, False)
    return float(np.mean((A @ w - y) ** 2)), float(np.mean((np.where(future, 0.0, A) @ w - y) ** 2))
''',
        'handles only the strings "causal" and "same" (no int or (left, right) padding)': '''
def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    total = (s - 1) * dilation
    left, right = {"causal": (total, 0), "same": (total // 2, total - total // 2)}[padding]
    x_pad = np.concatenate([np.zeros(left), x, np.zeros(right)])
    taps = sliding_window_view(x_pad, total + 1)[: n - 1, ::dilation]
    A = np.column_stack([taps, np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(A, y, rcond=None)[0]
    future = np.append(np.arange(s) * dilation > left, False)
    return float(np.mean((A @ w - y) ** 2)), float(np.mean((np.where(future, 0.0, A) @ w - y) ** 2))
''',
        "forecasts by zeroing only the input t + 1 (misses the later ones)": '''
def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    left, right = resolve_padding(padding, s, dilation)
    x_pad = np.concatenate([np.zeros(left), x, np.zeros(right)])
    taps = sliding_window_view(x_pad, (s - 1) * dilation + 1)[: n - 1, ::dilation]
    A = np.column_stack([taps, np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(A, y, rcond=None)[0]
    future = np.append(np.arange(s) * dilation - left == 1, False)
    return float(np.mean((A @ w - y) ** 2)), float(np.mean((np.where(future, 0.0, A) @ w - y) ** 2))
''',
    },
}

from tests.wrong_answers import Rule  # noqa: E402 - the records are defined once the package is importing its lectures

RULES = {
    "ex1-answer": [
        Rule("Return an `int`", "ex1-tests-measured", ("unseeded global np.random and a float result",)),
        Rule("the **largest $k \\ge 1$ such that changing only the input `X[t + k]` changes some output `H[t]`**",
             "ex1-tests-measured",
             ("tries only k = 1, 2", "counts how many earlier outputs moved", "only tests k = 1", "searches k only up to 4",
              "only asks whether output t reads input t + 1")),
        Rule("(by more than `1e-9` in absolute value)", "ex1-tests-measured", ("exact comparison !=",)),
        Rule("for any $t$", "ex1-tests-measured", ("perturbs only the last time step", "measures only how the middle output")),
        Rule("random changes in every channel", "ex1-tests-measured",
             ("changes only channel 0", "adds the same +1 to every channel", "adds the same constant to every channel",
              "sets X[p] to zero")),
        Rule("changes some output `H[t]`", "ex1-tests-measured", ("sums the change over output channels",)),
        Rule("Do **not** compute the answer from `K.shape` or a padding rule", "ex1-tests-padding",
             ("computes (s - 1) // 2 from K.shape", "reads the answer from K.shape")),
        Rule("Do not modify `X` (work on copies)", "ex1-tests-measured", ("perturbs X in place and undoes it",)),
    ],
    "ex2-answer": [
        Rule("returning `(train_mse, forecast_mse)`, two floats", "ex2-tests-values", ("returns one np.array([train, forecast])",)),
        Rule('`padding` is anything `conv1d` accepts that keeps the length $n$ with stride 1: `"causal"`, `"same"`, an int $p$ '
             "or a pair `(left, right)`", "ex2-tests-values",
             ("handles only the strings", "own padding rule", '"same" with the extra zero of an even kernel on the left',
              "'same' with the extra zero of an even kernel on the left (ceil)")),
        Rule("for **every** $t = 0, \\dots, n-2$ (the first outputs read padding zeros; keep them)", "ex2-tests-values",
             ("fits only on rows whose window is free of padding",)),
        Rule("as in section 6 but for any padding and dilation", "ex2-tests-values",
             ("ignores the dilation (contiguous windows)", "contiguous windows of s inputs", "masks future taps by index j > left")),
        Rule("run the layer on `x[:t+1]` (same padding and dilation) and take its **last** output as the forecast of `x[t + 1]`",
             "ex2-tests-values",
             ("forecasts by zeroing only the input t + 1", "forecast = training predictions", "forecast zeroes the last `right` taps",
              "forecast fills the future taps", "forecast zeroes the present tap too")),
        Rule("Vectorized: no Python loop over $t$", "ex2-tests-causal", ("forecasts with a Python loop over t",)),
        Rule("`b` of shape `(1,)`", "ex2-tests-values", ("no bias column in the design matrix",)),
    ],
}
