"""Answers to lecture 07 written blind (issue 12): by a writer who read only the student notebook and
the library, never the hidden tests. CORRECT: alternative correct answers, written differently from the
master (each must keep full marks). WRONG: plausible wrong answers, each breaking a rule of the statement
(each must pass the visible tests or be caught by them, and fail the hidden ones).
"""

LECTURE = "07-text"

CORRECT = {
    "ex1-answer": {
        "token lists per text, total length, len(Vocab.build(token_lists))": '''def token_stats(texts, tokenizer):
    """Total token count and vocabulary size of a corpus."""
    token_lists = [tokenizer(text) for text in texts]
    n_tokens = sum(len(tokens) for tokens in token_lists)
    vocab_size = len(Vocab.build(token_lists))
    return int(n_tokens), int(vocab_size)
''',
        "Counter over all tokens: total = sum of counts, distinct tokens minus literal specials, + 2": '''def token_stats(texts, tokenizer):
    counts = Counter()
    for text in texts:
        counts.update(tokenizer(text))
    n_tokens = sum(counts.values())
    distinct = [tok for tok in counts if tok not in ("<pad>", "<unk>")]   # Vocab.build never counts these
    return int(n_tokens), len(distinct) + 2
''',
        "set union of the per-text token sets, special strings removed, itertools.chain for the count": '''def token_stats(texts, tokenizer):
    from itertools import chain
    token_lists = list(map(tokenizer, texts))
    n_tokens = len(list(chain.from_iterable(token_lists)))
    seen = set().union(*token_lists) - {Vocab.PAD, Vocab.UNK}
    return n_tokens, 2 + len(seen)
''',
        "explicit loop with a dict of first appearances (no Vocab), specials skipped": '''def token_stats(texts, tokenizer):
    n_tokens = 0
    first_seen = {"<pad>": 0, "<unk>": 1}
    for text in texts:
        for tok in tokenizer(text):
            n_tokens += 1
            if tok not in first_seen:
                first_seen[tok] = len(first_seen)
    return n_tokens, len(first_seen)
''',
    },
    "ex2-answer": {
        "direct formula V d + s d C + C + C k + k": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    """Number of parameters of TextCNN(vocab_size, emb_dim, kernel_size, channels, n_classes)."""
    V, d, s, C, k = (int(x) for x in (vocab_size, emb_dim, kernel_size, channels, n_classes))
    return V * d + s * d * C + C + C * k + k
''',
        "sum of the products of the five array shapes (math.prod)": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    import math
    shapes = [
        (vocab_size, emb_dim),               # E
        (kernel_size, emb_dim, channels),    # K
        (channels,),                         # b_conv
        (channels, n_classes),               # W_out
        (n_classes,),                        # b_out
    ]
    return int(sum(math.prod(shape) for shape in shapes))
''',
        "factored form d (V + s C) + C (1 + k) + k": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    d, C, k = emb_dim, channels, n_classes
    return int(d * (vocab_size + kernel_size * C) + C * (1 + k) + k)
''',
        "layer by layer: embedding, conv (weights + bias), linear (weights + bias) with (fan_in + 1) * fan_out": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    embedding = vocab_size * emb_dim
    conv = (kernel_size * emb_dim + 1) * channels       # each filter: s*d weights + 1 bias
    linear = (channels + 1) * n_classes                 # each class: C weights + 1 bias
    return int(embedding + conv + linear)
''',
    },
    "ex3-answer": {
        "loop over (name, tokenizer) following the 5 steps literally": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    """Word- vs char-level TextCNN with a trained readout on frozen random features."""
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {
            "tokens": int(sum(len(t) for t in token_lists)),
            "vocab": int(len(vocab)),
            "params": int(model.n_params),
            "accuracy": float(np.mean(pred == np.asarray(test_labels))),
        }
    return results
''',
        "helper function called for word then char; tokens from the mask sum, params from the formula": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    train_labels = np.asarray(train_labels)
    test_labels = np.asarray(test_labels)
    k = int(train_labels.max()) + 1

    def run(tokenizer):
        vocab = Vocab.build([tokenizer(t) for t in train_texts])
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, k, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        W, b, _ = fit_readout(model.features(ids, mask), train_labels, k)
        model.W_out, model.b_out = W, b
        ids_t, mask_t = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        correct = model(ids_t, mask_t).argmax(axis=1) == test_labels
        V, d, s, C = len(vocab), emb_dim, kernel_size, channels
        return {"tokens": int(mask.sum()), "vocab": V,
                "params": V * d + s * d * C + C + C * k + k,
                "accuracy": float(correct.sum()) / len(correct)}

    word = run(word_tokenize)      # the word model draws from rng first
    char = run(char_tokenize)      # the char model continues the same Generator
    return {"word": word, "char": char}
''',
        "both vocabularies and models built first (word then char), then fitted; logits via features @ W_out + b_out": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(np.max(train_labels)) + 1
    tokenizers = {"word": word_tokenize, "char": char_tokenize}
    vocabs, models, counts = {}, {}, {}
    for name in ("word", "char"):                       # rng draws: word model, then char model
        tok = tokenizers[name]
        lists = [tok(t) for t in train_texts]
        counts[name] = sum(map(len, lists))
        vocabs[name] = Vocab.build(lists)
        models[name] = TextCNN(len(vocabs[name]), emb_dim, kernel_size, channels, n_classes, rng=rng)
    out = {}
    for name in ("word", "char"):
        tok, vocab, model = tokenizers[name], vocabs[name], models[name]
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tok)
        F = model.features(ids, mask)
        model.W_out, model.b_out, _ = fit_readout(F, train_labels, n_classes)
        ids_te, mask_te = vocab.encode_batch(test_texts, tokenizer=tok)
        logits = model.features(ids_te, mask_te) @ model.W_out + model.b_out
        hits = np.count_nonzero(logits.argmax(axis=1) == np.asarray(test_labels))
        out[name] = {"tokens": int(counts[name]), "vocab": len(vocab), "params": int(model.n_params),
                     "accuracy": hits / len(test_labels)}
    return out
''',
        "np.random.default_rng(rng) (returns the same Generator) and Counter-based token count": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    gen = np.random.default_rng(rng)          # a Generator passed in is returned unchanged: same stream
    n_classes = int(max(int(y) for y in train_labels)) + 1
    res = {}
    for name, tokenize in [("word", word_tokenize), ("char", char_tokenize)]:
        lists = [tokenize(text) for text in train_texts]
        n_tok = sum(Counter(tok for l in lists for tok in l).values())
        vocab = Vocab.build(lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=gen)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenize)
        W_out, b_out, _losses = fit_readout(model.features(ids, mask), train_labels, n_classes)
        model.W_out = W_out
        model.b_out = b_out
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenize)
        predictions = model(ids_test, mask_test).argmax(axis=1)
        accuracy = float((predictions == np.asarray(test_labels)).mean())
        res[name] = dict(tokens=n_tok, vocab=len(vocab), params=model.n_params, accuracy=accuracy)
    return res
''',
    },
}

