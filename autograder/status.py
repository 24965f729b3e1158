"""What happened to one (student, lecture) when it was graded: the status every report shows.

A ``str`` enum: each member is its text (``Status.KERNEL_DIED == "kernel died"``), which is what
grades.csv, the journal and the reports write, so records read back as text compare equal.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):  # noqa: UP042 - StrEnum is Python 3.11+, the project supports 3.10
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
