"""Issue 14: the hand-in command checks a student's notebooks and packs the zip the grader reads."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder.cells import is_test_cell, nbgrader_meta
from autograder.course import NOTEBOOKS, ROOT, SOLUTIONS, lecture_ids
from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings
from autograder.runner.sandboxes.bubblewrap import bwrap_problem
from autograder.workbook import make_examples

LECTURES = lecture_ids()
FIRST = LECTURES[0]


def _handin(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "handin", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def _work_with_ada(tmp_path, lectures):
    """A student's work/ holding the perfect example's answers to ``lectures``."""
    work = tmp_path / "work"
    work.mkdir()
    for rel, content in make_examples.build().items():
        if rel.startswith("ada/") and rel[len("ada/"):-len(".ipynb")] in lectures:
            (work / rel[len("ada/"):]).write_bytes(content)
    return work


@pytest.mark.slow   # runs the command in a new interpreter (seconds)
def test_a_broken_or_edited_notebook_is_refused_with_the_reason(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / f"{FIRST}.ipynb").write_text('{"cells": [')   # cut short
    edited = nbformat.read(NOTEBOOKS / f"{LECTURES[1]}.ipynb", as_version=4)
    test = next(c for c in edited.cells if is_test_cell(c))
    test.source = "pass"
    nbformat.write(edited, work / f"{LECTURES[1]}.ipynb")
    run = _handin("mia", "--work", str(work), "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    assert f"{FIRST}: cannot be handed in as it is:\n  - not a notebook the grader can read: not valid JSON" in run.stdout
    assert f"{LECTURES[1]}: cannot be handed in as it is:" in run.stdout and nbgrader_meta(test)["grade_id"] in run.stdout
    assert f"{LECTURES[2]}: not started" in run.stdout
    assert "nothing packed" in run.stderr and not (tmp_path / "out").exists()

    skipped = _handin("mia", "--work", str(work), "--out", str(tmp_path / "out"), "--skip-broken")
    assert skipped.returncode == 0 and "(0 notebooks)" in skipped.stdout


@pytest.mark.slow   # runs the command in a new interpreter (seconds)
def test_a_bad_student_id_is_refused(tmp_path):
    run = _handin("../x", "--work", str(tmp_path), "--out", str(tmp_path / "out"))
    assert run.returncode == 2 and "STUDENT: expected letters, digits" in run.stderr


@pytest.mark.slow
@pytest.mark.sandbox
def test_the_handed_in_zip_is_graded_end_to_end(tmp_path):
    work = _work_with_ada(tmp_path, [FIRST])
    run = _handin("ada", "--work", str(work), "--out", str(tmp_path / "submissions"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{FIRST}: ready" in run.stdout
    with zipfile.ZipFile(tmp_path / "submissions" / "ada.zip") as archive:
        assert archive.namelist() == [f"{FIRST}.ipynb"]
    settings = Settings(submissions=tmp_path / "submissions", out=tmp_path / "grades", course_dir=tmp_path / "course",
                        workers=1, progress=False,
                        limits=Limits(cell_timeout_s=20, sandbox="bwrap" if bwrap_problem() is None else "none"))
    outcomes = Grader(settings).run()
    master = nbformat.read(SOLUTIONS / f"{FIRST}.ipynb", as_version=4)
    full = sum(nbgrader_meta(c)["points"] for c in master.cells if is_test_cell(c))
    assert (outcomes[("ada", FIRST)].status, outcomes[("ada", FIRST)].score) == ("graded", full)
    assert {outcomes[("ada", lecture)].status for lecture in LECTURES[1:]} == {"missing"}
    shutil.rmtree(tmp_path / "course")
