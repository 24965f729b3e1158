"""Plausible wrong answers to lecture 07's exercises (see tests/wrong_answers/__init__.py)."""

LECTURE = "07-text"

WRONG = {
    "ex1-answer": {
        "lowercases the text before tokenizing": '''
def token_stats(texts, tokenizer):
    token_lists = [tokenizer(t.lower()) for t in texts]
    return sum(len(tokens) for tokens in token_lists), len(Vocab.build(token_lists))
''',
        "tokenizes the whole corpus joined by spaces": '''
def token_stats(texts, tokenizer):
    tokens = tokenizer(" ".join(texts))
    return len(tokens), len(set(tokens)) + 2
''',
        "strips each text before tokenizing": '''
def token_stats(texts, tokenizer):
    token_lists = [tokenizer(t.strip()) for t in texts]
    return sum(len(tokens) for tokens in token_lists), len(Vocab.build(token_lists))
''',
    },
    "ex2-answer": {
        "forgets both biases": '''
def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return vocab_size * emb_dim + kernel_size * emb_dim * channels + channels * n_classes
''',
        "forgets the readout layer": '''
def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return vocab_size * emb_dim + kernel_size * emb_dim * channels + channels
''',
        "kernel without its input dimension (s * C)": '''
def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return vocab_size * emb_dim + kernel_size * channels + channels + channels * n_classes + n_classes
''',
    },
    "ex3-answer": {
        "vocabulary built on train + test (leak)": '''
def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(np.max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        train_tokens = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(train_tokens + [tokenizer(t) for t in test_texts])
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        accuracy = float(np.mean(model(ids_test, mask_test).argmax(axis=1) == test_labels))
        results[name] = {"tokens": sum(len(t) for t in train_tokens), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": accuracy}
    return results
''',
        "accuracy measured on the training texts": '''
def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(np.max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        train_tokens = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(train_tokens)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        accuracy = float(np.mean(model(ids, mask).argmax(axis=1) == train_labels))
        results[name] = {"tokens": sum(len(t) for t in train_tokens), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": accuracy}
    return results
''',
        "ignores rng (a fixed seed per model)": '''
def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(np.max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        train_tokens = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(train_tokens)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=0)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        accuracy = float(np.mean(model(ids_test, mask_test).argmax(axis=1) == test_labels))
        results[name] = {"tokens": sum(len(t) for t in train_tokens), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": accuracy}
    return results
''',
        "features without the mask (padding read as text)": '''
def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(np.max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        train_tokens = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(train_tokens)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, _ = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids), train_labels, n_classes)
        ids_test, _ = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        accuracy = float(np.mean(model(ids_test).argmax(axis=1) == test_labels))
        results[name] = {"tokens": sum(len(t) for t in train_tokens), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": accuracy}
    return results
''',
    },
}

from tests.wrong_answers import Rule  # noqa: E402 - the records are defined once the package is importing its lectures

RULES = {
    "ex1-answer": [
        Rule("Tokenize **each text separately**", "ex1-tests-char",
             ("tokenizes the whole corpus joined by spaces", "joins the texts with spaces and tokenizes once")),
        Rule("Tokenize **each text separately**", "ex1-tests-word", ("concatenates the texts without separator",)),
        Rule("exactly as it is (no extra lowercasing or stripping)", "ex1-tests-char",
             ("lowercases the text before tokenizing", "strips each text before tokenizing", "lowercases the texts before tokenizing",
              "strips each text first")),
        Rule("a token that occurs 3 times counts 3 times", "ex1-tests-word", ("deduplicates the texts with set(texts)",)),
        Rule("`len` of the vocabulary `Vocab.build` makes from those token lists", "ex1-tests-word",
             ("len(set(tokens)) + 2 without removing",)),
        Rule("the number of distinct tokens **plus the two special tokens**", "ex1-tests-word", ("forgetting <pad> and <unk>",)),
        Rule("return a tuple of two ints", "ex1-tests-word", ("returns numpy integers",)),
        Rule("for a corpus `texts` (a list of strings)", "ex1-tests-word", ("crashes on an empty corpus",)),
        Rule("Tokenize **each text separately** with the tokenizer you are given", "ex1-tests-word", ("n_tokens = len(text)",)),
    ],
    "ex2-answer": [
        Rule("as a Python `int`", "ex2-tests", ("returns numpy.int64", "returns a float")),
        Rule("computed **from the hyperparameters alone** (do not build a model)", "ex2-tests", ("builds a TextCNN",)),
        Rule("Count every array: the embedding table, the conv kernel and its bias, the readout weights and their bias", "ex2-tests",
             ("forgets both biases", "forgets the readout layer", "forgets the readout bias", "excludes the fixed <pad> row")),
        Rule("the sizes of E (V, d), K (s, d, C), b_conv (C,), W_out (C, k) and b_out (k,) added up", "ex2-tests",
             ("kernel without its input dimension", "conv kernel counted as s * C", "adds 2 rows for <pad>",
              "readout bias counted with C entries", "binary logistic readout", "conv bias counted per kernel position",
              "hard-codes n_classes = 2")),
    ],
    "ex3-answer": [
        Rule('For `name, tokenizer` in `("word", word_tokenize)`, then `("char", char_tokenize)` (**in this order**)',
             "ex3-tests-accuracy", ("builds the char model before the word model",)),
        Rule("the same Generator for both models: the word model draws first, the char model continues", "ex3-tests-accuracy",
             ("ignores rng (a fixed seed per model)", "a fresh Generator per model")),
        Rule("the test texts must not enter the vocabulary", "ex3-tests-counts",
             ("vocabulary built on train + test (leak)", "vocabulary built on train + test texts")),
        Rule("let `n_classes = int(max(train_labels)) + 1`", "ex3-tests-counts",
             ("n_classes = number of distinct training labels", "assumes binary labels")),
        Rule("`model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)`", "ex3-tests-accuracy",
             ("features without the mask (padding read as text)", "features without the mask (padding read as real",
              "forgets to put the fitted readout into the model")),
        Rule("`ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)`", "ex3-tests-accuracy",
             ("encode_batch without tokenizer=",)),
        Rule('`"tokens"`: the total number of tokens in the training texts (int)', "ex3-tests-counts",
             ("tokens counted as ids.size", "word tokens counted with str.split", "counted over set(train_texts)",
              "returns numpy ints for tokens/params")),
        Rule("predict `model(ids_test, mask_test).argmax(axis=1)`", "ex3-tests-counts", ("argmax over axis 0",)),
        Rule("the fraction of test predictions equal to `test_labels`", "ex3-tests-accuracy",
             ("accuracy measured on the training texts",)),
        Rule("(default `steps` and `lr`)", "ex3-tests-accuracy", ("fit_readout with its own steps=100",)),
    ],
}
