"""End to end: grade the example submissions (autograder/examples/) and check every outcome.

One parallel run of the whole class (2 workers), under a limit of 256 open files per
process (a quarter of most machines' default: a grader that leaked descriptors per
notebook failed this class); a graded run of one student must agree with it. Then a
re-run grades nothing, and a resubmission is regraded alone; a run killed mid-way and
started again gives the same grades.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.cells import split_test_source
from autograder.course import NOTEBOOKS, ROOT, SOLUTIONS, lecture_ids
from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings
from autograder.pipeline.outputs import write_outputs
from autograder.runner.sandboxes.bubblewrap import bwrap_problem
from autograder.workbook import make_examples

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

LECTURES = lecture_ids()
TIMEOUT_S = 10
SANDBOX = "bwrap" if bwrap_problem() is None else "none"
OPEN_FILES = 256


@contextlib.contextmanager
def open_file_limit(limit: int):
    """RLIMIT_NOFILE lowered to ``limit`` for this process and the workers it starts."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(limit, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _test_points(lecture: str) -> dict[str, float]:
    """grade_id -> points of each autograded test cell of a lecture (from the master)."""
    nb = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"]) for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}


def _max_points(lecture: str) -> float:
    nb = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    return float(sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")))


def _settings(tmp, submissions, workers) -> Settings:
    return Settings(submissions=submissions, out=tmp / "out", course_dir=tmp / "course", workers=workers,
                    limits=Limits(cell_timeout_s=TIMEOUT_S, sandbox=SANDBOX), progress=False)


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for rel, content in make_examples.build().items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory, submissions):
    tmp = tmp_path_factory.mktemp("graded")
    grader = Grader(_settings(tmp, submissions, workers=2))
    with open_file_limit(OPEN_FILES):
        outcomes = grader.run()
        keys = sorted(outcomes)
        write_outputs(grader, keys)
    return grader, {k: outcomes[k] for k in keys}


def test_the_class_is_graded_within_256_open_files(graded):
    """Every notebook of the class run (made under the limit) got a status of its own, no grader error."""
    _, outcomes = graded
    assert len(outcomes) == 4 * len(LECTURES)
    errors = {k: o.details for k, o in outcomes.items() if o.status == "grader error"}
    assert errors == {}


def test_examples_are_generated_from_the_current_notebooks():
    assert make_examples.differences(make_examples.build()) == [], "run `python -m autograder.workbook.make_examples`"


def test_perfect_student_gets_every_autograded_point(graded):
    _, outcomes = graded
    for lecture in LECTURES:
        o = outcomes[("ada", lecture)]
        assert (o.status, o.score) == ("graded", sum(_test_points(lecture).values())), (lecture, o)
        assert o.max_score == _max_points(lecture)
        assert o.needs_manual_grade, f"{lecture}: written answers wait for the instructor"


def test_unchanged_release_scores_zero(graded):
    _, outcomes = graded
    for lecture in LECTURES:
        o = outcomes[("cleo", lecture)]
        assert (o.status, o.score, o.max_score) == ("graded", 0.0, _max_points(lecture)), (lecture, o)
        assert o.origin.startswith("cleo/")


def test_partial_student_loses_points_on_the_wrong_answers(graded):
    _, outcomes = graded
    for lecture in LECTURES[:-1]:
        o = outcomes[("ben", lecture)]
        full = sum(_test_points(lecture).values())
        assert o.status == "graded" and 0 < o.score < full, (lecture, o)
    missing = outcomes[("ben", LECTURES[-1])]
    assert (missing.status, missing.score, missing.max_score) == ("missing", 0.0, _max_points(LECTURES[-1]))


def test_broken_submissions_get_their_status(graded):
    _, outcomes = graded
    l1, l2, l3, l4, l5, l6, l7 = LECTURES[:7]   # dan breaks the first seven lectures, one way each (make_examples._dan)
    full = {lec: sum(_test_points(lec).values()) for lec in LECTURES}
    assert (outcomes[("dan", l1)].status, outcomes[("dan", l1)].score) == ("invalid notebook", 0.0)
    assert "not valid JSON" in " ".join(outcomes[("dan", l1)].details)
    assert (outcomes[("dan", l2)].status, outcomes[("dan", l2)].score) == ("invalid notebook", 0.0)
    assert "nbformat 3" in " ".join(outcomes[("dan", l2)].details)
    tampered = outcomes[("dan", l3)]
    assert tampered.status == "tampered" and tampered.score == full[l3], "tests restored from the gradebook, answers right"
    text = " ".join(tampered.details)
    assert "renamed" in text and "edited locked cell" in text and "deleted cell" in text and "duplicated cell" in text
    died = outcomes[("dan", l4)]
    assert (died.status, died.score) == ("kernel died", 0.0), died
    assert 0 < outcomes[("dan", l5)].score < full[l5] and outcomes[("dan", l5)].status == "graded"
    looping = outcomes[("dan", l6)]
    assert looping.status == "timeout" and 0 < looping.score < full[l6], looping
    exited = outcomes[("dan", l7)]
    assert exited.status == "graded" and 0 < exited.score < full[l7], exited


