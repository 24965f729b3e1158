"""The lecture notebooks: masters validate, student copies are generated, exercises fail
until solved, and hidden tests catch wrong answers that the visible tests let through.

nbval (configured in pyproject.toml) separately executes every master in solutions/.
"""

from __future__ import annotations

import nbformat
import pytest

from autograder import release
from autograder.course import NOTEBOOKS, SOLUTIONS, lecture_ids, put_interpreter_scripts_on_path
from tests import notebook_tools as nbt
from tests.wrong_answers import WRONG_ANSWERS

LECTURES = lecture_ids()


def test_there_are_seven_lectures():
    assert len(LECTURES) == 7, f"expected solutions/01-...ipynb to 07-...ipynb, found {LECTURES}"


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
        elif not nbt.is_answer_cell(cell):
            assert error is None, f"{lecture}: teaching cell {index} fails in the student notebook: {error}\n{cell.source[:300]}"


@pytest.mark.parametrize("lecture", LECTURES)
def test_hidden_tests_reject_wrong_answers(lecture):
    """Each exercise: >= 2 plausible wrong answers pass its visible tests and fail the hidden ones."""
    nb = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    found = nbt.exercises(nb)
    wrong = WRONG_ANSWERS.get(lecture, {})
    answer_ids = [nbt.nbgrader_meta(nb.cells[e.answer_index])["grade_id"] for e in found if e.test_indices]
    assert set(wrong) == set(answer_ids), f"{lecture}: wrong answers given for {sorted(wrong)}, exercises are {answer_ids}"
    with nbt.kernel(SOLUTIONS) as kernel:
        for cell in nb.cells:
            if cell.cell_type == "code":
                ran = kernel.run(cell.source)
                assert nbt.error_text(ran) is None, f"{lecture}: master cell fails: {nbt.error_text(ran)}"
        for exercise in found:
            answer = nb.cells[exercise.answer_index]
            grade_id = nbt.nbgrader_meta(answer)["grade_id"]
            cases = wrong.get(grade_id, {})
            if exercise.test_indices:
                assert len(cases) >= 2, f"{lecture}/{grade_id}: needs at least two wrong answers, has {len(cases)}"
            for name, source in cases.items():
                assert nbt.error_text(kernel.run(source)) is None, f"{lecture}/{grade_id}/{name}: the wrong answer itself fails to run"
                tests = [nb.cells[i].source for i in exercise.test_indices]
                for test in tests:
                    visible = kernel.run(nbt.visible_part(test))
                    assert nbt.error_text(visible) is None, (
                        f"{lecture}/{grade_id}/{name}: not plausible, the visible tests already reject it: {nbt.error_text(visible)}"
                    )
                failures = [nbt.error_text(kernel.run(test)) for test in tests]
                assert any(failures), f"{lecture}/{grade_id}/{name}: the hidden tests accept this wrong answer"
            kernel.run(answer.source)  # restore the reference answer for later exercises
