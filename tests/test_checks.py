"""The exercises' check helpers: silent on success, a precise message on failure."""

import numpy as np
import pytest

from seqconv.checks import check_close, check_equal, check_shape, check_type, check_vectorized, count_python_lines


def test_check_shape_message():
    check_shape(np.zeros((8, 4)), (8, 4), call="f(X)")
    with pytest.raises(AssertionError, match=r"^f\(X\) should return shape \(8, 4\); it returned shape \(6, 4\)$"):
        check_shape(np.zeros((6, 4)), (8, 4), call="f(X)")
    with pytest.raises(AssertionError, match=r"f\(X\) should return a ndarray; it returned list"):
        check_shape([1, 2], (2,), call="f(X)")


def test_check_type():
    check_type(3.0, float, call="g()")
    with pytest.raises(AssertionError, match="g\\(\\) should return a float or int; it returned str"):
        check_type("3", (float, int), call="g()")


def test_check_close_names_first_mismatch():
    expected = np.arange(6.0).reshape(3, 2)
    got = expected.copy()
    check_close(got, expected, call="h()")
    got[1, 1] = 99.0
    got[2, 0] = -1.0
    with pytest.raises(AssertionError, match=r"h\(\): wrong value at index \(1, 1\): expected 3, got 99 \(2 of 6 values differ\)"):
        check_close(got, expected, call="h()")


def test_check_close_1d_index_and_scalars():
    with pytest.raises(AssertionError, match=r"at index 2: expected 2, got 5"):
        check_close(np.array([0.0, 1.0, 5.0]), np.arange(3.0), call="h()")
    check_close(2.0000000001, 2.0, call="r()")
    check_close(np.float32(2.0), 2.0, call="r()")
    with pytest.raises(AssertionError, match=r"r\(\): wrong value: expected 2, got 3"):
        check_close(3, 2.0, call="r()")
    with pytest.raises(AssertionError, match=r"r\(\) should return a number close to 2; it returned None"):
        check_close(None, 2.0, call="r()")


def test_check_equal():
    check_equal((3, 4), (3, 4), call="k()")
    with pytest.raises(AssertionError, match=r"k\(\) should return 5; it returned 4"):
        check_equal(4, 5, call="k()")
    with pytest.raises(AssertionError, match=r"wrong value at index \(1,\): expected 2, got 7"):
        check_equal(np.array([1, 7]), np.array([1, 2]), call="k()")


def _loop_sum(x):
    total = 0.0
    for value in x:
        total += value
    return total


def test_line_count_grows_with_a_loop_and_not_without():
    assert count_python_lines(_loop_sum, np.ones(100)) > count_python_lines(_loop_sum, np.ones(10)) + 150
    assert count_python_lines(np.sum, np.ones(10_000)) == count_python_lines(np.sum, np.ones(10))


def test_check_vectorized():
    check_vectorized(lambda x: np.cumsum(x), lambda n: (np.ones(n),), call="cumsum")
    with pytest.raises(AssertionError, match=r"loop_sum is not vectorized: it ran .* for batch size B 32"):
        check_vectorized(_loop_sum, lambda n: (np.ones(n),), call="loop_sum", size_name="batch size B")


def test_disabled_switches_off_every_binding_and_restores_them():
    import seqconv.gradcheck as gc
    from seqconv.checks import disabled

    namespace = {"rel_error": gc.rel_error, "alias": gc.rel_error, "other": np.sum}

    def student():
        return namespace["alias"](1.0, 1.0)

    with disabled(namespace, gc.rel_error, np.correlate):
        with pytest.raises(AssertionError, match="switched off"):
            gc.rel_error(1.0, 1.0)
        with pytest.raises(AssertionError, match=r"numpy.*correlate is switched off"):
            np.correlate([1.0], [1.0])
        with pytest.raises(AssertionError, match="your own implementation"):
            student()
        assert namespace["other"] is np.sum
    assert gc.rel_error(1.0, 1.0) == 0.0 and student() == 0.0
    assert np.correlate([2.0], [3.0])[0] == 6.0


