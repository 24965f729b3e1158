"""What a grading run writes: grades.csv, the class report (HTML with plots), the terminal table.

grades.csv has one row per student and notebook, then one ``total`` row per student:

    student, notebook, status, score, max_score, needs_manual_grade, details, source

``status`` is one of graded, missing, invalid notebook, timeout, kernel died, tampered,
grader error; ``score`` includes manual grades entered in the gradebook; ``details`` says
why (joined with " | "); ``source`` is the file that was graded.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

from autograder.pipeline.exercises import Exercise, exercise_id
from autograder.pipeline.journal import Outcome
from autograder.pipeline.record import CellGrade
from autograder.status import Status

CSV_COLUMNS = ["student", "notebook", "status", "score", "max_score", "needs_manual_grade", "details", "source"]
MAX_DETAIL = 500  # characters of one details entry
MAX_DETAILS = 2000  # characters of the details field (all entries)
MAX_FIELD = 300  # characters of any other field (a source path, a note)
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
SHORT = {Status.GRADED: "", Status.MISSING: "missing", Status.INVALID: "invalid", Status.TIMEOUT: "timeout",
         Status.KERNEL_DIED: "died", Status.TAMPERED: "tampered", Status.GRADER_ERROR: "ERROR"}


def clean(value: object, limit: int = MAX_FIELD) -> str:
    """Any value as text that can be written as UTF-8, at most ``limit`` characters (cut ones end
    in ``...``); a lone surrogate (valid in JSON, not in UTF-8) is written as ``\\ud800``."""
    text = value if isinstance(value, str) else str(value)
    text = text[:limit + 1].encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:max(0, limit - 3)] + "..."


def details_text(details: list) -> str:
    """An outcome's details as one field: each entry at most MAX_DETAIL characters, all of them
    at most MAX_DETAILS (a student's notebook can put anything in a message)."""
    parts, size = [], 0
    for d in details:
        parts.append(clean(d, MAX_DETAIL))
        size += len(parts[-1]) + 3
        if size > MAX_DETAILS:
            break
    return clean(" | ".join(parts), MAX_DETAILS)


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
                writer.writerow([clean(o.student), clean(o.lecture), clean(o.status), f"{o.score:g}", f"{o.max_score:g}",
                                 str(o.needs_manual_grade).lower(), details_text(o.details), clean(o.origin)])
            statuses = Counter(o.status for o in rows)
            summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
            writer.writerow([clean(student), "total", clean(summary), f"{sum(o.score for o in rows):g}",
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
            writer.writerow([clean(student), *(f"{earned[key]:g}" for key in columns), *(f"{t:g}" for t in totals),
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
            writer.writerow([clean(shown), clean(student), clean(email or ""),
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
        rows.append([clean(student, 100)] + [table[student].get(lecture, "") for lecture in lectures] + [total])
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    counts = Counter(o.status for o in outcomes)
    lines.append("")
    if any(o.needs_manual_grade for o in outcomes):
        lines.append("* written answers wait for manual grading (nbgrader formgrader on the course workspace)")
    lines.append("statuses: " + ", ".join(f"{s} {counts[s]}" for s in sorted(counts)))
    return clean("\n".join(lines), 10**9)


def _exercise(grade_id: object) -> str:
    return exercise_id(clean(grade_id, 100))


def _plot_png(cell_scores: dict[str, dict[str, list[float]]], points: dict[tuple[str, str], float]) -> str:
    """Per lecture, the distribution of each exercise's score fraction (0 to 1) over students;
    ``points``: (lecture, exercise) -> its points, shown under its name."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np

    lectures = sorted(cell_scores)
    if not lectures:
        return ""
    columns = min(4, len(lectures))
    rows = -(-len(lectures) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.0 * columns, 2.8 * rows), sharey=True, squeeze=False)
    rng = np.random.default_rng(0)  # jitter only
    for ax in axes.flat[len(lectures):]:
        ax.set_visible(False)
    for ax, lecture in zip(axes.flat, lectures, strict=False):   # the grid may have more axes than lectures
        exercises = sorted(cell_scores[lecture])
        for x, exercise in enumerate(exercises):
            values = np.asarray(cell_scores[lecture][exercise])
            ax.scatter(x + rng.uniform(-0.15, 0.15, size=values.size), values, s=12, alpha=0.6)
            ax.hlines(values.mean(), x - 0.3, x + 0.3, color="black")
        ax.set_xticks(range(len(exercises)),
                      [f"{e}\n{points[(lecture, e)]:g} pts" if (lecture, e) in points else e for e in exercises])
        ax.set_title(lecture, fontsize=9)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("exercise")
    for row in axes:
        row[0].set_ylabel("score / max points")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _score_cell(outcome: Outcome | None) -> str:
    """A students-table cell: the score, or the status when the notebook was not graded."""
    if outcome is None:
        return "<td></td>"
    if not Status(outcome.status).executed:
        return f"<td>{html.escape(clean(outcome.status))}</td>"
    pending = " (+ by hand)" if outcome.needs_manual_grade else ""
    return f"<td>{outcome.score:g} / {outcome.max_score:g}{pending}</td>"


def _exercise_rows(exercises: dict[str, list[Exercise]], cell_scores: dict[str, dict[str, list[float]]],
                   grades: dict[tuple[str, str], dict[str, CellGrade]]) -> str:
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
            rows.append(f"<tr><td>{html.escape(clean(lecture))}</td><td>{html.escape(clean(ex.label))}</td>"
                        f"<td>{ex.points:g}{' (written)' if ex.written else ''}</td><td>{len(fractions)}</td>"
                        f"<td>{mean}</td><td>{pending[(lecture, ex.id)] or ''}</td></tr>")
    return "".join(rows)


def write_class_report(path: Path, outcomes: list, grades: dict[tuple[str, str], dict[str, CellGrade]],
                       lectures: list[str], notes: list[str], exercises: dict[str, list[Exercise]] | None = None) -> None:
    """HTML class report: statuses per lecture, mean scores, the exercises (``exercises``: lecture ->
    its exercises, titles and points) with the distribution of their scores, a row per student."""
    exercises = exercises or {}
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
    png = _plot_png({k: dict(v) for k, v in cell_scores.items()},
                    {(lecture, ex.id): ex.points for lecture, mine in exercises.items() for ex in mine})
    exercise_rows = _exercise_rows(exercises, cell_scores, grades)
    statuses = sorted({o.status for o in outcomes})
    rows = []
    for lecture in lectures:
        mine = [o for o in outcomes if o.lecture == lecture]
        counts = Counter(o.status for o in mine)
        graded = [o for o in mine if o.status != Status.MISSING]
        mean = sum(o.score for o in graded) / len(graded) if graded else 0.0
        max_score = max((o.max_score for o in mine), default=0.0)
        rows.append("<tr><td>" + html.escape(clean(lecture)) + "</td>" + "".join(f"<td>{counts.get(s, 0)}</td>" for s in statuses)
                    + f"<td>{mean:.2f} / {max_score:g}</td></tr>")
    problems = [o for o in outcomes if o.status != Status.GRADED]
    problem_rows = "".join(
        f"<tr><td>{html.escape(clean(o.student))}</td><td>{html.escape(clean(o.lecture))}</td><td>{html.escape(clean(o.status))}</td>"
        f"<td>{html.escape(details_text(o.details))}</td></tr>" for o in sorted(problems, key=lambda o: (o.student, o.lecture)))
    by_student = _by_student(outcomes)
    student_rows = "".join(
        f'<tr><td><a href="feedback/{html.escape(quote(clean(student), safe=""))}.html">{html.escape(clean(student))}</a></td>'
        + "".join(_score_cell(mine.get(lecture)) for lecture in lectures)
        + f"<td>{sum(o.score for o in mine.values()):g} / {sum(o.max_score for o in mine.values()):g}</td></tr>"
        for student, mine in sorted(by_student.items()))
    hidden_rows = "".join(
        f"<tr><td>{html.escape(clean(o.student))}</td><td>{html.escape(clean(o.lecture))}</td><td>{html.escape(clean(test))}</td>"
        f"<td><code>{html.escape(clean(why, MAX_DETAIL))}</code></td></tr>"
        for o in sorted(outcomes, key=lambda o: (o.student, o.lecture)) for test, why in sorted(o.hidden_failures.items()))
    note_items = "".join(f"<li>{html.escape(clean(n))}</li>" for n in notes)
    students = len({o.student for o in outcomes})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}"><title>Class report</title><style>'
        "body{font-family:system-ui,sans-serif;max-width:75rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem}</style></head><body>"
        f"<h1>Class report: {students} students, {len(lectures)} notebooks</h1>"
        + (f"<ul>{note_items}</ul>" if note_items else "")
        + "<h2>Statuses and mean scores per notebook</h2><table><tr><th>notebook</th>"
        + "".join(f"<th>{html.escape(clean(s))}</th>" for s in statuses) + "<th>mean score (handed in)</th></tr>" + "".join(rows) + "</table>"
        + ("<h2>Exercises</h2><table><tr><th>notebook</th><th>exercise</th><th>points</th><th>graded</th>"
           "<th>mean score (graded)</th><th>waiting for a grade by hand</th></tr>" + exercise_rows + "</table>"
           if exercise_rows else "")
        + (f'<h2>Scores per exercise</h2><p>Each dot a student, the bar the mean; written answers once graded.</p><img alt="score distribution per exercise" style="max-width:100%" src="data:image/png;base64,{png}">' if png else "")
        + "<h2>Students</h2><table><tr><th>student (their feedback)</th>"
        + "".join(f"<th>{html.escape(clean(lecture))}</th>" for lecture in lectures) + "<th>total</th></tr>" + student_rows + "</table>"
        + "<h2>Submissions that need a look</h2><table><tr><th>student</th><th>notebook</th><th>status</th><th>details</th></tr>"
        + problem_rows + "</table>"
        + "<h2>Hidden tests that failed</h2><p>For you only (to settle a question about a grade): the students' "
        "feedback says that a hidden test failed, never which check or why.</p>"
        + "<table><tr><th>student</th><th>notebook</th><th>test cell</th><th>the hidden check's failure</th></tr>"
        + hidden_rows + "</table></body></html>",
        encoding="utf-8", errors="backslashreplace",
    )
