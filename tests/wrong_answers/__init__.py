"""Plausible wrong answers to the exercises, one module per lecture (``lecture_NN.py``).

Each module sets ``LECTURE`` (the notebook stem, e.g. ``"01-conv1d"``) and ``WRONG``:
``{answer cell grade_id: {short name: full source of a replacement answer cell}}``.
Every wrong answer must pass the visible tests of its exercise and fail its hidden
tests; tests/test_notebooks.py runs them against the masters in solutions/.
"""

from __future__ import annotations

import importlib
import pkgutil

WRONG_ANSWERS: dict[str, dict[str, dict[str, str]]] = {}
for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("lecture_"):
        _module = importlib.import_module(f"{__name__}.{_info.name}")
        WRONG_ANSWERS[_module.LECTURE] = _module.WRONG
