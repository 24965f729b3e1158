"""Answers to lecture 06 written blind (issue 12): by a writer who read only the student notebook and
the library, never the hidden tests. CORRECT: alternative correct answers, written differently from the
master (each must keep full marks). WRONG: plausible wrong answers, each breaking a rule of the statement
(each must pass the visible tests or be caught by them, and fail the hidden ones).
"""

LECTURE = "06-padding"

CORRECT = {
    "ex1-answer": {
        "np.where zeroes the padded steps (whatever they hold), sum / max(count, 1)": '''def masked_mean_pool(H, mask):
    """Mean over the real time steps of each sequence of a padded batch."""
    H = np.asarray(H, dtype=float)
    m = np.asarray(mask).astype(bool)                      # 0/1 ints or bools
    total = np.where(m[:, :, None], H, 0.0).sum(axis=1)    # (B, C), padded values never read
    count = m.sum(axis=1)                                  # (B,)
    return total / np.maximum(count, 1)[:, None]           # empty row: 0 / 1 = 0
''',
        "einsum with a float mask on the cleaned H, np.divide(where=count > 0) into zeros": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask) != 0
    clean = np.where(m[..., None], H, 0.0)
    w = m.astype(np.float64)
    total = np.einsum("bt,btc->bc", w, clean)
    count = w.sum(axis=1, keepdims=True)                   # (B, 1)
    out = np.zeros(total.shape, dtype=np.float64)
    np.divide(total, count, out=out, where=count > 0)
    return out
''',
        "numpy masked array: mean over unmasked entries, fully masked rows filled with 0": '''def masked_mean_pool(H, mask):
    H = np.asarray(H, dtype=float)
    real = np.asarray(mask).astype(bool)
    hidden = np.broadcast_to(~real[:, :, None], H.shape)
    pooled = np.ma.masked_array(H, mask=hidden).mean(axis=1)
    return np.ma.filled(pooled, 0.0).astype(float)
''',
        "batched matmul of the mask row-vector with H, safe denominator via np.where": '''def masked_mean_pool(H, mask):
    H = np.asarray(H, dtype=np.float64)
    m = np.asarray(mask, dtype=bool)
    clean = np.where(m[:, :, None], H, 0.0)                # (B, T, C)
    summed = (m[:, None, :].astype(np.float64) @ clean)[:, 0, :]   # (B, C)
    n = m.sum(axis=1)
    safe = np.where(n > 0, n, 1).astype(np.float64)
    return np.where((n > 0)[:, None], summed / safe[:, None], 0.0)
''',
        "weights m / count computed first (zero weights for empty rows), then weighted sum": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(np.float64)                # (B, T) 0.0 / 1.0
    n = m.sum(axis=1, keepdims=True)
    weights = m / np.where(n > 0, n, 1.0)                  # each real step weighs 1 / L_b
    clean = np.where(m[:, :, None] > 0, np.asarray(H, dtype=np.float64), 0.0)
    return (weights[:, :, None] * clean).sum(axis=1)
''',
    },
    "ex2-answer": {
        "padded positions -> -inf, max over time, rows with no real step -> 0": '''def masked_max_pool(H, mask):
    """Max over the real time steps of each sequence of a padded batch."""
    H = np.asarray(H, dtype=float)
    m = np.asarray(mask).astype(bool)
    out = np.where(m[:, :, None], H, -np.inf).max(axis=1)  # padding can never win
    return np.where(m.any(axis=1)[:, None], out, 0.0)      # empty row: -inf -> 0
''',
        "np.max with where= and initial=-inf, then zeros for empty rows": '''def masked_max_pool(H, mask):
    real = np.asarray(mask) != 0
    out = np.max(np.asarray(H, dtype=float), axis=1, where=real[:, :, None], initial=-np.inf)
    has_real = real.any(axis=1, keepdims=True)
    return np.where(has_real, out, 0.0)
''',
        "numpy masked array max, fully masked rows filled with 0": '''def masked_max_pool(H, mask):
    H = np.asarray(H, dtype=float)
    hidden = np.broadcast_to(~np.asarray(mask, dtype=bool)[:, :, None], H.shape)
    return np.ma.filled(np.ma.masked_array(H, mask=hidden).max(axis=1), 0.0).astype(float)
''',
        "fill padding with the smallest REAL value (never above a real max), empty rows -> 0": '''def masked_max_pool(H, mask):
    H = np.asarray(H, dtype=float)
    m = np.asarray(mask).astype(bool)
    B, T, C = H.shape
    if not m.any():
        return np.zeros((B, C))
    lowest = H[m].min(axis=0)                              # (C,) smallest real value per channel
    out = np.where(m[:, :, None], H, lowest[None, None, :]).max(axis=1)
    return np.where(m.any(axis=1)[:, None], out, 0.0)
''',
        "argmax of the -inf-filled array, then take_along_axis to read the winning real step": '''def masked_max_pool(H, mask):
    H = np.asarray(H, dtype=float)
    m = np.asarray(mask).astype(bool)
    filled = np.where(m[:, :, None], H, -np.inf)
    idx = filled.argmax(axis=1)[:, None, :]                # (B, 1, C)
    best = np.take_along_axis(filled, idx, axis=1)[:, 0, :]
    return np.where(m.any(axis=1)[:, None], best, 0.0)
''',
    },
}

