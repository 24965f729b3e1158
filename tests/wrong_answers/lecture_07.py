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
