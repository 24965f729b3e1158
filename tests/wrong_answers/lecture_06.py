"""Plausible wrong answers to lecture 06 (padding and masks): each passes the visible tests
of its exercise and fails the hidden ones."""

LECTURE = "06-padding"

WRONG = {
    "ex1-answer": {
        "assumes post padding: averages the first mask.sum() steps": '''
def masked_mean_pool(H, mask):
    H = np.asarray(H)
    lengths = np.asarray(mask).sum(axis=1)                       # (B,)
    prefix = np.arange(H.shape[1])[None, :] < lengths[:, None]   # real steps assumed first
    total = (H * prefix[:, :, None]).sum(axis=1)
    return total / np.maximum(lengths, 1)[:, None]
''',
        "divides by mask.sum() without guarding empty rows (0 / 0: NaN and a RuntimeWarning)": '''
def masked_mean_pool(H, mask):
    m = np.asarray(mask)[:, :, None]
    return (np.asarray(H) * m).sum(axis=1) / m.sum(axis=1)
''',
        "np.mean(..., where=mask): empty rows give NaN with 'Mean of empty slice'": '''
def masked_mean_pool(H, mask):
    return np.mean(H, axis=1, where=np.asarray(mask, dtype=bool)[:, :, None])
''',
        "uses ~mask, which breaks on 0/1 integer masks (~1 == -2 is truthy)": '''
def masked_mean_pool(H, mask):
    m = np.asarray(mask)
    kept = np.where(~m[:, :, None], 0.0, H)
    return kept.sum(axis=1) / np.maximum(m.sum(axis=1), 1)[:, None]
''',
        "divides 0 by 0 on an empty row and repairs the NaN afterwards (a RuntimeWarning on the way)": '''
def masked_mean_pool(H, mask):
    m = np.asarray(mask).astype(bool)
    total = np.where(m[:, :, None], np.asarray(H, dtype=float), 0.0).sum(axis=1)
    return np.nan_to_num(total / m.sum(axis=1, keepdims=True))
''',
    },
    "ex2-answer": {
        "max of H * mask: the padding's zeros win when the real values are negative": '''
def masked_max_pool(H, mask):
    return (np.asarray(H) * np.asarray(mask)[:, :, None]).max(axis=1)
''',
        "assumes post padding: max over the first mask.sum() steps": '''
def masked_max_pool(H, mask):
    H = np.asarray(H)
    lengths = np.asarray(mask).sum(axis=1)
    prefix = np.arange(H.shape[1])[None, :] < lengths[:, None]
    best = np.where(prefix[:, :, None], H, -np.inf).max(axis=1)
    return np.where(lengths[:, None] > 0, best, 0.0)
''',
        "returns -inf for a row without real steps": '''
def masked_max_pool(H, mask):
    return np.where(np.asarray(mask, dtype=bool)[:, :, None], H, -np.inf).max(axis=1)
''',
        "uses ~mask, which breaks on 0/1 integer masks (~1 == -2 is truthy)": '''
def masked_max_pool(H, mask):
    m = np.asarray(mask)
    best = np.where(~m[:, :, None], -np.inf, H).max(axis=1)
    return np.where(m.any(axis=1)[:, None], best, 0.0)
''',
    },
}
