"""What a grading run writes: grades.csv, the class report (HTML with plots), the terminal table.

grades.csv has one row per student and notebook, then one ``total`` row per student:

    student, notebook, status, score, max_score, needs_manual_grade, details, source

``status`` is one of graded, missing, invalid notebook, timeout, kernel died, tampered,
grader error; ``score`` includes manual grades entered in the gradebook; ``details`` says
why (joined with " | "); ``source`` is the file that was graded.

Every text of a student's is capped by ``autograder.safe_text``; the class report is the template
``report.html.j2`` (autoescaped), its plot drawn by ``score_plot``.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from autograder.model import CellGrade, Outcome, Status
from autograder.pipeline.exercises import Exercise, exercise_id
from autograder.pipeline.pages import render
from autograder.pipeline.score_plot import score_plot_png
from autograder.safe_text import MAX_DETAIL, MAX_KEY, details_field, field_text, writable

CSV_COLUMNS = ["student", "notebook", "status", "score", "max_score", "needs_manual_grade", "details", "source"]
SHORT = {Status.GRADED: "", Status.MISSING: "missing", Status.INVALID: "invalid", Status.TIMEOUT: "timeout",
         Status.KERNEL_DIED: "died", Status.TAMPERED: "tampered", Status.GRADER_ERROR: "ERROR"}


def write_csv(path: Path, outcomes: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    by_student = defaultdict(list)
    for o in outcomes:
        by_student[o.student].append(o)
    with path.open("w", newline="", encoding="utf-8", errors="backslashreplace") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for student in sorted(by_student):
            rows = sorted(by_student[student], key=lambda o: o.lecture)
            for o in rows:
                writer.writerow([field_text(o.student), field_text(o.lecture), field_text(o.status), f"{o.score:g}", f"{o.max_score:g}",
                                 str(o.needs_manual_grade).lower(), details_field(o.details), field_text(o.origin)])
            statuses = Counter(o.status for o in rows)
            summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
            writer.writerow([field_text(student), "total", field_text(summary), f"{sum(o.score for o in rows):g}",
                             f"{sum(o.max_score for o in rows):g}", str(any(o.needs_manual_grade for o in rows)).lower(), "", ""])


def _by_student(outcomes: list[Outcome]) -> dict[str, dict[str, Outcome]]:
    """Student -> lecture -> outcome."""
    by_student: dict[str, dict[str, Outcome]] = defaultdict(dict)
    for o in outcomes:
        by_student[o.student][o.lecture] = o
    return by_student


def write_wide_csv(path: Path, outcomes: list[Outcome], grades: dict[tuple[str, str], dict[str, CellGrade]],
                   exercises: dict[str, dict[str, float]]) -> None:
    """One row per student, a column per exercise of each notebook, then per notebook, then the total.

    ``exercises``: lecture -> exercise (the grade_id's prefix, ``ex1``) -> its points. The first row
    after the header gives each column's maximum. An exercise part that waits for a manual grade
    counts 0 until it is graded (the ``needs_manual_grade`` column says whether any does).
    """
    columns = [(lecture, exercise) for lecture, mine in exercises.items() for exercise in mine]
    by_student = _by_student(outcomes)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8", errors="backslashreplace") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *(f"{lecture} {exercise}" for lecture, exercise in columns),
                         *(f"{lecture} total" for lecture in exercises), "total", "needs_manual_grade"])
        writer.writerow(["(max)", *(f"{exercises[lecture][exercise]:g}" for lecture, exercise in columns),
                         *(f"{sum(mine.values()):g}" for mine in exercises.values()),
                         f"{sum(sum(mine.values()) for mine in exercises.values()):g}", ""])
        for student, mine in sorted(by_student.items()):
            earned: dict[tuple[str, str], float] = defaultdict(float)
            for lecture in exercises:
                for grade_id, cell in grades.get((student, lecture), {}).items():
                    if cell.graded:
                        earned[(lecture, _exercise(grade_id))] += cell.score or 0.0
            totals = [mine[lecture].score if lecture in mine else 0.0 for lecture in exercises]
            writer.writerow([field_text(student), *(f"{earned[key]:g}" for key in columns), *(f"{t:g}" for t in totals),
                             f"{sum(totals):g}", str(any(o.needs_manual_grade for o in mine.values())).lower()])


LMS_COLUMNS = ["Student", "SIS Login ID", "Email address"]


def write_lms_csv(path: Path, outcomes: list[Outcome], lectures: list[str], max_scores: dict[str, float],
                  names: dict[str, tuple[str, str, str | None]]) -> None:
    """The notebooks' scores as an LMS gradebook imports them: a row per student, identified by login
    id (Canvas: "SIS Login ID"; Moodle: map "SIS Login ID" or "Email address" to the user), and a
    column per notebook named with its maximum, as Canvas names imported assignments.

    ``names``: student id -> (first name, last name, email or None).
    """
    by_student = _by_student(outcomes)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8", errors="backslashreplace") as f:
        writer = csv.writer(f)
        writer.writerow([*LMS_COLUMNS, *(f"{lecture} ({max_scores.get(lecture, 0.0):g} pts)" for lecture in lectures)])
        for student, mine in sorted(by_student.items()):
            first, last, email = names.get(student, ("", student, None))
            shown = f"{last}, {first}" if first else last
            writer.writerow([field_text(shown), field_text(student), field_text(email or ""),
                             *(f"{mine[lecture].score:g}" if lecture in mine else "" for lecture in lectures)])


def terminal_table(outcomes: list, lectures: list[str]) -> str:
    """Students x lectures: the score, or the status when it is not a plain grade."""
    table: dict[str, dict[str, str]] = defaultdict(dict)
    for o in outcomes:
        mark = f"{o.score:g}/{o.max_score:g}" + ("*" if o.needs_manual_grade else "")
        if SHORT.get(o.status):
            mark = SHORT[Status(o.status)] if not Status(o.status).executed else f"{mark} {SHORT[Status(o.status)]}"
        table[o.student][o.lecture] = mark
    headers = ["student"] + [lecture[:2] for lecture in lectures] + ["total"]
    rows = []
    for student in sorted(table):
        mine = [o for o in outcomes if o.student == student]
        total = f"{sum(o.score for o in mine):g}/{sum(o.max_score for o in mine):g}"
        rows.append([field_text(student, MAX_KEY)] + [table[student].get(lecture, "") for lecture in lectures] + [total])
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    counts = Counter(o.status for o in outcomes)
    lines.append("")
    if any(o.needs_manual_grade for o in outcomes):
        lines.append("* written answers wait for manual grading (nbgrader formgrader on the course workspace)")
    lines.append("statuses: " + ", ".join(f"{s} {counts[s]}" for s in sorted(counts)))
    return writable("\n".join(lines))


def _exercise(grade_id: object) -> str:
    return exercise_id(field_text(grade_id, MAX_KEY))


@dataclass
class StudentRow:
    """A row of the class report's students table."""

    name: str
    page: str  # their feedback page's name (without .html), quoted for a URL
    scores: list[str]  # per notebook: the score, the status when it was not graded, or empty
    total: str


@dataclass
class HiddenFailure:
    """A hidden check that failed, for the instructor only."""

    student: str
    lecture: str
    test: str  # the test cell's grade_id
    why: str  # the check's failure message


@dataclass
class ClassReport:
    """What report.html shows, every text capped; each table a list of rows of cells."""

    student_count: int
    lectures: list[str]
    notes: list[str]
    statuses: list[str]
    notebooks: list[list[str]]  # per notebook: its name, how many of each status, the mean score
    exercises: list[list[str]]  # per exercise: notebook, title, points, graded, mean, waiting for a grade by hand
    plot_png: str  # base64 PNG of the scores per exercise; "" when nothing was graded
    students: list[StudentRow]
    problems: list[list[str]]  # per submission that is not plainly graded: student, notebook, status, details
    hidden_failures: list[HiddenFailure]


def _score_cell(outcome: Outcome | None) -> str:
    """A students-table cell: the score, or the status when the notebook was not graded."""
    if outcome is None:
        return ""
    if not Status(outcome.status).executed:
        return field_text(outcome.status)
    pending = " (+ by hand)" if outcome.needs_manual_grade else ""
    return f"{outcome.score:g} / {outcome.max_score:g}{pending}"


def _exercise_rows(exercises: dict[str, list[Exercise]], cell_scores: dict[str, dict[str, list[float]]],
                   grades: dict[tuple[str, str], dict[str, CellGrade]]) -> list[list[str]]:
    """The exercises table's rows: title, points, how many were graded and their mean, how many wait for a hand."""
    pending: Counter[tuple[str, str]] = Counter()
    for (_student, lecture), cells in grades.items():
        for exercise in {_exercise(g) for g, cell in cells.items() if cell.needs_manual_grade}:
            pending[(lecture, exercise)] += 1
    rows = []
    for lecture, mine in exercises.items():
        for ex in mine:
            fractions = cell_scores.get(lecture, {}).get(ex.id, [])
            mean = f"{sum(fractions) / len(fractions) * ex.points:.2f}" if fractions else ""
            rows.append([field_text(lecture), field_text(ex.label), f"{ex.points:g}{' (written)' if ex.written else ''}",
                         str(len(fractions)), mean, str(pending[(lecture, ex.id)] or "")])
    return rows


def _cell_scores(grades: dict[tuple[str, str], dict[str, CellGrade]]) -> dict[str, dict[str, list[float]]]:
    """Lecture -> exercise -> each student's score fraction on it (written answers once graded)."""
    cell_scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (_student, lecture), cells in grades.items():
        per_exercise: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for grade_id, cell in cells.items():
            if cell.needs_manual_grade or not cell.graded:  # not graded yet (a written answer), or no points
                continue
            per_exercise[_exercise(grade_id)][0] += cell.score or 0.0
            per_exercise[_exercise(grade_id)][1] += cell.max_score
        for exercise, (score, max_score) in per_exercise.items():
            if max_score:
                cell_scores[lecture][exercise].append(score / max_score)
    return cell_scores


def _notebook_row(lecture: str, outcomes: list[Outcome], statuses: list[Status]) -> list[str]:
    """A row of the statuses table: the notebook, how many of each status, its mean score (handed in)."""
    mine = [o for o in outcomes if o.lecture == lecture]
    counts = Counter(o.status for o in mine)
    graded = [o for o in mine if o.status != Status.MISSING]
    mean = sum(o.score for o in graded) / len(graded) if graded else 0.0
    max_score = max((o.max_score for o in mine), default=0.0)
    return [field_text(lecture), *(str(counts.get(s, 0)) for s in statuses), f"{mean:.2f} / {max_score:g}"]


def write_class_report(path: Path, outcomes: list, grades: dict[tuple[str, str], dict[str, CellGrade]],
                       lectures: list[str], notes: list[str], exercises: dict[str, list[Exercise]] | None = None) -> None:
    """HTML class report: statuses per lecture, mean scores, the exercises (``exercises``: lecture ->
    its exercises, titles and points) with the distribution of their scores, a row per student."""
    exercises = exercises or {}
    cell_scores = _cell_scores(grades)
    png = score_plot_png({k: dict(v) for k, v in cell_scores.items()},
                         {(lecture, ex.id): ex.points for lecture, mine in exercises.items() for ex in mine})
    statuses = sorted({o.status for o in outcomes})
    by_outcome = sorted(outcomes, key=lambda o: (o.student, o.lecture))
    report = ClassReport(
        student_count=len({o.student for o in outcomes}),
        lectures=[field_text(lecture) for lecture in lectures],
        notes=[field_text(n) for n in notes],
        statuses=[field_text(s) for s in statuses],
        notebooks=[_notebook_row(lecture, outcomes, statuses) for lecture in lectures],
        exercises=_exercise_rows(exercises, cell_scores, grades),
        plot_png=png,
        students=[StudentRow(field_text(student), quote(field_text(student), safe=""),
                             [_score_cell(mine.get(lecture)) for lecture in lectures],
                             f"{sum(o.score for o in mine.values()):g} / {sum(o.max_score for o in mine.values()):g}")
                  for student, mine in sorted(_by_student(outcomes).items())],
        problems=[[field_text(o.student), field_text(o.lecture), field_text(o.status), details_field(o.details)]
                  for o in by_outcome if o.status != Status.GRADED],
        hidden_failures=[HiddenFailure(field_text(o.student), field_text(o.lecture), field_text(test), field_text(why, MAX_DETAIL))
                         for o in by_outcome for test, why in sorted(o.hidden_failures.items())],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render("report.html.j2", report=report), encoding="utf-8", errors="backslashreplace")
