"""The mutation score: how many of each exercise's wrong answers the grader catches.

tests/test_both_ways.py grades every wrong answer and counts here; the count is written to
``SCORES_FILE`` and printed at the end of the run (tests/conftest.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from autograder.course import BUILD

SCORES_FILE = BUILD / "mutation-scores.json"


@dataclass
class ExerciseScore:
    """The wrong answers of one exercise, and how many of them lose a point through the grader."""

    lecture: str
    exercise: str      # the answer cell's grade_id
    total: int = 0
    caught: int = 0


def write(scores: list[ExerciseScore]) -> None:
    SCORES_FILE.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(scores, key=lambda s: (s.lecture, s.exercise))
    SCORES_FILE.write_text(json.dumps([asdict(s) for s in ordered], indent=1) + "\n")