def test_an_invalid_notebook_is_kept_and_not_offered_to_nbgrader(graded, submissions):
    """Issue 14: formgrader offered an invalid notebook for autograding, where it failed. Its bytes are
    kept under invalid/, and for nbgrader the lecture is not handed in: nothing to autograde."""
    import zipfile

    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    grader, _ = graded
    course = grader.course
    with zipfile.ZipFile(submissions / "dan.zip") as archive:
        handed_in = {name.split("/")[-1].removesuffix(".ipynb"): archive.read(name) for name in archive.namelist()}
    api = NbGraderAPI(CourseDirectory(config=course.config), config=course.config)
    for lecture in LECTURES[:2]:
        assert (course.root / "invalid" / "dan" / f"{lecture}.ipynb").read_bytes() == handed_in[lecture]
        assert not course.path("submitted", "dan", lecture).parent.exists()
        with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb, pytest.raises(MissingEntry):
            gb.find_submission(lecture, "dan")
        offered = {s["student"] for s in api.get_submissions(lecture) if s["submitted"]}
        assert "dan" not in offered and "ada" in offered, offered


def test_a_serial_run_gives_the_same_grades(tmp_path, submissions, graded):
    """ben's notebooks (partly wrong) graded with one worker, in the main process: as in the class run."""
    _, expected = graded
    folder = tmp_path / "one"
    lectures = sorted(path.stem for path in (submissions / "ben").glob("*.ipynb"))[:3]
    for lecture in lectures:
        (folder / "ben").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(submissions / "ben" / f"{lecture}.ipynb", folder / "ben" / f"{lecture}.ipynb")
    grader = Grader(_settings(tmp_path, folder, workers=1))
    outcomes = grader.run()
    assert {k: (o.status, o.score, o.max_score) for k, o in outcomes.items() if k[1] in lectures} == {
        k: (o.status, o.score, o.max_score) for k, o in expected.items() if k[0] == "ben" and k[1] in lectures}


def test_rerun_changes_nothing_and_resubmission_is_regraded(tmp_path, submissions, graded):
    first_grader, expected = graded
    folder = tmp_path / "submissions"
    shutil.copytree(submissions, folder)
    course = tmp_path / "course"
    shutil.copytree(first_grader.course.root, course)
    settings = Settings(submissions=folder, out=tmp_path / "out", course_dir=course, workers=1,
                        limits=Limits(cell_timeout_s=TIMEOUT_S, sandbox=SANDBOX), progress=False)
    again = Grader(settings)
    again.run()
    assert again.jobs_run == 0
    assert {k: (o.status, o.score) for k, o in again.outcomes.items()} == {k: (o.status, o.score) for k, o in expected.items()}

    lecture = LECTURES[1]
    shutil.copyfile(folder / "ada" / f"{lecture}.ipynb", folder / "ben" / f"{lecture}.ipynb")
    resubmitted = Grader(settings)
    resubmitted.run()
    assert resubmitted.jobs_run == 1
    assert resubmitted.outcomes[("ben", lecture)].score == expected[("ada", lecture)].score
    assert resubmitted.outcomes[("ben", LECTURES[0])].score == expected[("ben", LECTURES[0])].score

    # a manual grade entered in the gradebook (as formgrader does) shows in the next report
    from nbgrader.api import Gradebook

    with Gradebook(resubmitted.course.db_url, resubmitted.course.config.CourseDirectory.course_id) as gb:
        notebook = gb.find_submission_notebook(LECTURES[0], LECTURES[0], "ada")
        written = next(g for g in notebook.grades if g.needs_manual_grade)
        written.manual_score = written.max_score
        gb.db.commit()
        bonus = float(written.max_score)
        comment = next(c for c in notebook.comments if c.name == written.name)
        comment.manual_comment = "Clear argument <b>but</b> say why the shapes match."
        code_answer = next(c for c in notebook.comments if c.name != written.name)
        code_answer.manual_comment = "Nice use of sliding windows."
        gb.db.commit()
    outcomes = write_outputs(resubmitted, sorted(k for k in resubmitted.outcomes if k[0] == "ada"))
    ada = {o.lecture: o for o in outcomes}[LECTURES[0]]
    assert ada.score == expected[("ada", LECTURES[0])].score + bonus
    # the instructor's comments reach the student's page (escaped), on the cells they were written on
    page = (settings.out / "feedback" / "ada.html").read_text()
    assert "Your instructor: Clear argument &lt;b&gt;but&lt;/b&gt; say why the shapes match." in page
    assert "Your instructor: Nice use of sliding windows." in page


