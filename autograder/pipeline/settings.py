"""What a grading run is asked to do (the grade command's options, as one record)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from autograder.backends import ClusterOptions
from autograder.model import Limits


@dataclass
class Settings:
    """A grading run: where the submissions are, where its results go, how to run the notebooks."""

    submissions: Path
    out: Path
    course_dir: Path
    workers: int
    limits: Limits
    force: bool = False
    db_url: str | None = None
    progress: bool = True
    verbose: bool = False    # print each job's log line (grading.log in the workspace has them anyway)
    roster: Path | None = None   # the class list (roster.py); default: students.csv in the submissions folder
    deadline: datetime | None = None   # aware; later submissions are late (late.py)
    late_penalty: str = "none"         # none, zero or N%/day (late.LatePolicy)
    cluster: ClusterOptions | None = None   # a Dask scheduler to run the jobs on (backends/)


def utc(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC without a zone, as nbgrader's gradebook keeps times (naive: local time)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None)
