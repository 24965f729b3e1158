"""The gradebook side of grading, run in the main process only (one SQLite writer).

``sanitize`` prepares a submission for execution with nbgrader's own protections
(outputs cleared, duplicated cells dropped, kernelspec reset, locked and test cells
overwritten from the gradebook, missing graded cells added back, metadata checked).
``record`` stores an executed notebook's scores with nbgrader's SaveAutoGrades and
keeps the autograded copy; ``record_zero`` scores an ungradable file as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import nbformat
from nbformat import NotebookNode

from .cells import nbgrader_meta
from .workspace import CourseWorkspace


@dataclass(frozen=True)
class Score:
    score: float
    max_score: float
    needs_manual_grade: bool


def _resources(course: CourseWorkspace, student: str, lecture: str) -> dict:
    return {"nbgrader": {"student": student, "assignment": lecture, "notebook": lecture, "db_url": course.db_url}}


def _apply(preprocessors, nb: NotebookNode, resources: dict, config) -> NotebookNode:
    for cls in preprocessors:
        nb, resources = cls(config=config).preprocess(nb, resources)
    return nb


def sanitize(course: CourseWorkspace, student: str, lecture: str, nb: NotebookNode) -> NotebookNode:
    """nbgrader's sanitizing steps of ``autograde``, missing graded cells re-added."""
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec

    config = course.config.copy()
    config.OverwriteCells.add_missing_cells = True
    resources = _resources(course, student, lecture)
    nb = _apply([ClearOutput, DeduplicateIds, OverwriteKernelspec], nb, resources, config)
    # DeduplicateIds leaves a duplicate with empty nbgrader metadata, and a renamed graded cell
    # has a grade_id the gradebook does not know: on either, nbgrader 0.9's
    # OverwriteCells(add_missing_cells=True) fails with KeyError 'grade_id'. Such a cell is the
    # student's own (integrity.tampering reports it): it loses its nbgrader metadata, and the
    # real cell is added back.
    master = nbformat.read(course.path("source", None, lecture), as_version=4)
    known = {nbgrader_meta(cell).get("grade_id") for cell in master.cells} - {None}
    for cell in nb.cells:
        if "nbgrader" in cell.get("metadata", {}) and nbgrader_meta(cell).get("grade_id") not in known:
            del cell.metadata["nbgrader"]
    nb = _apply([OverwriteCells, CheckCellMetadata], nb, resources, config)
    for index, cell in enumerate(nb.cells):  # cells nbgrader added back carry no id (nbformat 4.5 wants one)
        if not cell.get("id"):
            cell["id"] = f"readded-{index}"
    return nb


def _open_submission(gb, student: str, lecture: str, timestamp: datetime | None) -> None:
    gb.update_or_create_student(student)
    if timestamp is not None:
        gb.update_or_create_submission(lecture, student, timestamp=timestamp)
    else:
        gb.update_or_create_submission(lecture, student)


def _score(gb, student: str, lecture: str) -> Score:
    notebook = gb.find_submission_notebook(lecture, lecture, student)
    return Score(float(notebook.score), float(notebook.max_score), bool(notebook.needs_manual_grade))


def record(course: CourseWorkspace, student: str, lecture: str, executed: NotebookNode, timestamp: datetime | None = None) -> Score:
    """Save the scores of an executed notebook to the gradebook; keep its autograded copy."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, LimitOutput, SaveAutoGrades

    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        _open_submission(gb, student, lecture, timestamp)
    nb = _apply([LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata], executed, _resources(course, student, lecture), course.config)
    target = course.path("autograded", student, lecture)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        return _score(gb, student, lecture)


def record_zero(course: CourseWorkspace, student: str, lecture: str) -> Score:
    """Score every graded cell of an ungradable submission as zero (as nbgrader does for a missing file)."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        _open_submission(gb, student, lecture, None)
        notebook = gb.find_submission_notebook(lecture, lecture, student)
        for grade in notebook.grades:
            grade.auto_score = 0
            grade.manual_score = None
            grade.needs_manual_grade = False
        gb.db.commit()
        return _score(gb, student, lecture)