def test_grades_csv(graded):
    grader, outcomes = graded
    with (grader.settings.out / "grades.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["student", "notebook", "status", "score", "max_score", "needs_manual_grade", "details", "source"]
    per_notebook = [r for r in rows if r["notebook"] != "total"]
    assert len(per_notebook) == len(outcomes)
    for row in per_notebook:
        o = outcomes[(row["student"], row["notebook"])]
        assert (row["status"], float(row["score"]), float(row["max_score"])) == (o.status, o.score, o.max_score)
    totals = {r["student"]: float(r["score"]) for r in rows if r["notebook"] == "total"}
    assert totals == {s: sum(o.score for (st, _), o in outcomes.items() if st == s) for s in totals}


def _hidden_lines() -> set[str]:
    """Lines of hidden tests that appear neither in the student notebooks nor in an answer
    (the perfect example student typed the reference answers, which hidden references may repeat)."""
    lines, public = set(), set()
    for lecture in LECTURES:
        nb = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
        for cell in nb.cells:
            _, hidden = split_test_source(cell.source)
            lines |= {line.strip() for line in hidden.splitlines() if len(line.split("#")[0].strip()) > 25}
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                public |= {line.split("#")[0].strip() for line in cell.source.splitlines()}
        released = nbformat.read(NOTEBOOKS / f"{lecture}.ipynb", as_version=4)
        public |= {line.split("#")[0].strip() for cell in released.cells for line in cell.source.splitlines()}
    public_text = "\n".join(public)   # a hidden line may also be part of a public one
    return {line for line in lines if line.split("#")[0].strip() not in public_text}


def test_feedback_shows_results_but_nothing_hidden(graded):
    grader, _outcomes = graded
    pages = {p.stem: p.read_text() for p in (grader.settings.out / "feedback").glob("*.html")}
    assert set(pages) == {"ada", "ben", "cleo", "dan"}
    hidden = _hidden_lines()
    assert hidden, "the masters have hidden tests"
    for student, page in pages.items():
        assert "BEGIN HIDDEN TESTS" not in page
        leaked = [line for line in hidden if line in page]
        assert not leaked, f"{student}'s feedback shows hidden test code: {leaked[:3]}"
        assert "Traceback" not in page
    assert "passed" in pages["ada"] and "failed" in pages["cleo"]
    assert "failed a hidden test" in pages["ben"]
    assert "NotImplementedError" in pages["cleo"]


def test_nbgraders_own_feedback_shows_nothing_hidden(graded):
    """An instructor may also run `nbgrader generate_feedback` in the workspace: it must not leak either."""
    import os
    import subprocess
    import sys

    grader, _ = graded
    course = grader.course.root
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"}
    # every lecture in one run (one start of nbgrader instead of one per lecture)
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "nbgrader"), "generate_feedback", "--assignment=*"],
                   cwd=course, env=env, check=True, capture_output=True, timeout=600)
    import html

    # the page's text: nbgrader highlights code with spans and escapes it
    pages = {p: html.unescape(re.sub(r"<[^>]+>", "", p.read_text())) for p in (course / "feedback").rglob("*.html")}
    assert {p.parent.name for p in pages} == set(LECTURES), "nbgrader wrote feedback for every lecture"
    hidden = _hidden_lines()
    for path, page in pages.items():
        assert "BEGIN HIDDEN TESTS" not in page, path
        assert not [line for line in hidden if line in page], path


def test_class_report(graded):
    grader, _ = graded
    report = (grader.settings.out / "report.html").read_text()
    assert re.search(r'<img alt="score distribution per exercise"[^>]+src="data:image/png;base64,', report)
    for status in ("invalid notebook", "tampered", "timeout", "kernel died", "missing"):
        assert status in report
    for student in {k[0] for k in grader.outcomes}:   # a row per student, linked to their feedback
        assert f'<a href="feedback/{student}.html">{student}</a>' in report


