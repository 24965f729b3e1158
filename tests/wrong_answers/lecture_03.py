"""Plausible wrong answers to lecture 03 (dilated convolutions): each passes the visible tests
of its exercise and fails the hidden ones."""

from autograder.workbook.example_answers import WRONG_FOR_BEN

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
        **WRONG_FOR_BEN[LECTURE]["ex2-answer"],   # the example student ben's (autograder/examples/)
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

from tests.wrong_answers import Rule  # noqa: E402 - the records are defined once the package is importing its lectures

RULES = {
    "ex1-answer": [
        Rule("a causal convolution of `X` with `K1` and dilation 1, followed by a causal convolution of its output with `K2` "
             "and dilation **2**", "ex1-tests-values", ("swaps the dilations", "dilations in the wrong order")),
        Rule("No bias, no nonlinearity between the layers", "ex1-tests-values",
             ("a ReLU between the two layers", "ReLU between the layers - breaks")),
        Rule("(cross-correlation, the lecture's convention)", "ex1-tests-values",
             ("flips the kernels (a true convolution", "np.convolve per channel pair", "second layer with its taps in reverse order")),
        Rule("output $i$ depends on $X[0], \\dots, X[i]$ only", "ex1-tests-causal",
             ("'same' padding in both layers", "pads the second layer by s2 - 1")),
        Rule("It must work from the very first output (a sequence shorter than the receptive field included)", "ex1-tests-values",
             ("valid convolutions, then zeros in front", "two valid convolutions, then R - 1 zeros",
              "returns zeros when the sequence is shorter")),
        Rule("and for any numbers of channels", "ex1-tests-values", ("adds the hidden channels up",)),
        Rule("Returns `(n, c_out)`", "ex1-tests-shapes", ("symmetric int padding (s - 1) * d",)),
    ],
    "ex2-answer": [
        Rule("the holes count in the span", "ex2-tests-holes",
             ("counts the nonzero samples of the impulse response", "counts the lags with a nonzero response")),
        Rule("the newest input that matters may be older than the output itself (a delay)", "ex2-tests-any-layer",
             ("assumes the response starts at the impulse", "last nonzero lag + 1")),
        Rule("a bias gives a nonzero output for a zero input, so look at what an impulse *changes*", "ex2-tests-any-layer",
             ("no baseline", "reads the raw impulse response")),
        Rule("a ReLU can silence a $+1$ impulse where $-1$ would pass", "ex2-tests-any-layer",
             ("a +1 impulse only", "only a +1 impulse")),
        Rule("$R$ can be close to $n$", "ex2-tests-stack",
             ("impulse in the middle of the sequence: a field", "impulse in the middle of the sequence (n // 2)")),
        Rule("You may assume it is at most `n`; use sequences of length `n`", "ex2-tests-stack",
             ("hard-codes n = 64", "fixed length of 32 steps")),
        Rule("You may assume it is at most `n`; use sequences of length `n`", "ex2-tests-any-layer", ("probes with 2 n steps",)),
        Rule("taps may be zero or negative, and cancel", "ex2-tests-holes", ("keeps only the lags where the response went UP",)),
        Rule("Input position $p$ **influences** output $i$ if changing $X[p]$ can change $H[i]$", "ex2-tests-any-layer",
             ("treats changes below 0.01 as noise",)),
        Rule("**both included**", "ex2-tests-stack", ("newest minus oldest lag without the + 1",)),
        Rule("`layer_fn` maps one sequence `(n, 1)` to `(n, 1)` (not a batch)", "ex2-tests-holes", ("feeds a batch (n, n, 1)",)),
        Rule("Return, as an `int`, the receptive field", "ex2-tests-stack", ("returns the span as a float",)),
    ],
}
