"""The mechanical rules of docs/lectures.md that no other test checks, on every master in solutions/:
file names, the title cell, grade_ids, the ``# Tests:`` line and hidden block of each test cell, the
order of answers and tests, the exercise headings, and the README's table of lectures.

(Outputs, points, the ``passed(...)`` last line, the check-all cell, nbgrader validate, the wrong
answers: tests/test_notebooks.py; headings against points: tests/test_exercises.py.)
"""

from __future__ import annotations

import re

import nbformat
import pytest

from autograder.cells import is_answer_cell, is_test_cell, nbgrader_meta
from autograder.course import LECTURE_PATTERN, NOTEBOOKS, ROOT, SOLUTIONS, lecture_ids
from autograder.pipeline.exercises import HEADING, exercise_id, exercises

LECTURES = lecture_ids()

ANSWER_ID = re.compile(r"ex(\d+)-answer")
TEST_ID = re.compile(r"ex(\d+)-tests(-[a-z0-9]+)*")
WRITTEN_ID = re.compile(r"ex(\d+)-written")
OTHER_ID = re.compile(r"check-all|ex(\d+)-[a-z0-9-]+")   # check-all; a read-only cell of an exercise (ex2-data)
BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def _master(lecture: str) -> nbformat.NotebookNode:
    return nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)


def test_every_master_is_named_nn_name_and_has_its_student_copy():
    """lecture_ids() skips a file that does not match NN-name: it would be neither released nor graded."""
    masters = sorted(p.stem for p in SOLUTIONS.glob("*.ipynb"))
    assert masters and all(LECTURE_PATTERN.match(stem) for stem in masters), masters
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == masters, "run `make release`"


@pytest.mark.parametrize("lecture", LECTURES)
def test_the_first_cell_is_the_lectures_title(lecture):
    first = _master(lecture).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {lecture[:2]} · "), first.source[:80]


@pytest.mark.parametrize("lecture", LECTURES)
def test_grade_ids_name_their_exercise_and_their_kind(lecture):
    problems = []
    for cell in _master(lecture).cells:
        meta = nbgrader_meta(cell)
        if not meta:
            continue
        grade_id = str(meta.get("grade_id"))
        if meta.get("solution"):   # an answer: code, or a written answer in Markdown
            pattern = ANSWER_ID if cell.cell_type == "code" else WRITTEN_ID
        elif is_test_cell(cell):
            pattern = TEST_ID
        else:
            pattern = OTHER_ID
        if not pattern.fullmatch(grade_id):
            problems.append(f"{grade_id} ({cell.cell_type}) does not match {pattern.pattern}")
        if cell.cell_type == "markdown" and meta.get("solution") and not meta.get("grade"):
            problems.append(f"{grade_id}: a written answer is graded (by hand)")
    assert not problems, f"{lecture}: " + "; ".join(problems)


@pytest.mark.parametrize("lecture", LECTURES)
def test_each_test_cell_says_what_it_tests_and_holds_one_hidden_block(lecture):
    problems = []
    for cell in _master(lecture).cells:
        grade_id = nbgrader_meta(cell).get("grade_id", f"a {cell.cell_type} cell")
        if not is_test_cell(cell):
            if BEGIN in cell.source or END in cell.source:
                problems.append(f"{grade_id}: hidden tests outside a test cell")
            continue
        lines = cell.source.splitlines()
        if not lines[0].startswith("# Tests: "):
            problems.append(f"{grade_id}: first line {lines[0][:60]!r}, not '# Tests: ...'")
        begins = [i for i, line in enumerate(lines) if line.strip().startswith(BEGIN)]
        ends = [i for i, line in enumerate(lines) if line.strip().startswith(END)]
        if len(begins) != 1 or len(ends) != 1 or not begins[0] + 1 < ends[0]:
            problems.append(f"{grade_id}: {len(begins)} '{BEGIN}' and {len(ends)} '{END}' lines, one non-empty block wanted")
        elif not any(line.strip() for line in lines[begins[0] + 1:ends[0]]):
            problems.append(f"{grade_id}: an empty hidden block")
    assert not problems, f"{lecture}: " + "; ".join(problems)


@pytest.mark.parametrize("lecture", LECTURES)
def test_exercises_are_numbered_in_order_each_answer_before_its_tests(lecture):
    nb = _master(lecture)
    found = [e.id for e in exercises(nb)]
    assert found == [f"ex{i}" for i in range(1, len(found) + 1)], f"{lecture}: exercises in notebook order: {found}"
    current, answers, problems = None, [], []
    for cell in nb.cells:
        if cell.cell_type == "code" and is_answer_cell(cell):
            current = exercise_id(nbgrader_meta(cell)["grade_id"])
            answers.append(current)
        elif is_test_cell(cell) and exercise_id(nbgrader_meta(cell)["grade_id"]) != current:
            problems.append(f"{nbgrader_meta(cell)['grade_id']} comes after the answer cell of {current}")
    assert len(answers) == len(set(answers)), f"{lecture}: one code answer cell per exercise: {answers}"
    assert not problems, f"{lecture}: " + "; ".join(problems)


@pytest.mark.parametrize("lecture", LECTURES)
def test_every_exercise_heading_is_found(lecture):
    """``### Exercise N · Title (...)``: autograder/pipeline/exercises.py names the exercise after it."""
    nb = _master(lecture)
    headings = [f"ex{n}" for c in nb.cells if c.cell_type == "markdown" for n, _, _ in HEADING.findall(c.source)]
    found = exercises(nb)
    assert headings == [e.id for e in found], f"{lecture}: headings {headings}, graded exercises {[e.id for e in found]}"
    assert all(e.title for e in found), f"{lecture}: exercises without a title: {[e.id for e in found if not e.title]}"


def test_the_readme_lists_every_lecture():
    """The students' table of notebooks in README.md: one row per lecture, in order."""
    rows = re.findall(r"^\| `(\d\d-[a-z0-9-]+)\.ipynb` \|", (ROOT / "README.md").read_text(), re.MULTILINE)
    assert rows == LECTURES, f"README.md's table of notebooks lists {rows}, the lectures are {LECTURES}"
