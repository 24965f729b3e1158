"""The code stays clean: ruff (lint and import order) and mypy (types), as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

import pytest

from autograder.course import ROOT

pytestmark = pytest.mark.slow

LINTED = ["autograder", "lib", "tests", "bench"]


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing():
    done = _run("ruff", "check", "--output-format", "concise", *LINTED)
    assert done.returncode == 0, f"ruff check {' '.join(LINTED)}:\n{done.stdout}{done.stderr}"


def test_mypy_finds_nothing():
    done = _run("mypy")   # files and settings: [tool.mypy] in pyproject.toml
    assert done.returncode == 0, f"mypy:\n{done.stdout}{done.stderr}"
