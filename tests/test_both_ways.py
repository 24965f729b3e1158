"""Every answer we have, graded two ways (issue 12): the reference, every wrong answer (authored,
tests/wrong_answers/, and written blind, tests/blind_answers/) and every blind correct answer.

- at home: the master notebook with the answers in place, every cell (hidden tests included) in
  one plain kernel, as a student who had the hidden tests would see it;
- graded: the student notebooks with the same answers handed in as a class and graded by the
  grader (sandboxed kernels, tests in the trusted process, scores from the gradebook).

Each test cell must pass or fail the same way both ways; through the grader, every wrong answer
must lose a point of its exercise and fail the test cell of each statement rule it breaks
(tests/wrong_answers/*.py, ``RULES``), every correct answer must keep every point. The mutation
score of each exercise (wrong answers caught / wrong answers) is printed at the end of the run
(tests/mutation.py).

One notebook ("round") holds an answer to each exercise at once (the k-th of each), the reference
where an exercise has fewer; the reference of an exercise is put back before the next one starts. At home the
lecture's leading cells (up to its first answer cell) run once per kernel, and each round runs the
rest of the notebook in that kernel.
"""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from autograder.cells import failure, is_answer_cell, is_test_cell, nbgrader_meta
from autograder.course import NOTEBOOKS, SOLUTIONS, lecture_ids
from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings
from autograder.runner.sandboxes.bubblewrap import bwrap_problem
from tests import mutation
from tests import notebook_tools as nbt
from tests.blind_answers import BLIND_CORRECT
from tests.gradebook import read_grades
from tests.wrong_answers import RULES, WRONG_ANSWERS, named

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

LECTURES = lecture_ids()
SANDBOX = "bwrap" if bwrap_problem() is None else "none"
CELL_TIMEOUT_S = 30   # both ways: the reference's slowest cell takes a few seconds
WORKERS = 2


@dataclass(frozen=True)
class Answer:
    """One answer to one exercise: what it is and its source (None: the master's reference)."""

    grade_id: str
    kind: str            # "wrong" or "correct"
    name: str
    source: str


@dataclass
class Round:
    """One notebook per lecture: an answer for some exercises, the reference for the others."""

    lecture: str
    index: int
    answers: dict[str, Answer]                                 # answer cell grade_id -> answer
    home: dict[str, str | None] = field(default_factory=dict)    # test cell grade_id -> why it failed (None: passed)
    graded: dict[str, bool] = field(default_factory=dict)        # test cell grade_id -> passed through the grader

    @property
    def student(self) -> str:
        return f"round{self.index:02d}"


def _exercise_tests(master: nbformat.NotebookNode) -> dict[str, list[str]]:
    """answer cell grade_id -> the grade_ids of its test cells."""
    return {nbgrader_meta(master.cells[e.answer_index])["grade_id"]: [nbgrader_meta(master.cells[i])["grade_id"] for i in e.test_indices]
            for e in nbt.exercises(master)}


def _rounds(lecture: str) -> list[Round]:
    """Round 0 (the reference everywhere), then round k: the k-th answer of every exercise that has one."""
    per_exercise: dict[str, list[Answer]] = {}
    for grade_id, cases in WRONG_ANSWERS.get(lecture, {}).items():
        per_exercise.setdefault(grade_id, []).extend(Answer(grade_id, "wrong", n, s) for n, s in cases.items())
    for grade_id, cases in BLIND_CORRECT.get(lecture, {}).items():
        per_exercise.setdefault(grade_id, []).extend(Answer(grade_id, "correct", n, s) for n, s in cases.items())
    count = max((len(a) for a in per_exercise.values()), default=0)
    return [Round(lecture, 0, {}), *(Round(lecture, k + 1, {g: a[k] for g, a in per_exercise.items() if k < len(a)})
                                     for k in range(count))]


