"""The trusted checks (autograder/link/trusted.py): a forged alias report from the student's kernel."""

from __future__ import annotations


def test_a_forged_alias_report_never_reaches_past_the_argument():
    """The student's kernel says how the value it returned shares an argument's memory (issue 12);
    a kernel that lies gets the plain value back: no view past the argument's own buffer, no view
    whose data differ from the value sent."""
    import numpy as np

    from autograder.link.relay import aliased as _aliased

    x = np.arange(6.0)
    value = np.arange(6.0)[1::2]
    honest = _aliased((x,), {}, value, [0, 8, [3], [16], [8]])
    assert np.shares_memory(honest, x) and np.array_equal(honest, value)
    forged = [
        [0, 8, [1000], [8], [8]],          # past the end of x
        [0, -8, [3], [16], [8]],           # before its start
        [0, 0, [3], [-8], [8]],            # backwards from its first element
        [0, 8, [3], [16], [16]],           # x's strides misreported
        [0, 0, [3], [16], [8]],            # a view whose data are not the value sent
        [5, 8, [3], [16], [8]],            # no such argument
        ["x", "is"], [0, "is"],            # x is not the value
        [0, 8, "3", [16], [8]], "garbage", None,
    ]
    for alias in forged:
        got = _aliased((x,), {}, value, alias)
        assert got is value, f"alias {alias!r} gave {got!r}"
