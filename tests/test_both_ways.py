"""Under grading, a test cell gives the verdict it gives with everything in one kernel (issue 12).

For every lecture, the reference solution and every wrong-answer fixture
(tests/wrong_answers/) are run both ways:
- at home: the master notebook, its answer cells replaced, every cell (hidden tests included)
  in one plain kernel, as a student who had the hidden tests would see it;
- graded: the student notebook with the same answers, through the grader's executor (a
  sandboxed kernel, the tests in the trusted process).
Each test cell must pass or fail the same way in both. The fixtures of one exercise are
independent of the others', so the k-th notebook of a lecture holds the k-th wrong answer of
every exercise that has one (the reference answer elsewhere): a handful of notebooks per
lecture cover every fixture.
"""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.cells import failure, is_answer_cell, is_test_cell, nbgrader_meta
from autograder.course import NOTEBOOKS, SOLUTIONS, lecture_ids
from autograder.execute import Limits, execute_notebook
from autograder.sandbox import bwrap_problem
from tests.wrong_answers import WRONG_ANSWERS

LECTURES = lecture_ids()
SANDBOX = "bwrap" if bwrap_problem() is None else "none"
HOME_TIMEOUT_S = 30   # per cell, both ways: the reference's slowest cell takes a few seconds


def _variants(lecture: str) -> list[tuple[str, dict[str, str]]]:
    """(label, {answer grade_id: source}) for the reference (empty: the masters' own) and each
    round of wrong answers."""
    wrong = WRONG_ANSWERS.get(lecture, {})
    rounds = max((len(cases) for cases in wrong.values()), default=0)
    variants: list[tuple[str, dict[str, str]]] = [("reference", {})]
    for k in range(rounds):
        chosen = {grade_id: list(cases.items())[k] for grade_id, cases in wrong.items() if k < len(cases)}
        label = "; ".join(f"{grade_id}: {name}" for grade_id, (name, _) in chosen.items())
        variants.append((label, {grade_id: source for grade_id, (_, source) in chosen.items()}))
    return variants


def _with_answers(nb: nbformat.NotebookNode, answers: dict[str, str], master: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with each answer cell's source replaced: from ``answers``, else the master's reference."""
    reference = {nbgrader_meta(c)["grade_id"]: c.source for c in master.cells if is_answer_cell(c)}
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if is_answer_cell(cell):
            grade_id = nbgrader_meta(cell)["grade_id"]
            cell.source = answers.get(grade_id, reference[grade_id])
    return nb


def _verdicts(nb: nbformat.NotebookNode) -> dict[str, str | None]:
    """grade_id -> why the test cell failed (None: it passed)."""
    return {nbgrader_meta(c)["grade_id"]: failure(c) for c in nb.cells if is_test_cell(c)}


def _at_home(master: nbformat.NotebookNode, answers: dict[str, str], folder) -> dict[str, str | None]:
    nb = _with_answers(master, answers, master)
    # a cell that runs past the grader's timeout fails there: here too (one wrong answer loops)
    NotebookClient(nb, timeout=HOME_TIMEOUT_S, kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return _verdicts(nb)


def _graded(release: nbformat.NotebookNode, master: nbformat.NotebookNode, answers: dict[str, str], folder) -> dict[str, str | None]:
    nb = _with_answers(release, answers, master)
    result = execute_notebook(nb, master, folder, Limits(cell_timeout_s=HOME_TIMEOUT_S, sandbox=SANDBOX))
    return _verdicts(result.nb)


@pytest.mark.parametrize("lecture", LECTURES)
def test_every_answer_gets_the_same_verdicts_both_ways(lecture, tmp_path):
    master = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    release = nbformat.read(NOTEBOOKS / f"{lecture}.ipynb", as_version=4)
    variants = _variants(lecture)
    assert len(variants) >= 3, f"{lecture}: the reference and at least two rounds of wrong answers"

    folders = []
    for index in range(len(variants)):
        folders.append((tmp_path / f"home-{index}", tmp_path / f"graded-{index}"))
        for folder in folders[-1]:
            folder.mkdir()
    # two at a time on two cores: the plain kernels in a thread, the grader here (its trusted
    # checks' pre-warmed process serves one caller at a time)
    with ThreadPoolExecutor(max_workers=1) as pool:
        homes = [pool.submit(_at_home, master, answers, folders[i][0]) for i, (_, answers) in enumerate(variants)]
        graded_all = [_graded(release, master, answers, folders[i][1]) for i, (_, answers) in enumerate(variants)]
        results = [(home.result(), graded) for home, graded in zip(homes, graded_all, strict=True)]
    differ = []
    for (label, _), (home, graded) in zip(variants, results, strict=True):
        for grade_id in home:
            if (home[grade_id] is None) != (graded.get(grade_id) is None):
                differ.append(f"[{label}] {grade_id}: at home {home[grade_id] or 'passes'}; graded {graded.get(grade_id) or 'passes'}")
    assert not differ, "\n".join(differ)
    reference_home, reference_graded = results[0]
    assert all(v is None for v in reference_graded.values()), f"the reference fails under grading: {reference_graded}"
    assert all(v is None for v in reference_home.values()), f"the reference fails at home: {reference_home}"