def test_padding_refused_switches_off_same_padding_only_inside_the_block():
    import seqconv
    from seqconv.checks import padding_refused

    X, K = np.arange(8.0).reshape(8, 1), np.ones((3, 1, 1))
    namespace = {"conv1d": seqconv.conv1d}
    with padding_refused("same", namespace):
        with pytest.raises(AssertionError, match="padding='same' is switched off"):
            seqconv.conv1d(X, K, padding="same")
        with pytest.raises(AssertionError):
            namespace["conv1d"](X, K, padding="same")
        assert seqconv.conv1d(X, K, padding=(1, 1)).shape == (8, 1)   # explicit zeros still work
    assert seqconv.conv1d(X, K, padding="same").shape == (8, 1) and namespace["conv1d"] is seqconv.conv.conv1d


def test_switch_offs_are_described_for_the_students_kernel_while_active():
    """The grader's trusted process sends these specs along with each call (seqconv.checks._remote_contexts)."""
    from seqconv import checks

    with checks.disabled({}, np.convolve), checks.padding_refused("same", {}):
        assert checks._remote_contexts == [("disabled", (("numpy", "convolve"),)), ("padding_refused", "same")]
    assert checks._remote_contexts == []


def test_enter_remote_rebuilds_the_switch_off_from_its_spec():
    import scipy.signal

    from seqconv import checks

    def mine(x):
        return x

    namespace = {"mine": mine}
    spec = ("disabled", (("numpy", "convolve"), (scipy.signal.correlate.__module__, "correlate"), ("__main__", "mine")))
    with checks.enter_remote(spec, namespace):
        for switched_off in (np.convolve, scipy.signal.correlate, namespace["mine"]):
            with pytest.raises(AssertionError, match="switched off"):
                switched_off([1.0], [1.0])
    assert np.convolve([1.0], [2.0]).tolist() == [2.0] and namespace["mine"] is mine
    with pytest.raises(ValueError, match="spec"):
        checks.enter_remote(("unknown", None), namespace)


def test_a_test_cell_says_it_passed_and_the_summary_counts_per_exercise(capsys, monkeypatch):
    from seqconv import checks

    monkeypatch.delenv("SEQCONV_GRADING", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(checks, "_passed", {})
    checks.passed("ex1-tests-shape", 1)
    checks.passed("ex2-tests-odd", 2)
    said = capsys.readouterr().out
    assert "passed: ex1-tests-shape" in said and "1 point at grading" in said and "2 points at grading" in said
    checks.check_all({"ex1-tests-shape": 1, "ex1-tests-values": 2, "ex2-tests-odd": 2})
    summary = capsys.readouterr().out.splitlines()
    assert summary[0] == "ex1: 1 of 2 test cells pass (1 of 3 points); not yet: ex1-tests-values"
    assert summary[1] == "ex2: 1 of 1 test cells pass (2 of 2 points)"
    assert "hidden tests" in summary[2]
    monkeypatch.setenv("SEQCONV_GRADING", "1")   # in a grading kernel the test cells do not run: no summary
    checks.check_all({"ex1-tests-shape": 1})
    assert capsys.readouterr().out.startswith("Graded:")


def test_a_test_cell_that_fails_when_run_again_no_longer_counts(monkeypatch):
    """In IPython: passed once, then the answer broke and the cell was run again."""
    from IPython.core.interactiveshell import InteractiveShell

    from seqconv import checks

    monkeypatch.setattr(checks, "_passed", {})
    shell = InteractiveShell.instance()
    try:
        shell.run_cell("import seqconv\nok = True")
        cell = "assert ok, 'broken'\nseqconv.checks.passed(\"ex1-tests-shape\", 1)"
        shell.run_cell(cell)
        assert checks._passed == {"ex1-tests-shape": 1}
        shell.run_cell("ok = False")
        assert not shell.run_cell(cell).success
        assert checks._passed == {}
    finally:
        InteractiveShell.clear_instance()
