"""Plausible wrong answers to lecture 06 (padding and masks): each passes the visible tests
of its exercise and fails the hidden ones."""

from autograder.workbook.example_answers import WRONG_FOR_BEN

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
        **WRONG_FOR_BEN[LECTURE]["ex2-answer"],   # the example student ben's (autograder/examples/)
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

from tests.wrong_answers import Rule  # noqa: E402 - the records are defined once the package is importing its lectures

RULES = {
    "ex1-answer": [
        Rule("given as booleans **or** as 0/1 integers", "ex1-tests-values",
             ("uses ~mask, which breaks on 0/1 integer masks", "uses ~mask: wrong for a 0/1 integer mask")),
        Rule("Do not assume the real steps come first", "ex1-tests-values",
             ("assumes post padding: averages the first", "assumes real steps come first")),
        Rule("The values of `H` at padded positions can be anything", "ex1-tests-values",
             ("assumes padded values are zero", "multiplies H by the mask", "finds the padding by looking for all-zero steps")),
        Rule("A row with **no** real position gives zeros, without NaN and without any warning", "ex1-tests-edge-cases",
             ("divides by mask.sum() without guarding", "np.mean(..., where=mask)", "divides 0 by 0 on an empty row",
              "divides by the raw count then patches", "no handling of empty rows", "np.nanmean on a NaN-filled copy",
              "empty rows fall back to the plain mean")),
        Rule("Vectorized: no Python loop over the batch or over time", "ex1-tests-vectorized", ("Python loop over the batch",)),
        Rule("H and mask are left unchanged", "ex1-tests-edge-cases", ("modifies the caller's H in place",)),
        Rule("out[b] = mean of H[b, t] over the t with mask[b, t]", "ex1-tests-values", ("divides by the padded length T",)),
    ],
    "ex2-answer": [
        Rule("given as booleans **or** as 0/1 integers", "ex2-tests-values",
             ("uses ~mask, which breaks on 0/1 integer masks", "uses ~mask: a 0/1 integer mask")),
        Rule("Do not assume the real steps come first", "ex2-tests-values",
             ("assumes post padding: max over the first", "assumes post padding: prefix mask")),
        Rule("The values of `H` at padded positions can be anything", "ex2-tests-values",
             ("shifts H to be non-negative", "treats all-zero steps as padding")),
        Rule("what value a padded position must take so that it can never be the maximum, whatever the signs of the real values",
             "ex2-tests-edge-cases",
             ("max of H * mask", "padded positions set to 0 before the max", "initial=0", "fills padding with -1e9",
              "plain max over time")),
        Rule("zeros for a row with no real position (no -inf, no NaN, no warning)", "ex2-tests-edge-cases",
             ("returns -inf for a row", "fills padding with -inf but forgets empty rows", "np.nanmax on a NaN-filled copy")),
        Rule("Vectorized: no Python loop over the batch or over time", "ex2-tests-vectorized", ("Python loop over the batch",)),
        Rule("H and mask are left unchanged", "ex2-tests-edge-cases", ("writes -inf into the caller's H in place",)),
    ],
}
