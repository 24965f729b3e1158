"""Recognising notebooks and spotting tampering (autograder/pipeline/integrity.py): invalid files say
why, a release is not tampered, every kind of tampering is named, any grade_id is quoted safely."""

from __future__ import annotations

import copy
import json

import nbformat
import pytest

from autograder.pipeline import integrity
from tests.release_notebooks import FIRST, HUGE_ID
from tests.release_notebooks import notebook_bytes as _bytes


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
    assert "graded cell 'free-points' is not in the release" in problems
    if removed:
        assert f"deleted cell {removed}" in problems


def test_editing_an_answer_is_not_tampering(releases):
    nb = copy.deepcopy(releases[FIRST])
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = "# my answer\nx = 1"
    assert integrity.tampering(nb, releases[FIRST]) == []


@pytest.mark.parametrize("grade_id", ["notes-\ud800", HUGE_ID, 42, ["a", "b"], {"x": None}, None, True])
def test_tampering_quotes_any_grade_id(releases, grade_id):
    nb = copy.deepcopy(releases[FIRST])
    own = nbformat.v4.new_markdown_cell("my notes", metadata={"nbgrader": {"grade": False, "solution": False, "locked": False,
                                                                            "grade_id": grade_id, "points": "two"}})
    nb.cells.insert(1, own)
    test = _tests_of(nb)[0]
    test.metadata["nbgrader"]["points"] = {"huge": "x" * 1_000_000}
    test.metadata["nbgrader"]["grade"] = "\ud800"
    problems = integrity.tampering(nb, releases[FIRST])
    extra = [p for p in problems if p.endswith("is not in the release")]
    assert extra == [f"graded cell {repr(grade_id)[:80] if not isinstance(grade_id, str) else repr(grade_id[:200])[:80]} is not in the release"]
    changed = next(p for p in problems if p.startswith("changed the metadata"))
    assert all(len(p) < 400 for p in problems), problems
    for p in problems:
        p.encode("utf-8")  # no lone surrogate left: every message can be written
    assert "\\ud800" in changed
