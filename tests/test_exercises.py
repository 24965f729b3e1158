"""The exercises as the report names them: a title and points for every graded exercise (issue 14)."""

from __future__ import annotations

import re

import nbformat
import pytest

from autograder.cells import nbgrader_meta
from autograder.course import NOTEBOOKS, lecture_ids
from autograder.pipeline.exercises import exercises

# The convention: "### Exercise N · Title (what it is worth)", the points stated in the parenthesis:
# "(4 points)", "(written, 2 points)", "(2 points, graded by hand)", "(4 points + 2 written)".
STATED = re.compile(r"^### Exercise (\d+) · (.+) \(([^()]*\d[^()]*)\)$", re.MULTILINE)


@pytest.mark.parametrize("lecture", lecture_ids())
def test_every_exercise_has_its_headings_title_and_the_points_it_states(lecture):
    nb = nbformat.read(NOTEBOOKS / f"{lecture}.ipynb", as_version=4)
    stated = {f"ex{n}": (title, float(sum(int(p) for p in re.findall(r"\d+", worth)))) for c in nb.cells
              if c.cell_type == "markdown" for n, title, worth in STATED.findall(c.source)}
    found = exercises(nb)
    assert [e.id for e in found] == list(stated), (lecture, [e.id for e in found], list(stated))
    for exercise in found:
        assert (exercise.title, exercise.points) == stated[exercise.id], (lecture, exercise)
    total = sum(float(nbgrader_meta(c).get("points", 0)) for c in nb.cells if nbgrader_meta(c).get("grade"))
    assert sum(e.points for e in found) == total
    written = {str(nbgrader_meta(c)["grade_id"]).split("-")[0] for c in nb.cells if c.cell_type == "markdown" and nbgrader_meta(c).get("grade")}
    assert {e.id for e in found if e.written} == written


def test_a_notebook_without_headings_still_lists_its_exercises():
    cell = nbformat.v4.new_code_cell("assert True", metadata={"nbgrader": {"grade": True, "grade_id": "ex2-tests", "points": 3,
                                                                           "solution": False, "locked": True}})
    (only,) = exercises(nbformat.v4.new_notebook(cells=[cell]))
    assert (only.id, only.title, only.points, only.written, only.label) == ("ex2", "", 3.0, False, "ex2")
