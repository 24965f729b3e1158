"""The nbgrader course workspace that grading keeps between runs (default ``build/course``).

    build/course/
      nbgrader_config.py       so `nbgrader formgrader` etc. work on it as they are
      gradebook.db             the gradebook: assignments, students, scores, manual grades
      source/<lecture>/        copies of the masters in solutions/
      release/<lecture>/       nbgrader's student versions (the reference for tamper checks)
      submitted/<student>/<lecture>/   the notebooks as handed in
      autograded/<student>/<lecture>/  executed and scored notebooks (instructor's eyes only)
      work/<student>/<lecture>/        each grading kernel's working directory
      grading-journal.jsonl    what was graded from which inputs, appended as each result is recorded (re-runs, crashes)
      grading.log              one line per notebook graded: when, which worker, status, where the time went

Only the main process of a grading run writes to the gradebook (SQLite takes one writer
at a time); the workers never open it. The database URL is nbgrader's, so a server
database can replace the SQLite file (``--db-url postgresql+psycopg://user:password@host/db``).
Its password is used by the run and written nowhere: ``nbgrader_config.py`` keeps the URL without
it (nbgrader and formgrader then take it from ``PGPASSWORD`` or ``~/.pgpass``, as libpq does), and
what is printed shows ``***``. A later command on the workspace without ``--db-url`` (formgrader,
a re-run) uses the server URL of its ``nbgrader_config.py``.
"""

from __future__ import annotations

import ast
import hashlib
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from nbformat import NotebookNode

from autograder.course import ROOT, SOLUTIONS, lecture_ids, nbgrader_config, put_interpreter_scripts_on_path
from autograder.model import Limits

if TYPE_CHECKING:
    from autograder.pipeline.late import LatePolicy

# nbgrader's autograde steps after execution, as record.record and nbgrader's own autograde run them
PLUGIN = "autograder.pipeline.nbgrader_autograde"
AUTOGRADE_STEPS = ("nbgrader.preprocessors.LimitOutput", f"{PLUGIN}.SaveAutoGradesAtOnce",
                   "nbgrader.preprocessors.AssignLatePenalties", "nbgrader.preprocessors.CheckCellMetadata")


def autograde_preprocessors() -> list[str]:
    """``Autograde.autograde_preprocessors`` of the workspace: this grader's execution in place of
    nbgrader's, then record.record's steps, the test cells to review flagged after the scores."""
    return [f"{PLUGIN}.SandboxedExecute", *AUTOGRADE_STEPS[:2], f"{PLUGIN}.FlagForReview", *AUTOGRADE_STEPS[2:]]


CONFIGURED_URL = re.compile(r"^c\.CourseDirectory\.db_url = (.+)$", re.MULTILINE)


def without_password(db_url: str) -> str:
    """The URL with its password left out (for files); anything else unchanged."""
    from sqlalchemy.engine import URL, make_url

    url = make_url(db_url)
    if url.password is None:
        return db_url
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


def shown(db_url: str) -> str:
    """The URL as printed: the password as ``***``."""
    from sqlalchemy.engine import make_url

    return make_url(db_url).render_as_string(hide_password=True)


def configured_db_url(root: Path) -> str | None:
    """The server gradebook's URL that the workspace's ``nbgrader_config.py`` names, if any (a SQLite
    gradebook is always the workspace's own ``gradebook.db``, wherever the workspace was moved)."""
    config = root / "nbgrader_config.py"
    match = CONFIGURED_URL.search(config.read_text()) if config.is_file() else None
    if match is None:
        return None
    try:
        value = ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) and not value.startswith("sqlite") else None


class WorkspaceError(RuntimeError):
    """The course workspace could not be prepared (nbgrader refused a step)."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CourseWorkspace:
    """An nbgrader course directory with its gradebook, kept up to date with ``solutions/``."""

    def __init__(self, root: Path, *, db_url: str | None = None, solutions: Path = SOLUTIONS, limits: Limits | None = None,
                 late: LatePolicy | None = None):
        self.root = Path(root).resolve()
        self.limits = Limits() if limits is None else limits
        self.late = late
        self.solutions = solutions
        self.config = nbgrader_config(self.root)
        if late is not None:
            late.apply(self.config)
        db_url = db_url or configured_db_url(self.root)
        if db_url:
            self.config.CourseDirectory.db_url = db_url
        self.db_url: str = self.config.CourseDirectory.db_url
        self.lectures = lecture_ids(solutions)

    def path(self, kind: str, student: str | None, lecture: str) -> Path:
        """``<root>/<kind>/[<student>/]<lecture>/<lecture>.ipynb``."""
        parts = [kind] + ([student] if student else []) + [lecture, f"{lecture}.ipynb"]
        return self.root.joinpath(*parts)

    def master_digest(self, lecture: str) -> str:
        return sha256(self.solutions / f"{lecture}.ipynb")

    def prepare(self) -> dict[str, NotebookNode]:
        """Copy changed masters into source/, (re)generate their release; return the releases."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        put_interpreter_scripts_on_path()
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "nbgrader_config.py").write_text(self._config_file())
        stale = []
        for lecture in self.lectures:
            master = self.solutions / f"{lecture}.ipynb"
            source = self.path("source", None, lecture)
            released = self.path("release", None, lecture)
            if not source.exists() or source.read_bytes() != master.read_bytes() or not released.exists():
                source.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(master, source)
                stale.append(lecture)
        if stale:
            api = NbGraderAPI(CourseDirectory(config=self.config), config=self.config)
            for lecture in stale:
                outcome = api.generate_assignment(lecture, force=True, create=True)
                if not outcome["success"]:
                    raise WorkspaceError(f"nbgrader generate_assignment {lecture} failed:\n{outcome.get('error') or outcome.get('log')}")
        return {lecture: nbformat.read(self.path("release", None, lecture), as_version=4) for lecture in self.lectures}

    def _config_file(self) -> str:
        return (
            "# Written by `python -m autograder grade`: nbgrader's settings for this workspace.\n"
            "c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.course_id = {self.config.CourseDirectory.course_id!r}\n"
            f"c.CourseDirectory.root = {str(self.root)!r}\n"
            f"c.CourseDirectory.db_url = {without_password(self.db_url)!r}\n"
            f"c.ClearSolutions.code_stub = {dict(self.config.ClearSolutions.code_stub)!r}\n"
            "# nbgrader's autograde (and formgrader's Autograde button) grade as `python -m autograder grade`:\n"
            "# the student's cells in the sandbox, the tests in the trusted checks (autograder/pipeline/nbgrader_autograde.py)\n"
            f"import sys\nif {str(ROOT)!r} not in sys.path:\n    sys.path.insert(0, {str(ROOT)!r})\n"
            f"c.Autograde.autograde_preprocessors = {autograde_preprocessors()!r}\n"
            f"c.SandboxedExecute.course_root = {str(self.root)!r}\n"
            f"c.SandboxedExecute.timeout = {self.limits.cell_timeout_s!r}\n"
            f"c.SandboxedExecute.memory_mb = {self.limits.memory_mb!r}\n"
            f"c.SandboxedExecute.sandbox = {self.limits.sandbox!r}\n"
            + "".join(f"{line}\n" for line in (self.late.config_lines() if self.late is not None else []))
            + "# nbgrader's own feedback copies test cells whole, hidden tests included: clear them\n"
            "c.GenerateFeedback.preprocessors = ['nbgrader.preprocessors.GetGrades', "
            "'nbgrader.preprocessors.ClearHiddenTests', 'nbconvert.preprocessors.CSSHTMLHeaderPreprocessor']\n"
        )
