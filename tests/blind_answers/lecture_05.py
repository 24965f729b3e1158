"""Answers to lecture 05 written blind (issue 12): by a writer who read only the student notebook and
the library, never the hidden tests. CORRECT: alternative correct answers, written differently from the
master (each must keep full marks). WRONG: plausible wrong answers, each breaking a rule of the statement
(each must pass the visible tests or be caught by them, and fail the hidden ones).
"""

LECTURE = "05-spectrograms"

# ----------------------------------------------------------------------------- ex1
EX1_CORRECT = {
"two conv1d calls (valid), ReLU with np.maximum, mean over axis 0, explicit length check": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    """Two valid conv layers with ReLU over the frames of a spectrogram, then the mean over time."""
    frames, s1, s2 = np.shape(S)[0], np.shape(K1)[0], np.shape(K2)[0]
    if frames < s1 + s2 - 1:
        raise ValueError(f"the spectrogram has {frames} frames; two valid layers with s1={s1}, s2={s2} need at least {s1 + s2 - 1}")
    H1 = np.maximum(conv1d(S, K1, b1, padding="valid"), 0.0)     # (frames - s1 + 1, c1)
    H2 = np.maximum(conv1d(H1, K2, b2, padding="valid"), 0.0)    # (T2, c2)
    return H2.mean(axis=0)
''',
"sliding_window_view + einsum for each layer, by hand": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    from numpy.lib.stride_tricks import sliding_window_view
    S = np.asarray(S, dtype=float)
    K1, K2 = np.asarray(K1, dtype=float), np.asarray(K2, dtype=float)
    s1, s2 = K1.shape[0], K2.shape[0]
    if S.shape[0] < s1 + s2 - 1:
        raise ValueError("spectrogram too short for the two valid convolutions")

    def layer(X, K, b):
        P = sliding_window_view(X, K.shape[0], axis=0)             # (T, c_in, s)
        return np.maximum(np.einsum("tcj,jco->to", P, K) + np.asarray(b, dtype=float), 0.0)

    H2 = layer(layer(S, K1, b1), K2, b2)
    return H2.sum(axis=0) / H2.shape[0]
''',
"explicit loop over output time steps with tensordot": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    S = np.asarray(S, dtype=np.float64)
    s1, s2 = len(K1), len(K2)
    T1 = S.shape[0] - s1 + 1
    T2 = T1 - s2 + 1
    if T1 < 1 or T2 < 1:
        raise ValueError(f"need frames >= s1 + s2 - 1 = {s1 + s2 - 1}; got {S.shape[0]}")
    H1 = np.empty((T1, K1.shape[2]))
    for i in range(T1):
        H1[i] = np.tensordot(S[i:i + s1], K1, axes=([0, 1], [0, 1])) + b1
    H1 = np.where(H1 > 0, H1, 0.0)
    H2 = np.empty((T2, K2.shape[2]))
    for i in range(T2):
        H2[i] = np.tensordot(H1[i:i + s2], K2, axes=([0, 1], [0, 1])) + b2
    H2 = np.where(H2 > 0, H2, 0.0)
    return np.mean(H2, axis=0)
''',
"im2col: stacked shifted slices reshaped into one matmul per layer, conv1d's ValueError on a batch of one": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    def valid_relu(X, K, b):
        s, c_in, c_out = K.shape
        T = X.shape[0] - s + 1
        if T < 1:
            raise ValueError(f"input of {X.shape[0]} steps is shorter than the kernel ({s})")
        cols = np.concatenate([X[j:j + T] for j in range(s)], axis=1)   # (T, s * c_in)
        return np.clip(cols @ K.reshape(s * c_in, c_out) + b, 0.0, None)

    S = np.asarray(S, dtype=float)
    H1 = valid_relu(S, np.asarray(K1, dtype=float), np.asarray(b1, dtype=float))
    H2 = valid_relu(H1, np.asarray(K2, dtype=float), np.asarray(b2, dtype=float))
    return H2.mean(axis=0)
''',
"conv1d on a batch of one (1, frames, F), relying on conv1d's own ValueError for short inputs": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    X = np.asarray(S)[None]                                   # (1, frames, F)
    H1 = conv1d(X, K1, b1)
    H1 = H1 * (H1 > 0)
    H2 = conv1d(H1, K2, b2)
    H2 = H2 * (H2 > 0)
    return H2[0].mean(axis=0)
''',
}

EX1_WRONG = {
"no ReLU after the first layer (breaks: a ReLU after EACH layer)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = conv1d(S, K1, b1)
    H2 = np.maximum(conv1d(H1, K2, b2), 0)
    return H2.mean(axis=0)
''',
"no ReLU after the second layer (breaks: a ReLU after EACH layer)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    H2 = conv1d(H1, K2, b2)
    return H2.mean(axis=0)
''',
"bias added after the ReLU (breaks: the bias added BEFORE the ReLU)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = np.maximum(conv1d(S, K1), 0) + b1
    H2 = np.maximum(conv1d(H1, K2), 0) + b2
    return H2.mean(axis=0)
''',
"global max pooling over time (breaks: global MEAN pooling over the time axis of H2)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    H2 = np.maximum(conv1d(H1, K2, b2), 0)
    return H2.max(axis=0)
''',
"mean over time taken before the last ReLU (breaks: features = mean of ReLU(H2), ReLU first)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    return np.maximum(conv1d(H1, K2, b2).mean(axis=0), 0)
''',
"flips the kernels in time, a textbook convolution (breaks: conv = the course's cross-correlation conv1d)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = np.maximum(conv1d(S, K1[::-1], b1), 0)    # convolution flips the kernel
    H2 = np.maximum(conv1d(H1, K2[::-1], b2), 0)
    return H2.mean(axis=0)
''',
"absolute value as the nonlinearity (breaks: ReLU)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = np.abs(conv1d(S, K1, b1))
    H2 = np.abs(conv1d(H1, K2, b2))
    return H2.mean(axis=0)
''',
"leaky ReLU with slope 0.01 (breaks: ReLU)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    leaky = lambda z: np.where(z > 0, z, 0.01 * z)
    H1 = leaky(conv1d(S, K1, b1))
    H2 = leaky(conv1d(H1, K2, b2))
    return H2.mean(axis=0)
''',
"returns zeros when the spectrogram is too short (breaks: raise a ValueError if frames < s1 + s2 - 1)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    T2 = S.shape[0] - K1.shape[0] - K2.shape[0] + 2
    if T2 < 1:
        return np.zeros(K2.shape[2])      # no output left: no features
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    H2 = np.maximum(conv1d(H1, K2, b2), 0)
    return H2.mean(axis=0)
''',
"assert for the length check, AssertionError instead of ValueError (breaks: raise a ValueError)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    assert S.shape[0] >= K1.shape[0] + K2.shape[0] - 1, "spectrogram too short for the two layers"
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    H2 = np.maximum(conv1d(H1, K2, b2), 0)
    return H2.mean(axis=0)
''',
"clips the input spectrogram to >= 0 in place first (breaks: ReLU after the layers only; modifies the caller's S)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    np.maximum(S, 0, out=S)                    # magnitudes cannot be negative
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    H2 = np.maximum(conv1d(H1, K2, b2), 0)
    return H2.mean(axis=0)
''',
"'same' padding in both layers (breaks: VALID convolutions, no padding)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = np.maximum(conv1d(S, K1, b1, padding="same"), 0)
    H2 = np.maximum(conv1d(H1, K2, b2, padding="same"), 0)
    return H2.mean(axis=0)
''',
"length check off by one, rejects frames == s1 + s2 - 1 (breaks: ValueError only if frames < s1 + s2 - 1)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0]:
        raise ValueError("spectrogram too short")
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    H2 = np.maximum(conv1d(H1, K2, b2), 0)
    return H2.mean(axis=0)
''',
"pools H2 over time AND channels, then adds b2 and the ReLU (breaks: features[o] = time-mean of ReLU(H2)[:, o], bias before ReLU)": '''def spectro_cnn_features(S, K1, b1, K2, b2):
    if S.shape[0] < K1.shape[0] + K2.shape[0] - 1:
        raise ValueError("spectrogram too short")
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    H2 = conv1d(H1, K2)
    return np.maximum(H2.mean() + b2, 0)
''',
}

