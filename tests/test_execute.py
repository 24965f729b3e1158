"""The grading executor on small notebooks: timeouts, dying kernels, floods of output,
limits, the sandbox, hidden test parts that leave no trace, and verdicts that the
student's code cannot fake (the test cells run in the trusted process)."""

from __future__ import annotations

import copy
import json
import os
import uuid

import nbformat
import pytest

from autograder.cells import is_answer_cell, is_test_cell, split_test_source
from autograder.course import ROOT
from autograder.model import Limits
from autograder.runner.execute import GRADED, HIDDEN_FAILURE, KERNEL_DIED, TIMEOUT, execute_notebook
from autograder.runner.sandboxes.bubblewrap import bwrap_problem

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

SANDBOX = "bwrap" if bwrap_problem() is None else "none"
needs_bwrap = pytest.mark.skipif(SANDBOX != "bwrap", reason=f"no sandbox here: {bwrap_problem()}")


def _notebook(*sources: str, test_at: int | None = None, answer_at: int | None = None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    if test_at is not None:
        nb.cells[test_at].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1, "locked": True}
    if answer_at is not None:
        nb.cells[answer_at].metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "a", "locked": False}
    return nb


def _master_of(nb):
    """The instructor's side of a small notebook: its answer and test cells (the others run only for the student)."""
    master = nbformat.v4.new_notebook()
    master.cells = [c for c in nb.cells if is_test_cell(c) or is_answer_cell(c)]
    return master


def _errors(cell):
    return [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]


def _run(tmp_path, nb, master=None, **limits):
    return execute_notebook(nb, _master_of(nb) if master is None else master, tmp_path,
                            Limits(**{"cell_timeout_s": 3, "sandbox": SANDBOX, **limits}))


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


GARBLE_THE_PROBE = """
import time
kernel = get_ipython().kernel
send = kernel.session.send
def garbled(stream, msg_or_type, content=None, parent=None, *args, **kwargs):
    if msg_or_type == "execute_reply" and (parent or {}).get("content", {}).get("code") == "1":
        content = "not a reply"   # the grader's probe after a timeout runs "1"
    return send(stream, msg_or_type, content, parent, *args, **kwargs)
try:
    time.sleep(60)
except KeyboardInterrupt:
    kernel.session.send = garbled
"""


def test_a_malformed_answer_to_the_probe_after_a_timeout_is_a_status(tmp_path):
    """Issue 11: a kernel that answers the grader's post-timeout probe with a malformed
    message made the notebook a grader error (the exception escaped the executor)."""
    result = _run(tmp_path, _notebook("x = 1", GARBLE_THE_PROBE, "print(x)"))
    assert result.status == TIMEOUT
    assert any("did not recover" in d for d in result.details)
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


DISPLAY_UPDATE_FLOOD = """
from IPython.display import display, update_display
for _ in range(300):
    display({"text/plain": "x"}, raw=True, display_id="same")
update_display({"text/plain": "y" * 400_000}, raw=True, display_id="same")
display({"text/plain": "z" * 400_000}, raw=True, display_id="same")
"""
FORGED_ERRORS = """
kernel = get_ipython().kernel
for _ in range(300):
    kernel.session.send(kernel.iopub_socket, "error", {"ename": "E" * 300, "evalue": "v" * 5000, "traceback": ["t" * 5000] * 30},
                        parent=kernel.get_parent("shell"), ident=kernel._topic("error"))
"""


