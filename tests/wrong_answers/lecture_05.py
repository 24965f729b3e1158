"""Plausible wrong answers to lecture 05 (spectrograms): each passes the visible tests
of its exercise and fails the hidden ones."""

from autograder.workbook.example_answers import WRONG_FOR_BEN

LECTURE = "05-spectrograms"

WRONG = {
    "ex1-answer": {
        "forgets the ReLU between the two layers": '''
def spectro_cnn_features(S, K1, b1, K2, b2):
    H1 = conv1d(S, K1, b1)
    H2 = np.maximum(conv1d(H1, K2, b2), 0)
    return H2.mean(axis=0)
''',
        "forgets the ReLU after the second layer": '''
def spectro_cnn_features(S, K1, b1, K2, b2):
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    return conv1d(H1, K2, b2).mean(axis=0)
''',
        "max pooling over time instead of the mean": '''
def spectro_cnn_features(S, K1, b1, K2, b2):
    H1 = np.maximum(conv1d(S, K1, b1), 0)
    H2 = np.maximum(conv1d(H1, K2, b2), 0)
    return H2.max(axis=0)
''',
        "adds the biases after the ReLUs": '''
def spectro_cnn_features(S, K1, b1, K2, b2):
    H1 = np.maximum(conv1d(S, K1), 0) + b1
    H2 = np.maximum(conv1d(H1, K2), 0) + b2
    return H2.mean(axis=0)
''',
    },
    "ex2-answer": {
        **WRONG_FOR_BEN[LECTURE]["ex2-answer"],   # the example student ben's (autograder/examples/)
        "nearest class mean without standardizing: a feature on a large scale dominates": '''
def predict_classes(train_feats, train_labels, test_feats):
    train_feats, test_feats = np.asarray(train_feats, float), np.asarray(test_feats, float)
    labels = np.asarray(train_labels)
    centroids = np.stack([train_feats[labels == k].mean(axis=0) for k in (0, 1)])
    dist = ((test_feats[:, None, :] - centroids[None]) ** 2).sum(axis=-1)
    return dist.argmin(axis=1)
''',
        "standardizes the test rows with the test set's own mean and std": '''
def predict_classes(train_feats, train_labels, test_feats):
    train_feats, test_feats = np.asarray(train_feats, float), np.asarray(test_feats, float)
    labels = np.asarray(train_labels)
    std_train, std_test = train_feats.std(axis=0), test_feats.std(axis=0)
    Z_train = (train_feats - train_feats.mean(axis=0)) / np.where(std_train > 0, std_train, 1.0)
    Z_test = (test_feats - test_feats.mean(axis=0)) / np.where(std_test > 0, std_test, 1.0)
    centroids = np.stack([Z_train[labels == k].mean(axis=0) for k in (0, 1)])
    dist = ((Z_test[:, None, :] - centroids[None]) ** 2).sum(axis=-1)
    return dist.argmin(axis=1)
''',
        "divides by the training std without guarding a constant feature (0 / 0)": '''
def predict_classes(train_feats, train_labels, test_feats):
    train_feats, test_feats = np.asarray(train_feats, float), np.asarray(test_feats, float)
    labels = np.asarray(train_labels)
    mean, std = train_feats.mean(axis=0), train_feats.std(axis=0)
    Z_train, Z_test = (train_feats - mean) / std, (test_feats - mean) / std
    centroids = np.stack([Z_train[labels == k].mean(axis=0) for k in (0, 1)])
    dist = ((Z_test[:, None, :] - centroids[None]) ** 2).sum(axis=-1)
    return dist.argmin(axis=1)
''',
    },
}

from tests.wrong_answers import Rule  # noqa: E402 - the records are defined once the package is importing its lectures

RULES = {
    "ex1-answer": [
        Rule("a ReLU after **each** layer", "ex1-tests-values",
             ("forgets the ReLU between the two layers", "forgets the ReLU after the second layer", "no ReLU after the first layer",
              "no ReLU after the second layer", "absolute value as the nonlinearity", "leaky ReLU")),
        Rule("the bias added **before** the ReLU", "ex1-tests-values", ("adds the biases after the ReLUs", "bias added after the ReLU")),
        Rule("global **mean** pooling over the time axis of $H_2$", "ex1-tests-values",
             ("max pooling over time instead of the mean", "global max pooling over time", "mean over time taken before the last ReLU",
              "pools H2 over time AND channels")),
        Rule("**valid** convolutions (no padding)", "ex1-tests-values", ("'same' padding in both layers",)),
        Rule("Use `conv1d` from `seqconv.conv` freely (it is the course's layer)", "ex1-tests-values", ("flips the kernels in time",)),
        Rule("if the spectrogram is too short for the two layers (`frames < s1 + s2 - 1`), raise a `ValueError`", "ex1-tests-short",
             ("returns zeros when the spectrogram is too short", "assert for the length check", "length check off by one")),
    ],
    "ex2-answer": [
        Rule("returns `(M,)` ints in {0, 1}", "ex2-tests-honest", ("returns float labels", "returns a boolean array")),
        Rule("features can live on very different scales", "ex2-tests-accuracy",
             ("nearest class mean without standardizing", "nearest class mean on the raw features")),
        Rule("a feature can be **constant** (a ReLU channel that never fires): no division by zero, no warning", "ex2-tests-accuracy",
             ("divides by the training std without guarding", "divides by the training std without a guard",
              "weights features by |t-statistic|", "min-max scaling")),
        Rule("the prediction of a test row may depend only on that row and on the training data", "ex2-tests-honest",
             ("with the test set's own mean and std", "with the TEST set's own mean/std", "mean/std over train AND test",
              "threshold at the median of the test scores")),
        Rule("the hidden tests use fresh recordings from `make_tone_dataset` with other seeds, **shuffled**", "ex2-tests-accuracy",
             ("predicts from the position of the row", "assumes the training rows alternate")),
        Rule("features from other random kernels", "ex2-tests-accuracy", ("threshold on one feature picked on the visible data",)),
        Rule("the arguments are left unchanged", "ex2-tests-honest", ("standardizes the caller's arrays in place",)),
    ],
}
