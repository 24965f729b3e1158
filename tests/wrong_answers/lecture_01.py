"""Plausible wrong answers to lecture 01 (the valid and the 'same' convolution): each passes
the visible tests of its exercise and fails the hidden ones."""

from autograder.workbook.example_answers import WRONG_FOR_BEN

LECTURE = "01-conv1d"

WRONG = {
    "ex1-answer": {
        "true convolution: the kernel flipped in time (np.convolve's convention)": '''
def conv1d_vectorized(X, K):
    patches = sliding_window_view(np.asarray(X), K.shape[0], axis=0)      # (n - s + 1, c_in, s)
    return np.tensordot(patches, np.asarray(K)[::-1], axes=([2, 1], [0, 1]))
''',
        "im2col with mismatched flattening: patches flattened as (c_in, s), the kernel as (s, c_in)": '''
def conv1d_vectorized(X, K):
    s, c_in, c_out = K.shape
    patches = sliding_window_view(np.asarray(X), s, axis=0)               # (n - s + 1, c_in, s)
    return patches.reshape(patches.shape[0], c_in * s) @ np.asarray(K).reshape(s * c_in, c_out)
''',
        "calls the library's seqconv.conv1d instead of writing it": '''
def conv1d_vectorized(X, K):
    return seqconv.conv1d(X, K)
''',
        "np.correlate for every (input, output) channel pair": '''
def conv1d_vectorized(X, K):
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    s, c_in, c_out = K.shape
    H = np.zeros((X.shape[0] - s + 1, c_out))
    for o in range(c_out):
        for c in range(c_in):
            H[:, o] += np.correlate(X[:, c], K[:, c, o], mode="valid")
    return H
''',
    },
    "ex2-answer": {
        **WRONG_FOR_BEN[LECTURE]["ex2-answer"],   # the example student ben's (autograder/examples/)
        "np.convolve(..., mode='same') per channel pair: flips the kernel, numpy's even-kernel alignment": '''
def conv1d_same(X, K):
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    H = np.zeros((X.shape[0], K.shape[2]))
    for o in range(K.shape[2]):
        for c in range(K.shape[1]):
            H[:, o] += np.convolve(X[:, c], K[:, c, o], mode="same")
    return H
''',
        "np.correlate(..., mode='same') per channel pair: numpy puts the extra zero on the left": '''
def conv1d_same(X, K):
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    H = np.zeros((X.shape[0], K.shape[2]))
    for o in range(K.shape[2]):
        for c in range(K.shape[1]):
            H[:, o] += np.correlate(X[:, c], K[:, c, o], mode="same")
    return H
''',
        "full correlation trimmed with full[right:-left], empty when left = 0 (s = 1 or 2)": '''
def conv1d_same(X, K):
    s = K.shape[0]
    left = (s - 1) // 2
    right = s - 1 - left
    full = seqconv.conv1d(X, K, padding=(s - 1, s - 1))    # (n + s - 1, c_out)
    return full[right:-left]
''',
    },
}

from tests.wrong_answers import Rule  # noqa: E402 - the records are defined once the package is importing its lectures

RULES = {
    "ex1-answer": [
        Rule("returning `H` of shape `(n - s + 1, c_out)`", "ex1-tests-shape", ("squeezes the patch array",)),
        Rule("(cross-correlation: no flip; no bias)", "ex1-tests-values",
             ("true convolution: the kernel flipped", "flips the kernel (true convolution)")),
        Rule("Mind the axes", "ex1-tests-values",
             ("im2col with mismatched flattening", "flattens the (n_out, c_in, s) patches", "contracts channel axis with tap axis")),
        Rule("no Python loop over time steps", "ex1-tests-vectorized", ("Python loop over output positions",)),
        Rule("Write it yourself: while the hidden tests call your function, seqconv's convolutions, conv1d_loop, "
             "np.convolve, np.correlate and scipy's correlate/convolve are switched off", "ex1-tests-values",
             ("calls the library's seqconv.conv1d", "calls seqconv.conv1d - breaks", "np.correlate for every",
              "np.correlate per (input, output)", "2-D scipy.signal.correlate")),
        Rule("H[i, o] = sum_{u < s} sum_{c < c_in} X[i + u, c] * K[u, c, o]", "ex1-tests-values",
             ("uses input channel 0's template", "only handles c_out = 1")),
    ],
    "ex2-answer": [
        Rule("returning `H` of shape `(n, c_out)`", "ex2-tests-length",
             ("full correlation trimmed", "copies X into X_pad[left:-right]")),
        Rule("For an even $s$ the extra zero goes on the **right**", "ex2-tests-even",
             ("extra zero on the left for even kernels", "extra zero of an even kernel on the LEFT", "PyTorch-style symmetric",
              "pads (s-1)//2 zeros on both sides")),
        Rule("Cross-correlation, no flip, no bias", "ex2-tests-odd",
             ("np.convolve(..., mode='same')", "np.convolve(mode='same') (flips the kernel)")),
        Rule("$s$ may be larger than $n$", "ex2-tests-even", ("zeros built as slices of X", "crops the kernel to n taps")),
        Rule('so `padding="same"` itself is switched off while the hidden tests run', "ex2-tests-odd",
             ("calls conv1d(..., padding='same')", "resolve_padding('same')")),
        Rule('NumPy\'s and SciPy\'s `mode="same"` follow another convention for even kernels', "ex2-tests-even",
             ("np.correlate(..., mode='same') per channel pair: numpy", "np.correlate(mode='same') per channel pair - breaks")),
        Rule("H[i, o] = sum_{u, c} X[i - left + u, c] * K[u, c, o]", "ex2-tests-odd", ("only reads input channel 0",)),
    ],
}
