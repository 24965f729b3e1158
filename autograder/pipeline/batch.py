"""Results into the gradebook and the journal a batch at a time, in that order.

A grading run's gradebook writes share one session (nbgrader_reuse.reused) and are committed a
batch at a time: every ``size`` results, or once the oldest waiting result is ``seconds`` old. A
result reaches the journal only after its batch is committed, so a run killed before the commit
grades it again, and one killed after keeps it: the journal never claims what the gradebook lacks.

A write that fails takes its batch with it (the session is rolled back whole), so each waiting
result keeps the function that wrote it, and the batch's other results are written again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from autograder.model import Outcome, Status
from autograder.pipeline.journal import Journal
from autograder.pipeline.nbgrader_reuse import Writes

BATCH_SIZE = 64        # results per commit at most
BATCH_SECONDS = 5.0    # how long a result may wait for its commit (checked as results come)


@dataclass
class _Waiting:
    outcome: Outcome
    write: Callable[[], object] | None   # what wrote it to the gradebook (None: nothing did)


class BatchedResults:
    """Final results of a run, committed and journaled a batch at a time."""

    def __init__(self, journal: Journal, writes: Writes, size: int = BATCH_SIZE, seconds: float = BATCH_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.journal, self.writes = journal, writes
        self.size, self.seconds, self.clock = size, seconds, clock
        self._waiting: list[_Waiting] = []
        self._since = 0.0
        self.commits = 0

    def add(self, outcome: Outcome, write: Callable[[], object] | None = None) -> None:
        """``outcome`` is final and ``write`` (already called) wrote it to the gradebook: both are
        committed with its batch, now if the batch is due."""
        if not self._waiting:
            self._since = self.clock()
        self._waiting.append(_Waiting(outcome, write))
        if len(self._waiting) >= self.size or self.clock() - self._since >= self.seconds:
            self.commit()

    def commit(self) -> list[Outcome]:
        """Commit the waiting results' writes, then journal them; returns them."""
        if not self._waiting:
            return []
        self.writes.commit()
        done = [waiting.outcome for waiting in self._waiting]
        self.journal.append(*done)
        self._waiting.clear()
        self.commits += 1
        return done

    def waiting(self) -> set[tuple[str, str]]:
        """The (student, lecture) of the results not committed yet."""
        return {waiting.outcome.key for waiting in self._waiting}

    def recover(self) -> None:
        """After a gradebook write that failed: roll the session back and write the waiting results
        again. One whose write now fails is a grader error (it carries no gradebook write then)."""
        while True:
            self.writes.rollback()
            for waiting in self._waiting:
                if waiting.write is None:
                    continue
                try:
                    waiting.write()
                except Exception as exc:  # noqa: BLE001 - the others still get written
                    waiting.outcome.status, waiting.outcome.score = Status.GRADER_ERROR, 0.0
                    waiting.outcome.details.append(f"the grader failed to record this notebook: {type(exc).__name__}: {exc}")
                    waiting.write = None
                    break
            else:
                return