def test_the_instructor_sees_which_hidden_check_failed_and_the_student_does_not(graded):
    """Issue 14: to settle a question about a grade, the report names the failed hidden check and
    its message; the student's feedback and grades.csv still say only that a hidden test failed."""
    import html

    grader, outcomes = graded
    report = (grader.settings.out / "report.html").read_text()
    failed = [(o, test, why) for o in outcomes.values() for test, why in o.hidden_failures.items()]
    assert failed, "the example class has answers that pass the visible tests and fail hidden ones"
    csv_text = (grader.settings.out / "grades.csv").read_text()
    for outcome, test, why in failed:
        assert html.escape(why[:200]) in report, (outcome.student, test)
        feedback = (grader.settings.out / "feedback" / f"{outcome.student}.html").read_text()
        assert why[:60] not in feedback and why[:60] not in csv_text


def test_a_grader_failure_is_contained_and_reported(tmp_path, submissions, monkeypatch):
    from autograder.pipeline import grade as grade_module
    from autograder.pipeline import record

    folder = tmp_path / "class"
    for student in ("ada", "cleo"):
        (folder / student).mkdir(parents=True)
        shutil.copyfile(submissions / student / f"{LECTURES[0]}.ipynb", folder / student / f"{LECTURES[0]}.ipynb")
    real = record.sanitize

    def flaky(course, student, lecture, nb, *rest):
        if student == "ada":
            raise RuntimeError("simulated bug")
        return real(course, student, lecture, nb, *rest)

    monkeypatch.setattr(record, "sanitize", flaky)
    settings = _settings(tmp_path, folder, workers=1)
    assert grade_module.grade(settings) == 1, "a grader failure makes the exit code 1"
    with (settings.out / "grades.csv").open() as f:
        rows = {(r["student"], r["notebook"]): r for r in csv.DictReader(f)}
    assert rows[("ada", LECTURES[0])]["status"] == "grader error"
    assert "simulated bug" in rows[("ada", LECTURES[0])]["details"]
    assert (rows[("cleo", LECTURES[0])]["status"], float(rows[("cleo", LECTURES[0])]["score"])) == ("graded", 0.0)


def test_the_grading_log_names_every_notebook_run(graded):
    """The workspace's grading.log: a line per notebook executed, with its status and timings."""
    from autograder.pipeline.run_log import LOG_NAME

    grader, outcomes = graded
    lines = (grader.course.root / LOG_NAME).read_text().splitlines()
    executed = {k: o for k, o in outcomes.items() if o.status in ("graded", "timeout", "kernel died")}
    for (student, lecture), outcome in executed.items():
        mine = [line for line in lines if f"  {student}/{lecture}  " in line]
        assert mine, f"no line for {student}/{lecture} in {LOG_NAME}"
        assert f"  {outcome.status}  " in mine[-1] and "kernel start" in mine[-1], mine[-1]


