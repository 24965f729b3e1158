"""The gradebook side of grading, run in the main process only (one SQLite writer).

``sanitize`` prepares a submission for execution with nbgrader's own protections
(outputs cleared, duplicated cells dropped, kernelspec reset, locked and test cells
overwritten from the gradebook, missing graded cells added back, metadata checked).
``record`` stores an executed notebook's scores with nbgrader's SaveAutoGrades and
keeps the autograded copy; ``set_aside`` keeps a file that is not a notebook out of nbgrader's way.
"""

from __future__ import annotations

import contextlib
import copy
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from autograder.cells import nbgrader_meta
from autograder.model import CellGrade, Score
from autograder.pipeline.workspace import AUTOGRADE_STEPS, CourseWorkspace


def cell_grades(course: CourseWorkspace, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], dict[str, CellGrade]]:
    """Per (student, lecture) with a submission in the gradebook: grade_id -> its CellGrade."""
    grades, comments = _gradebook_rows(course, keys)
    result: dict[tuple[str, str], dict[str, CellGrade]] = {}
    for key in grades.keys() | comments.keys():
        said = comments.get(key, {})
        cells = {name: CellGrade(None, 0.0, False, comment, graded=False) for name, comment in said.items() if comment}
        for row in grades.get(key, []):
            cells[row.name] = CellGrade(row.score, row.max_score, row.needs_manual_grade, said.get(row.name, ""))
        result[key] = cells
    return result


