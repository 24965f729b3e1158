"""Issue 14: every path that autogrades this course grades as ``python -m autograder grade`` does.

nbgrader's own ``autograde`` (and formgrader's Autograde button, which calls it) ran a
submission's tests in the student's kernel: one that switched off ``seqconv.checks`` passed
them, the gradebook took the higher score, and the next grade run published it. Now the
workspace's nbgrader configuration runs this grader's execution, and a grade run that finds
gradebook scores it did not write grades the notebook again.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.cells import failure, is_answer_cell, is_test_cell
from autograder.course import NOTEBOOKS, SOLUTIONS
from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings
from autograder.runner.sandboxes.bubblewrap import bwrap_problem

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

LECTURE = "01-conv1d"
SANDBOX = "bwrap" if bwrap_problem() is None else "none"
SWITCH_OFF = ("import seqconv.checks as _checks\n"
              "for _name in list(vars(_checks)):\n"
              "    if _name.startswith('check'):\n"
              "        setattr(_checks, _name, lambda *args, **kwargs: None)\n")


ZEROS = {  # answers of the right shape that compute nothing
    "ex1-answer": "def conv1d_vectorized(X, K):\n    return np.zeros((len(X) - len(K) + 1, K.shape[2]))",
    "ex2-answer": "def conv1d_same(X, K):\n    return np.zeros((len(X), K.shape[2]))",
}


def _switched_off_checks() -> nbformat.NotebookNode:
    """The released notebook, every answer returning zeros, with the library's checks switched off."""
    nb = nbformat.read(NOTEBOOKS / f"{LECTURE}.ipynb", as_version=4)
    for cell in nb.cells:
        if is_answer_cell(cell):
            cell.source = "import numpy as np\n" + ZEROS[cell.metadata["nbgrader"]["grade_id"]]
    first = next(i for i, c in enumerate(nb.cells) if is_answer_cell(c))
    nb.cells.insert(first, nbformat.v4.new_code_cell(SWITCH_OFF))
    return nb


def _passed_in_one_kernel(nb: nbformat.NotebookNode, folder: Path) -> int:
    """Test cells that pass when the notebook runs in one plain kernel (nbgrader's own Execute)."""
    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    NotebookClient(nb, timeout=60, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    return sum(1 for c in nb.cells if is_test_cell(c) and failure(c) is None)


def _gradebook_score(course: Path, student: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return float(gb.find_submission_notebook(LECTURE, LECTURE, student).score)


def test_nbgrader_autograde_grades_as_the_grade_command(tmp_path):
    nb = _switched_off_checks()
    submissions = tmp_path / "submissions"
    (submissions / "mallory").mkdir(parents=True)
    nbformat.write(nb, submissions / "mallory" / f"{LECTURE}.ipynb")
    master = nbformat.read(SOLUTIONS / f"{LECTURE}.ipynb", as_version=4)
    plain = tmp_path / "plain"
    plain.mkdir()
    # the attack is real: in one kernel, as nbgrader's Execute runs it, the checks pass
    assert _passed_in_one_kernel(nb, plain) >= 3

    course = tmp_path / "course"
    settings = Settings(submissions=submissions, out=tmp_path / "out", course_dir=course, workers=1,
                        limits=Limits(cell_timeout_s=10, sandbox=SANDBOX), progress=False)
    grader = Grader(settings)
    ours = grader.run()[("mallory", LECTURE)]
    assert ours.score < sum(c.metadata["nbgrader"].get("points", 0) for c in master.cells if is_test_cell(c))

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    nbgrader = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", LECTURE, "--student", "mallory", "--force"],
                              cwd=course, env=env, capture_output=True, text=True, timeout=600)
    assert nbgrader.returncode == 0, nbgrader.stdout[-3000:] + nbgrader.stderr[-3000:]
    assert _gradebook_score(course, "mallory") == ours.score

    again = Grader(settings)
    assert again.run()[("mallory", LECTURE)].score == ours.score and again.jobs_run == 0

    # a score written to the gradebook by something else: the next run grades the notebook again
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for grade in gb.find_submission_notebook(LECTURE, LECTURE, "mallory").grades:
            if grade.auto_score is not None:
                grade.auto_score = grade.max_score
        gb.db.commit()
    assert _gradebook_score(course, "mallory") > ours.score
    fixed = Grader(settings)
    outcome = fixed.run()[("mallory", LECTURE)]
    assert fixed.jobs_run == 1 and outcome.score == ours.score
    assert _gradebook_score(course, "mallory") == ours.score
    assert any("gradebook" in line for line in outcome.details), outcome.details


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_formgrader_opens_on_the_course_with_the_students_names(tmp_path):
    """Issue 14: formgrader was not reachable from the commands, and showed students as "None, None".
    One command opens it on the course workspace; names come from the roster (or the id)."""
    import json
    import time
    import urllib.request

    submissions = tmp_path / "submissions"
    for student in ("mallory", "nemo"):
        (submissions / student).mkdir(parents=True)   # nothing handed in: graded as missing, in no time
    (submissions / "students.csv").write_text("id,first_name,last_name,email\nmallory,Mallory,Jones,mj@example.org\n")
    course = tmp_path / "course"
    grader = Grader(Settings(submissions=submissions, out=tmp_path / "out", course_dir=course, workers=1,
                             limits=Limits(cell_timeout_s=10, sandbox=SANDBOX), progress=False))
    grader.run()
    assert grader.skipped == [], "the roster is not a submission"
    port, token = _free_port(), "formgrader-test"
    server = subprocess.Popen([sys.executable, "-m", "autograder", "formgrader", "--course-dir", str(course), "--",
                               "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        students = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader/api/students?token={token}", timeout=5) as r:
                    students = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.5)
        assert students is not None, f"formgrader did not answer: {server.stderr.read() if server.poll() is not None else ''}"
        names = {s["id"]: (s["first_name"], s["last_name"]) for s in students}
        assert names == {"mallory": ("Mallory", "Jones"), "nemo": ("", "nemo")}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader/api/assignments?token={token}", timeout=10) as r:
            assignments = {a["name"] for a in json.loads(r.read())}
        assert LECTURE in assignments, "the course's lectures are in formgrader before anything is graded"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert subprocess.run(["pgrep", "-f", f"--port={port}"], capture_output=True).stdout == b"", "the server outlived its command"
