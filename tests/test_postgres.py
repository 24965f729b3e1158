"""A PostgreSQL gradebook (issue 15): a real server started for the test, used by a grading run,
by a re-run with a resubmission, and by formgrader; its password written nowhere.

The server is Debian's PostgreSQL on a free loopback port (tests/postgres_server.py), stopped at
the end. The gradebook must hold one submission per (student, notebook), with the scores of
grades.csv; the resubmitted notebook's row is updated, not added.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings, grade
from autograder.runner.sandboxes.bubblewrap import bwrap_problem
from tests import postgres_server
from tests.browser_tools import free_port
from tests.example_class import write_class

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]
pytest.importorskip("psycopg", reason="psycopg is not installed (the test extra has it)")
if postgres_server.find_bin() is None:
    pytest.skip("Debian's postgresql is not installed (make test installs it with apt where it can)", allow_module_level=True)

LECTURES = ("01-conv1d", "06-padding")
SANDBOX = "bwrap" if bwrap_problem() is None else "none"


@pytest.fixture(scope="module")
def server():
    with postgres_server.running() as running:
        yield running


def _submissions(folder: Path) -> Path:
    write_class(folder, LECTURES)
    (folder / "cleo").mkdir()
    (folder / "cleo" / f"{LECTURES[0]}.ipynb").write_text("{ not a notebook")
    (folder / "students.csv").write_text("id,first_name,last_name\nada,Ada,Lovelace\nben,Ben,Okafor\ncleo,Cleo,Diaz\n")
    return folder


def _gradebook_rows(url: str) -> list[tuple[str, str, float, float]]:
    """(student, notebook, score, max score) for every submitted notebook in the database."""
    from nbgrader.api import Gradebook

    with Gradebook(url, "convolutions-beyond-images") as gb:
        return sorted((nb.student.id, nb.assignment.name, float(nb.score), float(nb.max_score))
                      for assignment in gb.assignments for submission in assignment.submissions
                      for nb in submission.notebooks)


def _csv_rows(out: Path) -> dict[tuple[str, str], tuple[str, float, float]]:
    with (out / "grades.csv").open() as f:
        return {(r["student"], r["notebook"]): (r["status"], float(r["score"]), float(r["max_score"]))
                for r in csv.DictReader(f) if r["notebook"] != "total"}


def test_a_class_graded_into_postgresql(tmp_path, server):
    submissions = _submissions(tmp_path / "submissions")
    course, out = tmp_path / "course", tmp_path / "out"
    settings = Settings(submissions=submissions, out=out, course_dir=course, workers=2, db_url=server.url(),
                        limits=Limits(cell_timeout_s=30, sandbox=SANDBOX), progress=False)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert grade(settings) == 0
    assert server.password not in printed.getvalue() and "gradebook: postgresql+psycopg://grader:***@" in printed.getvalue()
    config = (course / "nbgrader_config.py").read_text()
    assert server.password not in config and server.url(password=False) in config

    rows = _gradebook_rows(server.url())
    keys = [(student, lecture) for student, lecture, _, _ in rows]
    assert len(keys) == len(set(keys)) == 4, rows   # ada and ben x 2; cleo's file is not a notebook
    table = _csv_rows(out)
    for student, lecture, score, max_score in rows:
        assert table[(student, lecture)] == ("graded", score, max_score), (student, lecture, table[(student, lecture)])
    assert table[("cleo", LECTURES[0])][:2] == ("invalid notebook", 0.0)
    assert not (course / "gradebook.db").exists(), "no SQLite gradebook beside the server's"

    # a resubmission: ben hands in ada's answers; his row is updated in place
    shutil.copyfile(submissions / "ada" / f"{LECTURES[0]}.ipynb", submissions / "ben" / f"{LECTURES[0]}.ipynb")
    again = Grader(Settings(submissions=submissions, out=out, course_dir=course, workers=1, db_url=server.url(),
                            limits=Limits(cell_timeout_s=30, sandbox=SANDBOX), progress=False))
    outcomes = again.run()
    assert again.jobs_run == 1
    after = _gradebook_rows(server.url())
    assert len(after) == 4
    ada = next(r for r in after if r[:2] == ("ada", LECTURES[0]))
    ben = next(r for r in after if r[:2] == ("ben", LECTURES[0]))
    assert ben[2] == ada[2] == outcomes[("ben", LECTURES[0])].score
    assert [r for r in after if r[1] != LECTURES[0]] == [r for r in rows if r[1] != LECTURES[0]]

    # formgrader on the workspace: the URL from its configuration, the password from PGPASSWORD
    port, token = free_port(), "postgres-test"
    env = {**os.environ, "PGPASSWORD": server.password}
    formgrader = subprocess.Popen([sys.executable, "-m", "autograder", "formgrader", "--course-dir", str(course), "--",
                                   "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        students = None
        deadline = time.monotonic() + 120
        while students is None and time.monotonic() < deadline and formgrader.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader/api/students?token={token}", timeout=5) as r:
                    students = json.loads(r.read())
            except OSError:
                time.sleep(0.5)
        assert students is not None, formgrader.stderr.read() if formgrader.poll() is not None else "no answer"
        scores = {s["id"]: (s["last_name"], s["score"]) for s in students}
        assert scores["ada"][0] == "Lovelace" and scores["ben"] == ("Okafor", sum(r[2] for r in after if r[0] == "ben"))
    finally:
        formgrader.terminate()
        formgrader.wait(timeout=30)
    assert server.password not in (course / "nbgrader_config.py").read_text()