WRONG = {
    "ex1-answer": {
        "assumes padded values are zero ('values at padded positions can be anything'): plain sum / count": '''def masked_mean_pool(H, mask):
    n = np.asarray(mask).sum(axis=1)
    return H.sum(axis=1) / np.maximum(n, 1)[:, None]
''',
        "multiplies H by the mask: inf/NaN at padded positions give NaN (0 * inf) ('values at padded positions can be anything')": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(float)
    total = (H * m[:, :, None]).sum(axis=1)
    return total / np.maximum(m.sum(axis=1), 1)[:, None]
''',
        "assumes real steps come first: rebuilds a prefix mask from the lengths ('do not assume the real steps come first')": '''def masked_mean_pool(H, mask):
    from seqconv.padding import lengths_to_mask
    lengths = np.asarray(mask).astype(bool).sum(axis=1)
    prefix = lengths_to_mask(lengths, H.shape[1])
    total = np.where(prefix[:, :, None], H, 0.0).sum(axis=1)
    return total / np.maximum(lengths, 1)[:, None]
''',
        "uses ~mask: wrong for a 0/1 integer mask (~1 = -2, ~0 = -1 are both truthy) ('given as booleans or as 0/1 integers')": '''def masked_mean_pool(H, mask):
    padded = ~mask
    clean = np.where(padded[:, :, None], 0.0, H)
    n = np.sum(mask, axis=1)
    return clean.sum(axis=1) / np.maximum(n, 1)[:, None]
''',
        "divides by the raw count then patches NaN with nan_to_num: RuntimeWarning on empty rows ('without NaN and without any warning')": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    total = np.where(m[:, :, None], H, 0.0).sum(axis=1)
    out = total / m.sum(axis=1)[:, None]
    return np.nan_to_num(out)
''',
        "no handling of empty rows: 0/0 gives NaN and a warning ('a row with no real position gives zeros')": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    total = np.where(m[:, :, None], H, 0.0).sum(axis=1)
    return total / m.sum(axis=1, keepdims=True)
''',
        "np.nanmean on a NaN-filled copy: 'Mean of empty slice' warning and NaN for empty rows, NaN patched afterwards ('without any warning')": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    out = np.nanmean(np.where(m[:, :, None], H, np.nan), axis=1)
    out[np.isnan(out)] = 0.0
    return out
''',
        "Python loop over the batch ('no Python loop over the batch')": '''def masked_mean_pool(H, mask):
    B, T, C = H.shape
    out = np.zeros((B, C))
    for b in range(B):
        real = np.asarray(mask[b]).astype(bool)
        if real.any():
            out[b] = H[b][real].mean(axis=0)
    return out
''',
        "modifies the caller's H in place (H[~m] = 0) before averaging (input must not be changed)": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    H[~m] = 0.0
    n = m.sum(axis=1)
    return H.sum(axis=1) / np.maximum(n, 1)[:, None]
''',
        "ignores the mask and finds the padding by looking for all-zero steps ('values at padded positions can be anything')": '''def masked_mean_pool(H, mask):
    real = np.any(H != 0, axis=2)                      # a padded step is all zeros
    total = np.where(real[:, :, None], H, 0.0).sum(axis=1)
    n = real.sum(axis=1)
    return total / np.maximum(n, 1)[:, None]
''',
        "empty rows fall back to the plain mean of the row instead of zeros ('a row with no real position gives zeros')": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    n = m.sum(axis=1)
    m = np.where((n == 0)[:, None], True, m)           # no real step: use the whole row
    total = np.where(m[:, :, None], H, 0.0).sum(axis=1)
    return total / m.sum(axis=1)[:, None]
''',
        "divides by the padded length T instead of the number of real steps (plain mean of the masked row)": '''def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    return np.where(m[:, :, None], H, 0.0).mean(axis=1)
''',
    },
    "ex2-answer": {
        "padded positions set to 0 before the max: 0 wins over negative real values ('whatever the signs of the real values')": '''def masked_max_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    return np.where(m[:, :, None], H, 0.0).max(axis=1)
''',
        "np.max(where=mask, initial=0): the initial 0 beats all-negative channels ('the padding must not win', negatives)": '''def masked_max_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    return np.max(H, axis=1, where=m[:, :, None], initial=0.0)
''',
        "fills padding with -inf but forgets empty rows: they come out -inf ('zeros for a row with no real step, no -inf')": '''def masked_max_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    return np.where(m[:, :, None], H, -np.inf).max(axis=1)
''',
        "fills padding with -1e9 and zeroes outputs equal to -1e9: real values below -1e9 lose to the padding ('whatever the signs')": '''def masked_max_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    out = np.where(m[:, :, None], H, -1e9).max(axis=1)
    out[out == -1e9] = 0.0
    return out
''',
        "np.nanmax on a NaN-filled copy: 'All-NaN slice' RuntimeWarning on empty rows, patched with nan_to_num ('no NaN, no warning')": '''def masked_max_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    out = np.nanmax(np.where(m[:, :, None], H, np.nan), axis=1)
    return np.nan_to_num(out, nan=0.0)
''',
        "uses ~mask: a 0/1 integer mask makes every position 'padded' ('given as booleans or as 0/1 integers')": '''def masked_max_pool(H, mask):
    filled = np.where(~mask[:, :, None], -np.inf, H)
    out = filled.max(axis=1)
    return np.where(np.isneginf(out), 0.0, out)
''',
        "assumes post padding: prefix mask rebuilt from the lengths ('do not assume the real steps come first')": '''def masked_max_pool(H, mask):
    from seqconv.padding import lengths_to_mask, mask_to_lengths
    lengths = mask_to_lengths(np.asarray(mask).astype(bool))
    prefix = lengths_to_mask(lengths, H.shape[1])
    out = np.where(prefix[:, :, None], H, -np.inf).max(axis=1)
    return np.where((lengths > 0)[:, None], out, 0.0)
''',
        "shifts H to be non-negative with the global H.min() then multiplies by the mask: inf/NaN padding poisons it ('values at padded positions can be anything')": '''def masked_max_pool(H, mask):
    m = np.asarray(mask).astype(float)
    low = H.min()
    out = ((H - low) * m[:, :, None]).max(axis=1) + low
    return np.where(m.sum(axis=1)[:, None] > 0, out, 0.0)
''',
        "Python loop over the batch ('no Python loop over the batch')": '''def masked_max_pool(H, mask):
    B, T, C = H.shape
    out = np.zeros((B, C))
    for b in range(B):
        real = np.asarray(mask[b]).astype(bool)
        if real.any():
            out[b] = H[b][real].max(axis=0)
    return out
''',
        "writes -inf into the caller's H in place (H[~m] = -inf) (input must not be changed)": '''def masked_max_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    H[~m] = -np.inf
    out = H.max(axis=1)
    out[~m.any(axis=1)] = 0.0
    return out
''',
        "ignores the mask, treats all-zero steps as padding ('values at padded positions can be anything')": '''def masked_max_pool(H, mask):
    real = np.any(H != 0, axis=2)
    out = np.where(real[:, :, None], H, -np.inf).max(axis=1)
    return np.where(real.any(axis=1)[:, None], out, 0.0)
''',
        "plain max over time, mask ignored ('the padding must not win')": '''def masked_max_pool(H, mask):
    return np.asarray(H).max(axis=1)
''',
    },
}
