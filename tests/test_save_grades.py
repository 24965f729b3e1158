"""The scores and comments SaveAutoGradesAtOnce writes (autograder/pipeline/nbgrader_autograde.py: the
submission's grades looked up at once, one commit) are the ones nbgrader's own SaveAutoGrades
writes for the same notebooks, cell by cell."""

from __future__ import annotations

import sqlite3

import nbformat
import pytest

from autograder.cells import is_test_cell
from autograder.course import lecture_ids
from autograder.model import Limits, Status
from tests.example_class import write_class

pytestmark = pytest.mark.slow   # grades a small class (execution left out): seconds

GRADES = ("SELECT student.id, assignment.name, base_cell.name, grade.auto_score, grade.needs_manual_grade FROM grade "
          "JOIN base_cell ON grade.cell_id = base_cell.id JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
          "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
          "JOIN student ON submitted_assignment.student_id = student.id "
          "JOIN assignment ON submitted_assignment.assignment_id = assignment.id")
COMMENTS = ("SELECT submitted_notebook.id, base_cell.name, comment.auto_comment FROM comment "
            "JOIN base_cell ON comment.cell_id = base_cell.id "
            "JOIN submitted_notebook ON comment.notebook_id = submitted_notebook.id")


def _failing_every_other_test_cell(job):
    """A worker's result without execution: every other test cell fails, the rest pass."""
    from autograder.model import JobResult

    nb = nbformat.reads(job.notebook_json, as_version=4)
    for index, cell in enumerate(c for c in nb.cells if is_test_cell(c)):
        if index % 2:
            cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="no", traceback=[])]
    return JobResult(job.student, job.lecture, Status.GRADED, nbformat.writes(nb), [])


def test_one_commit_per_notebook_writes_what_nbgrader_writes_cell_by_cell(tmp_path, monkeypatch):
    import autograder.backends.local_pool as backends
    from autograder.pipeline import grade as grading

    lectures = lecture_ids()[:3]
    folder = write_class(tmp_path / "class", lectures, students=("ada", "ben", "cleo"))   # right, partly wrong, untouched
    monkeypatch.setattr(backends, "run_job", _failing_every_other_test_cell)
    grader = grading.Grader(grading.Settings(submissions=folder, out=tmp_path / "out", course_dir=tmp_path / "course",
                                             workers=1, limits=Limits(sandbox="none"), progress=False))
    outcomes = {key: o for key, o in grader.run().items() if key[1] in lectures}
    assert {o.status for o in outcomes.values()} == {Status.GRADED} and len(outcomes) == 9
    database = grader.course.root / "gradebook.db"
    with sqlite3.connect(database) as db:
        ours = (sorted(db.execute(GRADES)), sorted(db.execute(COMMENTS)))
        db.execute("UPDATE grade SET auto_score = -7, needs_manual_grade = 1")
        db.execute("UPDATE comment SET auto_comment = 'not written by SaveAutoGrades'")
    assert {row[4] for row in ours[0]} == {0, 1} and len({row[3] for row in ours[0]}) > 2, "scores of all kinds"
    assert {row[2] for row in ours[1]} == {None, "No response."}, "answered and unanswered cells"

    from nbgrader.preprocessors import SaveAutoGrades

    for student, lecture in outcomes:   # nbgrader's own, on the same autograded notebooks
        nb = nbformat.read(grader.course.path("autograded", student, lecture), as_version=4)
        resources = {"nbgrader": {"student": student, "assignment": lecture, "notebook": lecture,
                                  "db_url": grader.course.db_url}}
        SaveAutoGrades().preprocess(nb, resources)
    with sqlite3.connect(database) as db:
        assert (sorted(db.execute(GRADES)), sorted(db.execute(COMMENTS))) == ours
