"""What a worker is given to run one notebook (``Limits``) and what it gives back (``Executed``, ``Timings``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nbformat import NotebookNode

from autograder.status import Status


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading kernel, and its sandbox ("bwrap" or "none")."""

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