def _with_answers(nb: nbformat.NotebookNode, answers: dict[str, Answer], master: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with each answer cell's source replaced: from ``answers``, else the master's reference.

    Before each answer cell, a cell the student could have written puts back the reference of the
    earlier exercises that got an answer here: an exercise that calls an earlier one (lecture 04's
    do) is judged on its own answer, whatever the earlier answer was."""
    reference = {nbgrader_meta(c)["grade_id"]: c.source for c in master.cells if is_answer_cell(c)}
    cells, pending = [], []
    for cell in copy.deepcopy(nb.cells):
        if is_answer_cell(cell):
            grade_id = nbgrader_meta(cell)["grade_id"]
            if pending:
                cells.append(nbformat.v4.new_code_cell("\n\n".join(reference[g] for g in pending)))
                pending = []
            if grade_id in answers:
                cell.source = answers[grade_id].source
                pending.append(grade_id)
            else:
                cell.source = reference[grade_id]
        cells.append(cell)
    nb = copy.deepcopy(nb)
    nb.cells = cells
    return nb


def _at_home(lecture: str, rounds: list[Round]) -> None:
    """Fill ``round.home`` for every round, in one plain kernel."""
    master = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    first_answer = next(i for i, c in enumerate(master.cells) if is_answer_cell(c))
    with nbt.kernel(SOLUTIONS, timeout=CELL_TIMEOUT_S) as kernel:
        for cell in master.cells[:first_answer]:
            if cell.cell_type == "code":
                assert failure(kernel.run(cell.source)) is None, f"{lecture}: a leading cell of the master fails"
        for round_ in rounds:
            nb = _with_answers(master, round_.answers, master)
            for cell in nb.cells[first_answer:]:
                if cell.cell_type != "code":
                    continue
                ran = kernel.run(cell.source)
                if is_test_cell(cell):
                    round_.home[nbgrader_meta(cell)["grade_id"]] = failure(ran)


def _graded(rounds: list[Round], folder: Path) -> None:
    """Fill ``round.graded``: every round of every lecture handed in as one class and graded."""
    submissions = folder / "submissions"
    releases = {lecture: nbformat.read(NOTEBOOKS / f"{lecture}.ipynb", as_version=4) for lecture in LECTURES}
    masters = {lecture: nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4) for lecture in LECTURES}
    for round_ in rounds:
        path = submissions / round_.student / f"{round_.lecture}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(_with_answers(releases[round_.lecture], round_.answers, masters[round_.lecture]), path)
    settings = Settings(submissions=submissions, out=folder / "out", course_dir=folder / "course", workers=WORKERS,
                        limits=Limits(cell_timeout_s=CELL_TIMEOUT_S, sandbox=SANDBOX), progress=False)
    outcomes = Grader(settings).run()
    keys = [(r.student, r.lecture) for r in rounds]
    tests = {lecture: {t for ts in _exercise_tests(masters[lecture]).values() for t in ts} for lecture in LECTURES}
    grades = read_grades(settings.course_dir, keys)
    for round_ in rounds:
        outcome = outcomes.get((round_.student, round_.lecture))
        assert outcome is not None and outcome.status == "graded", f"{round_.student}/{round_.lecture}: {outcome}"
        for grade_id, grade in grades[(round_.student, round_.lecture)].items():
            if grade_id in tests[round_.lecture]:   # written answers wait for the instructor
                round_.graded[grade_id] = grade.auto >= grade.max


@pytest.fixture(scope="session")
def graded_both_ways(tmp_path_factory) -> dict[str, list[Round]]:
    by_lecture = {lecture: _rounds(lecture) for lecture in LECTURES}
    everything = [r for rounds in by_lecture.values() for r in rounds]
    # the plain kernels in a thread while the grader's workers run: the two sides overlap
    with ThreadPoolExecutor(max_workers=1) as pool:
        homes = [pool.submit(_at_home, lecture, rounds) for lecture, rounds in by_lecture.items()]
        _graded(everything, tmp_path_factory.mktemp("both-ways"))
        for home in homes:
            home.result()
    scores: dict[tuple[str, str], mutation.ExerciseScore] = {}
    for lecture, rounds in by_lecture.items():
        tests = _exercise_tests(nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4))
        for round_ in rounds:
            for grade_id, answer in round_.answers.items():
                if answer.kind == "wrong":
                    score = scores.setdefault((lecture, grade_id), mutation.ExerciseScore(lecture, grade_id))
                    score.total += 1
                    score.caught += not all(round_.graded.get(t, False) for t in tests[grade_id])
    mutation.write(list(scores.values()))
    return by_lecture


@pytest.mark.parametrize("lecture", LECTURES)
def test_every_test_cell_gives_the_same_verdict_both_ways(lecture, graded_both_ways):
    differ = []
    for round_ in graded_both_ways[lecture]:
        label = "; ".join(f"{g}: {a.name}" for g, a in round_.answers.items()) or "reference"
        for test_id, why in round_.home.items():
            if (why is None) != round_.graded.get(test_id, False):
                differ.append(f"[{label}] {test_id}: at home {why or 'passes'}; graded {'passes' if round_.graded.get(test_id) else 'fails'}")
    assert not differ, "\n".join(differ)


@pytest.mark.parametrize("lecture", LECTURES)
def test_the_grader_catches_every_wrong_answer_on_the_rules_it_breaks(lecture, graded_both_ways):
    master = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    tests = _exercise_tests(master)
    rules = RULES.get(lecture, {})
    problems = []
    for round_ in graded_both_ways[lecture]:
        if round_.index == 0:
            problems += [f"the reference fails {t} under grading" for t, passed in round_.graded.items() if not passed]
        for grade_id, answer in round_.answers.items():
            failing = {t for t in tests[grade_id] if not round_.graded.get(t, False)}
            if answer.kind == "correct":
                problems += [f"{grade_id}/{answer.name} (correct): loses the points of {t}" for t in sorted(failing)]
                continue
            if not failing:
                problems.append(f"{grade_id}/{answer.name}: the grader gives this wrong answer full marks")
            for rule in rules.get(grade_id, []):
                if rule.test not in failing and any(answer.name in named(WRONG_ANSWERS[lecture][grade_id], p) for p in rule.broken_by):
                    problems.append(f"{grade_id}/{answer.name}: passes {rule.test}, which enforces {rule.says!r}")
    assert not problems, f"{lecture}:\n" + "\n".join(problems)
