"""The class's reports (autograder/pipeline/report.py): grades.csv, report.html and the terminal table
survive any string a notebook or a folder name holds."""

from __future__ import annotations

import copy

import nbformat

from autograder.pipeline import integrity
from tests.release_notebooks import FIRST, HUGE_ID, LECTURES


def test_reports_survive_any_string(tmp_path, releases):
    import csv

    from autograder.model import Outcome
    from autograder.pipeline import report

    nb = copy.deepcopy(releases[FIRST])
    for grade_id in ("notes-\ud800", HUGE_ID):
        nb.cells.insert(1, nbformat.v4.new_markdown_cell("x", metadata={"nbgrader": {"grade": False, "solution": False, "grade_id": grade_id}}))
    problems = integrity.tampering(nb, releases[FIRST])
    raw = ["raw \ud800 detail", "<script>" + "z" * 4_000_000] + [f"detail {i}" for i in range(1000)]
    outcomes = [Outcome("ann", FIRST, "tampered", 0.0, 5.0, details=problems, origin="ann/\udcff.ipynb"),
                Outcome("ann", LECTURES[1], "invalid notebook", 0.0, 5.0, details=raw),
                Outcome("bea\ud800", FIRST, "tampered", 0.0, 5.0, details=["x"])]
    report.write_csv(tmp_path / "grades.csv", outcomes)
    with (tmp_path / "grades.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5
    first = next(r for r in rows if (r["student"], r["notebook"]) == ("ann", FIRST))
    assert "graded cell 'notes-\\ud800' is not in the release" in first["details"]
    assert "spam-spam" in first["details"] and len(first["details"]) <= 2000
    assert first["source"] == "ann/\\udcff.ipynb"
    second = next(r for r in rows if (r["student"], r["notebook"]) == ("ann", LECTURES[1]))
    assert len(second["details"]) <= 2000
    assert all(len(part) <= 500 for part in second["details"].split(" | "))
    assert second["details"].startswith("raw \\ud800 detail | <script>zzz")
    assert (tmp_path / "grades.csv").stat().st_size < 20_000

    report.write_class_report(tmp_path / "report.html", outcomes, {}, LECTURES, ["note \ud800", "n" * 1_000_000])
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page and "<script" not in page and len(page) < 50_000
    table = report.terminal_table(outcomes, LECTURES)
    table.encode("utf-8")
    assert "bea\\ud800" in table
