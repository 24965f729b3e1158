"""Read what a grading run stored: the cell grades in nbgrader's gradebook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CellGrade:
    score: float      # what counts: the manual score when there is one, else the autograder's
    auto: float       # the autograder's own verdict (what no edit of manual scores can change)
    max: float
    pending: bool     # waits for the instructor


def read_grades(course: Path, keys) -> dict[tuple[str, str], dict[str, CellGrade]]:
    """(student, lecture) -> grade_id -> CellGrade, from the gradebook with nbgrader's API."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry

    from autograder.course import COURSE_ID

    result = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
            for student, lecture in keys:
                try:
                    notebook = gb.find_submission_notebook(lecture, lecture, student)
                except MissingEntry:
                    continue
                result[(student, lecture)] = {
                    g.name: CellGrade(float(g.score or 0.0), float(g.auto_score or 0.0), float(g.max_score), bool(g.needs_manual_grade))
                    for g in notebook.grades}
    return result
