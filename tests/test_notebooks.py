"""The lecture notebooks: masters validate, student copies are generated, exercises fail
until solved, and hidden tests catch wrong answers that the visible tests let through.

nbval (configured in pyproject.toml) separately executes every master in solutions/.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from autograder.course import NOTEBOOKS, ROOT, SOLUTIONS, lecture_ids, put_interpreter_scripts_on_path
from autograder.workbook import release
from tests import notebook_tools as nbt
from tests.blind_answers import BLIND_CORRECT
from tests.wrong_answers import RULES, WRONG_ANSWERS, named

pytestmark = pytest.mark.slow

LECTURES = lecture_ids()


def test_the_lectures_are_numbered_from_01_without_a_gap():
    numbers = [f"{i:02d}" for i in range(1, len(LECTURES) + 1)]
    assert LECTURES and [lec[:2] for lec in LECTURES] == numbers, \
        f"expected solutions/01-...ipynb to {numbers[-1] if numbers else '01'}-...ipynb, found {LECTURES}"


def test_release_check_passes():
    problems = release.differences(release.generate())
    assert not problems, "\n".join(problems) + "\nrun `make release` and commit notebooks/"


@pytest.mark.parametrize("lecture", LECTURES)
def test_master_has_graded_exercises(lecture):
    nb = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    tests = [c for c in nb.cells if nbt.is_test_cell(c)]
    assert tests, f"{lecture} has no autograded test cell"
    ids = [nbt.nbgrader_meta(c)["grade_id"] for c in nb.cells if nbt.nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), f"{lecture}: duplicated grade_id in {ids}"
    for cell in tests:
        meta = nbt.nbgrader_meta(cell)
        assert meta.get("points", 0) > 0, f"{lecture}/{meta['grade_id']} carries no points"
    for cell in nb.cells:
        if nbt.is_answer_cell(cell):
            assert nbt.SOLUTION.search(cell.source), f"{lecture}/{nbt.nbgrader_meta(cell)['grade_id']}: no ### BEGIN/END SOLUTION"
        assert not cell.get("outputs") and not cell.get("execution_count"), f"{lecture}: committed with outputs"
    # each test cell says when it passed and what it is worth; the check-all cell lists them all
    points = {nbt.nbgrader_meta(c)["grade_id"]: nbt.nbgrader_meta(c)["points"] for c in tests}
    for cell in tests:
        grade_id = nbt.nbgrader_meta(cell)["grade_id"]
        last = cell.source.rstrip().splitlines()[-1]
        assert last == f'seqconv.checks.passed("{grade_id}", {points[grade_id]:g})', f"{lecture}/{grade_id} ends with {last!r}"
    summary = [c for c in nb.cells if nbt.nbgrader_meta(c).get("grade_id") == "check-all"]
    assert len(summary) == 1 and nbt.nbgrader_meta(summary[0]).get("locked"), f"{lecture}: one locked check-all cell"
    listed = summary[0].source.strip()
    assert listed.startswith("seqconv.checks.check_all(") and eval(listed[len("seqconv.checks.check_all("):-1]) == points
    assert nb.cells.index(summary[0]) > max(nb.cells.index(c) for c in tests), f"{lecture}: check-all comes after the tests"


@pytest.mark.parametrize("lecture", LECTURES)
def test_master_passes_nbgrader_validate(lecture):
    from nbgrader.validator import Validator

    put_interpreter_scripts_on_path()
    result = Validator().validate(str(SOLUTIONS / f"{lecture}.ipynb"))
    assert result == {}, f"nbgrader validate on solutions/{lecture}.ipynb: {result}"


@pytest.mark.parametrize("lecture", LECTURES)
def test_student_notebook_runs_and_every_test_fails_until_solved(lecture):
    executed = nbt.execute(NOTEBOOKS / f"{lecture}.ipynb")
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code":
            continue
        error = nbt.error_text(cell)
        if nbt.is_test_cell(cell):
            grade_id = nbt.nbgrader_meta(cell)["grade_id"]
            assert error, f"{lecture}/{grade_id} passes on the unsolved release (nbgrader validate --invert would report it)"
            assert "passed:" not in _stdout(cell), f"{lecture}/{grade_id} says it passed on the unsolved release"
        elif nbt.nbgrader_meta(cell).get("grade_id") == "check-all":
            summary = _stdout(cell)
            assert re.search(r"^ex1: 0 of \d+ test cells pass \(0 of \d+ points\); not yet: ex1-", summary, re.M), summary
            assert "hidden tests" in summary
        elif not nbt.is_answer_cell(cell):
            assert error is None, f"{lecture}: teaching cell {index} fails in the student notebook: {error}\n{cell.source[:300]}"


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


MIN_WRONG_PER_EXERCISE = 6
MIN_CORRECT_PER_EXERCISE = 2


def _graded_answer_ids(nb: nbformat.NotebookNode) -> list[str]:
    return [nbt.nbgrader_meta(nb.cells[e.answer_index])["grade_id"] for e in nbt.exercises(nb) if e.test_indices]


@pytest.mark.parametrize("lecture", LECTURES)
def test_every_exercise_has_wrong_answers_rules_and_correct_alternatives(lecture):
    """Each autograded exercise: >= 6 wrong answers, >= 2 correct answers written blind, and its
    statement's rules quoted, each tied to a test cell of the exercise and to the wrong answers
    that break it (that they fail that test cell through the grader: tests/test_both_ways.py)."""
    nb = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    answer_ids = _graded_answer_ids(nb)
    wrong, rules, correct = WRONG_ANSWERS.get(lecture, {}), RULES.get(lecture, {}), BLIND_CORRECT.get(lecture, {})
    assert set(wrong) == set(answer_ids), f"{lecture}: wrong answers given for {sorted(wrong)}, exercises are {answer_ids}"
    assert set(rules) == set(answer_ids), f"{lecture}: rules given for {sorted(rules)}, exercises are {answer_ids}"
    assert set(correct) == set(answer_ids), f"{lecture}: blind correct answers for {sorted(correct)}, exercises are {answer_ids}"
    problems = []
    for exercise in nbt.exercises(nb):
        grade_id = nbt.nbgrader_meta(nb.cells[exercise.answer_index])["grade_id"]
        if not exercise.test_indices:
            continue
        if len(wrong[grade_id]) < MIN_WRONG_PER_EXERCISE:
            problems.append(f"{grade_id}: {len(wrong[grade_id])} wrong answers, at least {MIN_WRONG_PER_EXERCISE} wanted")
        if len(correct[grade_id]) < MIN_CORRECT_PER_EXERCISE:
            problems.append(f"{grade_id}: {len(correct[grade_id])} blind correct answers, at least {MIN_CORRECT_PER_EXERCISE} wanted")
        statement = nbt.plain(nbt.statement(nb, exercise))
        tests = {nbt.nbgrader_meta(nb.cells[i])["grade_id"] for i in exercise.test_indices}
        for rule in rules[grade_id]:
            if nbt.plain(rule.says) not in statement:
                problems.append(f"{grade_id}: the rule {rule.says!r} is not in the statement")
            if rule.test not in tests:
                problems.append(f"{grade_id}: the rule {rule.says!r} names {rule.test!r}, not a test cell of the exercise {sorted(tests)}")
            if not rule.broken_by:
                problems.append(f"{grade_id}: no wrong answer breaks the rule {rule.says!r}")
            for part in rule.broken_by:
                names = named(wrong[grade_id], part)
                if len(names) != 1:
                    problems.append(f"{grade_id}: {part!r} names {len(names)} wrong answers, one wanted: {names}")
    assert not problems, f"{lecture}:\n" + "\n".join(problems)


SOURCE_LECTURE = re.compile(r"\bseed(?:'s| lecture| version| notebook| loop)\b|\bthe seed\b(?! ?\d)", re.IGNORECASE)


def test_no_student_facing_text_names_the_lecture_the_course_grew_from():
    """Students never saw it: the notebooks they get and the library they read never mention it
    ("the seed" of an RNG, "an int seed", stay fine)."""
    texts = {p: p.read_text() for p in [*NOTEBOOKS.glob("*.ipynb"), *(ROOT / "lib" / "seqconv").glob("*.py")]}
    found = [f"{p.relative_to(ROOT)}: ...{t[max(m.start() - 40, 0):m.end() + 40]!r}..."
             for p, t in texts.items() for m in SOURCE_LECTURE.finditer(t)]
    assert not found, "\n".join(found)


# "the seed of NumPy's legacy global generator": a random generator's seed, not the lecture
RANDOM_SEED = re.compile(r"\bthe seed of (?:NumPy's|Python's|the|an?) [\w' -]*?(?:generator|RNG)\b", re.IGNORECASE)


def test_no_readme_or_benchmark_text_names_the_lecture_the_course_grew_from():
    """The README, docs/ and the benchmarks (whose titles and candidates `make bench` writes into the
    README) say what a thing is ("a plain Python loop"), never where it came from."""
    texts = {p: p.read_text() for p in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "bench").glob("*.py")]}
    found = [f"{p.relative_to(ROOT)}: ...{t[max(m.start() - 40, 0):m.end() + 40]!r}..."
             for p, t in texts.items() for m in SOURCE_LECTURE.finditer(t)
             if not any(r.start() <= m.start() < r.end() for r in RANDOM_SEED.finditer(t))]
    assert not found, "\n".join(found)
