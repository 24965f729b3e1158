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
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from .cells import nbgrader_meta
from .workspace import AUTOGRADE_STEPS, CourseWorkspace


@dataclass(frozen=True)
class Score:
    score: float
    max_score: float
    needs_manual_grade: bool
    stamp: str = ""   # what the gradebook holds of the autograding (see stamps)
    late_penalty: float = 0.0     # taken off ``score`` by nbgrader's AssignLatePenalties (late.py)
    seconds_late: float = 0.0


@dataclass(frozen=True)
class CellGrade:
    """One graded cell of a submission, as the gradebook holds it now (manual grades included)."""

    score: float | None          # None: not graded yet (a written answer waiting for the instructor)
    max_score: float
    needs_manual_grade: bool
    comment: str = ""            # what the instructor wrote about it in formgrader
    graded: bool = True          # False: an answer cell without points, here for its comment only


def cell_grades(course: CourseWorkspace, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], dict[str, CellGrade]]:
    """Per (student, lecture) with a submission in the gradebook: grade_id -> its CellGrade."""
    result = {}
    for key, notebook in _submission_notebooks(course, keys):
        if notebook is None:
            continue
        comments = {c.name: (c.manual_comment or "").strip() for c in notebook.comments}
        cells = {name: CellGrade(None, 0.0, False, comment, graded=False) for name, comment in comments.items() if comment}
        for g in notebook.grades:
            cells[g.name] = CellGrade(None if g.score is None else float(g.score), float(g.max_score),
                                      bool(g.needs_manual_grade), comments.get(g.name, ""))
        result[key] = cells
    return result


def late_penalties(course: CourseWorkspace, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """Per (student, lecture) with a submission: the late penalty the gradebook holds now (0 when on time)."""
    return {key: float(notebook.late_submission_penalty or 0.0)
            for key, notebook in _submission_notebooks(course, keys) if notebook is not None}


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
    import hashlib

    cells = sorted((g.name, None if g.auto_score is None else float(g.auto_score), bool(g.needs_manual_grade))
                   for g in notebook.grades)
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
    nbformat.write(nb, target)
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
    return {key: "" if notebook is None else _stamp(notebook) for key, notebook in _submission_notebooks(course, keys)}


def _submission_notebooks(course: CourseWorkspace, keys: Collection[tuple[str, str]]) -> Iterator[tuple[tuple[str, str], Any]]:
    """Each (student, lecture) with its submitted notebook in the gradebook (None when there is none),
    within one gradebook session."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        for student, lecture in keys:
            try:
                yield (student, lecture), gb.find_submission_notebook(lecture, lecture, student)
            except MissingEntry:
                yield (student, lecture), None


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
