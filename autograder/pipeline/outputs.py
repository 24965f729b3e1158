"""What a grading run writes when it is done: grades.csv, grades-wide.csv, lms.csv, each
student's feedback page and the class report, with the gradebook's scores as they are now."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import nbformat

from autograder.model import CellGrade, Outcome, Status
from autograder.pipeline import record
from autograder.pipeline.exercises import exercises as exercise_list
from autograder.pipeline.roster import student_names
from autograder.runner import sandboxes

if TYPE_CHECKING:
    from autograder.pipeline.grade import Grader

MISSING, INVALID, GRADER_ERROR = Status.MISSING, Status.INVALID, Status.GRADER_ERROR


def refresh_scores(outcomes: list[Outcome], grades: dict[tuple[str, str], dict[str, CellGrade]],
                   penalties: dict[tuple[str, str], float] | None = None) -> None:
    """Scores from the gradebook as it is now: manual grades entered since the run count, late penalties off."""
    for o in outcomes:
        cells = grades.get((o.student, o.lecture))
        if cells and o.status not in (MISSING, GRADER_ERROR):
            o.score = sum(cell.score or 0.0 for cell in cells.values()) - (penalties or {}).get((o.student, o.lecture), 0.0)
            o.needs_manual_grade = any(cell.needs_manual_grade for cell in cells.values())


def write_outputs(grader: Grader, keys: list[tuple[str, str]]) -> list[Outcome]:
    """grades.csv, feedback/<student>.html and report.html for the given (student, lecture) keys."""
    from autograder.pipeline import feedback, report

    out = grader.settings.out
    outcomes = [grader.outcomes[k] for k in keys]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not in session.*")
        grades = record.cell_grades(grader.course, keys)
        penalties = record.late_penalties(grader.course, keys)
    refresh_scores(outcomes, grades, penalties)
    report.write_csv(out / "grades.csv", outcomes)
    released = {lecture: nbformat.read(grader.course.path("release", None, lecture), as_version=4)
                for lecture in grader.course.lectures}
    listed = {lecture: exercise_list(nb) for lecture, nb in released.items()}
    exercises = {lecture: {ex.id: ex.points for ex in mine} for lecture, mine in listed.items()}
    report.write_wide_csv(out / "grades-wide.csv", outcomes, grades, exercises)
    report.write_lms_csv(out / "lms.csv", outcomes, grader.course.lectures,
                         {lecture: sum(points.values()) for lecture, points in exercises.items()}, student_names(grader.course))
    by_student: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_student.setdefault(outcome.student, []).append(outcome)
    for student, mine in by_student.items():
        mine.sort(key=lambda o: o.lecture)
        sections = []
        for o in mine:
            nb = None
            if o.status not in (MISSING, INVALID, GRADER_ERROR):
                nb = feedback.read_autograded(grader.course.path("autograded", student, o.lecture))
            sections.append(feedback.render_lecture(o.lecture, o, nb, grades.get((student, o.lecture), {})))
        pending = sum(cell.max_score for o in mine for cell in grades.get((student, o.lecture), {}).values()
                      if cell.needs_manual_grade and o.status not in (MISSING, GRADER_ERROR))
        feedback.write_student_page(out / "feedback" / f"{student}.html", student, sections,
                                    sum(o.score for o in mine), sum(o.max_score for o in mine), pending=pending,
                                    contents=[(o.lecture, o.score, o.max_score) for o in mine])
    notes = list(grader.skipped)
    if (note := sandboxes.get(grader.settings.limits.sandbox).note) is not None:
        notes.append(note)
    report.write_class_report(out / "report.html", outcomes, grades, grader.course.lectures, notes, listed)
    return outcomes
