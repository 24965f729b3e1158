"""Plausible wrong answers to the exercises, and the statement rules they break.

One module per lecture (``lecture_NN.py``) sets ``LECTURE`` (the notebook stem, e.g. ``"01-conv1d"``),
``WRONG`` (written by the tests' author) and ``RULES``:
- ``WRONG``: ``{answer cell grade_id: {short name: full source of a replacement answer cell}}``;
- ``RULES``: ``{answer cell grade_id: [Rule, ...]}``, every rule of the exercise's statement, the test
  cell that enforces it, and the wrong answers (authored here or written blind, tests/blind_answers/)
  that break it.

Every wrong answer must pass the visible tests of its exercise or be caught by them, and fail a
hidden test; every rule's wrong answers must fail the rule's test cell. tests/test_notebooks.py
checks both against the masters in solutions/, tests/test_both_ways.py through the grader.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from tests.blind_answers import BLIND_WRONG


@dataclass(frozen=True)
class Rule:
    """One rule of an exercise's statement, and who enforces it.

    says: the rule, quoted from the statement (the exercises' Markdown or the answer cell's
        docstring; compared with backticks, asterisks, dollar signs and line breaks ignored).
    test: grade_id of the test cell that fails whenever the rule is broken.
    broken_by: wrong answers that break the rule, each named by a part of its name that no other
        wrong answer of the exercise shares.
    """

    says: str
    test: str
    broken_by: tuple[str, ...]


Answers = dict[str, dict[str, str]]


def named(answers: dict[str, str], part: str) -> list[str]:
    """The names in ``answers`` that ``part`` (of a ``Rule.broken_by``) names: the one called exactly
    that, else every one whose name contains it."""
    return [part] if part in answers else [name for name in answers if part in name]

AUTHORED_WRONG: dict[str, Answers] = {}
RULES: dict[str, dict[str, list[Rule]]] = {}
for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("lecture_"):
        _module = importlib.import_module(f"{__name__}.{_info.name}")
        AUTHORED_WRONG[_module.LECTURE] = _module.WRONG
        RULES[_module.LECTURE] = _module.RULES


def _merged(lecture: str) -> Answers:
    authored, blind = AUTHORED_WRONG.get(lecture, {}), BLIND_WRONG.get(lecture, {})
    merged: Answers = {}
    for grade_id in [*authored, *(g for g in blind if g not in authored)]:
        mine, theirs = authored.get(grade_id, {}), blind.get(grade_id, {})
        clash = set(mine) & set(theirs)
        assert not clash, f"{lecture}/{grade_id}: wrong answers named twice: {sorted(clash)}"
        merged[grade_id] = {**mine, **theirs}
    return merged


# Every wrong answer, authored or blind: {lecture: {grade_id: {name: source}}}.
WRONG_ANSWERS: dict[str, Answers] = {lecture: _merged(lecture) for lecture in sorted({*AUTHORED_WRONG, *BLIND_WRONG})}
