"""The evasion gate (autograder/pipeline/evasion.py): code that could fool the tests that observe a
function's run is found in the source, and no honest answer of the course is."""

from __future__ import annotations

import importlib

import nbformat
import pytest

from autograder.cells import is_answer_cell, is_test_cell, nbgrader_meta
from autograder.course import NOTEBOOKS, SOLUTIONS, lecture_ids
from autograder.pipeline.evasion import MANUAL_REVIEW, find_evasions, send_to_review, student_cells
from autograder.workbook import make_examples

LECTURES = lecture_ids()

# Each defeats a check that observes the run without touching the grader's link (issue 11).
EVASIONS = {
    "notices the tracer": "import sys\ndef f(x):\n    if sys.gettrace() is not None:\n        return 0\n    return sum(x)",
    "switches the tracer off": "import sys as s\ndef f(x):\n    t = s.gettrace()\n    s.settrace(None)\n    y = sum(x)\n    s.settrace(t)\n    return y",
    "a loop in a thread": "import _thread\ndef f(x):\n    _thread.start_new_thread(print, ())",
    "a loop in a threading thread": "from threading import Thread\ndef f(x):\n    Thread(target=sum, args=(x,)).start()",
    "a loop in a process": "import multiprocessing\ndef f(x):\n    return multiprocessing.Pool(1).map(abs, x)",
    "reloads the library": "import importlib, seqconv\ndef f(x):\n    return importlib.reload(seqconv).conv1d(x, x)",
    "a second copy of the library": "from importlib.util import spec_from_file_location\n",
    "the library through another module": "import warnings\ndef f():\n    return warnings.sys.modules['seqconv']",
    "indirect names": "import numpy as np\ndef f():\n    return getattr(np, 'lo' + 'ad')",
    "builtins through an object": "def f():\n    return ().__class__.__mro__[1].__subclasses__()",
    "dynamic code": "def f(x):\n    return eval('sum(x)')",
    "remembers calls in a file": "import numpy as np\ndef f(x):\n    np.save('cache.npy', x)\n    return np.load('cache.npy')",
    "remembers calls in a file (open)": "def f(x):\n    with open('cache', 'a') as c:\n        c.write('x')",
    "a private helper of the library": "import seqconv.conv\ndef f(X, K):\n    return seqconv.conv._valid(X, K)",
    "IPython magics": "%time x = 1\ndef f():\n    pass",
    "the kernel itself": "def f():\n    return get_ipython().kernel",
    "frames": "def f():\n    try:\n        raise ValueError\n    except ValueError as e:\n        return e.__traceback__.tb_frame.f_back",
    "attributes by name": "import operator\ng = operator.attrgetter('sys')",
    "the interpreter's time": "import time\ndef f():\n    return time.perf_counter()",
}


@pytest.mark.parametrize("source", EVASIONS.values(), ids=EVASIONS.keys())
def test_each_evasion_is_found(source):
    found = find_evasions([("ex1-answer", source)])
    assert found, "not found"
    assert all(e.cell == "ex1-answer" and e.line >= 1 and e.construct for e in found)


def test_where_and_what_is_said():
    found = find_evasions([("ex2-answer", "import numpy as np\n\ndef f(x):\n    import sys\n    return x")])
    assert [str(e) for e in found] == ["import sys (ex2-answer, line 4)"]


def test_a_cell_that_is_not_python_is_skipped_but_magics_are_said():
    assert find_evasions([("a", "def f(:\n")]) == []
    assert [e.construct for e in find_evasions([("a", "!ls\nimport numpy as np")])] == ["IPython magics or shell commands"]


def _answer_sources():
    for lecture in LECTURES:
        master = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
        for cell in master.cells:
            if is_answer_cell(cell):
                yield f"{lecture}/{nbgrader_meta(cell)['grade_id']}", cell.source
        wrong = importlib.import_module(f"tests.wrong_answers.lecture_{lecture[:2]}").WRONG
        for grade_id, answers in wrong.items():
            for why, source in answers.items():
                yield f"{lecture}/{grade_id}: {why}", source


@pytest.mark.parametrize("label, source", list(_answer_sources()), ids=lambda v: v if isinstance(v, str) and "/" in v else "")
def test_no_answer_of_the_course_is_an_evasion(label, source):
    """The reference solutions and every plausible wrong answer: no false alarm."""
    assert find_evasions([(label, source)]) == []


def test_the_course_code_and_the_examples_are_not_evasions():
    """Teaching cells (identical to the release) are the course's; the bundled students write none."""
    releases = {lec: nbformat.read(NOTEBOOKS / f"{lec}.ipynb", as_version=4) for lec in LECTURES}
    for key, data in make_examples.build().items():
        if key.endswith(".ipynb"):
            nb = nbformat.reads(data.decode(), as_version=4)
            lecture = key.split("/")[1].removesuffix(".ipynb")
            assert find_evasions(student_cells(nb, releases[lecture])) == [], key


def test_a_notebook_with_an_evasion_has_its_tests_sent_to_review():
    nb = nbformat.read(NOTEBOOKS / f"{LECTURES[0]}.ipynb", as_version=4)
    tests = [nbgrader_meta(c)["grade_id"] for c in nb.cells if is_test_cell(c)]
    found = find_evasions([("ex1-answer", EVASIONS["notices the tracer"])])
    assert send_to_review(nb, found) == tests
    for cell in nb.cells:
        if is_test_cell(cell):
            assert cell.outputs[-1].ename == MANUAL_REVIEW and "sys" in cell.outputs[-1].evalue