def late_penalties(course: CourseWorkspace, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """Per (student, lecture) with a submission: the late penalty the gradebook holds now (0 when on time)."""
    from nbgrader.api import Gradebook, SubmittedNotebook

    wanted = set(keys)
    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        return {(student, lecture): float(penalty or 0.0)
                for student, lecture, penalty in _submitted(gb, SubmittedNotebook.late_submission_penalty)
                if (student, lecture) in wanted}


def _submitted(gb: Any, *columns: Any) -> Any:
    """A query of (student id, lecture, *columns) over the submitted notebooks (a lecture's notebook
    is named as the lecture)."""
    from nbgrader.api import Assignment, Notebook, SubmittedAssignment, SubmittedNotebook

    return (gb.db.query(SubmittedAssignment.student_id, Assignment.name, *columns)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
            .join(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
            .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
            .filter(Notebook.name == Assignment.name))


@dataclass(frozen=True)
class _GradeRow:
    name: str
    auto_score: float | None
    score: float | None
    max_score: float
    needs_manual_grade: bool


def _gradebook_rows(course: CourseWorkspace, keys: Collection[tuple[str, str]]) -> tuple[
        dict[tuple[str, str], list[_GradeRow]], dict[tuple[str, str], dict[str, str]]]:
    """For the (student, lecture) of ``keys`` with a submission: its grades (empty when it has none)
    and its comments (grade_id -> the instructor's text); three queries for the whole class, where
    nbgrader's objects would load each grade's maximum one by one."""
    from nbgrader.api import BaseCell, Comment, Grade, Gradebook, SubmittedNotebook

    wanted = set(keys)
    grades: dict[tuple[str, str], list[_GradeRow]] = {}
    comments: dict[tuple[str, str], dict[str, str]] = {}
    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        for student, lecture in _submitted(gb):
            if (student, lecture) in wanted:
                grades[(student, lecture)] = []
        for student, lecture, name, auto_score, score, max_score, manual in _submitted(
                gb, BaseCell.name, Grade.auto_score, Grade.score, Grade.max_score, Grade.needs_manual_grade).join(
                Grade, Grade.notebook_id == SubmittedNotebook.id).join(BaseCell, Grade.cell_id == BaseCell.id):
            if (student, lecture) in wanted:
                grades[(student, lecture)].append(_GradeRow(
                    name, None if auto_score is None else float(auto_score), None if score is None else float(score),
                    float(max_score), bool(manual)))
        for student, lecture, name, comment in _submitted(gb, BaseCell.name, Comment.manual_comment).join(
                Comment, Comment.notebook_id == SubmittedNotebook.id).join(BaseCell, Comment.cell_id == BaseCell.id):
            if (student, lecture) in wanted:
                comments.setdefault((student, lecture), {})[name] = (comment or "").strip()
    return grades, comments


def _resources(course: CourseWorkspace, student: str, lecture: str) -> dict:
    return {"nbgrader": {"student": student, "assignment": lecture, "notebook": lecture, "db_url": course.db_url}}


def _apply(preprocessors, nb: NotebookNode, resources: dict, config) -> NotebookNode:
    for cls in preprocessors:
        nb, resources = cls(config=config).preprocess(nb, resources)
    return nb


def sanitize(course: CourseWorkspace, student: str, lecture: str, nb: NotebookNode, released: NotebookNode) -> NotebookNode:
    """nbgrader's sanitizing steps of ``autograde``, missing graded cells re-added.

    ``released`` is the student version of the lecture: the nbgrader metadata of every graded
    or locked cell is put back from it first (integrity.tampering has reported changes).
    """
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec

    config = copy.deepcopy(course.config)
    config.OverwriteCells.add_missing_cells = True
    resources = _resources(course, student, lecture)
    # first, before any nbgrader preprocessor: nbgrader 0.9 fails on metadata a student can
    # write (metadata.nbgrader that is not a dict, a graded cell without a grade_id, points
    # that are not a number, a graded cell flipped to an answer, a non-string grade_id)
    _keep_released_metadata(nb, released)
    nb = _apply([ClearOutput, DeduplicateIds, OverwriteKernelspec], nb, resources, config)
    _keep_released_metadata(nb, released)   # DeduplicateIds leaves {} on the copies it drops
    nb = _apply([OverwriteCells, CheckCellMetadata], nb, resources, config)
    for index, cell in enumerate(nb.cells):  # cells nbgrader added back carry no id (nbformat 4.5 wants one)
        if not cell.get("id"):
            cell["id"] = f"readded-{index}"
    return nb


def _keep_released_metadata(nb: NotebookNode, released: NotebookNode) -> None:
    """Every cell's nbgrader metadata is the release's own, or gone.

    A cell with a released grade_id (and the released cell type) gets the released
    metadata back; any other nbgrader metadata is dropped: the cell is the student's own,
    and OverwriteCells adds the real cell back (integrity.tampering has reported the change).
    """
    originals = {}
    for cell in released.cells:
        meta = nbgrader_meta(cell)
        if isinstance(meta.get("grade_id"), str):
            originals[meta["grade_id"]] = meta
    for cell in nb.cells:
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        grade_id = nbgrader_meta(cell).get("grade_id")
        if isinstance(grade_id, str) and grade_id in originals and cell.cell_type == _released_type(released, grade_id):
            cell.metadata["nbgrader"] = copy.deepcopy(originals[grade_id])
        else:
            del cell.metadata["nbgrader"]


def _released_type(released: NotebookNode, grade_id: str) -> str | None:
    for cell in released.cells:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            return cell.cell_type
    return None


def _open_submission(gb, student: str, lecture: str, timestamp: datetime | None) -> None:
    gb.update_or_create_student(student)
    if timestamp is not None:
        gb.update_or_create_submission(lecture, student, timestamp=timestamp)
    else:
        gb.update_or_create_submission(lecture, student)


def _score(gb, student: str, lecture: str) -> Score:
    notebook = gb.find_submission_notebook(lecture, lecture, student)
    return Score(float(notebook.score), float(notebook.max_score), bool(notebook.needs_manual_grade), _stamp(notebook),
                 float(notebook.late_submission_penalty or 0.0), float(gb.find_submission(lecture, student).total_seconds_late))


def _stamp(notebook) -> str:
    return _stamp_of([_GradeRow(g.name, None if g.auto_score is None else float(g.auto_score), None, 0.0,
                                bool(g.needs_manual_grade)) for g in notebook.grades])


def _stamp_of(rows: Collection[_GradeRow]) -> str:
    import hashlib

    cells = sorted((row.name, row.auto_score, row.needs_manual_grade) for row in rows)
    return hashlib.sha256(repr(cells).encode()).hexdigest()[:16]


def record(course: CourseWorkspace, student: str, lecture: str, executed: NotebookNode, timestamp: datetime | None = None,
           by_hand: Collection[str] = ()) -> Score:
    """Save the scores of an executed notebook to the gradebook; keep its autograded copy.

    ``by_hand``: grade_ids of test cells the instructor grades (evasion.send_to_review): they
    are flagged as needing a manual grade, as written answers are.
    """
    from nbgrader.api import Gradebook
    from traitlets.utils.importstring import import_item

    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        _open_submission(gb, student, lecture, timestamp)
    nb = _apply([import_item(name) for name in AUTOGRADE_STEPS], executed, _resources(course, student, lecture), course.config)
    target = course.path("autograded", student, lecture)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.v4.writes(nb) + "\n", encoding="utf-8")   # validated when read back from the worker
    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        if by_hand:
            flag_for_review(gb, student, lecture, lecture, by_hand)
        return _score(gb, student, lecture)


def flag_for_review(gb, student: str, assignment: str, notebook: str, by_hand: Collection[str]) -> None:
    """The test cells ``by_hand`` of a submission wait for a manual grade, as written answers do."""
    for grade in gb.find_submission_notebook(notebook, assignment, student).grades:
        if grade.name in by_hand:
            grade.needs_manual_grade = True
    gb.db.commit()


def stamps(course: CourseWorkspace, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """What the gradebook holds of each (student, lecture)'s autograding, as a short digest (its
    automatic scores and which cells wait for a manual grade; manual grades and comments, which
    the instructor enters, left out). Keys without a submission in the gradebook get ""."""
    grades = _gradebook_rows(course, keys)[0]
    return {key: _stamp_of(grades[key]) if key in grades else "" for key in keys}


def set_aside(course: CourseWorkspace, student: str, lecture: str, content: bytes) -> Path:
    """Keep a file that is not a notebook out of nbgrader's way; return where its bytes now are.

    nbgrader can neither autograde nor show it (formgrader offered it for autograding, which then
    failed), so it is stored under ``invalid/`` and the lecture counts as not handed in: no
    submission in the gradebook, nothing in ``submitted/`` or ``autograded/`` (an earlier, valid
    submission of the same lecture is replaced by this one, as any resubmission is).
    """
    from nbgrader.api import Gradebook, MissingEntry

    kept = course.root / "invalid" / student / f"{lecture}.ipynb"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(content)
    for kind in ("submitted", "autograded"):
        shutil.rmtree(course.path(kind, student, lecture).parent, ignore_errors=True)
    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb, contextlib.suppress(MissingEntry):
        gb.remove_submission(lecture, student)   # MissingEntry: nothing recorded yet
    return kept