# ----------------------------------------------------------------------------- ex2
EX2_CORRECT = {
"standardize with training mean/std (constant -> 1), nearest class mean": '''def predict_classes(train_feats, train_labels, test_feats):
    """Predict labels 0/1 for test rows from labelled training rows (nearest class mean)."""
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels).astype(int)
    Xte = np.asarray(test_feats, dtype=float)
    mu = Xtr.mean(axis=0)
    sd = Xtr.std(axis=0)
    constant = np.all(Xtr == Xtr[:1], axis=0) | ~(sd > 0)
    sd = np.where(constant, 1.0, sd)
    Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd
    m0, m1 = Ztr[ytr == 0].mean(axis=0), Ztr[ytr == 1].mean(axis=0)
    d0 = ((Zte - m0) ** 2).sum(axis=1)
    d1 = ((Zte - m1) ** 2).sum(axis=1)
    return (d1 < d0).astype(int)
''',
"logistic regression by full-batch gradient descent on standardized features, zero init": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    y = (np.asarray(train_labels) == 1).astype(float)
    Xte = np.asarray(test_feats, dtype=float)
    mu = Xtr.mean(axis=0)
    sd = Xtr.std(axis=0)
    sd[np.ptp(Xtr, axis=0) == 0] = 1.0
    sd[sd == 0] = 1.0
    Z = (Xtr - mu) / sd
    w = np.zeros(Z.shape[1])
    b = 0.0
    lr, lam = 0.1, 1e-2

    def sigmoid(s):
        return 0.5 * (1.0 + np.tanh(0.5 * s))      # no overflow warning

    for _ in range(500):
        p = sigmoid(Z @ w + b)
        g = p - y
        w -= lr * (Z.T @ g / len(y) + lam * w)
        b -= lr * g.mean()
    scores = ((Xte - mu) / sd) @ w + b
    return np.asarray(scores > 0, dtype=np.int64)
''',
"diagonal LDA: pooled within-class variance per feature (floored), Gaussian log-likelihood ratio": '''def predict_classes(train_feats, train_labels, test_feats):
    X = np.asarray(train_feats, dtype=np.float64)
    y = np.asarray(train_labels)
    T = np.asarray(test_feats, dtype=np.float64)
    scale = np.abs(X).max(axis=0)
    scale[scale == 0] = 1.0                     # a feature that is 0 everywhere
    X, T = X / scale, T / scale                 # bring every feature to order 1
    X0, X1 = X[y == 0], X[y == 1]
    m0, m1 = X0.mean(axis=0), X1.mean(axis=0)
    var = (((X0 - m0) ** 2).sum(axis=0) + ((X1 - m1) ** 2).sum(axis=0)) / len(X)
    var = np.maximum(var, 1e-12) + 1e-6 * max(var.mean(), 1e-12)
    score = (((T - m0) ** 2 - (T - m1) ** 2) / var).sum(axis=1)
    return (score > 0).astype(int)
''',
"k-nearest neighbours (k = 5) on standardized features, ties broken by the nearest distance": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels).astype(int)
    Xte = np.asarray(test_feats, dtype=float)
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    sd = np.where(sd > 1e-12 * (1.0 + np.abs(mu)), sd, 1.0)
    A, B = (Xtr - mu) / sd, (Xte - mu) / sd
    d = ((B[:, None, :] - A[None, :, :]) ** 2).sum(axis=-1)       # (M, N)
    k = min(5, len(ytr))
    nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
    votes = ytr[nearest].mean(axis=1)
    out = (votes > 0.5).astype(int)
    tie = votes == 0.5
    out[tie] = ytr[nearest[tie, 0]]
    return out
''',
"Fisher discriminant: ridge-regularized pooled covariance on standardized features, midpoint threshold": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    lab = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    mu = Xtr.mean(0)
    sd = Xtr.std(0)
    sd = np.where(np.isclose(sd, 0.0, atol=1e-300) | (np.ptp(Xtr, 0) == 0), 1.0, sd)
    Z, Zt = (Xtr - mu) / sd, (Xte - mu) / sd
    m0, m1 = Z[lab == 0].mean(0), Z[lab == 1].mean(0)
    C = np.vstack([Z[lab == 0] - m0, Z[lab == 1] - m1])
    Sw = C.T @ C / len(Z) + 0.5 * np.eye(Z.shape[1])
    w = np.linalg.solve(Sw, m1 - m0)
    return ((Zt - (m0 + m1) / 2) @ w > 0).astype(int)
''',
}

_NCM_BODY = '''
    m0, m1 = Ztr[ytr == 0].mean(axis=0), Ztr[ytr == 1].mean(axis=0)
    d0 = ((Zte - m0) ** 2).sum(axis=1)
    d1 = ((Zte - m1) ** 2).sum(axis=1)
    return (d1 < d0).astype(int)
'''

EX2_WRONG = {
"nearest class mean on the raw features, no standardization (breaks: features on very different scales, one 1000 times larger)": '''def predict_classes(train_feats, train_labels, test_feats):
    Ztr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Zte = np.asarray(test_feats, dtype=float)''' + _NCM_BODY,
"divides by the training std without a guard (breaks: a constant feature, no division by zero, no warning)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd''' + _NCM_BODY,
"standardizes the test rows with the TEST set's own mean/std (breaks: a row's prediction depends only on that row and the training data)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    def standardize(A):
        sd = A.std(axis=0)
        return (A - A.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    Ztr, Zte = standardize(Xtr), standardize(Xte)''' + _NCM_BODY,
"mean/std over train AND test rows together (breaks: uses training statistics only)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    both = np.vstack([Xtr, Xte])
    mu, sd = both.mean(axis=0), both.std(axis=0)
    sd[sd == 0] = 1.0
    Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd''' + _NCM_BODY,
"returns float labels 0.0/1.0 (breaks: returns (M,) INTS)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd
    m0, m1 = Ztr[ytr == 0].mean(axis=0), Ztr[ytr == 1].mean(axis=0)
    d0 = ((Zte - m0) ** 2).sum(axis=1)
    d1 = ((Zte - m1) ** 2).sum(axis=1)
    return np.where(d1 < d0, 1.0, 0.0)
''',
"returns a boolean array (breaks: returns (M,) ints in {0, 1})": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd
    m0, m1 = Ztr[ytr == 0].mean(axis=0), Ztr[ytr == 1].mean(axis=0)
    return ((Zte - m1) ** 2).sum(axis=1) < ((Zte - m0) ** 2).sum(axis=1)
''',
"assumes the training rows alternate 0, 1, 0, 1 and ignores train_labels (breaks: hidden data are SHUFFLED)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    Xte = np.asarray(test_feats, dtype=float)
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd
    m0, m1 = Ztr[0::2].mean(axis=0), Ztr[1::2].mean(axis=0)     # labels are 0, 1, 0, 1, ...
    d0 = ((Zte - m0) ** 2).sum(axis=1)
    d1 = ((Zte - m1) ** 2).sum(axis=1)
    return (d1 < d0).astype(int)
''',
"threshold at the median of the test scores, assuming balanced classes (breaks: a row's prediction depends only on that row)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd
    w = Ztr[ytr == 1].mean(axis=0) - Ztr[ytr == 0].mean(axis=0)
    score = Zte @ w
    return (score > np.median(score)).astype(int)
''',
"threshold on one feature picked on the visible data, hard-coded index (breaks: hidden features come from other random kernels)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    if Xtr.shape[1] == 32:
        j = 5                                     # the most separating feature on the lecture's data
    else:                                         # small inputs: the feature whose class means differ most
        j = int(np.argmax(np.abs(Xtr[ytr == 1].mean(axis=0) - Xtr[ytr == 0].mean(axis=0))))
    m0, m1 = Xtr[ytr == 0, j].mean(), Xtr[ytr == 1, j].mean()
    thr = (m0 + m1) / 2
    return ((Xte[:, j] > thr) == (m1 > m0)).astype(int)
''',
"standardizes the caller's arrays in place (breaks: uses training statistics only / leaves the inputs alone)": '''def predict_classes(train_feats, train_labels, test_feats):
    ytr = np.asarray(train_labels)
    mu, sd = train_feats.mean(axis=0), train_feats.std(axis=0)
    sd[sd == 0] = 1.0
    train_feats -= mu
    train_feats /= sd
    test_feats -= mu
    test_feats /= sd
    Ztr, Zte = train_feats, test_feats''' + _NCM_BODY,
"weights features by |t-statistic| = |mean difference| / std, no guard (breaks: constant feature, no division by zero, no warning)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    m0, m1 = Xtr[ytr == 0].mean(axis=0), Xtr[ytr == 1].mean(axis=0)
    sd = Xtr.std(axis=0)
    t = (m1 - m0) / sd
    score = (((Xte - (m0 + m1) / 2) / sd) * t).sum(axis=1)
    return (score > 0).astype(int)
''',
"min-max scaling with the training range, no guard for a constant feature (breaks: no division by zero, no warning)": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    lo, hi = Xtr.min(axis=0), Xtr.max(axis=0)
    Ztr, Zte = (Xtr - lo) / (hi - lo), (Xte - lo) / (hi - lo)''' + _NCM_BODY,
"labels -1/+1 from the sign of a linear score (breaks: ints in {0, 1})": '''def predict_classes(train_feats, train_labels, test_feats):
    Xtr = np.asarray(train_feats, dtype=float)
    ytr = np.asarray(train_labels)
    Xte = np.asarray(test_feats, dtype=float)
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd
    m0, m1 = Ztr[ytr == 0].mean(axis=0), Ztr[ytr == 1].mean(axis=0)
    return np.sign((Zte - (m0 + m1) / 2) @ (m1 - m0)).astype(int)
''',
}

CORRECT = {"ex1-answer": EX1_CORRECT, "ex2-answer": EX2_CORRECT}
WRONG = {"ex1-answer": EX1_WRONG, "ex2-answer": EX2_WRONG}
