"""What a grading run shows as it goes: a log line per job (``grading.log`` in the course
workspace, and on stderr with ``--verbose``), the jobs' timings, a progress bar."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from autograder.model import JobResult, Timings

LOG_NAME = "grading.log"   # in the course workspace: one line per job graded (log_line)


@dataclass(frozen=True)
class JobTimings:
    """One job's timings: the worker's (execution) and the main process's (recording), in seconds."""

    student: str
    lecture: str
    execution: Timings
    record_s: float


def log_line(result: JobResult, record_s: float) -> str:
    """One job in the grading log: when and where it ran, its status, where its time went."""
    t = result.timings
    when = datetime.fromtimestamp(result.started).isoformat(timespec="seconds")
    return (f"{when}  worker {result.worker}  {result.student}/{result.lecture}  {result.status}  "
            f"{result.ended - result.started:.2f} s: kernel start {t.kernel_start_s:.2f}, link {t.link_s:.2f}, "
            f"cells {t.cells_s:.2f}, trusted checks {t.trusted_s:.2f} (student calls {t.calls_s:.2f}), "
            f"shutdown {t.shutdown_s:.2f}; recorded in {record_s:.2f}")


class Bar(Protocol):
    """A progress bar: tqdm's, or none."""

    def update(self, n: int) -> object: ...

    def close(self) -> None: ...


class NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, enabled: bool) -> Bar:
    if not enabled:
        return NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="notebook", file=sys.stderr)
