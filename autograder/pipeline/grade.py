"""``python -m autograder grade``: grade a folder of submissions, in parallel, repeatably.

The stages of a run (``Grader._run``), in order:

 1. prepare the course workspace: the masters and the releases (workspace.py);
 2. find the submissions, one per (student, lecture), handed in or missing (submissions.py);
 3. register the class in the gradebook, named from the roster (roster.py);
 4. load what earlier runs recorded (journal.py);
 5. choose what to grade: what is new or changed since, or rewritten in the gradebook by another;
 6. prepare each notebook, in the main process, as a worker is about to need it (``_prepare``):
    load it (integrity.py: not a notebook is set aside as invalid), check that its author changed
    nothing they must not (tampered), sanitize it with nbgrader's own steps (record.py), find the
    code that could evade the grader's observation (evasion.py), and make its job (runner/jobs.py);
 7. execute each job on the backend (backends/: this machine's cores, or a Dask cluster): a fresh
    kernel in a sandbox, the trusted checks beside it (runner/execute.py);
 8. record each result in the gradebook (record.py, the only writer), then in the journal, a batch
    at a time (batch.py); the grading log gets a line per job (run_log.py);
 9. (a notebook whose preparation or recording failed is a grader error; the class goes on);
10. compact the journal; then ``grade`` writes grades.csv, the feedback pages and the class report
    (outputs.py).

Re-running is idempotent: a (student, lecture) whose submission, master and grading
settings are unchanged keeps its recorded result, unless ``--force``. A result counts as
recorded once it is in the journal (journal.py), which it reaches after its batch is committed
to the gradebook, so a run killed at any moment and started again grades what it had not
finished, and nothing else. Jobs are prepared as the workers take them (a window of a few per
worker): the main process's memory does not grow with the class.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial

import nbformat

from autograder.backends import Backend
from autograder.backends import select as select_backend
from autograder.cells import clean_strings, nbgrader_meta
from autograder.model import Job, JobResult, Outcome, Status
from autograder.pipeline import evasion, integrity, nbgrader_reuse, record
from autograder.pipeline.batch import BatchedResults
from autograder.pipeline.journal import Journal
from autograder.pipeline.outputs import write_outputs
from autograder.pipeline.roster import ROSTER_NAME, register_students
from autograder.pipeline.run_folder import RunFolder
from autograder.pipeline.run_log import LOG_NAME, Bar, JobTimings, NoBar, log_line, progress_bar
from autograder.pipeline.settings import Settings, utc
from autograder.pipeline.submissions import Found, find_submissions, fingerprint
from autograder.pipeline.workspace import CourseWorkspace, shown
from autograder.runner import sandboxes
from autograder.runner.execute import GRADED
from autograder.runner.jobs import without_solutions, workdir_for

# 2: trusted checks; 3: a child per call, code that evades observation graded by hand;
# 4: each test cell sees the student's cells up to it, not all of them
# 5: an invalid notebook is set aside (invalid/), not a gradebook submission
GRADER_VERSION = "5"
MISSING, INVALID, TAMPERED, GRADER_ERROR = Status.MISSING, Status.INVALID, Status.TAMPERED, Status.GRADER_ERROR


class Grader:
    """One grading run over a folder of submissions."""

    results: BatchedResults   # during a run: its final results on their way to the gradebook and the journal

    def __init__(self, settings: Settings):
        self.settings = settings
        from autograder.pipeline.late import LatePolicy

        self.late = LatePolicy.parse(settings.late_penalty)
        self.course = CourseWorkspace(settings.course_dir, db_url=settings.db_url, limits=settings.limits, late=self.late)
        self._handed_in: dict[tuple[str, str], datetime | None] = {}
        self.journal = Journal(self.course.root)
        self.outcomes: dict[tuple[str, str], Outcome] = {}
        self.skipped: list[str] = []
        self.current_students: set[str] = set()
        self.jobs_run = 0
        self.timings: list[JobTimings] = []
        self.evasions: dict[tuple[str, str], list[evasion.Evasion]] = {}
        # graded before, but the gradebook's scores are not the ones this grader wrote
        self.rewritten: set[tuple[str, str]] = set()
        self._unfinished: set[tuple[str, str]] = set()   # prepared, no final result yet
        self._writes: dict[tuple[str, str], Callable[[], object]] = {}   # what wrote a result to the gradebook
        self._bar: Bar = NoBar()
        self._masters: dict[str, str] = {}   # lecture -> its master without solutions, as sent to workers
        self.backend: Backend = select_backend(settings.workers, settings.cluster, settings.limits.sandbox)

    def _digest(self, found: Found) -> str:
        limits = self.settings.limits
        deadline = self.settings.deadline
        late = f"late {self.late} after {utc(deadline)} at {utc(found.timestamp)}" if deadline is not None else ""
        return "|".join([GRADER_VERSION, found.sha256, self.course.master_digest(found.lecture),
                         f"{limits.cell_timeout_s}/{limits.memory_mb}/{limits.output_bytes}/{limits.sandbox}", late])

    # -- the run ---------------------------------------------------------------
    def run(self) -> dict[tuple[str, str], Outcome]:
        with warnings.catch_warnings():
            # nbgrader's gradebook trips SQLAlchemy's autoflush warnings; they are not ours to fix
            warnings.filterwarnings("ignore", module="sqlalchemy")
            warnings.filterwarnings("ignore", message=".*not in session.*")
            with nbgrader_reuse.reused() as writes:
                return self._run(writes)

    def _run(self, writes: nbgrader_reuse.Writes) -> dict[tuple[str, str], Outcome]:
        """The stages of a run, in order (the module's docstring says what each does)."""
        released = self.course.prepare()   # 1. the course workspace: masters, releases
        writes.fix_masters()
        found = self._find(released)   # 2. the submissions
        register_students(self.course, self.current_students, self.settings.roster or self.settings.submissions / ROSTER_NAME,
                          required=self.settings.roster is not None, due=utc(self.settings.deadline))   # 3. the class
        writes.commit()
        self.results = BatchedResults(self.journal, writes)
        previous = self.journal.load()   # 4. what earlier runs recorded
        self.outcomes.update(previous)
        self._unfinished.clear()
        todo = self._to_grade(found)   # 5. what changed since
        # 6-9. each notebook prepared as a worker is about to need it, executed by the backend, recorded
        self._bar = progress_bar(len(todo), self.settings.progress and bool(todo))
        try:
            with RunFolder():
                self._execute(self._jobs(todo, released))
        finally:
            self._bar.close()
            try:
                self.results.commit()
            finally:
                self.journal.close()
        # 10. the journal compacted; a job prepared but never finished (a run stopped early) keeps its journal record, if any
        unfinished = self._unfinished | self.results.waiting()
        self.journal.compact({**previous, **{k: o for k, o in self.outcomes.items() if k not in unfinished}})
        return self.outcomes


    def _find(self, released: dict) -> list[Found]:
        """The submissions of the folder, one per (student, lecture) handed in or missing."""
        fingerprints = {lecture: fingerprint(nbformat.writes(nb).encode()) for lecture, nb in released.items()}
        found, self.skipped = find_submissions(self.settings.submissions, self.course.lectures, fingerprints)
        self.current_students = {item.student for item in found}
        return found

    def _to_grade(self, found: list[Found]) -> list[tuple[Found, str]]:
        """What to grade, with its digest: what is new or changed since its recorded result (all with
        ``--force``), and what the gradebook holds scores for that this grader did not write."""
        now = record.stamps(self.course, [(item.student, item.lecture) for item in found
                                          if (item.student, item.lecture) in self.outcomes])
        todo: list[tuple[Found, str]] = []
        for item in found:
            digest = self._digest(item)
            old = self.outcomes.get((item.student, item.lecture))
            if old and old.digest == digest and old.status != GRADER_ERROR and not self.settings.force:
                if not old.recorded or now.get((item.student, item.lecture)) == old.recorded:
                    continue
                self.rewritten.add((item.student, item.lecture))
            todo.append((item, digest))
        # lecture by lecture: a worker's pre-warmed trusted process (trusted_host.py) serves one master at a time
        todo.sort(key=lambda pair: (pair[0].lecture, pair[0].student))
        return todo

    def _jobs(self, todo: list[tuple[Found, str]], released: dict) -> Iterator[Job]:
        """The execution jobs of ``todo``, each prepared when a worker is about to need it; what needs
        no execution (missing, invalid) is recorded on the way."""
        for item, digest in todo:
            try:
                job = self._prepare(item, released[item.lecture], digest)
            except Exception as exc:  # noqa: BLE001 - one submission must not stop the class
                if self._writes.pop((item.student, item.lecture), None) is not None:
                    self.results.recover()   # the failed write took its batch with it
                self._final(Outcome(item.student, item.lecture, GRADER_ERROR, origin=item.origin, digest=digest,
                                    details=[f"the grader failed to prepare this notebook: {type(exc).__name__}: {exc}"]))
                self._bar.update(1)
                continue
            if job is None:
                self._final(self.outcomes[(item.student, item.lecture)])
                self._bar.update(1)
            else:
                self.jobs_run += 1
                self._unfinished.add((item.student, item.lecture))
                yield job

    def _final(self, outcome: Outcome) -> None:
        """``outcome`` is this run's result for its notebook: kept, and in the gradebook and the journal
        with its batch (batch.py)."""
        self.outcomes[outcome.key] = outcome
        self._unfinished.discard(outcome.key)
        self.results.add(outcome, self._writes.pop(outcome.key, None))

    def _prepare(self, item: Found, released, digest: str) -> Job | None:
        """Check and stage one submission; return its execution job, or None when there is nothing to run."""
        base = Outcome(item.student, item.lecture, MISSING, origin=item.origin, digest=digest, details=list(item.notes))
        if item.content is None:
            base.max_score = _max_score(released)
            self.outcomes[(item.student, item.lecture)] = base
            return None
        self._handed_in[(item.student, item.lecture)] = item.timestamp
        try:
            nb = integrity.load(item.content)
        except integrity.InvalidNotebook as exc:
            self._writes[(item.student, item.lecture)] = write = partial(record.set_aside, self.course, item.student,
                                                                         item.lecture, item.content)
            write()
            base.status, base.max_score = INVALID, _max_score(released)
            base.details.append(str(exc))
            self.outcomes[(item.student, item.lecture)] = base
            return None
        submitted = self.course.path("submitted", item.student, item.lecture)
        submitted.parent.mkdir(parents=True, exist_ok=True)
        submitted.write_bytes(item.content)
        clean_strings(nb)   # a lone surrogate in a submission would crash whatever writes it later
        problems = integrity.tampering(nb, released)
        base.details.extend(problems)
        base.status = TAMPERED if problems else GRADED
        self.outcomes[(item.student, item.lecture)] = base
        sanitized = record.sanitize(self.course, item.student, item.lecture, nb, released)
        self.evasions[(item.student, item.lecture)] = evasion.find_evasions(evasion.student_cells(sanitized, released))
        if item.lecture not in self._masters:
            master = nbformat.read(self.course.path("source", None, item.lecture), as_version=4)
            self._masters[item.lecture] = nbformat.writes(without_solutions(master))
        # a remote worker makes its own working folder: no path of this machine goes out
        workdir = "" if self.backend.remote else str(workdir_for(item.student, item.lecture, self.course.root))
        # nbformat.v4.writes: nbformat.writes without its validation (integrity.load validated the submission)
        return Job(item.student, item.lecture, nbformat.v4.writes(sanitized), self._masters[item.lecture], workdir,
                   self.settings.limits)

    def _execute(self, jobs: Iterator[Job]) -> None:
        def finish(job: Job, get_result: Callable[[], JobResult]) -> None:
            self._finish(job, get_result)
            self._bar.update(1)

        self.backend.run(jobs, finish)

    def _log(self, result: JobResult, record_s: float) -> None:
        line = log_line(result, record_s)
        with (self.course.root / LOG_NAME).open("a", encoding="utf-8") as log:
            log.write(line + "\n")
        if self.settings.verbose:
            print(line, file=sys.stderr, flush=True)

    def _finish(self, job: Job, get_result) -> None:
        outcome = self.outcomes[(job.student, job.lecture)]
        try:
            result: JobResult = get_result()
            started = time.perf_counter()
            executed = nbformat.reads(result.notebook_json, as_version=4)
            found = self.evasions.pop((job.student, job.lecture), [])
            by_hand = evasion.send_to_review(executed, found) if found else []
            self._writes[outcome.key] = write = partial(record.record, self.course, job.student, job.lecture, executed,
                                                        by_hand=by_hand, timestamp=utc(self._handed_in.pop(outcome.key, None)))
            score = write()
            self.timings.append(JobTimings(job.student, job.lecture, result.timings, time.perf_counter() - started))
            self._log(result, time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 - one broken job must not stop the class
            if self._writes.pop(outcome.key, None) is not None:
                self.results.recover()   # the failed write took its batch with it
            outcome.status = GRADER_ERROR
            outcome.details.append(f"the grader failed on this notebook: {type(exc).__name__}: {exc}")
            self._final(outcome)
            return
        if result.status != GRADED:
            outcome.status = result.status
        outcome.details.extend(result.details)
        if by_hand:
            outcome.details.append(f"tests to grade by hand ({len(by_hand)}): the code uses "
                                   + "; ".join(str(e) for e in found[:5]) + (" ..." if len(found) > 5 else ""))
        if (job.student, job.lecture) in self.rewritten:
            outcome.details.append("graded again: the gradebook held scores this grader did not write "
                                   "(another autograde, or an edit of the database)")
        if score.seconds_late > 0:
            outcome.details.append(f"handed in {_duration(score.seconds_late)} after the deadline: "
                                   f"late penalty {score.late_penalty:g} points ({self.late})")
        outcome.score, outcome.max_score, outcome.needs_manual_grade = (score.score - score.late_penalty, score.max_score,
                                                                        score.needs_manual_grade)
        outcome.recorded = score.stamp
        outcome.hidden_failures = dict(result.hidden_failures)
        self._final(outcome)


def _duration(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    return (f"{days} d " if days else "") + f"{rest // 3600} h {rest % 3600 // 60} min"


def _max_score(nb) -> float:
    return float(sum(nbgrader_meta(c).get("points", 0) or 0 for c in nb.cells if nbgrader_meta(c).get("grade")))


def grade(settings: Settings) -> int:
    """Run a grading session end to end; print the summary; return the exit code."""
    from autograder.pipeline import report

    grader = Grader(settings)
    grader.run()
    found_keys = sorted({k for k in grader.outcomes if k[0] in grader.current_students})
    outcomes = write_outputs(grader, found_keys)
    print(report.terminal_table(outcomes, grader.course.lectures))
    for note in grader.skipped:
        print(f"skipped: {note}")
    if (unconfined := sandboxes.get(settings.limits.sandbox).note) is not None:
        print(f"note: {unconfined}")
    print(f"\ngrades: {settings.out / 'grades.csv'}\nfeedback: {settings.out / 'feedback'}/<student>.html\n"
          f"class report: {settings.out / 'report.html'}\ngradebook: {shown(grader.course.db_url)}")
    return 1 if any(o.status == GRADER_ERROR for o in outcomes) else 0
