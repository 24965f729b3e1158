"""Results committed a batch at a time (autograder/pipeline/batch.py) over one shared gradebook session
(autograder/pipeline/nbgrader_reuse.py): nothing in the journal that the gradebook lacks, a failed write
loses no other result, and nbgrader's writes and lookups are the ones it makes on its own."""

from __future__ import annotations

import sqlite3

import pytest

from autograder.course import put_interpreter_scripts_on_path
from autograder.model import Outcome, Status
from autograder.pipeline.batch import BatchedResults
from autograder.pipeline.journal import Journal
from autograder.pipeline.nbgrader_reuse import reused


class FakeWrites:
    """Stands for nbgrader_reuse.Writes: what was committed and rolled back, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def commit(self) -> None:
        self.events.append("commit")

    def rollback(self) -> None:
        self.events.append("rollback")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _outcome(student: str) -> Outcome:
    return Outcome(student, "01", Status.GRADED, 3.0, 5.0)


def test_a_result_reaches_the_journal_only_with_its_committed_batch(tmp_path):
    journal, writes, clock = Journal(tmp_path), FakeWrites(), Clock()
    results = BatchedResults(journal, writes, size=3, seconds=10.0, clock=clock)
    results.add(_outcome("ann"))
    results.add(_outcome("bob"))
    assert writes.events == [] and Journal(tmp_path).load() == {}, "a killed run would grade ann and bob again"
    assert results.waiting() == {("ann", "01"), ("bob", "01")}
    results.add(_outcome("cid"))   # the batch is full
    assert writes.events == ["commit"] and set(Journal(tmp_path).load()) == {("ann", "01"), ("bob", "01"), ("cid", "01")}
    assert results.waiting() == set()

    results.add(_outcome("dan"))
    clock.now = 9.9
    results.add(_outcome("eve"))
    assert writes.events == ["commit"], "neither full nor old enough yet"
    clock.now = 10.0
    results.add(_outcome("fay"))   # dan has waited long enough
    assert writes.events == ["commit", "commit"] and len(Journal(tmp_path).load()) == 6
    assert results.commit() == [] and writes.events == ["commit", "commit"], "nothing waiting: nothing to commit"
    journal.close()


def test_after_a_failed_write_the_batch_is_written_again_and_only_the_broken_one_is_lost(tmp_path):
    journal, writes = Journal(tmp_path), FakeWrites()
    results = BatchedResults(journal, writes, size=10)
    written: list[str] = []
    attempts = {"bob": 0}

    def write(student: str):
        def again() -> None:
            if student == "bob":
                attempts["bob"] += 1
                if attempts["bob"] > 1:
                    raise RuntimeError("the database refused bob twice")
            written.append(student)
        return again

    for student in ("ann", "bob", "cid"):
        write(student)()
        results.add(_outcome(student), write(student))
    results.add(_outcome("dan"))   # a result without a gradebook write (missing): nothing to redo
    written.clear()
    results.recover()   # dan's write failed (not here) and rolled the batch back
    assert writes.events == ["rollback", "rollback"], "bob's second failure rolled back again"
    assert written == ["ann", "ann", "cid"], "ann written again, bob failed, then ann and cid without bob"
    results.commit()
    loaded = Journal(tmp_path).load()
    assert loaded[("bob", "01")].status == Status.GRADER_ERROR and loaded[("bob", "01")].score == 0.0
    assert "refused bob twice" in " ".join(loaded[("bob", "01")].details)
    assert {loaded[(s, "01")].status for s in ("ann", "cid", "dan")} == {Status.GRADED}
    journal.close()


@pytest.mark.slow   # a new gradebook runs `alembic heads`: seconds
def test_nbgraders_commits_reach_the_database_when_the_batch_is_committed(tmp_path):
    from nbgrader.api import Gradebook
    from sqlalchemy import event

    put_interpreter_scripts_on_path()
    path = tmp_path / "gradebook.db"

    def students() -> list[str]:   # what another process sees
        with sqlite3.connect(path) as other:
            return [row[0] for row in other.execute("SELECT id FROM student ORDER BY id")]

    with reused() as writes:
        with Gradebook(f"sqlite:///{path}", "course") as gb:
            gb.update_or_create_student("ada")   # nbgrader commits here
        assert students() == [], "flushed in the run's transaction, not committed"
        with Gradebook(f"sqlite:///{path}", "course") as gb:
            assert [s.id for s in gb.students] == ["ada"], "the next Gradebook of the run sees it"
        writes.commit()
        assert students() == ["ada"]
        with Gradebook(f"sqlite:///{path}", "course") as gb:
            gb.update_or_create_student("bob")
        writes.rollback()
        with Gradebook(f"sqlite:///{path}", "course") as gb:
            assert [s.id for s in gb.students] == ["ada"]
            gb.update_or_create_student("cid")
    assert students() == ["ada", "cid"], "what is left at the end of the block is committed"

    with pytest.raises(RuntimeError), reused():
        with Gradebook(f"sqlite:///{path}", "course") as gb:
            gb.update_or_create_student("dan")
        raise RuntimeError("the run stopped")
    assert students() == ["ada", "cid"], "a block that raised commits nothing"

    with Gradebook(f"sqlite:///{path}", "course") as gb:   # the masters' lookups are remembered once fixed
        gb.add_assignment("01")
        gb.add_notebook("01", "01")
        gb.add_source_cell("cell-1", "01", "01", cell_type="code", source="x = 1")
    statements: list[str] = []
    with reused() as writes, Gradebook(f"sqlite:///{path}", "course") as gb:
        event.listen(gb.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        for _ in range(3):
            assert gb.find_source_cell("cell-1", "01", "01").source == "x = 1"
        asked = len(statements)
        writes.fix_masters()
        for _ in range(3):
            assert gb.find_source_cell("cell-1", "01", "01").source == "x = 1"
        assert asked == 3 and len(statements) == 4, "looked up once more, then remembered"
        with pytest.raises(Exception, match="No such source cell"):
            gb.find_source_cell("cell-2", "01", "01")   # a missing cell is still missing


@pytest.mark.slow   # grades a small class (execution left out): seconds
def test_a_notebook_the_gradebook_refuses_costs_no_other_result(tmp_path, monkeypatch):
    """ben's first notebook cannot be recorded while ada's waits in the same batch: ada's result is
    written again, ben's is a grader error, and the gradebook and the journal agree on the rest."""
    import autograder.backends.local_pool as backends
    from autograder.course import lecture_ids
    from autograder.model import JobResult, Limits
    from autograder.pipeline import grade as grading
    from autograder.pipeline import record
    from tests.example_class import write_class

    lectures = lecture_ids()[:2]
    folder = write_class(tmp_path / "class", lectures)
    monkeypatch.setattr(backends, "run_job", lambda job: JobResult(job.student, job.lecture, Status.GRADED,
                                                                   job.notebook_json, []))   # not executed: as sent
    real = record.record

    def refusing(course, student, lecture, *args, **kwargs):
        score = real(course, student, lecture, *args, **kwargs)   # nbgrader's writes made, then the failure
        if (student, lecture) == ("ben", lectures[0]):
            raise RuntimeError("the database went away")
        return score

    monkeypatch.setattr(record, "record", refusing)
    settings = grading.Settings(submissions=folder, out=tmp_path / "out", course_dir=tmp_path / "course", workers=1,
                                limits=Limits(sandbox="none"), progress=False)
    grader = grading.Grader(settings)
    outcomes = grader.run()
    assert grader.results.commits == 1, "one batch for the four notebooks"
    assert outcomes[("ben", lectures[0])].status == Status.GRADER_ERROR
    assert "the database went away" in " ".join(outcomes[("ben", lectures[0])].details)
    kept = {key for key, outcome in outcomes.items() if outcome.status == Status.GRADED}
    assert kept == {("ada", lectures[0]), ("ada", lectures[1]), ("ben", lectures[1])}
    assert set(Journal(grader.course.root).load()) == set(outcomes)

    with sqlite3.connect(grader.course.root / "gradebook.db") as db:
        rows = set(db.execute("SELECT student.id, assignment.name FROM submitted_assignment "
                              "JOIN student ON student.id = submitted_assignment.student_id "
                              "JOIN assignment ON assignment.id = submitted_assignment.assignment_id"))
        assert rows == kept, "ada's first notebook was written again after the rollback; ben's is not there"
    stamps = record.stamps(grader.course, sorted(kept))
    assert all(stamps[key] == outcomes[key].recorded for key in kept), "the gradebook holds what the journal says"
