"""The grading executor on small notebooks: timeouts, dying kernels, floods of output,
limits, and hidden test parts that leave no trace."""

from __future__ import annotations

import nbformat
import pytest

from autograder.cells import split_test_source
from autograder.execute import GRADED, HIDDEN_FAILURE, KERNEL_DIED, TIMEOUT, Limits, execute_notebook


def _notebook(*sources: str, test_at: int | None = None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    if test_at is not None:
        nb.cells[test_at].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1, "locked": True}
    return nb


def _errors(cell):
    return [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]


def _run(tmp_path, nb, **limits):
    return execute_notebook(nb, tmp_path, Limits(**{"cell_timeout_s": 3, **limits}))


def test_split_test_source():
    visible, hidden = split_test_source("a = 1\n### BEGIN HIDDEN TESTS\nb = 2\n### END HIDDEN TESTS\nc = 3\n")
    assert visible == "a = 1\nc = 3\n" and hidden.strip() == "b = 2"


def test_runs_in_order_in_the_working_directory(tmp_path):
    result = _run(tmp_path, _notebook("import os\nx = 41", "print(x + 1, os.getcwd())"))
    assert result.status == GRADED and result.details == []
    assert result.nb.cells[1].outputs[0].text.split() == ["42", str(tmp_path)]


def test_infinite_loop_is_interrupted_and_the_rest_still_runs(tmp_path):
    result = _run(tmp_path, _notebook("x = 1", "while True:\n    pass", "print(x)"))
    assert result.status == TIMEOUT
    assert _errors(result.nb.cells[1])[0][0] == "TimeoutError"
    assert result.nb.cells[2].outputs[0].text == "1\n"


def test_kernel_that_ignores_interrupts_is_stopped(tmp_path):
    loop = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    result = _run(tmp_path, _notebook(loop, "print('never')"))
    assert result.status == TIMEOUT and "did not stop when interrupted" in result.details[0]
    assert _errors(result.nb.cells[1])[0][0] == "NotRun"


@pytest.mark.parametrize("killer", ["import os\nos._exit(1)", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"])
def test_dying_kernel_is_reported_and_later_cells_marked(tmp_path, killer):
    result = _run(tmp_path, _notebook("x = 1", killer, "print(x)"))
    assert result.status == KERNEL_DIED
    assert _errors(result.nb.cells[1])[0][0] == "DeadKernelError"
    assert _errors(result.nb.cells[2])[0][0] == "NotRun"


def test_sys_exit_is_an_ordinary_error(tmp_path):
    result = _run(tmp_path, _notebook("import sys\nsys.exit(3)", "print('still here')"))
    assert result.status == GRADED
    assert _errors(result.nb.cells[0])[0][0] == "SystemExit"
    assert result.nb.cells[1].outputs[0].text == "still here\n"


def test_output_is_capped(tmp_path):
    result = _run(tmp_path, _notebook("for _ in range(50):\n    print('x' * 100_000)", "print('end')"), output_bytes=200_000)
    kept = sum(len(o.get("text", "")) for c in result.nb.cells for o in c.outputs)
    assert kept <= 200_000 and result.nb.cells[1].outputs[0].text == "end\n"
    assert any("were dropped" in d for d in result.details)


def test_memory_limit(tmp_path):
    result = _run(tmp_path, _notebook("import numpy as np\na = np.ones(400_000_000)"), memory_mb=1024)
    assert _errors(result.nb.cells[0])[0][0] == "MemoryError"


def test_one_blas_thread_per_grading_kernel(tmp_path):
    result = _run(tmp_path, _notebook("import os\nprint(os.environ['OPENBLAS_NUM_THREADS'])"))
    assert result.nb.cells[0].outputs[0].text == "1\n"


def test_hidden_part_leaves_only_a_generic_line(tmp_path):
    secret = "print('expected is 12345')\nassert 1 == 2, 'the expected value is 12345'"
    test = f"print('visible ok')\n### BEGIN HIDDEN TESTS\n{secret}\n### END HIDDEN TESTS\n"
    # (the test cell's source keeps the hidden part: autograded notebooks are the instructor's)
    result = _run(tmp_path, _notebook("x = 1", test, test_at=1))
    outputs = result.nb.cells[1].outputs
    assert [o.get("text") for o in outputs if o.output_type == "stream"] == ["visible ok\n"]
    assert _errors(result.nb.cells[1]) == [(HIDDEN_FAILURE, _errors(result.nb.cells[1])[0][1])]
    assert "12345" not in str([c.outputs for c in result.nb.cells])


def test_visible_failure_keeps_its_message_and_skips_the_hidden_part(tmp_path):
    test = "assert False, 'expected 3, got 4'\n### BEGIN HIDDEN TESTS\nprint('hidden ran')\n### END HIDDEN TESTS\n"
    result = _run(tmp_path, _notebook(test, test_at=0))
    assert _errors(result.nb.cells[0]) == [("AssertionError", "expected 3, got 4")]
    assert not any("hidden ran" in o.get("text", "") for o in result.nb.cells[0].outputs)
