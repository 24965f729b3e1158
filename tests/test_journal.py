"""The grading journal (what counts as recorded) and the run folder (what a killed run leaves behind)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from autograder.model import Outcome
from autograder.pipeline.journal import LEGACY_STATE, Journal
from autograder.pipeline.run_folder import LOCK, PREFIX, RUN_ID, UNLOCKED_GRACE_S, RunFolder, sweep


def test_the_last_record_of_a_notebook_wins_and_a_line_cut_short_is_ignored(tmp_path):
    journal = Journal(tmp_path)
    journal.append(Outcome("ann", "01", "graded", 1.0, 5.0, digest="d1"))
    journal.append(Outcome("ann", "01", "graded", 4.0, 5.0, digest="d2"))
    journal.append(Outcome("bob", "01", "missing", 0.0, 5.0))
    journal.close()
    with journal.path.open("a") as f:
        f.write('{"student": "cid", "lecture": "01", "sta')   # the power went off here
    loaded = Journal(tmp_path).load()
    assert set(loaded) == {("ann", "01"), ("bob", "01")}
    assert loaded[("ann", "01")].score == 4.0 and loaded[("ann", "01")].digest == "d2"

    after = Journal(tmp_path)   # the next run appends after the broken line, on a line of its own
    after.append(Outcome("cid", "01", "graded", 2.0, 5.0))
    after.close()
    assert Journal(tmp_path).load()[("cid", "01")].score == 2.0


def test_compacting_keeps_one_line_per_notebook_and_reads_the_old_state_file(tmp_path):
    legacy = {"ann/01": {"student": "ann", "lecture": "01", "status": "graded", "score": 3.0, "max_score": 5.0,
                         "needs_manual_grade": False, "details": [], "origin": "ann/01.ipynb", "digest": "3|x"}}
    (tmp_path / LEGACY_STATE).write_text(json.dumps(legacy))
    journal = Journal(tmp_path)
    outcomes = journal.load()
    assert outcomes[("ann", "01")].score == 3.0
    for score in (1.0, 2.0):
        journal.append(Outcome("bob", "01", "graded", score, 5.0))
    outcomes.update(journal.load())
    journal.compact(outcomes)
    lines = journal.path.read_text().splitlines()
    assert [json.loads(line)["student"] for line in lines] == ["ann", "bob"]
    assert json.loads(lines[1])["score"] == 2.0
    assert not (tmp_path / LEGACY_STATE).exists()


def test_a_run_folder_is_tmpdir_for_the_run_and_removed_after(tmp_path):
    with RunFolder(tmp_path) as run:
        assert run.path is not None and run.path.parent == tmp_path
        assert tempfile.gettempdir() == os.environ["TMPDIR"] == str(run.path)
        assert os.environ[RUN_ID] == run.run_id
        child = subprocess.run([sys.executable, "-c", "import tempfile; print(tempfile.gettempdir())"],
                               capture_output=True, text=True, check=True)
        assert child.stdout.strip() == str(run.path)   # the workers it starts put their files there too
        made = run.path
    assert not made.exists()
    assert os.environ.get(RUN_ID) is None and tempfile.gettempdir() != str(made)


def test_the_sweep_removes_what_dead_runs_left_and_nothing_of_a_live_one(tmp_path):
    dead = tmp_path / f"{PREFIX}dead"
    (dead / "grading-kernel-x").mkdir(parents=True)
    (dead / LOCK).touch()
    live = tmp_path / f"{PREFIX}live"
    live.mkdir()
    (live / LOCK).touch()
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time\nf = open(sys.argv[1])\n"
                               "fcntl.flock(f, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)", str(live / LOCK)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        young = tmp_path / f"{PREFIX}young"   # made a moment ago, its lock not taken yet
        young.mkdir()
        old = tmp_path / f"{PREFIX}old"
        old.mkdir()
        long_ago = time.time() - 2 * UNLOCKED_GRACE_S
        os.utime(old, (long_ago, long_ago))
        assert sorted(p.name for p in sweep(tmp_path)) == [f"{PREFIX}dead", f"{PREFIX}old"]
        assert live.exists() and young.exists() and not dead.exists() and not old.exists()
    finally:
        holder.kill()
        holder.wait()
    assert sweep(tmp_path) == [live]   # its holder is gone: the next sweep removes it
