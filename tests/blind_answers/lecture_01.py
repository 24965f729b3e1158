"""Answers to lecture 01 written blind (issue 12): by a writer who read only the student notebook and
the library, never the hidden tests. CORRECT: alternative correct answers, written differently from the
master (each must keep full marks). WRONG: plausible wrong answers, each breaking a rule of the statement
(each must pass the visible tests or be caught by them, and fail the hidden ones).
"""

LECTURE = "01-conv1d"

CORRECT = {
    "ex1-answer": {
        "einsum on the sliding_window_view patches (n_out, c_in, s) with K (s, c_in, c_out)": '''def conv1d_vectorized(X, K):
    """Valid 1-D convolution (cross-correlation, no flip) without a Python loop over time steps."""
    X = np.asarray(X)
    K = np.asarray(K)
    s = K.shape[0]
    P = sliding_window_view(X, s, axis=0)          # (n - s + 1, c_in, s)
    return np.einsum("icu,uco->io", P, K)
''',
        "np.tensordot contracting the window axis with K's tap axis and channels with channels": '''def conv1d_vectorized(X, K):
    """Valid 1-D convolution (cross-correlation, no flip) without a Python loop over time steps."""
    from numpy.lib.stride_tricks import sliding_window_view as swv
    X = np.asarray(X, dtype=float)
    K = np.asarray(K, dtype=float)
    s, c_in, c_out = K.shape
    patches = swv(X, s, axis=0)                    # (n_out, c_in, s)
    return np.tensordot(patches, K, axes=([2, 1], [0, 1]))   # (n_out, c_out)
''',
        "im2col: transpose patches to (n_out, s, c_in), flatten to a matrix, one matmul": '''def conv1d_vectorized(X, K):
    """Valid 1-D convolution (cross-correlation, no flip) without a Python loop over time steps."""
    s, c_in, c_out = K.shape
    n = X.shape[0]
    n_out = n - s + 1
    P = sliding_window_view(X, s, axis=0).transpose(0, 2, 1)   # (n_out, s, c_in)
    cols = P.reshape(n_out, s * c_in)                            # row i = patch i, tap-major
    H = cols @ K.reshape(s * c_in, c_out)
    return H
''',
        "2-D sliding window over (time, channel) with window shape (s, c_in), then einsum": '''def conv1d_vectorized(X, K):
    """Valid 1-D convolution (cross-correlation, no flip) without a Python loop over time steps."""
    from numpy.lib.stride_tricks import sliding_window_view
    s, c_in, c_out = K.shape
    W = sliding_window_view(X, (s, c_in))          # (n_out, 1, s, c_in)
    W = W[:, 0]                                    # (n_out, s, c_in): same layout as K[:, :, o]
    H = np.einsum("iuc,uco->io", W, K, optimize=True)
    return H.astype(np.result_type(X, K, float))
''',
    },
    "ex2-answer": {
        "np.pad with (left, right) zeros, then the vectorized valid convolution": '''def conv1d_same(X, K):
    """'Same' 1-D convolution (cross-correlation): zero padding (left, right), output length n."""
    s = K.shape[0]
    left = (s - 1) // 2
    right = s - 1 - left
    X_pad = np.pad(X, ((left, right), (0, 0)))     # (n + s - 1, c_in)
    return conv1d_vectorized(X_pad, K)
''',
        "seqconv.conv1d with an explicit padding=(left, right) pair": '''def conv1d_same(X, K):
    """'Same' 1-D convolution (cross-correlation): zero padding (left, right), output length n."""
    import seqconv
    s = K.shape[0]
    left = (s - 1) // 2
    right = (s - 1) - left
    return seqconv.conv1d(X, K, padding=(left, right))
''',
        "own code: zero array with X copied in, sliding_window_view + tensordot": '''def conv1d_same(X, K):
    """'Same' 1-D convolution (cross-correlation): zero padding (left, right), output length n."""
    from numpy.lib.stride_tricks import sliding_window_view
    X = np.asarray(X, dtype=float)
    n, c_in = X.shape
    s = K.shape[0]
    left = (s - 1) // 2
    Xp = np.zeros((n + s - 1, c_in))
    Xp[left : left + n] = X
    P = sliding_window_view(Xp, s, axis=0)         # (n, c_in, s)
    return np.tensordot(P, K, axes=([2, 1], [0, 1]))
''',
        "loop over kernel taps (not time): each tap adds a shifted slice X[i - left + u] @ K[u], clipped to 0..n-1": '''def conv1d_same(X, K):
    """'Same' 1-D convolution (cross-correlation): zero padding (left, right), output length n."""
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    s, c_in, c_out = K.shape
    left = (s - 1) // 2
    H = np.zeros((n, c_out))
    for u in range(s):                      # s iterations, whatever n is
        off = u - left                      # output i reads X[i + off]
        lo = max(0, -off)                   # first output whose input is inside X
        hi = min(n, n - off)                # one past the last one
        if hi > lo:
            H[lo:hi] += X[lo + off : hi + off] @ K[u]
    return H
''',
    },
}

