"""Plausible wrong answers to lecture 01 (the valid and the 'same' convolution): each passes
the visible tests of its exercise and fails the hidden ones."""

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
        "extra zero on the left for even kernels (left = s // 2)": '''
def conv1d_same(X, K):
    s = K.shape[0]
    left = s // 2
    right = s - 1 - left
    return conv1d_vectorized(np.pad(np.asarray(X), ((left, right), (0, 0))), K)
''',
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
