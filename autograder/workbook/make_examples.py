"""Generate the example submissions in autograder/examples/ from solutions/ and notebooks/.

    python -m autograder.workbook.make_examples            write them
    python -m autograder.workbook.make_examples --check    exit 1 when they are out of date

Students (folders of notebooks, and one .zip as learning platforms export them):
- ``ada``: every exercise solved with the reference answers (full marks but the written parts);
- ``ben``: partial: in each lecture the first exercise solved, the others given a plausible
  wrong answer from example_answers.py (passes the visible tests, fails hidden ones);
  the last lecture not handed in;
- ``cleo``: the unchanged release;
- ``dan`` (``dan.zip``): broken in every way the grader must survive, one per lecture: invalid JSON, an
  nbformat 3 file, a renamed file with an edited, a deleted and a duplicated test cell, a kernel that kills
  itself (``os._exit``), an exception at import, an infinite loop, and ``raise SystemExit`` (what
  ``sys.exit()`` does; importing ``sys`` in an answer would send its tests to manual grading, evasion.py).
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import re
import zipfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import is_answer_cell, is_test_cell, nbgrader_meta
from autograder.course import NOTEBOOKS, ROOT, SOLUTIONS, lecture_ids
from autograder.workbook.example_answers import WRONG_FOR_BEN

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", re.MULTILINE)


def _answers(master: NotebookNode) -> dict[str, str]:
    """grade_id -> the reference answer as a student would type it (markers removed)."""
    return {nbgrader_meta(c)["grade_id"]: MARKER.sub("", c.source) for c in master.cells if nbgrader_meta(c).get("solution")}


def _answer_ids(nb: NotebookNode) -> list[str]:
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells if is_answer_cell(c)]


def _fill(release: NotebookNode, answers: dict[str, str]) -> NotebookNode:
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def _text(nb: NotebookNode) -> bytes:
    return nbformat.writes(nb).encode()


def build() -> dict[str, bytes]:
    """Relative path under examples/ -> file content."""
    files: dict[str, bytes] = {}
    lectures = lecture_ids()
    releases = {lec: nbformat.read(NOTEBOOKS / f"{lec}.ipynb", as_version=4) for lec in lectures}
    masters = {lec: nbformat.read(SOLUTIONS / f"{lec}.ipynb", as_version=4) for lec in lectures}
    for lec in lectures:
        files[f"cleo/{lec}.ipynb"] = _text(releases[lec])
        answers = _answers(masters[lec])
        files[f"ada/{lec}.ipynb"] = _text(_fill(releases[lec], answers))
        if lec == lectures[-1]:
            continue  # ben did not hand in the last lecture
        partial = dict(answers)
        for grade_id in _answer_ids(releases[lec])[1:]:
            wrong = WRONG_FOR_BEN.get(lec, {}).get(grade_id)
            if wrong:
                partial[grade_id] = next(iter(wrong.values()))
        files[f"ben/{lec}.ipynb"] = _text(_fill(releases[lec], partial))
    files["dan.zip"] = _zip({f"dan/{name}": content for name, content in _dan(lectures, releases, masters).items()})
    return files


def _zip(members: dict[str, bytes]) -> bytes:
    """A zip with fixed timestamps, so that regenerating it gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def _dan(lectures, releases, masters) -> dict[str, bytes]:
    """File name -> content: one way of breaking per lecture (zipped: some are not even JSON)."""
    files = {}
    solved = {lec: _fill(releases[lec], _answers(masters[lec])) for lec in lectures}
    first_answer = {lec: _answer_ids(releases[lec])[0] for lec in lectures}

    def with_first_answer(lec: str, code: str) -> bytes:
        nb = copy.deepcopy(solved[lec])
        for cell in nb.cells:
            if nbgrader_meta(cell).get("grade_id") == first_answer[lec]:
                cell.source = code
        return _text(nb)

    l1, l2, l3, l4, l5, l6, l7 = lectures[:7]
    files[f"{l1}.ipynb"] = b'{"cells": [ this is not JSON'
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
    files[f"{l2}.ipynb"] = json.dumps(v3).encode()
    tampered = copy.deepcopy(solved[l3])
    tests = [c for c in tampered.cells if is_test_cell(c)]
    tests[0].source = "# tests edited by the student\npass"
    tampered.cells.remove(tests[1])
    duplicate = copy.deepcopy(tests[2])
    duplicate["id"] = "duplicated-test"
    position = next(i for i, cell in enumerate(tampered.cells) if cell is tests[2])
    tampered.cells.insert(position + 1, duplicate)
    files[f"{l3} (1).ipynb"] = _text(tampered)  # renamed and tampered
    files[f"{l4}.ipynb"] = with_first_answer(l4, "import os\nos._exit(1)")
    files[f"{l5}.ipynb"] = with_first_answer(l5, "from numpy import no_such_function_for_grading")
    files[f"{l6}.ipynb"] = with_first_answer(l6, "while True:\n    pass")
    files[f"{l7}.ipynb"] = with_first_answer(l7, "raise SystemExit('giving up')")
    return files


def write(files: dict[str, bytes]) -> None:
    for stale in sorted(EXAMPLES.rglob("*"), reverse=True):
        rel = stale.relative_to(EXAMPLES).as_posix()
        if stale.is_file() and rel not in files and rel != "README.md":
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()
    for rel, content in files.items():
        path = EXAMPLES / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)


def differences(files: dict[str, bytes]) -> list[str]:
    present = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*") if p.is_file() and p.name != "README.md"}
    problems = [f"examples/{rel} is not generated" for rel in sorted(present - files.keys())]
    problems += [f"examples/{rel} is missing or out of date" for rel, content in sorted(files.items())
                 if not (EXAMPLES / rel).exists() or (EXAMPLES / rel).read_bytes() != content]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.workbook.make_examples", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        problems = differences(files)
        print("\n".join(problems) or "examples are up to date")
        return 1 if problems else 0
    write(files)
    print(f"wrote {len(files)} files under {EXAMPLES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