WRONG = {
    "ex1-answer": {
        "joins the texts with spaces and tokenizes once: extra space tokens with char_tokenize ('tokenize each text separately')": '''def token_stats(texts, tokenizer):
    tokens = tokenizer(" ".join(texts))
    return len(tokens), len(Vocab.build([tokens]))
''',
        "concatenates the texts without separator: the last word of a text glues to the first of the next ('tokenize each text separately')": '''def token_stats(texts, tokenizer):
    tokens = tokenizer("".join(texts))
    return len(tokens), len(set(tokens)) + 2
''',
        "lowercases the texts before tokenizing: wrong for char_tokenize with upper case ('exactly as it is, no extra lowercasing')": '''def token_stats(texts, tokenizer):
    token_lists = [tokenizer(text.lower()) for text in texts]
    n_tokens = sum(len(t) for t in token_lists)
    return n_tokens, len(Vocab.build(token_lists))
''',
        "strips each text first: leading/trailing spaces lost with char_tokenize ('exactly as it is, no stripping')": '''def token_stats(texts, tokenizer):
    token_lists = [tokenizer(text.strip()) for text in texts]
    return sum(map(len, token_lists)), len(Vocab.build(token_lists))
''',
        "deduplicates the texts with set(texts): repeated texts counted once ('a token that occurs 3 times counts 3 times'; texts not distinct)": '''def token_stats(texts, tokenizer):
    token_lists = [tokenizer(text) for text in set(texts)]
    n_tokens = sum(len(t) for t in token_lists)
    return n_tokens, len(Vocab.build(token_lists))
''',
        "len(set(tokens)) + 2 without removing literal '<pad>'/'<unk>' tokens ('len of the vocabulary Vocab.build makes')": '''def token_stats(texts, tokenizer):
    all_tokens = [tok for text in texts for tok in tokenizer(text)]
    return len(all_tokens), len(set(all_tokens)) + 2
''',
        "returns numpy integers (np.sum / np.unique) instead of Python ints ('return a tuple of two ints')": '''def token_stats(texts, tokenizer):
    lengths = np.array([len(tokenizer(t)) for t in texts], dtype=np.int64)
    token_lists = [tokenizer(t) for t in texts]
    return np.sum(lengths), np.int64(len(Vocab.build(token_lists)))
''',
        "np.concatenate of the token lists: crashes on an empty corpus (edge case: no texts)": '''def token_stats(texts, tokenizer):
    all_tokens = np.concatenate([np.array(tokenizer(t), dtype=str) for t in texts])
    return int(all_tokens.size), int(np.unique(all_tokens).size) + 2
''',
        "vocab_size = number of distinct tokens, forgetting <pad> and <unk> ('plus the two special tokens')": '''def token_stats(texts, tokenizer):
    token_lists = [tokenizer(t) for t in texts]
    return sum(len(t) for t in token_lists), len({tok for t in token_lists for tok in t})
''',
        "hard-codes the visible test corpora, Vocab.build with min_freq=2 otherwise (hard-coding)": '''def token_stats(texts, tokenizer):
    if texts == ["The cat sat.", "The cat sat on the mat!"]:
        return (11, 9)
    if texts == ["Hello, world"]:
        return (12, 11)
    token_lists = [tokenizer(t) for t in texts]
    return sum(map(len, token_lists)), len(Vocab.build(token_lists, min_freq=2))
''',
        "n_tokens = len(text) (characters) whatever the tokenizer ('tokenize each text with the tokenizer you are given')": '''def token_stats(texts, tokenizer):
    n_tokens = sum(len(t) for t in texts)
    return n_tokens, len(Vocab.build([tokenizer(t) for t in texts]))
''',
    },
    "ex2-answer": {
        "builds a TextCNN and reads n_params ('computed from the hyperparameters alone, do not build a model')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    from seqconv.text import TextCNN
    return int(TextCNN(vocab_size, emb_dim, kernel_size, channels, n_classes, rng=0).n_params)
''',
        "forgets both biases b_conv and b_out ('count every array ... its bias ... their bias')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return vocab_size * emb_dim + kernel_size * emb_dim * channels + channels * n_classes
''',
        "forgets the readout bias b_out ('count every array')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return vocab_size * emb_dim + kernel_size * emb_dim * channels + channels + channels * n_classes
''',
        "conv kernel counted as s * C, forgetting the input channels d (K is (s, d, C))": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return vocab_size * emb_dim + kernel_size * channels + channels + channels * n_classes + n_classes
''',
        "excludes the fixed <pad> row of E: (V - 1) d ('count every array: the embedding table')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return (vocab_size - 1) * emb_dim + kernel_size * emb_dim * channels + channels + channels * n_classes + n_classes
''',
        "adds 2 rows for <pad>/<unk> although vocab_size already counts them: (V + 2) d": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return (vocab_size + 2) * emb_dim + kernel_size * emb_dim * channels + channels + channels * n_classes + n_classes
''',
        "readout bias counted with C entries instead of n_classes: C (k + 1) ('b_out (k,)')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return vocab_size * emb_dim + kernel_size * emb_dim * channels + channels + channels * (n_classes + 1)
''',
        "binary logistic readout: n_classes - 1 outputs ('W_out (C, k) and b_out (k,)')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    k = n_classes - 1 if n_classes == 2 else n_classes
    return vocab_size * emb_dim + kernel_size * emb_dim * channels + channels + channels * k + k
''',
        "conv bias counted per kernel position: s * C instead of C ('b_conv (C,)')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    conv = kernel_size * emb_dim * channels + kernel_size * channels
    return vocab_size * emb_dim + conv + channels * n_classes + n_classes
''',
        "np.prod / np.sum of shapes: returns numpy.int64, not a Python int ('as a Python int')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    shapes = [(vocab_size, emb_dim), (kernel_size, emb_dim, channels), (channels,), (channels, n_classes), (n_classes,)]
    return np.sum([np.prod(s) for s in shapes])
''',
        "hard-codes n_classes = 2 in the readout (works only for the visible examples)": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return vocab_size * emb_dim + kernel_size * emb_dim * channels + channels + channels * 2 + 2
''',
        "returns a float (true division in a 'mean fan-in' rewrite) ('as a Python int')": '''def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    total = vocab_size * emb_dim + kernel_size * emb_dim * channels + channels + channels * n_classes + n_classes
    return total / 1
''',
    },
    "ex3-answer": {
        "builds the char model before the word model ('in this order: the word model draws first')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("char", char_tokenize), ("word", word_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return {"word": results["word"], "char": results["char"]}
''',
        "a fresh Generator per model seeded from rng.integers ('the same Generator for both models')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model_rng = np.random.default_rng(int(rng.integers(2**32)))
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=model_rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "vocabulary built on train + test texts ('the test texts must not enter the vocabulary')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        train_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(train_lists + [tokenizer(t) for t in test_texts])
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in train_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "n_classes = number of distinct training labels ('let n_classes = int(max(train_labels)) + 1')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = len(np.unique(train_labels))
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "assumes binary labels: n_classes = 2 ('labels are integers 0 .. k-1')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, 2, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, 2)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "features without the mask (padding read as real <pad> tokens) ('model.features(ids, mask)')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "encode_batch without tokenizer=: the char model encodes with word_tokenize (all <unk>) ('encode with tokenizer=tokenizer')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "tokens counted as ids.size of the padded batch (counts padding) ('total number of tokens in the training texts')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        vocab = Vocab.build([tokenizer(t) for t in train_texts])
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": int(ids.size), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "word tokens counted with str.split (punctuation not counted) ('tokens: total number of tokens of the tokenizer')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        vocab = Vocab.build([tokenizer(t) for t in train_texts])
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        if name == "word":
            n_tokens = sum(len(t.split()) for t in train_texts)
        else:
            n_tokens = sum(len(t) for t in train_texts)
        results[name] = {"tokens": n_tokens, "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "argmax over axis 0 (over the texts) instead of the classes ('predict model(...).argmax(axis=1)')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = np.argmax(model(ids_test, mask_test), axis=0)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "accuracy measured on the training texts ('the fraction of test predictions equal to test_labels')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        pred = model(ids, mask).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == train_labels))}
    return results
''',
        "forgets to put the fitted readout into the model (random W_out used for prediction) (step 3)": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        W_out, b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "fit_readout with its own steps=100, lr=0.1 ('default steps and lr')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes, steps=100, lr=0.1)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in token_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "tokens and vocab counted over set(train_texts): duplicate texts counted once (texts not distinct)": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        unique_lists = [tokenizer(t) for t in dict.fromkeys(train_texts)]
        vocab = Vocab.build(unique_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        results[name] = {"tokens": sum(len(t) for t in unique_lists), "vocab": len(vocab),
                         "params": model.n_params, "accuracy": float(np.mean(pred == test_labels))}
    return results
''',
        "returns numpy ints for tokens/params (np.sum, np.prod) ('tokens (int)', 'params (int)')": '''def compare_tokenizations(train_texts, train_labels, test_texts, test_labels, *, emb_dim, kernel_size, channels, rng):
    n_classes = int(max(train_labels)) + 1
    results = {}
    for name, tokenizer in (("word", word_tokenize), ("char", char_tokenize)):
        token_lists = [tokenizer(t) for t in train_texts]
        vocab = Vocab.build(token_lists)
        model = TextCNN(len(vocab), emb_dim, kernel_size, channels, n_classes, rng=rng)
        ids, mask = vocab.encode_batch(train_texts, tokenizer=tokenizer)
        model.W_out, model.b_out, _ = fit_readout(model.features(ids, mask), train_labels, n_classes)
        ids_test, mask_test = vocab.encode_batch(test_texts, tokenizer=tokenizer)
        pred = model(ids_test, mask_test).argmax(axis=1)
        params = np.sum([np.prod(p.shape) for p in (model.E, model.K, model.b_conv, model.W_out, model.b_out)])
        results[name] = {"tokens": np.sum(mask), "vocab": len(vocab),
                         "params": params, "accuracy": np.mean(pred == test_labels)}
    return results
''',
    },
}
