"""A lecture's exercises as the report and the exports name them: id, title, points.

An exercise is the graded cells whose ``grade_id`` starts with its id (``ex1-answer``,
``ex1-tests-values``); its title is the heading that introduces it in the notebook
(``### Exercise 1 · Measure the look-ahead of a model (4 points)`` gives "Measure the
look-ahead of a model"), and its points are the sum of its graded cells' points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nbformat import NotebookNode

from autograder.cells import nbgrader_meta

HEADING = re.compile(r"^#+\s*Exercise\s+(\d+)\s*[·:.\-–—]?\s*(.*?)\s*(\([^()]*\))?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Exercise:
    id: str            # the grade_id prefix: "ex1"
    title: str         # from its heading; "" when the notebook has none
    points: float      # all its graded cells
    written: bool      # some of its points are for a written answer, graded by hand

    @property
    def label(self) -> str:
        """``ex1 · Measure the look-ahead of a model`` (or ``ex1`` without a title)."""
        return f"{self.id} · {self.title}" if self.title else self.id


def exercise_id(grade_id: object) -> str:
    """The exercise a graded cell belongs to: ``ex1-tests-values`` -> ``ex1``."""
    return str(grade_id).split("-")[0]


def exercises(nb: NotebookNode) -> list[Exercise]:
    """The exercises of a lecture notebook (master or released), in notebook order."""
    titles: dict[str, str] = {}
    points: dict[str, float] = {}
    written: dict[str, bool] = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for number, title, _points in HEADING.findall(cell.source):
                titles.setdefault(f"ex{number}", title.strip())
        meta = nbgrader_meta(cell)
        if not meta.get("grade"):
            continue
        exercise = exercise_id(meta.get("grade_id", ""))
        points[exercise] = points.get(exercise, 0.0) + float(meta.get("points", 0) or 0)
        # a graded answer cell (solution and grade) is graded by hand: a written answer
        written[exercise] = written.get(exercise, False) or bool(meta.get("solution"))
    return [Exercise(ex, titles.get(ex, ""), points[ex], written[ex]) for ex in points]
