"""Grading throughput: `python -m autograder grade --workers 2` against plain serial
`nbgrader autograde`, on the same synthetic class, in the same run.

Ours runs as `grade` does by default: each kernel sandboxed, the tests in the trusted process;
as root, once with kernels forked from the pre-warmed process (warm_kernels.py, the default),
once with every kernel started cold in bubblewrap (as before it), side by side.
The class: N students x one notebook per lecture, each student a copy of one of the example students
ada (all solved), ben (partly wrong) and cleo (unchanged release), so every notebook runs
to the end. Both graders start from an empty course workspace; the grades they store
must be identical.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.course import BUILD, put_interpreter_scripts_on_path
from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings
from autograder.pipeline.run_log import JobTimings
from autograder.pipeline.workspace import CourseWorkspace
from autograder.runner import kernel_view, warm_kernels
from autograder.runner.sandboxes import bubblewrap
from autograder.workbook import make_examples

TITLE = "Grading a class: notebooks per second"
TEMPLATES = ("ada", "ben", "cleo")


def _make_class(folder: Path, students: int) -> int:
    files = make_examples.build()
    count = 0
    for i in range(students):
        template = TEMPLATES[i % len(TEMPLATES)]
        for rel, content in files.items():
            if rel.startswith(f"{template}/"):
                target = folder / f"student{i:03d}" / Path(rel).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                count += 1
    return count


def _nbgrader_serial(submissions: Path, course_root: Path) -> tuple[float, dict]:
    """Stage the class as nbgrader's submitted/ tree and run `nbgrader autograde` per lecture."""
    from nbgrader.api import Gradebook

    course = CourseWorkspace(course_root)
    course.prepare()
    for student_dir in sorted(submissions.iterdir()):
        for notebook in student_dir.glob("*.ipynb"):
            target = course.path("submitted", student_dir.name, notebook.stem)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)
    put_interpreter_scripts_on_path()
    start = time.perf_counter()
    for lecture in course.lectures:
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", lecture, "--force"], cwd=course.root,
                       check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    scores = {}
    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        for lecture in course.lectures:
            for submission in gb.assignment_submissions(lecture):
                notebook = gb.find_submission_notebook(lecture, lecture, submission.student.id)
                scores[(submission.student.id, lecture)] = float(notebook.score)
    return elapsed, scores


def _ours(submissions: Path, course_root: Path, out: Path, workers: int, warm: bool = True) -> tuple[float, dict, list[JobTimings]]:
    settings = Settings(submissions=submissions, out=out, course_dir=course_root, workers=workers,
                        limits=Limits(cell_timeout_s=120, warm_kernels=warm), progress=False)
    grader = Grader(settings)
    grader.course.prepare()  # untimed, as for nbgrader: generate_assignment is not grading
    start = time.perf_counter()
    outcomes = grader.run()
    elapsed = time.perf_counter() - start
    return elapsed, {k: o.score for k, o in outcomes.items() if o.status != "missing"}, grader.timings


PARTS = [
    ("sandbox start (cold: bubblewrap running `true`; warm: fork, namespaces, mounts, privileges dropped)", "sandbox_s"),
    ("kernel start (cold: bubblewrap, interpreter, ipykernel; warm: fork, sandbox, ipykernel)", "kernel_start_s"),
    ("imports in the kernel (the grader's link: NumPy, seqconv)", "link_s"),
    ("the student's cells", "cells_s"),
    ("trusted checks (forked, pre-warmed), calls included", "trusted_s"),
    ("of which the student's functions answering calls", "calls_s"),
    ("kernel shutdown and clean-up", "shutdown_s"),
]


def _sandbox_start_s(repeats: int = 7) -> float:
    """Median wall time of bubblewrap starting a kernel's sandbox and running ``true`` in it."""
    folder = Path(tempfile.mkdtemp(prefix="bench-sandbox-", dir=BUILD))
    try:
        (folder / "work").mkdir()
        (folder / "sockets").mkdir()
        (folder / "connection.json").write_text("{}")
        command = bubblewrap.bwrap_command(["true"], workdir=folder / "work", sockets=folder / "sockets",
                                        connection_file=str(folder / "connection.json"), font_cache=kernel_view.font_cache())
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(command, check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def breakdown(timings: list[JobTimings], warm: bool) -> list[tuple[str, float]]:
    """(part, median seconds per notebook) over a run's jobs; a cold kernel's sandbox start is
    measured apart (bubblewrap running ``true``), a warm one's by the grader."""
    rows = [(label, statistics.median(getattr(t.execution, name) for t in timings) if warm or name != "sandbox_s"
             else _sandbox_start_s()) for label, name in PARTS]
    rows.append(("recording in the gradebook (main process)", statistics.median(t.record_s for t in timings)))
    return rows


def run(quick: bool = False) -> list[dict]:
    students = 3 if quick else 10
    BUILD.mkdir(exist_ok=True)
    kinds = [("cold kernels: each started in bubblewrap", False)]
    if warm_kernels.problem() is None:
        kinds.append(("warm kernels: forked from a pre-warmed process (the default as root)", True))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-grading-", dir=BUILD) as folder:
        tmp = Path(folder)
        notebooks = _make_class(tmp / "class", students)
        serial_s, serial_scores = _nbgrader_serial(tmp / "class", tmp / "nbgrader-course")
        rows.append({"grader": "nbgrader autograde (serial)", "notebooks": notebooks, "students": students,
                     "seconds": serial_s, "identical": True})
        for i, (label, warm) in enumerate(kinds):
            ours_s, our_scores, timings = _ours(tmp / "class", tmp / f"our-course-{i}", tmp / f"out-{i}", workers=2, warm=warm)
            rows.append({"grader": f"python -m autograder grade --workers 2, {label}", "notebooks": notebooks,
                         "students": students, "seconds": ours_s, "identical": our_scores == serial_scores,
                         "parts": breakdown(timings, warm), "kind": "warm" if warm else "cold"})
    return rows


def format_table(rows: list[dict]) -> str:
    serial = rows[0]["notebooks"] / rows[0]["seconds"]
    lines = [f"**{TITLE}** ({rows[0]['notebooks']} notebooks from {rows[0]['students']} synthetic students)", "",
             "| grader | seconds | notebooks / s | vs serial | grades identical to serial's |",
             "| --- | ---: | ---: | ---: | --- |"]
    for row in rows:
        rate = row["notebooks"] / row["seconds"]
        lines.append(f"| {row['grader']} | {row['seconds']:.1f} | {rate:.2f} | {rate / serial:.2f}x | "
                     f"{'yes' if row['identical'] else '**NO**'} |")
    ours = [row for row in rows[1:]]
    lines += ["", "**Where one notebook's time goes** (medians over the class, each of the 2 workers sharing the 2 cores "
              "with the other)", "", "| part | " + " | ".join(f"{row['kind']} (s)" for row in ours) + " |",
              "| --- |" + " ---: |" * len(ours)]
    for i, (label, _) in enumerate(ours[0]["parts"]):
        lines.append(f"| {label} | " + " | ".join(f"{row['parts'][i][1]:.2f}" for row in ours) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_table(run(quick="--quick" in sys.argv)))
