"""Issue 14: the student's copies in work/ survive every release, answers kept (student_copies.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime

import nbformat
import pytest

from autograder.cells import nbgrader_meta
from autograder.course import NOTEBOOKS, ROOT, lecture_ids
from autograder.workbook.student_copies import PREVIOUS, Action, sync

LECTURE = lecture_ids(NOTEBOOKS)[0]


def _release(tmp_path):
    released = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, released)
    return released


def _answer_cells(nb):
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c).get("solution")}


def _solve(path):
    """The student's work: every answer cell written, and a scratch cell of their own after the first."""
    nb = nbformat.read(path, as_version=4)
    for grade_id, cell in _answer_cells(nb).items():
        cell.source = f"# my answer to {grade_id}\n" + ("x = 1" if cell.cell_type == "code" else "My words.")
    first = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("solution"))
    mine = nbformat.v4.new_code_cell("print('my scratch cell')")
    nb.cells.insert(first + 1, mine)
    nbformat.write(nb, path)
    return mine.id


def test_first_sync_copies_every_lecture_and_a_second_changes_nothing(tmp_path):
    released, work = _release(tmp_path), tmp_path / "work"
    first = sync(released, work)
    assert [s.action for s in first] == [Action.COPIED] * len(lecture_ids(NOTEBOOKS))
    assert (work / f"{LECTURE}.ipynb").read_text() == (released / f"{LECTURE}.ipynb").read_text()
    _solve(work / f"{LECTURE}.ipynb")
    solved = (work / f"{LECTURE}.ipynb").read_text()
    assert {s.action for s in sync(released, work)} == {Action.UNCHANGED}
    assert (work / f"{LECTURE}.ipynb").read_text() == solved


def test_a_new_release_reaches_a_solved_copy_with_its_answers_and_cells_kept(tmp_path):
    released, work = _release(tmp_path), tmp_path / "work"
    sync(released, work)
    mine = _solve(work / f"{LECTURE}.ipynb")
    before = nbformat.read(work / f"{LECTURE}.ipynb", as_version=4)

    # the course publishes a new version: a teaching cell reworded, a new cell at the top
    release = nbformat.read(released / f"{LECTURE}.ipynb", as_version=4)
    teaching = next(c for c in release.cells if c.cell_type == "markdown" and not nbgrader_meta(c))
    teaching.source += "\n\n(Reworded in the new release.)"
    release.cells.insert(0, nbformat.v4.new_markdown_cell("New in this release."))
    nbformat.write(release, released / f"{LECTURE}.ipynb")

    synced = {s.lecture: s for s in sync(released, work, now=datetime(2026, 12, 1, 12, 0, 0))}
    assert synced[LECTURE].action is Action.UPDATED
    assert {s.action for k, s in synced.items() if k != LECTURE} == {Action.UNCHANGED}
    after = nbformat.read(work / f"{LECTURE}.ipynb", as_version=4)
    nbformat.validate(after)
    sources = [c.source for c in after.cells]
    assert "New in this release." in sources and teaching.source in sources   # the new release is there
    assert {g: c.source for g, c in _answer_cells(after).items()} == {g: c.source for g, c in _answer_cells(before).items()}
    ids = [c.id for c in after.cells]
    first_answer = next(i for i, c in enumerate(after.cells) if nbgrader_meta(c).get("solution"))
    assert ids.index(mine) == first_answer + 1, "the student's own cell stays after the cell it followed"
    kept = work / PREVIOUS / f"{LECTURE}-20261201-120000.ipynb"
    assert nbformat.read(kept, as_version=4) == before, "the copy as it was is kept"
    # and the graded cells are the new release's own: the grader finds nothing tampered
    graded = {nbgrader_meta(c)["grade_id"]: c.source for c in after.cells
              if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")}
    assert graded == {nbgrader_meta(c)["grade_id"]: c.source for c in release.cells
                      if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")}


@pytest.mark.slow   # runs the command in a new interpreter (seconds)
def test_the_workbook_command_reports_what_it_did(tmp_path):
    work = tmp_path / "work"
    run = subprocess.run([sys.executable, "-m", "autograder", "workbook", "--work", str(work)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("your copy of the lecture") == len(lecture_ids(NOTEBOOKS))
    again = subprocess.run([sys.executable, "-m", "autograder", "workbook", "--work", str(work)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and again.stdout == ""
    assert sorted(p.name for p in work.glob("*.ipynb")) == sorted(f"{k}.ipynb" for k in lecture_ids(NOTEBOOKS))
