"""The records that cross a module or process boundary, in one place: what each stage of grading
hands the next. Small dataclasses and one enum; no behaviour beyond a derived property or two.

    Settings (pipeline/settings.py)        the grade command's options
    Limits                                 main process -> worker: one kernel's resources and sandbox
    Job                                    main process -> worker: one notebook to grade
    Executed, Timings                      execute.py -> jobs.py: a notebook run, where its time went
    JobResult                              worker -> main process: the executed notebook, its status
    Score                                  record.py -> grade.py: what the gradebook holds after recording
    CellGrade                              record.py -> reports: one graded cell, manual grades included
    Outcome                                grade.py -> journal, reports: one (student, lecture)'s result
    Status                                 what every report shows for an Outcome

The trusted checks' messages (worker <-> trusted process) are in link/protocol.py, which the
trusted process imports on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from nbformat import NotebookNode


class Status(str, Enum):  # noqa: UP042 - StrEnum is Python 3.11+, the project supports 3.10
    """What happened to one (student, lecture) when it was graded. Each member is its text
    (``Status.KERNEL_DIED == "kernel died"``), which is what grades.csv, the journal and the
    reports write, so records read back as text compare equal."""

    GRADED = "graded"                   # executed and scored
    MISSING = "missing"                 # nothing handed in for this lecture
    INVALID = "invalid notebook"        # not a notebook the grader can read: scored 0
    TIMEOUT = "timeout"                 # a cell or call ran past the limit (interrupted; the rest went on)
    KERNEL_DIED = "kernel died"         # the kernel ended (os._exit, a crash, a limit): cells not reached score 0
    TAMPERED = "tampered"               # test or locked cells changed: graded with the release's cells put back
    GRADER_ERROR = "grader error"       # a failure of ours (the run's exit code is 1; a re-run grades it again)

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    @property
    def executed(self) -> bool:
        """The notebook ran (its autograded copy and cell scores exist)."""
        return self not in (Status.MISSING, Status.INVALID, Status.GRADER_ERROR)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading kernel, and its sandbox (a name in runner/sandboxes: "bwrap", "none")."""

    cell_timeout_s: int = 60
    memory_mb: int = 2048
    output_bytes: int = 1_000_000
    sandbox: str = "bwrap"
    # sandboxed kernels forked from a pre-warmed process (warm_kernels.py) where the grader can
    # build their sandbox itself (root); False: every kernel starts cold in bubblewrap
    warm_kernels: bool = True

    @property
    def notebook_s(self) -> int:
        """Wall-clock seconds for one notebook's student side, cells and calls together."""
        return max(60, 6 * self.cell_timeout_s)

    @property
    def cpu_s(self) -> int:
        """CPU seconds for the whole kernel: generous, a backstop behind the per-cell timeout."""
        return max(600, 20 * self.cell_timeout_s)


@dataclass
class Timings:
    """Where one notebook's wall time went, in seconds (the grading log and the benchmark show them)."""

    kernel_start_s: float = 0.0   # the sandbox, the interpreter and ipykernel, until the kernel answers
    sandbox_s: float = 0.0        # of which, for a warm kernel: its fork and its sandbox, until ipykernel starts
    link_s: float = 0.0           # the grader's link loaded in the kernel (its imports: NumPy, seqconv)
    cells_s: float = 0.0          # the student's cells
    trusted_s: float = 0.0        # the trusted checks, from their fork to their last verdict
    calls_s: float = 0.0          # of which: the student's functions running in the kernel
    shutdown_s: float = 0.0       # the kernel stopped and everything it held released


@dataclass
class Executed:
    """A notebook after grading execution, and what happened."""

    nb: NotebookNode
    status: Status = Status.GRADED
    details: list[str] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    # test cell -> why its hidden part failed: for the instructor's report, never for the student
    hidden_failures: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """One notebook to grade, as it crosses to a worker: no path of the main machine when ``workdir`` is ""."""

    student: str
    lecture: str
    notebook_json: str
    master_json: str
    workdir: str       # "" : a folder of the worker's own temporary directory (workdir_for)
    limits: Limits


@dataclass(frozen=True)
class JobResult:
    """What a worker sends back for one job: the executed notebook and its status."""

    student: str
    lecture: str
    status: Status
    notebook_json: str
    details: list[str]
    timings: Timings = field(default_factory=Timings)
    started: float = 0.0     # wall-clock time (time.time()) the worker took the job
    ended: float = 0.0       # and finished it
    worker: int = 0          # the worker's process id
    hidden_failures: dict[str, str] = field(default_factory=dict)   # for the instructor's report only


@dataclass(frozen=True)
class Score:
    """One notebook's score as the gradebook holds it after recording (record.record)."""

    score: float
    max_score: float
    needs_manual_grade: bool
    stamp: str = ""   # what the gradebook holds of the autograding (see stamps)
    late_penalty: float = 0.0     # taken off ``score`` by nbgrader's AssignLatePenalties (late.py)
    seconds_late: float = 0.0


@dataclass(frozen=True)
class CellGrade:
    """One graded cell of a submission, as the gradebook holds it now (manual grades included)."""

    score: float | None          # None: not graded yet (a written answer waiting for the instructor)
    max_score: float
    needs_manual_grade: bool
    comment: str = ""            # what the instructor wrote about it in formgrader
    graded: bool = True          # False: an answer cell without points, here for its comment only


@dataclass
class Outcome:
    """The result of one (student, lecture): what the report and grades.csv show."""

    student: str
    lecture: str
    status: Status
    score: float = 0.0
    max_score: float = 0.0
    needs_manual_grade: bool = False
    details: list[str] = field(default_factory=list)
    origin: str = ""
    digest: str = ""
    recorded: str = ""   # the gradebook's autograding as this grader left it (record.stamps)
    # test cell -> why its hidden part failed: in the instructor's report, never in grades.csv or feedback
    hidden_failures: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.student, self.lecture)
