"""Executor backends (autograder/backends/__init__.py) and what a job carries to a worker (autograder/runner/jobs.py)."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest

from autograder.backends import LocalPool, select
from autograder.backends.dask_cluster import mismatches
from autograder.cells import is_answer_cell
from autograder.course import ROOT, SOLUTIONS, lecture_ids
from autograder.link.trusted import defined_names
from autograder.runner.jobs import without_solutions


@pytest.mark.parametrize("lecture", lecture_ids())
def test_a_job_carries_the_answer_cells_names_and_none_of_their_code(lecture):
    master = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    stripped = without_solutions(master)
    assert len(stripped.cells) == len(master.cells)
    sent = nbformat.writes(stripped)
    answers = 0
    for before, after in zip(master.cells, stripped.cells, strict=True):
        if before.cell_type == "code" and is_answer_cell(before):
            answers += 1
            assert defined_names(after.source) == defined_names(before.source)
            for line in after.source.splitlines():   # stubs only
                assert re.fullmatch(r"def \w+\(\*args, \*\*kwargs\):|    raise NotImplementedError|\w+ = None", line), line
            assert before.source.strip() not in sent
        else:
            assert after == before, "every other cell is sent as it is"
    assert answers >= 2


@pytest.mark.slow   # a fresh interpreter imports the grader: seconds
def test_without_a_scheduler_nothing_of_dask_is_imported():
    code = ("import sys; import autograder.__main__, autograder.pipeline.grade, autograder.backends as b; "
            "from autograder.backends import select; assert type(select(2, None, 'bwrap')).__name__ == 'LocalPool'; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr


def test_local_pool_is_the_default():
    assert isinstance(select(3, None, "bwrap"), LocalPool) and select(3, None, "bwrap").slots() == 3
    assert select(0, None, "none").slots() == 1


def test_the_preflight_names_every_difference():
    here = {"python": "3.11.7", "numpy": "2.1.0", "scipy": "1.14.0", "project": "abc", "sandbox": "bwrap"}
    workers = {"tcp://10.0.0.2:1": {**here, "numpy": "1.26.4"},
               "tcp://10.0.0.3:1": {**here, "sandbox": "none (bwrap not found)", "project": "def"},
               "tcp://10.0.0.4:1": dict(here)}
    found = mismatches(here, workers, "bwrap")
    assert found == ["worker tcp://10.0.0.2:1: numpy 1.26.4, this machine 2.1.0",
                     "worker tcp://10.0.0.3:1: project def, this machine abc",
                     "worker tcp://10.0.0.3:1: sandbox none (bwrap not found); this run needs bubblewrap "
                     "(install it there, or grade with --no-sandbox)"]
    assert mismatches(here, {"w": {**here, "sandbox": "none (x)"}}, "none") == []
