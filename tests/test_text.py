"""Tokenizers, Vocab, embeddings and the text CNN, against hand checks and plain-loop references."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqconv.gradcheck import rel_error
from seqconv.padding import pad_batch
from seqconv.text import TextCNN, Vocab, char_tokenize, embedding_lookup, init_embeddings, word_tokenize

# --- tokenizers -------------------------------------------------------------------------


def test_char_tokenize_keeps_every_character():
    assert char_tokenize("Hi, you") == ["H", "i", ",", " ", "y", "o", "u"]
    assert char_tokenize("") == []


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("Don't stop, Bob!", {}, ["don't", "stop", ",", "bob", "!"]),
        ("Don't stop, Bob!", {"lowercase": False}, ["Don't", "stop", ",", "Bob", "!"]),
        ("  two\tspaces\nand lines  ", {}, ["two", "spaces", "and", "lines"]),
        ("Café über naïve", {}, ["café", "über", "naïve"]),
        ("pi=3.14...", {}, ["pi", "=", "3", ".", "14", ".", ".", "."]),
        ("snake_case x2", {}, ["snake_case", "x2"]),
        ("", {}, []),
        ("?!", {}, ["?", "!"]),
    ],
)
def test_word_tokenize_by_hand(text, kwargs, expected):
    assert word_tokenize(text, **kwargs) == expected


@pytest.mark.parametrize("tokenize", [char_tokenize, word_tokenize])
@pytest.mark.parametrize("bad", [None, ["a", "b"], b"bytes", 3])
def test_tokenizers_refuse_non_str(tokenize, bad):
    with pytest.raises(TypeError, match="text must be a str"):
        tokenize(bad)


def test_word_tokenize_refuses_non_bool_lowercase():
    with pytest.raises(TypeError, match="lowercase must be True or False"):
        word_tokenize("a b", lowercase="yes")


# --- Vocab ------------------------------------------------------------------------------

CORPUS = [["b", "a", "c"], ["a", "b", "d"], ["a"]]  # a: 3, b: 2, c: 1, d: 1 (c seen before d)


def test_build_orders_by_frequency_then_first_appearance():
    vocab = Vocab.build(CORPUS)
    assert vocab.tokens == ["<pad>", "<unk>", "a", "b", "c", "d"]
    assert Vocab.build([["y", "x"], ["x", "y"]]).tokens == ["<pad>", "<unk>", "y", "x"]


def test_build_min_freq_and_max_size():
    assert Vocab.build(CORPUS, min_freq=2).tokens == ["<pad>", "<unk>", "a", "b"]
    assert Vocab.build(CORPUS, max_size=3).tokens == ["<pad>", "<unk>", "a"]
    assert Vocab.build(CORPUS, max_size=2).tokens == ["<pad>", "<unk>"]
    assert Vocab.build(CORPUS, max_size=100).tokens == Vocab.build(CORPUS).tokens


def test_specials_are_always_0_and_1_and_not_counted():
    vocab = Vocab.build([["<unk>", "z", "<pad>", "<unk>"]])
    assert vocab.tokens == ["<pad>", "<unk>", "z"]
    assert vocab.token_to_id("<pad>") == Vocab.pad_id == 0
    assert vocab.token_to_id("<unk>") == Vocab.unk_id == 1
    empty = Vocab.build([])
    assert len(empty) == 2 and empty.tokens == ["<pad>", "<unk>"]


def test_build_is_deterministic_and_accepts_a_generator():
    first = Vocab.build(CORPUS)
    assert Vocab.build(tuple(list(t) for t in CORPUS)) == first
    assert Vocab.build(t for t in CORPUS) == first
    assert hash(Vocab.build(CORPUS)) == hash(first)


def test_lookups_len_contains_repr():
    vocab = Vocab.build(CORPUS)
    assert len(vocab) == 6
    assert "a" in vocab and "<pad>" in vocab and "zzz" not in vocab and 3 not in vocab
    assert vocab.token_to_id("c") == 4
    assert vocab.token_to_id("never seen") == 1
    assert vocab.id_to_token(3) == "b" and vocab.id_to_token(np.int64(0)) == "<pad>"
    text = repr(vocab)
    assert text.startswith("Vocab(size=6") and "'<unk>'" in text
    many = Vocab([f"w{i}" for i in range(20)])
    assert "more" in repr(many)


def test_unknown_tokens_encode_to_unk_instead_of_raising():
    vocab = Vocab.build(CORPUS)
    ids = vocab.encode(["a", "zebra", "d", "", "A"])
    assert ids.dtype == np.int64
    np.testing.assert_array_equal(ids, [2, 1, 5, 1, 1])
    assert vocab.encode([]).shape == (0,)


def test_decode_by_hand_and_skip_pad():
    vocab = Vocab.build(CORPUS)
    assert vocab.decode([2, 1, 0, 5]) == ["a", "<unk>", "<pad>", "d"]
    assert vocab.decode(np.array([2, 0, 0]), skip_pad=True) == ["a"]
    assert vocab.decode([]) == []


token_lists_strategy = st.lists(
    st.lists(st.text(alphabet="abcdé ,!'", min_size=1, max_size=3), max_size=8), min_size=1, max_size=6
)


@settings(max_examples=60)
@given(token_lists=token_lists_strategy)
def test_encode_decode_round_trip_for_known_tokens(token_lists):
    vocab = Vocab.build(token_lists)
    distinct = {t for tokens in token_lists for t in tokens}
    assert len(vocab) == 2 + len(distinct)
    assert vocab.tokens[:2] == ["<pad>", "<unk>"]
    for tokens in token_lists:
        ids = vocab.encode(tokens)
        assert (ids >= 2).all(), "a known token must never map to <pad> or <unk>"
        assert vocab.decode(ids) == tokens
    assert Vocab.build(token_lists) == vocab


@settings(max_examples=60)
@given(token_lists=token_lists_strategy, min_freq=st.integers(1, 3), max_size=st.integers(2, 6))
def test_build_keeps_the_most_frequent_in_order(token_lists, min_freq, max_size):
    """Reference: count by hand, rank by (-count, first position), filter, cut."""
    counts, first = {}, {}
    for tok in (t for tokens in token_lists for t in tokens):
        counts[tok] = counts.get(tok, 0) + 1
        first.setdefault(tok, len(first))
    ranked = sorted((t for t in counts if counts[t] >= min_freq), key=lambda t: (-counts[t], first[t]))
    vocab = Vocab.build(token_lists, min_freq=min_freq, max_size=max_size)
    assert vocab.tokens == ["<pad>", "<unk>"] + ranked[: max_size - 2]
    dropped = [t for t in counts if t not in vocab]
    np.testing.assert_array_equal(vocab.encode(dropped), np.ones(len(dropped), dtype=np.int64))


def test_encode_batch_equals_pad_batch_of_encodes():
    vocab = Vocab.build([word_tokenize(t) for t in ["the cat sat", "the dog"]])
    texts = ["The cat sat on the mat!", "dog", ""]
    ids, mask = vocab.encode_batch(texts)
    expected, expected_mask = pad_batch([vocab.encode(word_tokenize(t)) for t in texts])
    np.testing.assert_array_equal(ids, expected)
    np.testing.assert_array_equal(mask, expected_mask)
    assert ids.dtype == np.int64 and (ids[~mask] == Vocab.pad_id).all()
    assert ids.shape == (3, 7)


def test_encode_batch_token_lists_tokenizer_and_truncation():
    vocab = Vocab(list("abc"))
    ids, mask = vocab.encode_batch(["abcab", ["c", "z"]], tokenizer=char_tokenize, max_len=3, side="pre", truncate="pre")
    np.testing.assert_array_equal(ids, [[4, 2, 3], [0, 4, 1]])
    np.testing.assert_array_equal(mask, [[1, 1, 1], [0, 1, 1]])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Vocab(["a", "a"]), ValueError, r"tokens\[1\] = 'a' is a duplicate"),
        (lambda: Vocab(["<unk>"]), ValueError, r"tokens\[0\] = '<unk>' is a special token"),
        (lambda: Vocab(["a", 3]), TypeError, r"tokens\[1\] must be a str token; got int"),
        (lambda: Vocab("abc"), TypeError, "tokens must be an iterable of str tokens; got str"),
        (lambda: Vocab.build("some text"), TypeError, "token_lists must be a list of token lists"),
        (lambda: Vocab.build(["some text"]), TypeError, r"token_lists\[0\] must be a list of str tokens; got a str.*tokenize it first"),
        (lambda: Vocab.build([["a"], ["b", None]]), TypeError, r"token_lists\[1\]\[1\] must be a str token; got NoneType"),
        (lambda: Vocab.build(CORPUS, min_freq=0), ValueError, "min_freq must be an integer >= 1"),
        (lambda: Vocab.build(CORPUS, max_size=1), ValueError, r"max_size must be >= 2 \(it counts <pad> and <unk>\); got 1"),
        (lambda: Vocab.build(CORPUS, max_size=2.5), TypeError, "max_size must be an integer"),
        (lambda: Vocab.build(CORPUS).encode("a b"), TypeError, "tokens must be a list of str tokens; got a str"),
        (lambda: Vocab.build(CORPUS).encode(["a", 1]), TypeError, r"tokens\[1\] must be a str token"),
        (lambda: Vocab.build(CORPUS).decode([2, 6]), ValueError, r"ids must be in \[0, 6\) \(the vocabulary size\); got 6 at index 1"),
        (lambda: Vocab.build(CORPUS).decode([-1]), ValueError, r"ids must be in \[0, 6\).*got -1 at index 0"),
        (lambda: Vocab.build(CORPUS).decode([2.0]), TypeError, "ids must be an integer array"),
        (lambda: Vocab.build(CORPUS).decode([[2]]), ValueError, r"ids must be 1-D with shape \(n,\)"),
        (lambda: Vocab.build(CORPUS).id_to_token(6), ValueError, r"index must be in \[0, 6\).*got 6"),
        (lambda: Vocab.build(CORPUS).id_to_token(1.0), TypeError, "index must be an integer id"),
        (lambda: Vocab.build(CORPUS).token_to_id(1), TypeError, "token must be a str"),
        (lambda: Vocab.build(CORPUS).encode_batch("a b"), TypeError, "texts must be a list of str or of token lists"),
        (lambda: Vocab.build(CORPUS).encode_batch(["a", 5]), TypeError, r"texts\[1\] must be a list of str tokens; got int"),
        (lambda: Vocab.build(CORPUS).encode_batch(["a"], tokenizer="split"), TypeError, "tokenizer must be callable"),
        (lambda: Vocab.build(CORPUS).encode_batch(["a"], max_len=0), ValueError, "max_len must be an integer >= 1"),
        (lambda: Vocab.build(CORPUS).encode_batch(["a"], side="middle"), ValueError, "side must be one of"),
    ],
)
def test_vocab_refusals(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- embeddings -------------------------------------------------------------------------


def test_embedding_lookup_equals_row_indexing():
    E = np.arange(12.0).reshape(6, 2)
    ids = np.array([3, 0, 5, 3])
    got = embedding_lookup(ids, E)
    assert got.shape == (4, 2)
    np.testing.assert_array_equal(got, [[6, 7], [0, 1], [10, 11], [6, 7]])
    batch = np.array([[1, 2, 0], [5, 5, 4]])
    np.testing.assert_array_equal(embedding_lookup(batch, E), E[batch])
    assert embedding_lookup(batch, E.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize(
    ("ids", "E", "error", "message"),
    [
        ([0, 6], np.zeros((6, 2)), ValueError, r"ids must be in \[0, 6\) \(the rows of E\); got 6 at index 1"),
        ([[0, 1], [-1, 2]], np.zeros((6, 2)), ValueError, r"ids must be in \[0, 6\).*got -1 at index \(1, 0\)"),
        ([0.0, 1.0], np.zeros((6, 2)), TypeError, "ids must be an integer array; got dtype float64"),
        ([0, 1], np.zeros(6), ValueError, r"E must be 2-D with shape \(V, d\); got shape \(6,\)"),
        ([0, 1], np.array([["a", "b"]]), TypeError, "E must be a real numeric array"),
    ],
)
def test_embedding_lookup_refusals(ids, E, error, message):
    with pytest.raises(error, match=message):
        embedding_lookup(ids, E)


def test_init_embeddings_shape_pad_row_and_seeding():
    E = init_embeddings(7, 4, rng=0)
    assert E.shape == (7, 4) and E.dtype == np.float64
    np.testing.assert_array_equal(E[0], 0)
    assert np.all(E[1:] != 0)
    np.testing.assert_array_equal(E, init_embeddings(7, 4, rng=np.random.default_rng(0)))
    assert not np.array_equal(E, init_embeddings(7, 4, rng=1))
    big = init_embeddings(2000, 50, rng=0, scale=0.5, pad_zero=False)
    assert np.all(big[0] != 0)
    assert abs(big.std() - 0.5) < 0.02
    assert init_embeddings(3, 2, rng=0, dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"vocab_size": 0}, ValueError, "vocab_size must be an integer >= 1"),
        ({"dim": 2.0}, TypeError, "dim must be an integer"),
        ({"rng": None}, TypeError, "rng must be a numpy.random.Generator"),
        ({"scale": 0}, ValueError, "scale must be a finite number > 0; got 0"),
        ({"scale": np.inf}, ValueError, "scale must be a finite number > 0"),
        ({"pad_zero": 1}, TypeError, "pad_zero must be True or False"),
        ({"dtype": np.int32}, TypeError, "dtype must be a float dtype"),
    ],
)
def test_init_embeddings_refusals(kwargs, error, message):
    args = {"vocab_size": 5, "dim": 3, "rng": 0} | kwargs
    with pytest.raises(error, match=message):
        init_embeddings(**args)


# --- text CNN ---------------------------------------------------------------------------


def reference_text_cnn(ids, E, K, b_conv, W_out, b_out):
    """Plain loops: embed, right-pad with zero vectors up to s, valid conv, ReLU, max, linear."""
    s, d, C = K.shape
    X = [E[i] for i in ids]
    while len(X) < s:
        X.append(np.zeros(d))
    features = [-np.inf] * C
    for j in range(len(X) - s + 1):
        for o in range(C):
            acc = b_conv[o]
            for k in range(s):
                for ci in range(d):
                    acc += X[j + k][ci] * K[k, ci, o]
            features[o] = max(features[o], max(acc, 0.0))
    logits = [b_out[m] + sum(features[o] * W_out[o, m] for o in range(C)) for m in range(W_out.shape[1])]
    return np.array(features), np.array(logits)


def random_model(seed, V=11, d=3, s=3, C=4, n_classes=2, pad_row_zero=True):
    """A TextCNN with non-zero biases (and, on request, a non-zero <pad> row)."""
    rng = np.random.default_rng(seed)
    E = rng.standard_normal((V, d))
    if pad_row_zero:
        E[0] = 0
    return TextCNN.from_params(
        E, rng.standard_normal((s, d, C)), rng.standard_normal(C), rng.standard_normal((C, n_classes)), rng.standard_normal(n_classes)
    )


def params(model):
    return model.E, model.K, model.b_conv, model.W_out, model.b_out


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 9])
def test_forward_equals_loop_reference_incl_texts_shorter_than_kernel(n):
    model = random_model(n, pad_row_zero=False)  # padding must be zero vectors even so
    ids = np.random.default_rng(100 + n).integers(0, model.vocab_size, size=n)
    feats_ref, logits_ref = reference_text_cnn(ids, *params(model))
    feats, logits = model.features(ids), model.forward(ids)
    assert feats.shape == (model.channels,) and logits.shape == (model.n_classes,)
    assert rel_error(feats, feats_ref) < 1e-10, f"n={n}: expected {feats_ref}, got {feats}"
    assert rel_error(logits, logits_ref) < 1e-10
    np.testing.assert_array_equal(model(ids), logits)


def test_short_text_equals_explicit_zero_padding():
    model = random_model(1, s=4)
    ids = np.array([3, 7])
    E_ext = np.vstack([model.E, np.zeros((1, model.emb_dim))])  # a row that is exactly zero
    padded = np.array([3, 7, model.vocab_size, model.vocab_size])
    _, logits_ref = reference_text_cnn(padded, E_ext, *params(model)[1:])
    assert rel_error(model.forward(ids), logits_ref) < 1e-10


@settings(max_examples=25)
@given(
    lengths=st.lists(st.integers(0, 8), min_size=1, max_size=5),
    side=st.sampled_from(["post", "pre"]),
    s=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_batch_forward_equals_per_text_forward(lengths, side, s, seed):
    model = random_model(seed, s=s, pad_row_zero=False)
    rng = np.random.default_rng(seed)
    texts = [rng.integers(0, model.vocab_size, size=t) for t in lengths]
    # Pad with a real token id on purpose: the mask, not the id, must decide.
    ids, mask = pad_batch(texts, value=model.vocab_size - 1, side=side)
    logits = model.forward(ids, mask)
    assert logits.shape == (len(texts), model.n_classes)
    for i, text in enumerate(texts):
        single = model.forward(text)
        assert rel_error(logits[i], single) < 1e-10, f"row {i} (length {len(text)}, side {side}) differs from its text alone"


def test_batch_without_mask_means_every_position_is_real():
    model = random_model(3)
    ids = np.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    assert rel_error(model.forward(ids), np.stack([model.forward(r) for r in ids])) < 1e-10


def test_all_padding_row_is_the_empty_text():
    model = random_model(4)
    ids, mask = pad_batch([np.array([2, 3, 4, 5]), np.array([], dtype=int)])
    feats = model.features(ids, mask)
    np.testing.assert_allclose(feats[1], np.maximum(model.b_conv, 0))
    np.testing.assert_allclose(feats[1], model.features(np.array([], dtype=int)))
    assert np.isfinite(feats).all()


def test_unknown_words_and_short_texts_through_the_vocab_do_not_crash():
    corpus = ["the match was a great game", "the film was a great story"]
    vocab = Vocab.build([word_tokenize(t) for t in corpus])
    model = TextCNN(len(vocab), emb_dim=8, kernel_size=3, channels=5, n_classes=2, rng=0)
    new = ["Bowling!", "an entirely unseen sentence about xylophones", ""]
    for text in new:
        logits = model.forward(vocab.encode(word_tokenize(text)))
        assert logits.shape == (2,) and np.isfinite(logits).all()
    ids, mask = vocab.encode_batch(new)
    batch = model.forward(ids, mask)
    for i, text in enumerate(new):
        assert rel_error(batch[i], model.forward(vocab.encode(word_tokenize(text)))) < 1e-10


def test_matches_torch_embedding_conv_relu_max_linear():
    torch = pytest.importorskip("torch")
    model = random_model(5, V=13, d=4, s=3, C=6, n_classes=3)
    ids = np.array([4, 12, 0, 7, 7, 1, 9])
    with torch.no_grad():
        x = torch.nn.functional.embedding(torch.from_numpy(ids), torch.from_numpy(model.E))  # (n, d)
        weight = torch.from_numpy(model.K).permute(2, 1, 0)  # (C, d, s)
        h = torch.nn.functional.conv1d(x.T[None], weight, torch.from_numpy(model.b_conv))[0]  # (C, n-s+1)
        g = torch.relu(h).amax(dim=1)
        logits = g @ torch.from_numpy(model.W_out) + torch.from_numpy(model.b_out)
    assert rel_error(model.forward(ids), logits.numpy()) < 1e-10


def test_constructor_shapes_seeding_and_n_params():
    model = TextCNN(20, 6, 3, 5, 2, rng=0)
    assert (model.E.shape, model.K.shape, model.b_conv.shape, model.W_out.shape, model.b_out.shape) == (
        (20, 6), (3, 6, 5), (5,), (5, 2), (2,)
    )
    np.testing.assert_array_equal(model.E[0], 0)
    assert model.n_params == 20 * 6 + 3 * 6 * 5 + 5 + 5 * 2 + 2
    again = TextCNN(20, 6, 3, 5, 2, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(model.K, again.K)
    assert "n_params=227" in repr(model)  # 120 + 90 + 5 + 10 + 2
    batch = model.features(np.array([[1, 2, 3, 4], [5, 6, 0, 0]]), np.array([[1, 1, 1, 1], [1, 1, 0, 0]], bool))
    assert batch.shape == (2, 5)


def test_float32_parameters_stay_float32():
    model = random_model(6)
    f32 = TextCNN.from_params(*(p.astype(np.float32) for p in params(model)))
    out = f32.forward(np.array([1, 2]))
    assert out.dtype == np.float32
    assert rel_error(out, model.forward(np.array([1, 2]))) < 1e-4


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda m: m.forward(np.array([1.0, 2.0])), TypeError, "ids must be an integer array"),
        (lambda m: m.forward(np.zeros((1, 2, 3), int)), ValueError, r"ids must be 1-D or 2-D with shape \(n,\) or \(B, T\)"),
        (lambda m: m.forward(np.array([1, 11])), ValueError, r"ids must be in \[0, 11\) \(the rows of E\); got 11"),
        (lambda m: m.forward(np.array([[1, 2]]), np.array([[1, 0]])), TypeError, "mask must be a boolean array"),
        (lambda m: m.forward(np.array([[1, 2]]), np.ones((1, 3), bool)), ValueError, r"mask must have the shape of ids \(1, 2\); got shape \(1, 3\)"),
        (lambda m: TextCNN.from_params(np.zeros(5), m.K, m.b_conv, m.W_out, m.b_out), ValueError, r"E must be 2-D with shape \(V, d\)"),
        (lambda m: TextCNN.from_params(m.E, np.zeros((3, 5, 4)), m.b_conv, m.W_out, m.b_out), ValueError, r"K must have shape \(s, d, C\) with d = 3"),
        (lambda m: TextCNN.from_params(m.E, m.K[0], m.b_conv, m.W_out, m.b_out), ValueError, r"K must be 3-D with shape \(s, d, C\)"),
        (lambda m: TextCNN.from_params(m.E, m.K, np.zeros(3), m.W_out, m.b_out), ValueError, r"b_conv must have shape \(C,\) = \(4,\); got shape \(3,\)"),
        (lambda m: TextCNN.from_params(m.E, m.K, m.b_conv, np.zeros((3, 2)), m.b_out), ValueError, r"W_out must have shape \(C, n_classes\) with C = 4"),
        (lambda m: TextCNN.from_params(m.E, m.K, m.b_conv, m.W_out, np.zeros(3)), ValueError, r"b_out must have shape \(n_classes,\) = \(2,\)"),
        (lambda m: TextCNN(10, 4, 0, 3, 2, rng=0), ValueError, "kernel_size must be an integer >= 1; got 0"),
        (lambda m: TextCNN(10, 4, 3, 3, 2, rng=None), TypeError, "rng must be a numpy.random.Generator"),
        (lambda m: TextCNN(10, 4, 3, 3, 2.0, rng=0), TypeError, "n_classes must be an integer"),
    ],
)
def test_text_cnn_refusals(call, error, message):
    with pytest.raises(error, match=message):
        call(random_model(0))
