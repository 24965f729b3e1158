"""Answers written blind, one module per lecture (``lecture_NN.py``): by someone who read only the
student notebook and the library, never the hidden tests (issue 12, section 3).

Each module sets ``LECTURE``, ``CORRECT`` and ``WRONG``, both
``{answer cell grade_id: {short description: full source of a replacement answer cell}}``.
tests/test_notebooks.py runs them against the masters (wrong ones must fail a hidden test, correct
ones must pass every test) and tests/test_both_ways.py through the grader.
"""

from __future__ import annotations

import importlib
import pkgutil

Answers = dict[str, dict[str, str]]

BLIND_CORRECT: dict[str, Answers] = {}
BLIND_WRONG: dict[str, Answers] = {}
for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("lecture_"):
        _module = importlib.import_module(f"{__name__}.{_info.name}")
        BLIND_CORRECT[_module.LECTURE] = _module.CORRECT
        BLIND_WRONG[_module.LECTURE] = _module.WRONG
