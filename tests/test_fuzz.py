"""Bounded fuzzing of what a class can hand in (issue 11): random notebook JSON (valid and
broken nbformat, random metadata, cell kinds and sizes) and random folder and zip layouts
and names. Whatever comes, every notebook gets a status and never ``grader error``, the run
completes, and the honest students next to the random ones are graded as if alone.

Two layers, each within a fixed budget:
- many examples (hypothesis) through everything the grader's main process does before a
  kernel runs: finding the submissions, reading, checking and sanitizing each notebook;
- one full grading run (kernels and trusted checks) of random notebooks drawn with a seed,
  next to a perfect and an unchanged submission.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.course import NOTEBOOKS
from autograder.model import Limits
from autograder.pipeline.grade import GRADER_ERROR, Grader, Settings
from autograder.runner.sandboxes.bubblewrap import bwrap_problem
from autograder.workbook import make_examples

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

LECTURE = "06-padding"
RELEASE = json.loads((NOTEBOOKS / f"{LECTURE}.ipynb").read_text())
EXAMPLES = 60          # hypothesis examples of the fast layer (about 0.3 s each)
RANDOM_NOTEBOOKS = 6   # random students in the full run
SEED = 20261201

# -- strategies ------------------------------------------------------------------------------

class HugeInt:
    """An integer of ``digits`` digits, written by ``_dumps`` (hypothesis would print it, and Python
    refuses to print more than 4,300 digits)."""

    def __init__(self, digits: int):
        self.digits = digits

    def __repr__(self) -> str:
        return f"HugeInt({self.digits})"


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.builds(HugeInt, st.integers(4000, 6000)),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)
nbgrader_metadata = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={
        "grade": json_values, "solution": json_values, "locked": json_values, "points": json_values,
        "grade_id": st.one_of(st.sampled_from(["ex1-answer", "ex1-tests-values", "ex2-answer", "x"]), json_values),
        "schema_version": json_values}),
)
sources = st.one_of(st.text(max_size=200), st.lists(st.text(max_size=40), max_size=5), json_values,
                    st.sampled_from(["raise ValueError('x')", "1 / 0", "print('x' * 10000)", "%time 1", "import sys"]))


@st.composite
def cells(draw) -> dict:
    cell = {"cell_type": draw(st.sampled_from(["code", "markdown", "raw", "heading", ""]) | st.text(max_size=8)),
            "metadata": {}, "source": draw(sources)}
    if draw(st.booleans()):
        cell["metadata"]["nbgrader"] = draw(nbgrader_metadata)
    if draw(st.booleans()):
        cell["metadata"][draw(st.text(max_size=8))] = draw(json_values)
    if draw(st.booleans()):
        cell["id"] = draw(st.text(max_size=70))
    if cell["cell_type"] == "code" or draw(st.booleans()):
        cell["outputs"], cell["execution_count"] = draw(st.one_of(st.just([]), st.lists(json_values, max_size=2))), None
    return cell


@st.composite
def notebook_bytes(draw) -> bytes:
    """A submission file: the release edited at random, random JSON, or random bytes."""
    kind = draw(st.sampled_from(["edited", "edited", "edited", "json", "bytes", "truncated"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "json":
        return _dumps(draw(json_values))
    nb = copy.deepcopy(RELEASE)
    for _ in range(draw(st.integers(0, 4))):
        edit = draw(st.sampled_from(["insert", "delete", "metadata", "nbgrader", "top", "format"]))
        cells_now = nb.get("cells") if isinstance(nb.get("cells"), list) else None
        if edit == "insert" and cells_now is not None:
            cells_now.insert(draw(st.integers(0, len(cells_now))), draw(cells()))
        elif edit == "delete" and cells_now:
            del cells_now[draw(st.integers(0, len(cells_now) - 1))]
        elif edit in ("metadata", "nbgrader") and cells_now:
            target = cells_now[draw(st.integers(0, len(cells_now) - 1))]
            if isinstance(target, dict) and isinstance(target.get("metadata", {}), dict):
                key = "nbgrader" if edit == "nbgrader" else draw(st.text(max_size=8))
                target.setdefault("metadata", {})[key] = draw(nbgrader_metadata if edit == "nbgrader" else json_values)
        elif edit == "top":
            nb[draw(st.sampled_from(["metadata", "cells", "extra"]))] = draw(json_values)
        elif edit == "format":
            nb[draw(st.sampled_from(["nbformat", "nbformat_minor"]))] = draw(json_values)
    data = _dumps(nb)
    return data[:draw(st.integers(0, len(data)))] if kind == "truncated" else data


def _dumps(value: object) -> bytes:
    import sys

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)   # integers of thousands of digits are valid JSON
    try:
        return json.dumps(value, default=lambda huge: 10**huge.digits - 1).encode()
    finally:
        sys.set_int_max_str_digits(limit)


names = st.one_of(st.sampled_from(["submitted", "ada", "ada\n", ".hidden", "a b", "x.zip", "nbgrader_config.py", "é"]),
                  st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=20))


@st.composite
def layouts(draw) -> list[tuple[str, str, list[str], bytes]]:
    """Entries (student name, folder or zip, path parts inside, file bytes)."""
    entries = []
    for _ in range(draw(st.integers(1, 4))):
        parts = draw(st.lists(names, max_size=3)) + [draw(st.sampled_from([f"{LECTURE}.ipynb", "x.ipynb", "notes.txt"]) | names)]
        entries.append((draw(names), draw(st.sampled_from(["folder", "zip"])), parts, draw(notebook_bytes())))
    return entries


# -- the fast layer: everything before a kernel runs -------------------------------------------

def _write(root: Path, entries, honest: dict[str, bytes]) -> None:
    for student, data in honest.items():
        (root / student).mkdir(parents=True)
        (root / student / f"{LECTURE}.ipynb").write_bytes(data)
    for student, kind, parts, data in entries:
        if student in honest or student in (".", ".."):
            continue
        try:
            if kind == "zip":
                with zipfile.ZipFile(root / f"{student}.zip", "a" if (root / f"{student}.zip").exists() else "w") as zf:
                    zf.writestr("/".join(parts), data)
            else:
                target = root.joinpath(student, *parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        except (OSError, ValueError, zipfile.BadZipFile):
            continue   # a name this file system refuses: nobody can hand it in either


@pytest.fixture(scope="module")
def honest() -> dict[str, bytes]:
    examples = make_examples.build()
    return {"zz-ada": examples[f"ada/{LECTURE}.ipynb"], "zz-cleo": examples[f"cleo/{LECTURE}.ipynb"]}


@pytest.fixture(scope="module")
def grader(tmp_path_factory) -> Grader:
    tmp = tmp_path_factory.mktemp("fuzz-course")
    made = Grader(Settings(submissions=tmp, out=tmp / "out", course_dir=tmp / "course", workers=1,
                           limits=Limits(sandbox="none"), force=True, progress=False))
    made._execute = lambda jobs: list(jobs)   # the fast layer prepares every job, then stops before any kernel
    released = made.course.prepare()
    made.course.prepare = lambda: released   # made once: the release does not change between examples
    return made


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(entries=layouts())
def test_any_layout_and_notebook_gets_a_status(grader, honest, tmp_path_factory, entries):
    root = tmp_path_factory.mktemp("fuzz-submissions")
    _write(root, entries, honest)
    grader.settings = Settings(**{**grader.settings.__dict__, "submissions": root})
    grader.outcomes.clear()
    outcomes = grader.run()
    errors = {key: o.details for key, o in outcomes.items() if o.status == GRADER_ERROR}
    assert not errors, errors
    for student, _data in honest.items():
        mine = outcomes[(student, LECTURE)]
        assert mine.status == "graded" and mine.origin == f"{student}/{LECTURE}.ipynb", (student, mine)
    assert all(s.isprintable() for s, _ in outcomes)
    shutil.rmtree(root, ignore_errors=True)


# -- the full layer: one grading run ----------------------------------------------------------

def _random_notebook(rng: random.Random) -> bytes:
    """A notebook drawn with ``rng``: the release with random cells and metadata, or junk."""
    nb = copy.deepcopy(RELEASE)
    snippets = ["print('x' * 100_000)", "raise KeyError('y')", "import numpy as np\nnp.ones(10) / 0",
                "def masked_mean_pool(H, mask):\n    return 1", "while True:\n    pass", "%time 1", "x = [1] * 10**6",
                "from IPython.display import display\ndisplay({'text/plain': 'z' * 10_000}, raw=True)"]
    for _ in range(rng.randint(1, 5)):
        choice = rng.random()
        if choice < 0.5:
            cell = nbformat.v4.new_code_cell(rng.choice(snippets))
            cell["id"] = f"fuzz-{rng.randrange(10**6)}"
            if rng.random() < 0.5:
                cell["metadata"]["nbgrader"] = rng.choice(["x", [], {"grade": True}, {"grade_id": "ex1-answer", "solution": True},
                                                           {"grade": True, "grade_id": "ex1-tests-values", "points": 10**5}])
            nb["cells"].insert(rng.randrange(len(nb["cells"]) + 1), dict(cell))
        elif choice < 0.8:
            target = rng.choice(nb["cells"])
            target["metadata"][f"k{rng.randrange(100)}"] = rng.choice([10**4500, "é" * 50, [[[[]]]], None, 1e308])
        else:
            nb["metadata"]["kernelspec"] = rng.choice([None, "python2", {"name": 3}])
    return _dumps(nb)


@pytest.mark.skipif(bwrap_problem() is not None, reason=f"no sandbox here: {bwrap_problem()}")
def test_a_class_with_random_notebooks_is_graded(tmp_path, honest):
    from autograder.pipeline.outputs import write_outputs

    rng = random.Random(SEED)
    submissions = tmp_path / "submissions"
    for student, data in honest.items():
        (submissions / student).mkdir(parents=True)
        (submissions / student / f"{LECTURE}.ipynb").write_bytes(data)
    for index in range(RANDOM_NOTEBOOKS):
        (submissions / f"fuzz-{index}").mkdir()
        (submissions / f"fuzz-{index}" / f"{LECTURE}.ipynb").write_bytes(_random_notebook(rng))
    grader = Grader(Settings(submissions=submissions, out=tmp_path / "out", course_dir=tmp_path / "course", workers=2,
                             limits=Limits(cell_timeout_s=5), progress=False))
    grader.run()
    keys = sorted(k for k in grader.outcomes if k[1] == LECTURE)
    outcomes = {(o.student, o.lecture): o for o in write_outputs(grader, keys)}
    errors = {key: o.details for key, o in outcomes.items() if o.status == GRADER_ERROR}
    assert not errors, errors
    assert (outcomes[("zz-ada", LECTURE)].status, outcomes[("zz-ada", LECTURE)].score) == ("graded", 8.0)
    assert (outcomes[("zz-cleo", LECTURE)].status, outcomes[("zz-cleo", LECTURE)].score) == ("graded", 0.0)
    assert len(outcomes) == len(honest) + RANDOM_NOTEBOOKS
