"""The instructor's view in a real (headless) browser: the class report, a student's feedback page,
and nbgrader's formgrader on the course workspace (issue 14).

A class of two handed in one lecture: ada the reference answers, ben answers that pass the
visible tests and fail hidden ones. The report (instructor only) names ben's failed hidden
checks; ben's feedback page says that hidden tests failed and never which; formgrader lists the
students by the names of the class list. Screenshots go to build/screenshots/ (the README's
images are taken from there).
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings
from autograder.pipeline.outputs import write_outputs
from autograder.runner.sandboxes.bubblewrap import bwrap_problem
from tests.browser_tools import MISSING, chromium, chromium_missing, free_port, screenshot
from tests.example_class import write_class

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.sandbox]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if chromium_missing():
    pytest.skip(MISSING, allow_module_level=True)

LECTURE = "06-padding"
SANDBOX = "bwrap" if bwrap_problem() is None else "none"
ROSTER = "id,first_name,last_name,email\nada,Ada,Lovelace,ada@example.org\nben,Ben,Okafor,ben@example.org\n"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(the grader, the output folder) of the two students' run."""
    tmp = tmp_path_factory.mktemp("instructor")
    submissions = write_class(tmp / "submissions", [LECTURE])
    (submissions / "students.csv").write_text(ROSTER)
    out = tmp / "out"
    grader = Grader(Settings(submissions=submissions, out=out, course_dir=tmp / "course", workers=1,
                             limits=Limits(cell_timeout_s=30, sandbox=SANDBOX), progress=False))
    outcomes = grader.run()
    write_outputs(grader, sorted(outcomes))
    return grader, out


@pytest.fixture(scope="module")
def browser():
    with chromium(playwright_api) as launched:
        yield launched


def test_the_report_names_the_failed_hidden_checks_and_the_feedback_does_not(graded, browser):
    grader, out = graded
    failed = grader.outcomes[("ben", LECTURE)].hidden_failures
    assert failed, "ben's answers fail hidden tests (make_examples)"
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        page.goto((out / "report.html").as_uri())
        hidden = page.locator("h2", has_text="Hidden tests that failed").locator("xpath=following-sibling::table[1]")
        rows = hidden.locator("tr", has_text="ben")
        assert rows.count() == len(failed), hidden.inner_text()
        shown = rows.all_inner_texts()
        for test, why in failed.items():
            assert any(test in row and why.splitlines()[0][:60] in row for row in shown), (test, why, shown)
        assert hidden.locator("tr", has_text="ada").count() == 0
        exercises = page.locator("h2", has_text="Exercises").locator("xpath=following-sibling::table[1]").inner_text()
        assert "ex1 · Masked mean pooling" in exercises and "ex3 · Mean or max?" in exercises, exercises
        assert page.locator("img[alt='score distribution per exercise']").evaluate("img => img.naturalWidth") > 0
        screenshot(page, "report", full_page=True)

        page.goto((out / "feedback" / "ben.html").as_uri())
        text = page.locator("body").inner_text()
        assert "hidden" in text.lower() and LECTURE in text
        for test, why in failed.items():
            assert why.splitlines()[0][:60] not in text, f"ben's feedback shows the hidden check of {test}"
        screenshot(page, "feedback", full_page=True)
    finally:
        page.close()


def test_formgrader_shows_the_students_by_name(graded, browser):
    grader, _ = graded
    port, token = free_port(), "instructor-view-test"
    server = subprocess.Popen([sys.executable, "-m", "autograder", "formgrader", "--course-dir", str(grader.course.root), "--",
                               "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = browser.new_page(viewport={"width": 1300, "height": 800})
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "formgrader did not start"
                time.sleep(0.5)
        page.set_default_timeout(60_000)
        page.goto(f"{base}/formgrader/manage_students?token={token}")
        page.wait_for_selector("text=Lovelace")
        table = page.locator("table").first.inner_text()
        assert "Lovelace" in table and "Okafor" in table and "None" not in table, table
        screenshot(page, "formgrader-students")
        page.goto(f"{base}/formgrader/manage_submissions/{LECTURE}?token={token}")
        page.wait_for_selector("text=Okafor")
        submissions = page.locator("table").first.inner_text()
        assert "Lovelace" in submissions and "Okafor" in submissions, submissions
    finally:
        page.close()
        server.terminate()
        server.wait(timeout=30)
