"""Issue 14: deadlines and late penalties (late.py), through nbgrader's own AssignLatePenalties."""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from autograder.course import lecture_ids
from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings
from autograder.pipeline.late import DAY_S, LatePolicy, PercentPerDay
from autograder.pipeline.submissions import find_submissions, handed_in_at
from autograder.runner.sandboxes.bubblewrap import bwrap_problem
from autograder.workbook import make_examples

FIRST = lecture_ids()[0]


def test_a_policy_is_parsed_or_refused_with_what_was_expected():
    assert LatePolicy.parse("none") == LatePolicy("none") and LatePolicy.parse("zero") == LatePolicy("zero")
    assert LatePolicy.parse("12.5%/day") == LatePolicy("percent", 12.5)
    for bad in ("10%", "ten%/day", "0%/day", "150%/day", ""):
        with pytest.raises(ValueError, match="--late-penalty: expected none, zero or a percentage per day"):
            LatePolicy.parse(bad)


def test_percent_per_started_day_of_the_score_capped_at_the_score():
    plugin = PercentPerDay(percent_per_day=10.0)
    assert plugin.late_submission_penalty("s", 8.0, 60) == pytest.approx(0.8)            # a minute: one started day
    assert plugin.late_submission_penalty("s", 8.0, DAY_S + 1) == pytest.approx(1.6)     # two started days
    assert plugin.late_submission_penalty("s", 8.0, 30 * DAY_S) == 8.0                   # never more than the score
    assert PercentPerDay(penalty_method="zero").late_submission_penalty("s", 8.0, 60) == 8.0


def test_the_time_of_a_submission_comes_from_timestamp_txt_then_the_zip_then_the_file(tmp_path):
    folder = tmp_path / "subs"
    nb = make_examples.build()[f"ada/{FIRST}.ipynb"]
    (folder / "ann").mkdir(parents=True)
    (folder / "ann" / f"{FIRST}.ipynb").write_bytes(nb)
    a_while_ago = time.time() - 3 * DAY_S
    os.utime(folder / "ann" / f"{FIRST}.ipynb", (a_while_ago, a_while_ago))
    (folder / "bob").mkdir()
    (folder / "bob" / f"{FIRST}.ipynb").write_bytes(nb)
    (folder / "bob" / "timestamp.txt").write_text("2026-03-01 10:00:00.000000 UTC")
    with zipfile.ZipFile(folder / "cid.zip", "w") as zf:
        zf.writestr(zipfile.ZipInfo(f"{FIRST}.ipynb", date_time=(2026, 5, 2, 8, 30, 0)), nb)
    found, _ = find_submissions(folder, [FIRST], {})
    at = {f.student: f.timestamp for f in found}
    assert abs(at["ann"].timestamp() - a_while_ago) < 1
    assert at["bob"] == datetime(2026, 3, 1, 10, 0, tzinfo=UTC) == handed_in_at(folder / "bob")
    assert at["cid"] == datetime(2026, 5, 2, 8, 30).astimezone(UTC)   # zip times are local


@pytest.mark.slow
@pytest.mark.sandbox
def test_a_late_notebook_loses_its_percentage_per_started_day(tmp_path):
    notebook = make_examples.build()[f"ada/{FIRST}.ipynb"]
    deadline = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    submissions = tmp_path / "subs"
    for student, handed_in in (("early", deadline - timedelta(hours=1)), ("late", deadline + timedelta(days=1, hours=3))):
        (submissions / student).mkdir(parents=True)
        (submissions / student / f"{FIRST}.ipynb").write_bytes(notebook)
        os.utime(submissions / student / f"{FIRST}.ipynb", (handed_in.timestamp(),) * 2)
    settings = Settings(submissions=submissions, out=tmp_path / "out", course_dir=tmp_path / "course", workers=1,
                        limits=Limits(cell_timeout_s=20, sandbox="bwrap" if bwrap_problem() is None else "none"),
                        progress=False, deadline=deadline, late_penalty="25%/day")
    outcomes = Grader(settings).run()
    early, late = outcomes[("early", FIRST)], outcomes[("late", FIRST)]
    assert early.score > 0 and not any("deadline" in d for d in early.details)
    assert late.score == pytest.approx(early.score * 0.5)   # 1 d 3 h late: two started days, 25% each
    assert any(d.startswith("handed in 1 d 3 h 0 min after the deadline: late penalty") for d in late.details), late.details
    shutil.rmtree(tmp_path / "course")


def test_a_timestamp_file_that_is_a_fifo_a_link_or_a_zip_bomb_is_no_time_and_no_hang(tmp_path):
    """What a student puts in timestamp.txt is read at most 100 bytes deep, never followed or waited on."""
    fifo = tmp_path / "fifo"
    fifo.mkdir()
    os.mkfifo(fifo / "timestamp.txt")   # opening it for reading would wait for a writer forever
    link = tmp_path / "link"
    link.mkdir()
    (link / "timestamp.txt").symlink_to("/etc/hostname")
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("timestamp.txt", "2026-03-01 10:00:00 UTC" + " " * 200_000_000)
    assert handed_in_at(fifo) is None and handed_in_at(link) is None
    # 200 MB of padding after the time: only its first 100 bytes are inflated, and they hold the time
    assert handed_in_at(tmp_path / "bomb.zip") == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
