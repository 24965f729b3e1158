"""The student's view: every student notebook run in JupyterLab in a real (headless) browser.

JupyterLab runs from the project's environment on a loopback port with a token, on a copy
of notebooks/; Debian's Chromium is driven by Playwright (no browser download). For each
notebook the test runs every cell (Run All, then Run Selected Cell and All Below after each
exercise's expected failure), saves, and checks the saved notebook and the page: teaching
cells ran without error, the plots rendered as images, the test cells show the stub's
NotImplementedError, and nbgrader's Validate button is on the notebook toolbar. One
screenshot per notebook goes to build/screenshots/. A last test solves an exercise by
typing in the browser and sees its visible test pass.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder.course import NOTEBOOKS, lecture_ids
from tests import notebook_tools as nbt
from tests.browser_tools import MISSING, chromium, chromium_missing, free_port, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.browser]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if chromium_missing():
    pytest.skip(MISSING, allow_module_level=True)

CODE_PROMPTS = "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
UNRUN = f"() => {CODE_PROMPTS}.filter(e => e.textContent.trim() === '[ ]:').length"
IDLE = f"() => !{CODE_PROMPTS}.some(e => e.textContent.includes('*'))"
IDLE_INDICATOR = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
# JupyterLab settings for a test run: every cell in the DOM (no virtual scrolling), no news pop-up.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of notebooks/: (base URL, token, its root folder)."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "notebooks"
    shutil.copytree(NOTEBOOKS, root)
    for rel, value in SETTINGS.items():
        path = tmp / "settings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(16)
    scripts = Path(sys.executable).parent
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(
        [str(scripts / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.user_settings_dir={tmp / 'settings'}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ['PATH']}", "MPLBACKEND": ""},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"JupyterLab did not start; see {tmp / 'server.log'}")
            time.sleep(0.5)
    yield base, token, root
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def browser():
    with chromium(playwright_api) as launched:
        yield launched


def _open(browser, lab, name: str):
    base, token, _ = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    # A workspace of its own, reset: only this notebook open.
    page.goto(f"{base}/lab/workspaces/{Path(name).stem}/tree/{name}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_selector(f"{IDLE_INDICATOR} >> visible=true")
    return page


def _close(page, lab) -> None:
    """Close the page and shut its kernel down (the server keeps sessions otherwise)."""
    base, token, _ = lab
    page.close()
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def _menu(page, top: str, item: str) -> None:
    page.locator("#jp-MainMenu").get_by_text(top, exact=True).click()
    page.get_by_text(item, exact=True).click()


def _run_all_until_the_first_cell_ran(page) -> None:
    """Run All Cells and wait until the first code cell has run: on a loaded machine the menu's click
    can come before the kernel is ready and be lost (the cells below then miss their imports)."""
    prompt = page.locator(".jp-CodeCell").first.locator(".jp-InputPrompt")
    for _ in range(3):
        _menu(page, "Run", "Run All Cells")
        _wait_idle(page)
        if re.fullmatch(r"\[\d+\]:", prompt.inner_text().strip()):
            return
    raise AssertionError(f"Run All Cells did not run the first cell (its prompt: {prompt.inner_text()!r})")


def _wait_idle(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_function(IDLE, timeout=180_000)
    page.wait_for_selector(f"{IDLE_INDICATOR} >> visible=true", timeout=180_000)


def _dismiss_dialogs(page) -> None:
    """Close a dialog JupyterLab put up meanwhile (on a loaded machine: a kernel slow to answer),
    saying what it said: it would hold every click on the notebook below it."""
    dialogs = page.locator(".jp-Dialog")
    while dialogs.count():
        print(f"dismissed a JupyterLab dialog: {dialogs.first.inner_text()[:300]!r}")
        buttons = dialogs.first.locator(".jp-Dialog-button.jp-mod-accept")
        if buttons.count():
            buttons.first.click()
        else:
            page.keyboard.press("Escape")
        page.wait_for_timeout(500)


def _run_everything(page) -> None:
    """Run All stops at the first error (an unsolved exercise); go on below it until all ran."""
    _menu(page, "Run", "Run All Cells")
    for _ in range(40):
        _wait_idle(page)
        if page.evaluate(UNRUN) == 0:
            return
        _dismiss_dialogs(page)
        first = page.locator(".jp-CodeCell", has=page.locator(".jp-InputPrompt", has_text="[ ]:")).first
        first.locator(".jp-InputPrompt").click()
        _menu(page, "Run", "Run Selected Cell and All Below")
    raise AssertionError("cells were still not run after 40 rounds")


def _saved(page, path: Path) -> nbformat.NotebookNode:
    page.keyboard.press("Control+s")
    page.wait_for_selector("text=Saving completed", timeout=30_000)
    return nbformat.read(path, as_version=4)


def _screenshot(page, name: str) -> Path:
    images = page.locator(".jp-OutputArea-output img")
    if images.count():
        images.first.scroll_into_view_if_needed()
    return screenshot(page, Path(name).stem)


@pytest.mark.parametrize("lecture", lecture_ids())
def test_student_notebook_in_jupyterlab(lab, browser, lecture):
    name = f"{lecture}.ipynb"
    page = _open(browser, lab, name)
    try:
        assert page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).count() == 1, \
            "nbgrader's Validate button is not on the notebook toolbar (is its JupyterLab extension loaded?)"
        _run_everything(page)
        nb = _saved(page, lab[2] / name)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            assert cell.execution_count, f"{name}: cell {index} did not run in the browser"
            errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
            if nbt.is_test_cell(cell):
                assert errors, f"{name}: test cell {index} passes on the unsolved notebook"
            elif nbt.is_answer_cell(cell):
                assert all(e.startswith("NotImplementedError") for e in errors), f"{name}: answer cell {index}: {errors}"
            else:
                assert not errors, f"{name}: teaching cell {index} failed in the browser: {errors[0]}"
        exercises = [e for e in nbt.exercises(nb) if e.test_indices]
        assert exercises, f"{name} has no graded exercise"
        for exercise in exercises:
            shown = [o.ename for i in [exercise.answer_index, *exercise.test_indices]
                     for o in nb.cells[i].outputs if o.output_type == "error"]
            assert "NotImplementedError" in shown, f"{name}: exercise at cell {exercise.answer_index} shows {shown}"
        saved_images = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
        assert saved_images >= 1, f"{name}: no plot was produced"
        rendered = page.locator(".jp-OutputArea-output img").count()
        assert rendered >= saved_images, f"{name}: {saved_images} plots produced, {rendered} rendered as images"
        shown_errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert "NotImplementedError: Exercise not solved yet" in shown_errors.first.inner_text()
        _screenshot(page, name)
    finally:
        _close(page, lab)


SOLVED_LECTURE = "06-padding"
# One line, so that the editor's auto-indentation cannot change it.
SOLUTION = ("masked_mean_pool = lambda H, mask: np.where(np.asarray(mask, bool).sum(1, keepdims=True) > 0, "
            "np.where(np.asarray(mask, bool)[..., None], H, 0).sum(1) / np.maximum(np.asarray(mask, bool).sum(1, keepdims=True), 1), 0)")


def test_solving_an_exercise_in_the_browser_passes_its_visible_test(lab, browser):
    name = f"{SOLVED_LECTURE}.ipynb"
    page = _open(browser, lab, name)
    try:
        _run_all_until_the_first_cell_ran(page)
        answer = page.locator(".jp-CodeCell", has_text="def masked_mean_pool(H, mask):").first
        answer.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.type(SOLUTION)
        page.keyboard.press("Shift+Enter")  # runs the answer, selects the first test cell
        page.keyboard.press("Shift+Enter")  # runs the test
        _wait_idle(page)
        test = page.locator(".jp-CodeCell", has_text="# Tests: masked_mean_pool averages the real steps only").first
        assert test.locator(".jp-InputPrompt").inner_text().strip() not in ("[ ]:", "[*]:")
        assert test.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, \
            test.locator(".jp-OutputArea").inner_text()
        # issue 14: a passing test cell says so, and what it is worth
        assert "passed: ex1-tests-values, the visible tests (2 points at grading" in test.locator(".jp-OutputArea").inner_text()
        test.scroll_into_view_if_needed()
        screenshot(page, f"{SOLVED_LECTURE}-solved")
    finally:
        _close(page, lab)
