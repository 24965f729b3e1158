"""A small class for grading tests: the example students' notebooks (autograder/workbook/make_examples.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from autograder.workbook import make_examples


def write_class(folder: Path, lectures: Iterable[str], students: Iterable[str] = ("ada", "ben")) -> Path:
    """``folder/<student>/<lecture>.ipynb`` for each example student and lecture; returns ``folder``."""
    examples = make_examples.build()
    for student in students:
        for lecture in lectures:
            path = folder / student / f"{lecture}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(examples[f"{student}/{lecture}.ipynb"])
    return folder