def _outputs_bytes(nb) -> int:
    return sum(len(json.dumps(o)) for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("flood", [DISPLAY_UPDATE_FLOOD, FORGED_ERRORS], ids=["display-updates", "forged-errors"])
def test_every_kind_of_output_is_within_the_cap(tmp_path, flood):
    """Issue 11: display updates (one per output they rewrite) and error messages were not
    charged: a notebook grew to 176 MB and 144 MB past the 1 MB cap."""
    result = _run(tmp_path, _notebook(flood, "print('end')", flood), output_bytes=200_000)
    assert _outputs_bytes(result.nb) <= 200_000 + 1000
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


# -- verdicts come from the trusted process ---------------------------------------------------
# A student's answer cell ``def f...`` followed by a test of f. The test code runs in the
# trusted process: whatever the answer cell does to its own interpreter, the test sees
# only the plain data f returns.

TEST_F = "import numpy as np\nassert np.allclose(f(np.arange(3.0)), [0.0, 2.0, 4.0]), 'f should double its input'"


def _graded(tmp_path, answer: str, test: str = TEST_F):
    result = _run(tmp_path, _notebook(answer, test, answer_at=0, test_at=1))
    return result, _errors(result.nb.cells[1])


def test_a_correct_answer_passes(tmp_path):
    result, errors = _graded(tmp_path, "def f(x):\n    return 2 * x")
    assert result.status == GRADED and errors == []


@pytest.mark.parametrize("attack", [
    # numpy's comparisons patched in the student's kernel
    "import numpy as np\nnp.allclose = lambda *a, **k: True\ndef f(x):\n    return x",
    # builtins patched: assert cannot fail there
    "import builtins\nbuiltins.AssertionError = type('Quiet', (Exception,), {})\ndef f(x):\n    return x",
    # exceptions swallowed by IPython's custom exception handler and the traceback hook
    "import sys\nget_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\nsys.excepthook = lambda *a: None\n"
    "def f(x):\n    return x",
    # a returned object that equals everything
    "class Anything:\n    def __eq__(self, other):\n        return True\n    __array_priority__ = 1000\n"
    "def f(x):\n    return Anything()",
    # an ndarray subclass whose comparisons always hold
    "import numpy as np\nclass Yes(np.ndarray):\n    def __eq__(self, other):\n        return np.ones(self.shape, bool)\n"
    "def f(x):\n    return np.zeros(3).view(Yes)",
    # the test cell rewritten by an input transformer before it runs
    "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\ndef f(x):\n    return x",
])
def test_what_the_student_kernel_does_cannot_pass_a_failing_test(tmp_path, attack):
    result, errors = _graded(tmp_path, attack)
    assert errors, f"the attack passed: {result.nb.cells[1].outputs}"


def test_the_students_exception_reaches_the_test_as_its_own_class(tmp_path):
    test = ("try:\n    f(-1)\nexcept ValueError as exc:\n    assert 'negative' in str(exc)\n"
            "else:\n    raise AssertionError('f(-1) should raise ValueError')")
    _result, errors = _graded(tmp_path, "def f(x):\n    if x < 0:\n        raise ValueError('x is negative')\n    return x", test)
    assert errors == []


def test_random_generators_advance_and_arguments_change_as_in_one_process(tmp_path):
    test = ("import numpy as np\nrng = np.random.default_rng(0)\nx = np.zeros(3)\nf(x, rng)\n"
            "reference = np.random.default_rng(0)\nreference.random(2)\n"
            "assert rng.random() == reference.random(), 'rng advanced by 2 draws'\n"
            "assert x.tolist() == [1.0, 1.0, 1.0], 'f added 1 to x in place'")
    _result, errors = _graded(tmp_path, "def f(x, rng):\n    rng.random(2)\n    x += 1", test)
    assert errors == []


# (answer, test): what a test observes besides the value returned (issue 12)
OBSERVED = {
    "changes its argument": ("def f(x):\n    x[0] = 99.0\n    return float(x.sum())",
                             "import numpy as np\nx = np.arange(3.0)\nbefore = x.copy()\nf(x)\n"
                             "assert np.array_equal(x, before), 'f must not modify x'"),
    "leaves its argument alone": ("def f(x):\n    x = x.copy()\n    x[0] = 99.0\n    return float(x.sum())",
                                  "import numpy as np\nx = np.arange(3.0)\nbefore = x.copy()\nf(x)\n"
                                  "assert np.array_equal(x, before), 'f must not modify x'"),
    "appends to a list": ("def f(xs):\n    xs.append(1)\n    return len(xs)",
                          "xs = []\nf(xs)\nassert xs == [], 'f must not change its list'"),
    "warns under an error filter": ("import numpy as np\ndef f(x):\n    return np.nan_to_num(np.mean(x[:0]))",
                                    "import numpy as np, warnings\nwith warnings.catch_warnings():\n"
                                    "    warnings.simplefilter('error')\n    f(np.ones(3))"),
    "divides by zero under an error filter": ("import numpy as np\ndef f(x):\n    return np.nan_to_num(x / 0)",
                                              "import numpy as np, warnings\nwith warnings.catch_warnings():\n"
                                              "    warnings.simplefilter('error')\n    f(np.ones(3))"),
    "warns": ("import warnings\ndef f():\n    warnings.warn('careful')\n    return 1", "assert f() == 1"),
    "warns where the test ignores it": ("import warnings\ndef f():\n    warnings.warn('careful')\n    return 1",
                                        "import warnings\nwith warnings.catch_warnings():\n"
                                        "    warnings.simplefilter('ignore')\n    assert f() == 1"),
    "raises NumPy's own exception": ("import numpy as np\ndef f():\n    raise np.linalg.LinAlgError('singular')",
                                     "import numpy as np\ntry:\n    f()\nexcept np.linalg.LinAlgError:\n    pass\n"
                                     "else:\n    raise AssertionError('should raise')"),
    "returns its argument itself": ("def f(x):\n    return x",
                                    "import numpy as np\nx = np.zeros(3)\nout = f(x)\nx[0] = 7.0\n"
                                    "assert out[0] == 7.0, 'out is x: it sees the change'"),
    "returns a view of its argument": ("def f(x):\n    return x[1::2]",
                                       "import numpy as np\nx = np.zeros(6)\nout = f(x)\nx[3] = 7.0\n"
                                       "assert out[1] == 7.0, 'out is a view of x: it sees the change'"),
    "returns a copy": ("def f(x):\n    return x[1::2].copy()",
                       "import numpy as np\nx = np.zeros(6)\nout = f(x)\nx[3] = 7.0\n"
                       "assert out[1] == 0.0, 'out is a copy: x changing leaves it alone'"),
    "returns the list it was given": ("def f(xs):\n    xs.append(1)\n    return xs",
                                      "xs = []\nout = f(xs)\nassert out is xs and xs == [1], 'f appends to xs and returns it'"),
    "writes to a read-only array": ("def f(x):\n    x[0] = 1.0\n    return x",
                                    "import numpy as np\nx = np.zeros(3)\nx.flags.writeable = False\n"
                                    "try:\n    f(x)\nexcept ValueError:\n    pass\nelse:\n    raise AssertionError('x is read-only')"),
}


def _verdict_in_one_process(tmp_path, answer: str, test: str) -> str | None:
    """The test cell's verdict with everything in one plain kernel, as a student sees it at home."""
    from nbclient import NotebookClient

    from autograder.cells import failure

    nb = _notebook(answer, test)
    NotebookClient(nb, timeout=30, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
    return failure(nb.cells[1])


@pytest.mark.parametrize("answer, test", OBSERVED.values(), ids=OBSERVED.keys())
def test_a_test_gives_the_verdict_it_gives_in_one_process(tmp_path, answer, test):
    """Issue 12: under grading the test cell runs in the trusted process, on what the student's
    kernel reports. Arguments changed in place, warnings (raised by the test's filters inside
    the call, or shown), NumPy's exception classes and read-only arrays: the verdict is the
    one the same cells give in one kernel."""
    from autograder.cells import failure

    home = _verdict_in_one_process(tmp_path / "home", answer, test) if (tmp_path / "home").mkdir() is None else None
    result, _ = _graded(tmp_path / "graded" if (tmp_path / "graded").mkdir() is None else tmp_path, answer, test)
    graded = failure(result.nb.cells[1])
    assert (home is None) == (graded is None), f"in one process: {home}; graded: {graded}"


def test_hidden_parts_run_after_every_visible_part(tmp_path):
    """What the student's code sees in a hidden part can never come back in a visible message."""
    # the calls leave no state in memory (each runs in a child of the kernel): a file keeps count
    answer = ("def f(x):\n    with open('seen.txt', 'a') as log:\n        log.write(x + '\\n')\n"
              "    with open('seen.txt') as log:\n        return len(log.read().splitlines())")
    first = "assert f('visible 1') == 1\n### BEGIN HIDDEN TESTS\nf('hidden secret')\n### END HIDDEN TESTS\n"
    second = "n = f('visible 2')\nassert n == 2, f'f was called {n} times'\n"
    nb = _notebook(answer, first, second, answer_at=0, test_at=1)
    nb.cells[2].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t2", "points": 1, "locked": True}
    result = _run(tmp_path, nb)
    assert _errors(result.nb.cells[1]) == [] and _errors(result.nb.cells[2]) == []


def test_no_call_remembers_an_earlier_one(tmp_path):
    """Issue 11: an answer that remembered earlier calls passed the hidden 'one row at a time'
    checks of lecture 05 (it answered a row from the batch it had seen). Every call now starts
    from the state the student's cells left, and what it changes ends with it."""
    answer = ("import numpy as np\nimport seqconv\nseen = {}\n"
              "def f(x):\n    seqconv.conv1d = None\n    if 'first' not in seen:\n        seen['first'] = x\n    return seen['first']")
    test = ("assert f(1) == 1\nassert f(2) == 2, 'f remembered the first call'\n"
            "import seqconv\nassert f(3) == 3")
    _result, errors = _graded(tmp_path, answer, test)
    assert errors == []


def test_a_test_input_can_be_a_function_of_the_test(tmp_path):
    test = "k = 3\nassert f(lambda v: v * k, 2) == 6"
    _result, errors = _graded(tmp_path, "def f(g, v):\n    return g(v)", test)
    assert errors == []


def test_an_infinite_loop_in_a_tested_function_fails_that_test_and_grading_goes_on(tmp_path):
    test = "try:\n    f(1)\nexcept TimeoutError:\n    pass\nassert f(0) == 0"
    result, errors = _graded(tmp_path, "def f(x):\n    while x:\n        pass\n    return 0", test)
    assert result.status == TIMEOUT and errors == []


# -- the sandbox --------------------------------------------------------------------------------

@needs_bwrap
def test_sandbox_hides_the_repository_and_the_network(tmp_path):
    probe = (f"import os, socket\nprint(os.path.exists({str(ROOT / 'solutions')!r}), os.path.exists({str(ROOT / 'autograder')!r}))\n"
             "s = socket.socket()\ns.settimeout(2)\ntry:\n    s.connect(('1.1.1.1', 53))\n    print('connected')\n"
             "except OSError as exc:\n    print('no network')")
    result = _run(tmp_path, _notebook(probe))
    assert result.nb.cells[0].outputs[0].text.split() == ["False", "False", "no", "network"]


@needs_bwrap
def test_sandbox_is_read_only_but_for_the_working_directory(tmp_path):
    import sys
    probe = (f"import os\nfor path in ({sys.prefix + '/x'!r}, '/usr/x', {str(tmp_path / 'mine')!r}):\n"
             "    try:\n        open(path, 'w').close()\n        print('wrote', path)\n"
             "    except OSError as exc:\n        print('refused', path)")
    result = _run(tmp_path, _notebook(probe))
    lines = result.nb.cells[0].outputs[0].text.splitlines()
    assert [line.split()[0] for line in lines] == ["refused", "refused", "wrote"]


@needs_bwrap
def test_sandbox_caps_the_number_of_processes(tmp_path):
    bomb = ("import os, time\nborn = 0\ntry:\n    for _ in range(2000):\n        if os.fork() == 0:\n"
            "            time.sleep(30)\n            os._exit(0)\n        born += 1\nexcept OSError:\n    pass\nprint(born)")
    result = _run(tmp_path, _notebook(bomb, "print('after')"))
    # stdout: a fork refused can also make Python print "Exception ignored in: _releaseLock" on stderr
    printed = [o.text for o in result.nb.cells[0].outputs if o.output_type == "stream" and o.name == "stdout"]
    assert int("".join(printed)) < 300
    assert result.nb.cells[1].outputs[0].text == "after\n"


def test_after_three_timeouts_the_kernel_is_stopped_and_later_calls_fail_at_once(tmp_path):
    test = ("last = None\nfor _ in range(6):\n    try:\n        f(1)\n    except (TimeoutError, RuntimeError) as exc:\n"
            "        last = exc\nraise AssertionError(str(last))")
    result, errors = _graded(tmp_path, "def f(x):\n    while x:\n        pass", test)
    assert result.status == TIMEOUT and "stopped after 3 timeouts" in result.details
    assert "stopped after 3 timeouts" in errors[0][1]


def test_patched_tracing_or_checks_do_not_fake_a_vectorized_function(tmp_path):
    answer = ("import sys, seqconv.checks\nsys.settrace = lambda tracer: None\n"
              "seqconv.checks.count_python_lines = lambda fn, *args: 1\n"
              "def f(x):\n    total = 0.0\n    for value in x:\n        total += value\n    return total")
    test = "import numpy as np\nfrom seqconv.checks import check_vectorized\ncheck_vectorized(f, lambda n: (np.ones(n),), call='f(x)')"
    _result, errors = _graded(tmp_path, answer, test)
    assert errors and "is not vectorized" in errors[0][1]


@needs_bwrap
def test_sandbox_cannot_see_or_signal_the_machines_processes(tmp_path):
    import subprocess

    host = subprocess.Popen(["sleep", "60"])
    try:
        probe = (f"import os, signal\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]) < 20)\n"
                 f"try:\n    os.kill({host.pid}, signal.SIGKILL)\n    print('killed')\n"
                 "except ProcessLookupError:\n    print('not found')")
        result = _run(tmp_path, _notebook(probe))
        assert result.nb.cells[0].outputs[0].text.split() == ["True", "not", "found"]
        assert host.poll() is None, "the process outside the sandbox is alive"
    finally:
        host.kill()
        host.wait()


def test_disk_watch_kills_past_the_quota(tmp_path):
    import threading

    from autograder.runner.execute import DiskWatch

    killed = threading.Event()
    with DiskWatch([tmp_path], killed.set, quota_bytes=1_000_000, quota_entries=50, interval_s=0.02) as watch:
        (tmp_path / "small").write_bytes(b"x" * 10_000)
        assert not killed.wait(0.2), "under the quota"
        (tmp_path / "big").write_bytes(b"x" * 2_000_000)
        assert killed.wait(5)
    assert "more than 0 MiB" in watch.exceeded
    killed.clear()
    many = tmp_path / "many"
    many.mkdir()
    with DiskWatch([many], killed.set, quota_entries=50, interval_s=0.02) as watch:
        for i in range(60):
            (many / str(i)).touch()
        assert killed.wait(5)
    assert "more than 50 files" in watch.exceeded


HOLD_THEN_REPORT = "\nimport time\ntime.sleep(3)\nprint('ESCAPED: still holding it')"
EMPTY_FILES = "for i in range(20_000):\n    open(f'{FOLDER}/f{i}', 'w').close()" + HOLD_THEN_REPORT
DELETED_BUT_OPEN = """
import os
kept = []
for i in range(3):
    f = open(f"big-{i}", "wb")
    for _ in range(25):
        f.write(b"x" * (8 * 2**20))   # 200 MiB each, under the size limit of one file
    f.flush()
    os.unlink(f"big-{i}")
    kept.append(f)
""" + HOLD_THEN_REPORT
IN_MEMORY_FILES = """
import os
kept = []
for i in range(3):
    fd = os.memfd_create(f"held-{i}")
    for _ in range(25):
        os.write(fd, b"x" * (8 * 2**20))
    kept.append(fd)
""" + HOLD_THEN_REPORT
SHARED_MEMORY = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
for i in range(6):   # 256 MiB at a time: attached, filled, detached (it stays, out of the address space)
    segment = libc.shmget(0, ctypes.c_size_t(256 * 2**20), 0o1000 | 0o600)
    address = libc.shmat(segment, None, 0)
    ctypes.memset(address, 1, 256 * 2**20)
    libc.shmdt(ctypes.c_void_p(address))
""" + HOLD_THEN_REPORT


@needs_bwrap
@pytest.mark.parametrize("hold, stopped", [
    (EMPTY_FILES.replace("{FOLDER}", "/tmp"), "more than 10,000 files"),
    (EMPTY_FILES.replace("{FOLDER}", "/dev/shm"), "more than 10,000 files"),
    (DELETED_BUT_OPEN, "more than 512 MiB"),
    (IN_MEMORY_FILES, "more than 512 MiB"),
    (SHARED_MEMORY, "more than 1,024 MiB of memory"),
], ids=["inodes-in-tmp", "inodes-in-dev-shm", "deleted-but-open", "memfd", "sysv-shared-memory"])
def test_every_place_a_kernel_can_keep_files_is_capped(tmp_path, hold, stopped):
    """Issue 11: empty files in the sandbox's tmpfs (bytes were capped, not inodes), files deleted
    but kept open (the watch counted what a listing shows), memory-backed files that outlive an
    address space: each was held past its cap. Each now stops the kernel."""
    result = _run(tmp_path, _notebook(hold, "print('after')"), memory_mb=1024, cell_timeout_s=20)
    assert result.status == KERNEL_DIED, (result.status, result.details)
    assert any(stopped in d for d in result.details), result.details
    assert not any("ESCAPED" in o.get("text", "") for c in result.nb.cells for o in c.outputs)


def test_filling_the_disk_stops_the_kernel(tmp_path):
    fill = ("import os\nchunk = b'x' * (64 * 2**20)\nfor i in range(32):\n    with open(f'fill-{i}', 'wb') as f:\n"
            "        f.write(chunk)\nprint('wrote 2 GiB')")
    result = _run(tmp_path, _notebook(fill, "print('after')"))
    assert result.status == KERNEL_DIED and any("MiB of disk" in d for d in result.details)
    assert not any("wrote 2 GiB" in o.get("text", "") for o in result.nb.cells[0].outputs)


# What the kernel tries, in one cell: each line prints "<attempt>: refused" or "<attempt>: DONE".
PRIVILEGE_PROBE = r'''
import ctypes, os
_libc = ctypes.CDLL(None, use_errno=True)
def attempt(what, action):
    try:
        action()
        print(f"{what}: DONE")
    except Exception:
        print(f"{what}: refused")
def mount(source, target, kind, flags):
    if _libc.mount(source, target.encode(), kind, flags, None) != 0:
        raise OSError(ctypes.get_errno(), "mount")
for path in BINDS:
    attempt(f"remount {path} writable", lambda path=path: mount(None, path, None, 32 | 4096))
attempt("mount a tmpfs", lambda: mount(b"tmpfs", "/tmp", b"tmpfs", 0))
attempt("read /etc/shadow", lambda: open("/etc/shadow").read())
def setuid_root_file():
    open("suid", "w").close()
    os.chown("suid", 0, 0)
    os.chmod("suid", 0o4755)
attempt("make a setuid-root file", setuid_root_file)
def become_root():
    os.setuid(0)
    assert os.getuid() == 0
attempt("become uid 0", become_root)
for path in WRITE_INTO:
    attempt(f"write into {path}", lambda path=path: open(os.path.join(path, PROBE_NAME), "w").close())
for line in open("/proc/self/status"):
    if line.startswith(("CapEff", "CapPrm", "CapBnd", "CapAmb")):
        print(f"{line.split()[0]} {'none' if int(line.split()[1], 16) == 0 else 'SOME'}")
'''


@needs_bwrap
def test_the_kernel_has_no_privilege_to_use_even_when_the_grader_is_root(tmp_path):
    """No capability and no host-root identity inside the sandbox, whoever runs the grader."""
    import sys
    import sysconfig

    site_packages = sysconfig.get_paths()["purelib"]
    binds = [str(ROOT / "lib"), sys.prefix, "/usr", "/etc"]
    write_into = [str(ROOT / "lib" / "seqconv"), site_packages, str(ROOT)]
    probe_name = f"probe-written-by-a-kernel-{uuid.uuid4().hex[:8]}"
    probe = f"BINDS = {binds!r}\nWRITE_INTO = {write_into!r}\nPROBE_NAME = {probe_name!r}\n" + PRIVILEGE_PROBE
    result = _run(tmp_path, _notebook(probe))
    text = "".join(o.get("text", "") for o in result.nb.cells[0].outputs)
    lines = dict(line.rsplit(": ", 1) if ": " in line else line.split(" ", 1) for line in text.splitlines())
    expected = [*(f"remount {p} writable" for p in binds), "mount a tmpfs", "read /etc/shadow", "make a setuid-root file",
                "become uid 0", *(f"write into {p}" for p in write_into)]
    assert {what: lines.get(what) for what in expected} == {what: "refused" for what in expected}, text
    assert {k: v for k, v in lines.items() if k.startswith("Cap")} == {"CapAmb": "none", "CapBnd": "none", "CapEff": "none",
                                                                       "CapPrm": "none"}, text
    assert not [p for p in write_into if os.path.exists(os.path.join(p, probe_name))]


def test_a_function_redefined_after_its_tests_is_judged_as_the_tests_saw_it(tmp_path):
    """A scratch cell after the tests that redefines the answer: at home the test cell ran before it
    and passed; graded, the same test must pass too."""
    from autograder.cells import failure

    nb = _notebook("def f(x):\n    return x + 1", "assert f(1) == 2, 'f adds one'", answer_at=0, test_at=1)
    nb.cells.append(nbformat.v4.new_code_cell("def f(x):\n    return 0   # trying something after the tests"))
    home = tmp_path / "home"
    home.mkdir()
    at_home = _verdict_in_one_process(home, nb.cells[0].source, nb.cells[1].source)
    assert at_home is None
    graded = tmp_path / "graded"
    graded.mkdir()
    result = _run(graded, nb)
    assert failure(result.nb.cells[1]) is None, f"graded: {failure(result.nb.cells[1])}"


def _graded_at_home_and_by_the_grader(tmp_path, nb) -> tuple[list, list]:
    """Every test cell's failure (None when it passed) in one plain kernel run from the top, and graded."""
    from nbclient import NotebookClient

    from autograder.cells import failure

    home, graded = tmp_path / "home", tmp_path / "graded"
    home.mkdir()
    graded.mkdir()
    at_home = copy.deepcopy(nb)
    for cell in at_home.cells:   # a hidden part runs where it stands at home
        cell.source = cell.source.replace("### BEGIN HIDDEN TESTS\n", "").replace("### END HIDDEN TESTS\n", "")
    NotebookClient(at_home, timeout=30, allow_errors=True, resources={"metadata": {"path": str(home)}}).execute()
    result = _run(graded, nb)
    tests = [i for i, c in enumerate(nb.cells) if is_test_cell(c)]
    return [failure(at_home.cells[i]) for i in tests], [failure(result.nb.cells[i]) for i in tests]


def test_what_a_later_cell_changes_is_not_what_a_test_saw(tmp_path):
    """The tests (visible and hidden parts) call the functions, helpers and globals as they were
    at the test cell: a later cell that redefines a helper, rebinds a global, changes an array in
    place or defines a function the tests then call by name changes no verdict."""
    nb = _notebook(
        "import numpy as np\nweights = np.ones(3)\nscale = 2\n"
        "def helper(x):\n    return x * scale\n"
        "def f(x):\n    return helper(x) + weights.sum()",
        "assert f(1) == 5, 'f(1)'\n### BEGIN HIDDEN TESTS\nassert f(2) == 7, 'f(2)'\n### END HIDDEN TESTS\n",
        "weights *= 0\nscale = 100\ndef helper(x):\n    return -x",
        "assert f(1) == -1, 'now f(1) is -1'\n### BEGIN HIDDEN TESTS\nassert f(2) == -2\n### END HIDDEN TESTS\n",
        "def f(x):\n    return None   # scratch, after all the tests",
        answer_at=0, test_at=1)
    nb.cells[3].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t2", "points": 1, "locked": True}
    at_home, graded = _graded_at_home_and_by_the_grader(tmp_path, nb)
    assert at_home == [None, None]
    assert graded == at_home


def test_a_test_that_fails_at_home_because_of_an_earlier_cell_fails_graded(tmp_path):
    """The other way round: a wrong answer fixed only in a cell after its test still fails that test."""
    nb = _notebook("def f(x):\n    return x", "assert f(1) == 2, 'f adds one'\n### BEGIN HIDDEN TESTS\nassert f(5) == 6\n"
                   "### END HIDDEN TESTS\n", "def f(x):\n    return x + 1", answer_at=0, test_at=1)
    at_home, graded = _graded_at_home_and_by_the_grader(tmp_path, nb)
    assert at_home[0] is not None and graded[0] is not None
