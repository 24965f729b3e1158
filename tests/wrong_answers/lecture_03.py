"""Plausible wrong answers to lecture 03 (dilated convolutions): each passes the visible tests
of its exercise and fails the hidden ones."""

LECTURE = "03-dilation"

WRONG = {
    "ex1-answer": {
        "swaps the dilations: 2 on the first layer, 1 on the second (same R for s1 = s2)": '''
def dilated_stack(X, K1, K2):
    H1 = conv1d(X, K1, padding="causal", dilation=2)
    return conv1d(H1, K2, padding="causal", dilation=1)
''',
        "flips the kernels (a true convolution, not the course's cross-correlation)": '''
def dilated_stack(X, K1, K2):
    H1 = conv1d(X, K1[::-1], padding="causal", dilation=1)
    return conv1d(H1, K2[::-1], padding="causal", dilation=2)
''',
        "valid convolutions, then zeros in front to restore the length (the first R - 1 outputs are lost)": '''
def dilated_stack(X, K1, K2):
    H1 = conv1d(X, K1, padding="valid", dilation=1)
    H = conv1d(H1, K2, padding="valid", dilation=2)
    return np.concatenate([np.zeros((X.shape[0] - H.shape[0], H.shape[1])), H])
''',
        "a ReLU between the two layers (the statement asks for none)": '''
def dilated_stack(X, K1, K2):
    H1 = np.maximum(conv1d(X, K1, padding="causal", dilation=1), 0.0)
    return conv1d(H1, K2, padding="causal", dilation=2)
''',
    },
    "ex2-answer": {
        "counts the nonzero samples of the impulse response instead of their span (holes)": '''
def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0, 0] = 1.0
    change = layer_fn(X)[:, 0] - layer_fn(np.zeros((n, 1)))[:, 0]
    return int(np.count_nonzero(change))
''',
        "assumes the response starts at the impulse: last lag + 1 (a delay inflates it)": '''
def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0, 0] = 1.0
    change = layer_fn(X)[:, 0] - layer_fn(np.zeros((n, 1)))[:, 0]
    return int(np.flatnonzero(change)[-1] + 1)
''',
        "impulse in the middle of the sequence: a field longer than n/2 is cut off by the end": '''
def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[n // 2, 0] = 1.0
    lags = np.flatnonzero(layer_fn(X)[:, 0] - layer_fn(np.zeros((n, 1)))[:, 0])
    return int(lags[-1] - lags[0] + 1)
''',
        "no baseline: the response to the impulse itself, so a bias makes every output count": '''
def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0, 0] = 1.0
    lags = np.flatnonzero(layer_fn(X)[:, 0])
    return int(lags[-1] - lags[0] + 1)
''',
        "a +1 impulse only: a ReLU silences the taps that a -1 impulse would reach": '''
def measure_receptive_field(layer_fn, n=64):
    X = np.zeros((n, 1))
    X[0, 0] = 1.0
    lags = np.flatnonzero(layer_fn(X)[:, 0] != layer_fn(np.zeros((n, 1)))[:, 0])
    return int(lags[-1] - lags[0] + 1)
''',
        "hard-codes n = 64 for the probe, ignoring the n it is given": '''
def measure_receptive_field(layer_fn, n=64):
    found = np.zeros(64, dtype=bool)
    base = layer_fn(np.zeros((64, 1)))[:, 0]
    for amplitude in (1.0, -1.0):
        X = np.zeros((64, 1))
        X[0, 0] = amplitude
        found |= layer_fn(X)[:, 0] != base
    lags = np.flatnonzero(found)
    return int(lags[-1] - lags[0] + 1)
''',
    },
}
