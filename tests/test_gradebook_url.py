"""A server gradebook's password is used, and written nowhere (issue 15): the workspace's
nbgrader_config.py keeps the URL without it, what is printed shows ***, and a later command on
the workspace finds the server's URL there."""

from __future__ import annotations

from autograder.pipeline.workspace import CourseWorkspace, configured_db_url, shown, without_password

URL = "postgresql+psycopg://grader:s%40cret@db.example:5433/gradebook?sslmode=require"


def test_the_password_is_left_out_of_files_and_hidden_when_shown():
    assert without_password(URL) == "postgresql+psycopg://grader@db.example:5433/gradebook?sslmode=require"
    assert shown(URL) == "postgresql+psycopg://grader:***@db.example:5433/gradebook?sslmode=require"
    sqlite = "sqlite:////tmp/course/gradebook.db"
    assert without_password(sqlite) == shown(sqlite) == sqlite


def test_the_workspace_remembers_its_server_but_not_its_password(tmp_path):
    course = CourseWorkspace(tmp_path / "course", db_url=URL)
    course.root.mkdir(parents=True)
    (course.root / "nbgrader_config.py").write_text(course._config_file())
    text = (course.root / "nbgrader_config.py").read_text()
    assert "s%40cret" not in text and "s@cret" not in text
    assert configured_db_url(course.root) == without_password(URL)
    assert CourseWorkspace(course.root).db_url == without_password(URL)
    # a moved workspace keeps its own SQLite gradebook, never the old folder's
    moved = CourseWorkspace(tmp_path / "moved")
    moved.root.mkdir()
    (moved.root / "nbgrader_config.py").write_text(CourseWorkspace(tmp_path / "old")._config_file())
    assert CourseWorkspace(moved.root).db_url == f"sqlite:///{moved.root / 'gradebook.db'}"
