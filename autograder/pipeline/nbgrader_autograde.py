"""nbgrader's own autograde, made to grade as ``python -m autograder grade`` does.

The course workspace's ``nbgrader_config.py`` (workspace.py writes it) puts
``SandboxedExecute`` where nbgrader has its ``Execute`` in ``Autograde.autograde_preprocessors``,
and ``FlagForReview`` after ``SaveAutoGrades`` (here ``SaveAutoGradesAtOnce``: the same scores, one
commit). So ``nbgrader autograde`` and formgrader's Autograde button run the student's cells in
the sandbox and judge the test cells in the trusted checks (execute.py), with the evasion rules
(evasion.py), as the grade command does: a submission gets the same scores whichever of them
graded it. Without them nbgrader would run
the tests in the student's kernel, where a patched check passes every test.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import SaveAutoGrades
from nbgrader.preprocessors.base import NbGraderPreprocessor
from traitlets import Integer, Unicode

from autograder.model import Limits
from autograder.pipeline import evasion, record
from autograder.pipeline.run_folder import RunFolder
from autograder.runner import sandboxes
from autograder.runner.execute import execute_notebook

BY_HAND = "autograder_by_hand"   # resources key: the test cells evasion.py sends to a manual grade


class SandboxedExecute(NbGraderPreprocessor):
    """Executes a sanitized submission as the grade command does (in place of nbgrader's Execute)."""

    course_root = Unicode("", help="the course workspace (source/ and release/ are read from it)").tag(config=True)
    timeout = Integer(Limits.cell_timeout_s, help="seconds a cell may run").tag(config=True)
    memory_mb = Integer(Limits.memory_mb, help="memory of each grading kernel, MiB").tag(config=True)
    sandbox = Unicode(Limits.sandbox, help='"bwrap", or "none" where the grade command ran with --no-sandbox').tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        lecture = str(info["notebook"])
        root = Path(self.course_root)
        if not self.course_root or not root.is_dir():
            raise ValueError(f"SandboxedExecute.course_root: expected the course workspace, got {self.course_root!r}")
        if (problem := sandboxes.get(self.sandbox).problem()) is not None:
            raise RuntimeError(f"the sandbox cannot run here, so this course is not autograded: {problem}")
        master = nbformat.read(root / "source" / lecture / f"{lecture}.ipynb", as_version=4)
        released = nbformat.read(root / "release" / lecture / f"{lecture}.ipynb", as_version=4)
        found = evasion.find_evasions(evasion.student_cells(nb, released))
        limits = Limits(cell_timeout_s=self.timeout, memory_mb=self.memory_mb, sandbox=self.sandbox)
        with RunFolder() as run:
            workdir = Path(tempfile.mkdtemp(prefix="work-", dir=run.path))
            executed = execute_notebook(nb, master, workdir, limits)
        if executed.details:
            self.log.warning("%s/%s: %s: %s", info.get("student"), lecture, executed.status, "; ".join(executed.details))
        resources[BY_HAND] = evasion.send_to_review(executed.nb, found) if found else []
        return executed.nb, resources


class SaveAutoGradesAtOnce(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, its scores and comments as nbgrader decides them, with the
    submission's grades and comments looked up in two queries and committed once (nbgrader looks
    up and commits each cell, about ten round trips per notebook)."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id, self.student_id = info["notebook"], info["assignment"], info["student"]
        self.db_url = info["db_url"]
        with Gradebook(self.db_url) as gb:
            submitted = gb.find_submission_notebook(self.notebook_id, self.assignment_id, self.student_id)
            self.gradebook = _Prefetched(gb, {g.name: g for g in submitted.grades}, {c.name: c for c in submitted.comments})
            nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)   # SaveAutoGrades.preprocess_cell per cell
            gb.db.commit()
        return nb, resources


class _Prefetched:
    """Stands for the Gradebook in SaveAutoGrades' cell steps: one submission's grades and comments
    already loaded, commits left to the end of the notebook."""

    def __init__(self, gradebook: Any, grades: dict[str, Any], comments: dict[str, Any]):
        self._gradebook, self._grades, self._comments = gradebook, grades, comments
        self.db = SimpleNamespace(commit=lambda: None)

    def find_grade(self, grade_id: str, *where: str) -> Any:
        found = self._grades.get(grade_id)
        return found if found is not None else self._gradebook.find_grade(grade_id, *where)   # missing: as nbgrader says

    def find_comment(self, grade_id: str, *where: str) -> Any:
        found = self._comments.get(grade_id)
        return found if found is not None else self._gradebook.find_comment(grade_id, *where)


class FlagForReview(NbGraderPreprocessor):
    """After SaveAutoGrades: the test cells whose points cannot be trusted wait for a manual grade."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        by_hand = resources.get(BY_HAND) or []
        if by_hand:
            from nbgrader.api import Gradebook

            info = resources["nbgrader"]
            with Gradebook(info["db_url"]) as gb:
                record.flag_for_review(gb, str(info["student"]), str(info["assignment"]), str(info["notebook"]), by_hand)
        return nb, resources
