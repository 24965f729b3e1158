"""The command line (autograder/__main__.py): grade refuses to run unsandboxed unless told."""

from __future__ import annotations

import pytest

from autograder.course import NOTEBOOKS
from tests.release_notebooks import FIRST


@pytest.mark.slow   # grades a class
def test_grade_refuses_to_run_unsandboxed_unless_told(tmp_path, monkeypatch, capsys):
    import shutil

    from autograder import __main__ as cli
    from autograder.runner.sandboxes import bubblewrap as sandbox

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
