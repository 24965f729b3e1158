"""The grader's pure parts: finding submissions, recognising notebooks, spotting tampering."""

from __future__ import annotations

import copy
import json
import zipfile

import nbformat
import pytest

from autograder import integrity
from autograder.course import NOTEBOOKS, lecture_ids
from autograder.submissions import find_submissions, fingerprint

LECTURES = lecture_ids()
FIRST = LECTURES[0]


@pytest.fixture(scope="module")
def releases():
    return {lec: nbformat.read(NOTEBOOKS / f"{lec}.ipynb", as_version=4) for lec in LECTURES}


@pytest.fixture(scope="module")
def prints(releases):
    return {lec: fingerprint(nbformat.writes(nb).encode()) for lec, nb in releases.items()}


def _bytes(nb) -> bytes:
    return nbformat.writes(nb).encode()


def test_folders_zips_and_missing(tmp_path, releases, prints):
    (tmp_path / "alice" / "sub").mkdir(parents=True)
    (tmp_path / "alice" / "sub" / f"{FIRST}.ipynb").write_bytes(_bytes(releases[FIRST]))
    with zipfile.ZipFile(tmp_path / "bob.zip", "w") as zf:
        zf.writestr(f"export/{LECTURES[1]}.ipynb", _bytes(releases[LECTURES[1]]))
        zf.writestr("../../evil.ipynb", b"{}")  # never extracted: read as a candidate only
    (tmp_path / "notes.txt").write_text("not a submission")
    found, skipped = find_submissions(tmp_path, LECTURES, prints)
    handed = {(f.student, f.lecture) for f in found if f.content is not None}
    assert handed == {("alice", FIRST), ("bob", LECTURES[1])}
    assert len(found) == 2 * len(LECTURES), "every student gets a row per lecture, handed in or not"
    assert any("notes.txt" in s for s in skipped)
    assert not (tmp_path.parent / "evil.ipynb").exists()


def test_renamed_notebook_is_recognised_by_content(tmp_path, releases, prints):
    (tmp_path / "carol").mkdir()
    (tmp_path / "carol" / f"Copy of {LECTURES[2]} (1).ipynb").write_bytes(_bytes(releases[LECTURES[2]]))
    found, _ = find_submissions(tmp_path, LECTURES, prints)
    match = [f for f in found if f.lecture == LECTURES[2]][0]
    assert match.content is not None and any("renamed" in n for n in match.notes)
    assert all(f.content is None for f in found if f.lecture != LECTURES[2])


def test_nbgrader_submitted_tree(tmp_path, releases, prints):
    target = tmp_path / "submitted" / "dora" / FIRST
    target.mkdir(parents=True)
    (target / f"{FIRST}.ipynb").write_bytes(_bytes(releases[FIRST]))
    found, _ = find_submissions(tmp_path, LECTURES, prints)
    assert [(f.student, f.lecture) for f in found if f.content] == [("dora", FIRST)]


def test_unusable_student_names_and_duplicates_are_skipped(tmp_path, releases, prints):
    (tmp_path / "bad name!").mkdir()
    (tmp_path / "erin").mkdir()
    (tmp_path / "erin.zip").write_bytes(b"")
    found, skipped = find_submissions(tmp_path, LECTURES, prints)
    assert {f.student for f in found} == {"erin"}
    assert any("bad name!" in s for s in skipped) and any("erin.zip" in s for s in skipped)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="SUBMISSIONS must be a folder"):
        find_submissions(tmp_path / "nope", LECTURES, {})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\xff\xfe\x00", "not a text file"),
        (b'{"cells": [', "not valid JSON"),
        (b"[1, 2]", "not a notebook"),
        (json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": []}).encode(), "nbformat 3.0"),
        (json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code"}], "metadata": {}}).encode(), "schema"),
    ],
)
def test_invalid_notebooks_say_why(content, message):
    with pytest.raises(integrity.InvalidNotebook, match=message):
        integrity.load(content)


def test_release_loads_and_is_not_tampered(releases):
    nb = integrity.load(_bytes(releases[FIRST]))
    assert integrity.tampering(nb, releases[FIRST]) == []


def _tests_of(nb):
    return [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]


def test_every_kind_of_tampering_is_named(releases):
    release = releases[FIRST]
    nb = copy.deepcopy(release)
    tests = _tests_of(nb)
    tests[0].source += "\n# changed"
    tests[1].metadata["nbgrader"]["points"] = 100
    nb.cells.append(copy.deepcopy(tests[1]))
    removed = tests[2].metadata["nbgrader"]["grade_id"] if len(tests) > 2 else None
    if removed:
        nb.cells.remove(tests[2])
    fake = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {"grade": True, "grade_id": "free-points", "points": 5, "solution": False, "locked": True}})
    nb.cells.append(fake)
    problems = integrity.tampering(nb, release)
    ids = [t.metadata["nbgrader"]["grade_id"] for t in tests]
    assert f"edited locked cell {ids[0]}" in problems
    assert any(p.startswith(f"changed the metadata of cell {ids[1]}: points") for p in problems)
    assert any(p.startswith(f"duplicated cell {ids[1]}") for p in problems)
    assert "graded cell free-points is not in the release" in problems
    if removed:
        assert f"deleted cell {removed}" in problems


def test_editing_an_answer_is_not_tampering(releases):
    nb = copy.deepcopy(releases[FIRST])
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = "# my answer\nx = 1"
    assert integrity.tampering(nb, releases[FIRST]) == []


def test_grade_refuses_to_run_unsandboxed_unless_told(tmp_path, monkeypatch, capsys):
    import shutil

    from autograder import __main__ as cli
    from autograder import sandbox

    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bubblewrap (bwrap) is not installed")
    (tmp_path / "class" / "cleo").mkdir(parents=True)
    shutil.copyfile(NOTEBOOKS / f"{FIRST}.ipynb", tmp_path / "class" / "cleo" / f"{FIRST}.ipynb")
    common = ["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--course-dir", str(tmp_path / "course"),
              "--workers", "1", "--no-progress", "--timeout", "20"]
    assert cli.main(common) == 2
    err = capsys.readouterr().err
    assert "bubblewrap (bwrap) is not installed" in err and "--no-sandbox" in err
    assert not (tmp_path / "out").exists(), "nothing ran"

    assert cli.main([*common, "--no-sandbox"]) == 0
    assert "without a sandbox" in (tmp_path / "out" / "report.html").read_text()
    assert "without a sandbox" in capsys.readouterr().out
