"""Where the course's files live, and the nbgrader configuration they share.

The repository keeps a flat layout (``solutions/NN-name.ipynb`` and
``notebooks/NN-name.ipynb``); nbgrader wants a course directory
(``source/<assignment>/<notebook>.ipynb``, ``release/...``, a gradebook).
Each lecture is one nbgrader assignment whose id is the notebook's stem, and the
course directory is a workspace under ``build/``, outside the tracked tree.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
WORK = ROOT / "work"   # the student's own copies of the lectures (student_copies.py), ignored by git
COURSE_ID = "convolutions-beyond-images"

LECTURE_PATTERN = re.compile(r"^\d\d-[a-z0-9-]+$")

# What a student sees in place of a removed solution: the exception says what to do.
CODE_STUB = '# YOUR CODE HERE\nraise NotImplementedError("Exercise not solved yet: replace this line with your code")'


def lecture_ids(solutions: Path = SOLUTIONS) -> list[str]:
    """Assignment ids, one per master notebook ``solutions/NN-name.ipynb``, in order."""
    ids = sorted(p.stem for p in solutions.glob("*.ipynb") if LECTURE_PATTERN.match(p.stem))
    return ids


def nbgrader_config(course_root: Path) -> Config:
    """The nbgrader configuration for a course workspace rooted at ``course_root``."""
    c = Config()
    c.CourseDirectory.root = str(course_root)
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.db_url = f"sqlite:///{course_root / 'gradebook.db'}"
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    return c


def put_interpreter_scripts_on_path() -> None:
    """Make the console scripts beside this interpreter (``alembic``, ``jupyter``) findable.

    nbgrader runs ``alembic`` and kernels by name; called as ``.venv/bin/python -m autograder``
    without an activated virtualenv, they would not be on ``PATH``.
    """
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
