"""A grading worker gives back everything a notebook took: after its 31st notebook it holds
the same open files, threads and child processes as after its first.

The worker is a real one (a process pool of one, as ``grade`` starts it), the jobs go
through ``run_job`` as in a grading run, and the counts are read from the worker's own
``/proc`` entries between jobs. Before this was fixed, every notebook left about 18 file
descriptors, 5 threads and a zombie kernel process behind.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import nbformat
import pytest

from autograder.model import Job, Limits
from autograder.runner.jobs import run_job, worker_started
from autograder.runner.sandboxes.bubblewrap import bwrap_problem

pytestmark = [pytest.mark.slow, pytest.mark.sandbox,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]

SANDBOX = "bwrap" if bwrap_problem() is None else "none"
NOTEBOOKS = 31


@dataclass(frozen=True)
class Held:
    """What a process holds: open descriptors, threads, and child processes (zombies included)."""

    files: int
    threads: int
    children: int


def held_by_this_process() -> Held:
    me = os.getpid()
    children = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            children += 1
    return Held(len(os.listdir("/proc/self/fd")), len(os.listdir("/proc/self/task")), children)


def _small_lecture() -> tuple[str, str]:
    """A student notebook and its master: teaching, an answer, a test with a hidden part, a plot."""
    def cells(answer: str):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell("import numpy as np\nimport matplotlib.pyplot as plt\nx = np.arange(5.0)"),
            nbformat.v4.new_code_cell(answer),
            nbformat.v4.new_code_cell("assert np.allclose(double(x), 2 * x)\n### BEGIN HIDDEN TESTS\n"
                                      "assert double(np.ones(2)).tolist() == [2.0, 2.0]\n### END HIDDEN TESTS\n"),
            nbformat.v4.new_code_cell("plt.plot(x, double(x))\nprint('done')"),
        ]
        nb.cells[1].metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "ex1-answer", "locked": False}
        nb.cells[2].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "ex1-test", "points": 1, "locked": True}
        return nbformat.writes(nb)

    return cells("def double(v):\n    return v + v"), cells("def double(v):\n    ### BEGIN SOLUTION\n    return 2 * v\n    ### END SOLUTION")


def test_a_worker_holds_after_its_31st_notebook_what_it_held_after_its_first(tmp_path):
    student, master = _small_lecture()
    limits = Limits(cell_timeout_s=30, sandbox=SANDBOX)
    held = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=worker_started) as pool:
        for i in range(NOTEBOOKS):
            job = Job(f"student{i:02d}", "00-small", student, master, str(tmp_path / f"student{i:02d}" / "00-small"), limits)
            result = pool.submit(run_job, job).result()
            assert (result.status, result.details) == ("graded", []), result
            executed = nbformat.reads(result.notebook_json, as_version=4)
            assert not [o for o in executed.cells[2].outputs if o.output_type == "error"], "the answer is right"
            held.append(pool.submit(held_by_this_process).result())
    assert held[-1] == held[0], f"after the first notebook: {held[0]}; after notebook {NOTEBOOKS}: {held[-1]}"
    assert len(set(held)) == 1, f"what the worker held changed along the way: {sorted(set(held), key=held.index)}"
    assert list(tmp_path.iterdir()) == [], "every notebook's working folder is removed"