WRONG = {
    "ex1-answer": {
        "flips the kernel (true convolution) - breaks 'cross-correlation: no flip' (visible kernels are symmetric)": '''def conv1d_vectorized(X, K):
    s = K.shape[0]
    P = sliding_window_view(X, s, axis=0)          # (n_out, c_in, s)
    return np.einsum("icu,uco->io", P, K[::-1])
''',
        "flattens the (n_out, c_in, s) patches without transposing - breaks 'Mind the axes' (window axis comes last)": '''def conv1d_vectorized(X, K):
    s, c_in, c_out = K.shape
    P = sliding_window_view(X, s, axis=0)          # (n_out, c_in, s)
    n_out = P.shape[0]
    return P.reshape(n_out, s * c_in) @ K.reshape(s * c_in, c_out)
''',
        "contracts channel axis with tap axis and vice versa via reshape of K - breaks 'Mind the axes'": '''def conv1d_vectorized(X, K):
    s, c_in, c_out = K.shape
    P = sliding_window_view(X, s, axis=0)          # (n_out, c_in, s)
    Kt = K.reshape(c_in, s, c_out)                 # wrong: reshape is not a transpose
    return np.einsum("icu,cuo->io", P, Kt)
''',
        "Python loop over output positions - breaks 'no Python loop over time steps'": '''def conv1d_vectorized(X, K):
    s = K.shape[0]
    P = sliding_window_view(X, s, axis=0)
    return np.array([np.tensordot(P[i], K, axes=([1, 0], [0, 1])) for i in range(P.shape[0])])
''',
        "np.correlate per (input, output) channel pair - breaks 'np.correlate ... switched off: write it yourself'": '''def conv1d_vectorized(X, K):
    s, c_in, c_out = K.shape
    n = X.shape[0]
    H = np.zeros((n - s + 1, c_out))
    for o in range(c_out):
        for c in range(c_in):
            H[:, o] += np.correlate(X[:, c], K[:, c, o], mode="valid")
    return H
''',
        "calls seqconv.conv1d - breaks 'seqconv's convolutions are switched off'": '''def conv1d_vectorized(X, K):
    return conv1d(X, K, padding="valid")
''',
        "2-D scipy.signal.correlate over (time, channel), one output channel at a time - breaks 'scipy correlate switched off'": '''def conv1d_vectorized(X, K):
    import scipy.signal
    s, c_in, c_out = K.shape
    cols = [scipy.signal.correlate(X, K[:, :, o], mode="valid")[:, 0] for o in range(c_out)]
    return np.stack(cols, axis=1)
''',
        "squeezes the patch array for the one-channel case - breaks 'hidden: s = 1 and s = n' (squeeze removes the wrong axis)": '''def conv1d_vectorized(X, K):
    s = K.shape[0]
    P = sliding_window_view(X, s, axis=0).squeeze()
    if P.ndim == 2:                                 # one channel: (n_out, s)
        return P @ K[:, 0, :]
    return np.einsum("icu,uco->io", P, K)
''',
        "uses input channel 0's template for every channel (X summed over channels) - breaks the sum over c of K[u, c, o]": '''def conv1d_vectorized(X, K):
    s = K.shape[0]
    P = sliding_window_view(X.sum(axis=1), s)      # (n_out, s), channels added first
    return P @ K[:, 0, :]
''',
        "only handles c_out = 1 and broadcasts the first template to all outputs - breaks 'K (s, c_in, c_out)'": '''def conv1d_vectorized(X, K):
    s, c_in, c_out = K.shape
    P = sliding_window_view(X, s, axis=0)
    h = np.einsum("icu,uc->i", P, K[:, :, 0])
    return np.repeat(h[:, None], c_out, axis=1)
''',
    },
    "ex2-answer": {
        "extra zero of an even kernel on the LEFT (left = s // 2) - breaks 'for an even s the extra zero goes on the right'": '''def conv1d_same(X, K):
    s = K.shape[0]
    left = s // 2
    right = s - 1 - left
    return conv1d_vectorized(np.pad(X, ((left, right), (0, 0))), K)
''',
        "PyTorch-style symmetric int padding s // 2, then drops the last output - breaks 'extra zero on the right' for even s": '''def conv1d_same(X, K):
    s = K.shape[0]
    n = X.shape[0]
    p = s // 2
    H = conv1d(X, K, padding=p)
    return H[:n]
''',
        "calls conv1d(..., padding='same') - breaks (padding='same' itself is switched off)": '''def conv1d_same(X, K):
    return conv1d(X, K, padding="same")
''',
        "gets (left, right) from seqconv's resolve_padding('same') - breaks (padding='same' switched off, choose the alignment yourself)": '''def conv1d_same(X, K):
    from seqconv.conv import resolve_padding
    left, right = resolve_padding("same", K.shape[0])
    return conv1d(X, K, padding=(left, right))
''',
        "np.correlate(mode='same') per channel pair - breaks (NumPy's mode='same' follows another convention for even kernels) and s > n": '''def conv1d_same(X, K):
    n, c_in = X.shape
    s, _, c_out = K.shape
    H = np.zeros((n, c_out))
    for o in range(c_out):
        for c in range(c_in):
            H[:, o] += np.correlate(X[:, c], K[:, c, o], mode="same")
    return H
''',
        "np.convolve(mode='same') (flips the kernel) - breaks 'cross-correlation, no flip' (visible kernels symmetric)": '''def conv1d_same(X, K):
    n, c_in = X.shape
    s, _, c_out = K.shape
    left = (s - 1) // 2
    H = np.zeros((n, c_out))
    for o in range(c_out):
        for c in range(c_in):
            full = np.convolve(X[:, c], K[:, c, o], mode="full")   # length n + s - 1
            H[:, o] += full[s - 1 - left : s - 1 - left + n]
    return H
''',
        "zeros built as slices of X (np.zeros_like(X[:left])) - breaks 's may be larger than n' (too few zeros)": '''def conv1d_same(X, K):
    s = K.shape[0]
    left = (s - 1) // 2
    right = s - 1 - left
    X_pad = np.concatenate([np.zeros_like(X[:left]), X, np.zeros_like(X[:right])], axis=0)
    return conv1d_vectorized(X_pad, K)
''',
        "copies X into X_pad[left:-right] - breaks 'any s >= 1' (s = 1 gives right = 0 and an empty slice)": '''def conv1d_same(X, K):
    n, c_in = X.shape
    s = K.shape[0]
    left = (s - 1) // 2
    right = s - 1 - left
    X_pad = np.zeros((n + s - 1, c_in))
    X_pad[left:-right] = X
    return conv1d_vectorized(X_pad, K)
''',
        "only reads input channel 0 - breaks 'X of shape (n, c_in)', sum over c (visible multi-channel test checks only the shape)": '''def conv1d_same(X, K):
    s = K.shape[0]
    left = (s - 1) // 2
    right = s - 1 - left
    x0 = np.pad(X[:, :1], ((left, right), (0, 0)))
    return conv1d_vectorized(x0, K[:, :1, :])
''',
        "pads (s-1)//2 zeros on both sides and appends a zero row when the output is one short - breaks 'right = s - 1 - left' for even s": '''def conv1d_same(X, K):
    n, c_in = X.shape
    s, _, c_out = K.shape
    p = (s - 1) // 2
    H = conv1d_vectorized(np.pad(X, ((p, p), (0, 0))), K)
    if H.shape[0] < n:                                   # even kernel: one output missing
        H = np.concatenate([H, np.zeros((n - H.shape[0], c_out))], axis=0)
    return H
''',
        "crops the kernel to n taps when s > n (thinking the valid conv needs s <= n) - breaks 's may be larger than n'": '''def conv1d_same(X, K):
    n = X.shape[0]
    if K.shape[0] > n:
        K = K[:n]
    s = K.shape[0]
    left = (s - 1) // 2
    right = s - 1 - left
    return conv1d_vectorized(np.pad(X, ((left, right), (0, 0))), K)
''',

    },
}
