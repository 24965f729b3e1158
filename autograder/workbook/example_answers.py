"""The example student ``ben``'s wrong answers (make_examples.py): plausible, wrong, each passing
the visible tests of its exercise and failing a hidden one.

ben solves each lecture's first exercise with the reference answer and gives these to the others
(one per answer cell, the last lecture not handed in). The tests check them with every other
wrong answer (tests/wrong_answers/ lists them first of their exercise): each must still fail a
hidden test, through the grader too.
"""

# {lecture: {answer cell grade_id: {short name: full source of the replacement answer cell}}}
WRONG_FOR_BEN: dict[str, dict[str, dict[str, str]]] = {
    "01-conv1d": {
        "ex2-answer": {
            "extra zero on the left for even kernels (left = s // 2)": '''
def conv1d_same(X, K):
    s = K.shape[0]
    left = s // 2
    right = s - 1 - left
    return conv1d_vectorized(np.pad(np.asarray(X), ((left, right), (0, 0))), K)
''',
        },
    },
    "02-causal": {
        "ex2-answer": {
            '"same" with the extra zero of an even kernel on the left': '''
def one_step_errors(x, s, padding, dilation=1):
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    total = (s - 1) * dilation
    if padding == "same":
        left, right = total - total // 2, total // 2
    else:
        left, right = resolve_padding(padding, s, dilation)
    x_pad = np.concatenate([np.zeros(left), x, np.zeros(right)])
    taps = sliding_window_view(x_pad, total + 1)[: n - 1, ::dilation]
    A = np.column_stack([taps, np.ones(n - 1)])
    y = x[1:]
    w = np.linalg.lstsq(A, y, rcond=None)[0]
    future = np.append(np.arange(s) * dilation > left, False)
    return float(np.mean((A @ w - y) ** 2)), float(np.mean((np.where(future, 0.0, A) @ w - y) ** 2))
''',
        },
    },
    "03-dilation": {
        "ex2-answer": {
            "counts the nonzero samples of the impulse response instead of their span (holes)": '''
def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0, 0] = 1.0
    change = layer_fn(X)[:, 0] - layer_fn(np.zeros((n, 1)))[:, 0]
    return int(np.count_nonzero(change))
''',
        },
    },
    "04-forecasting": {
        "ex2-answer": {
            # Signed error truth - prediction: on an increasing series with persistence it equals |error|.
            "signed error (truth - prediction) instead of |error|": '''def horizon_mae(model, x, start, steps, p_true, n_runs, rng):
    x = np.asarray(x, dtype=np.float64)
    truth = x[start:start + steps]
    errors = [truth - ar_generate_scheduled(model, x, start, steps, p_true, rng) for _ in range(n_runs)]
    return np.mean(errors, axis=0)
''',
        },
        "ex3-answer": {
            "uses the linear model lin instead of cnn": '''mae_by_step_pure = horizon_mae(lin, x, t0, H, p_true=0.0, n_runs=1, rng=np.random.default_rng(0))
mae_by_step_half = horizon_mae(lin, x, t0, H, p_true=0.5, n_runs=20, rng=np.random.default_rng(2015))
mae_pure = float(mae_by_step_pure.mean())
mae_half = float(mae_by_step_half.mean())
''',
        },
    },
    "05-spectrograms": {
        "ex2-answer": {
            "predicts from the position of the row: the visible labels alternate 0, 1, 0, 1": '''
def predict_classes(train_feats, train_labels, test_feats):
    return np.arange(len(test_feats)) % 2
''',
        },
    },
    "06-padding": {
        "ex2-answer": {
            "max of H * mask: the padding's zeros win when the real values are negative": '''
def masked_max_pool(H, mask):
    return (np.asarray(H) * np.asarray(mask)[:, :, None]).max(axis=1)
''',
        },
    },
}