def _process_tree(root: int) -> list[int]:
    """``root`` and every process below it now."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _run_folder_of(pids: list[int]) -> str | None:
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/environ", "rb") as env:
            for entry in env.read().split(b"\0"):
                if entry.startswith(b"TMPDIR=") and b"grading-run-" in entry:
                    return entry.split(b"=", 1)[1].decode()
    return None


def test_a_run_killed_mid_way_and_started_again_gives_the_same_grades(tmp_path, submissions, graded):
    """Issue 15: the grade process killed with SIGKILL while its workers run notebooks, then started
    again: grades.csv has the uninterrupted run's rows, and nothing of the first run is left (its
    processes, its temporary folder). The first grader marked notebooks graded before they ran: the
    re-run kept 0/0 for them."""
    first_grader, _ = graded
    lectures = LECTURES[:3]   # the class's first three lectures: enough notebooks to kill the run mid-way
    class_folder = tmp_path / "class"
    for path in submissions.glob("*/*.ipynb"):
        if path.stem in lectures:
            (class_folder / path.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, class_folder / path.parent.name / path.name)
    handed_in = len(list(class_folder.glob("*/*.ipynb")))

    students = {path.name for path in class_folder.iterdir()}

    def rows(grades_csv: Path) -> list[dict]:
        with grades_csv.open() as f:
            return [row for row in csv.DictReader(f) if row["notebook"] in lectures and row["student"] in students]

    expected = rows(first_grader.settings.out / "grades.csv")
    command = [sys.executable, "-m", "autograder", "grade", str(class_folder), "--out", str(tmp_path / "out"),
               "--course-dir", str(tmp_path / "course"), "--workers", "2", "--timeout", str(TIMEOUT_S), "--no-progress",
               *([] if SANDBOX == "bwrap" else ["--no-sandbox"])]
    journal = tmp_path / "course" / "grading-journal.jsonl"

    def executed() -> int:   # notebooks whose result the journal holds (a missing one needs no run)
        lines = journal.read_text().splitlines() if journal.exists() else []
        return sum('"status": "missing"' not in line for line in lines)

    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    recorded = 0
    while time.monotonic() < deadline and first.poll() is None:
        recorded = executed()
        if recorded >= handed_in // 3:
            break
        time.sleep(0.2)
    tree = _process_tree(first.pid)
    folder = _run_folder_of(tree)
    first.kill()
    first.wait()
    assert handed_in // 3 <= recorded < handed_in, f"the run was to be killed mid-way: {recorded} of {handed_in} recorded"
    assert folder is not None and os.path.isdir(folder), "the first run's temporary folder"
    for _ in range(100):
        if not [pid for pid in tree if _alive(pid)]:
            break
        time.sleep(0.1)
    assert [pid for pid in tree if _alive(pid)] == [], "processes of the killed run are still alive"

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert rows(tmp_path / "out" / "grades.csv") == expected, "the uninterrupted class run's rows, field for field"
    assert not os.path.exists(folder), "the killed run's temporary folder was not swept"
    assert len(journal.read_text().splitlines()) == len(students) * len(LECTURES), "compacted: one line per notebook"


def test_a_graded_test_cell_that_passed_says_so(graded):
    """Issue 14: a passing test cell used to print nothing. In ada's graded notebook (all correct) each
    says it passed and what it is worth; the check-all cell says the results are in the test cells."""
    grader, _ = graded
    for lecture in LECTURES:
        nb = nbformat.read(grader.course.path("autograded", "ada", lecture), as_version=4)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            said = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                assert f"passed: {meta['grade_id']}, the visible tests" in said, (lecture, meta["grade_id"], said)
            elif meta.get("grade_id") == "check-all":
                assert said.startswith("Graded:"), (lecture, said)


def test_the_feedback_page_has_contents_and_does_not_count_ungraded_answers_as_zero(graded):
    """Issue 14: written answers waiting for the instructor counted as 0 in the headline total, and
    the notebooks of every lecture made one long page without contents."""
    grader, outcomes = graded
    page = (grader.settings.out / "feedback" / "ada.html").read_text()
    ada = [o for k, o in sorted(outcomes.items()) if k[0] == "ada"]
    assert any(o.needs_manual_grade for o in ada)
    headline = re.search(r"<h1>Feedback for ada: ([\d.]+) / ([\d.]+) points graded so far \(([\d.]+) more to be graded "
                         r"by your instructor\)</h1>", page)
    assert headline, page[:600]
    got, graded_max, waiting = (float(g) for g in headline.groups())
    assert got == sum(o.score for o in ada) and graded_max + waiting == sum(o.max_score for o in ada) and waiting > 0
    for o in ada:
        assert f'<li><a href="#lecture-{o.lecture}">{o.lecture}</a>: {o.score:g} / {o.max_score:g}</li>' in page
        assert f'<h2 id="lecture-{o.lecture}">' in page


def test_the_wide_table_and_the_lms_export_agree_with_grades_csv(graded):
    """Issue 14: a row per student with a column per exercise (grades-wide.csv), and the notebooks'
    scores as Canvas and Moodle import them (lms.csv), both checked against grades.csv."""
    grader, _ = graded
    out = grader.settings.out
    with (out / "grades.csv").open() as f:
        long = {(r["student"], r["notebook"]): r for r in csv.DictReader(f)}
    with (out / "grades-wide.csv").open() as f:
        wide = list(csv.DictReader(f))
    assert wide[0]["student"] == "(max)"
    students = sorted({s for s, _ in long})
    assert [r["student"] for r in wide[1:]] == students
    for lecture in LECTURES:
        exercise_columns = [c for c in wide[0] if c.startswith(f"{lecture} ") and c != f"{lecture} total"]
        assert exercise_columns and float(wide[0][f"{lecture} total"]) == _max_points(lecture)
        assert sum(float(wide[0][c]) for c in exercise_columns) == _max_points(lecture)
        for row in wide[1:]:
            assert float(row[f"{lecture} total"]) == float(long[(row["student"], lecture)]["score"])
            assert sum(float(row[c]) for c in exercise_columns) == float(row[f"{lecture} total"]), (row["student"], lecture)
    for row in wide[1:]:
        assert float(row["total"]) == float(long[(row["student"], "total")]["score"])
    with (out / "lms.csv").open() as f:
        lms = list(csv.DictReader(f))
    assert [r["SIS Login ID"] for r in lms] == students
    for row in lms:
        for lecture in LECTURES:
            assert float(row[f"{lecture} ({_max_points(lecture):g} pts)"]) == float(long[(row["SIS Login ID"], lecture)]["score"])
