"""What a grading run has recorded, kept so that a run killed at any moment loses nothing.

One JSON line per (student, lecture) whose result is final (recorded in the gradebook, or a
status that needs no execution: missing, invalid), appended and flushed to disk when it is,
never before. The last line of a key wins; a last line cut short by a crash is ignored. A run
started again after a crash therefore regrades exactly the notebooks whose result never
reached the journal, and keeps the others. At the end of a run the journal is compacted to one
line per key (written aside, then renamed over the old one).

A notebook recorded in the gradebook but not yet here when the run died is graded again and
recorded again: the same grade, written once more.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import IO

from autograder.model import Outcome, Status

NAME = "grading-journal.jsonl"
LEGACY_STATE = "grading-state.json"   # the whole state rewritten after each result (graders before version 4)


_FIELDS = {f.name for f in fields(Outcome)}


def _outcome(data: object) -> Outcome | None:
    """An Outcome from a journal line's data; None when it is not one (a line from elsewhere)."""
    if not isinstance(data, dict) or not {"student", "lecture", "status"} <= set(data):
        return None
    try:
        return Outcome(**{**{k: v for k, v in data.items() if k in _FIELDS}, "status": Status(data["status"])})
    except (TypeError, ValueError):
        return None


class Journal:
    """The outcomes recorded in a course workspace, by (student, lecture)."""

    def __init__(self, folder: Path):
        self.path = folder / NAME
        self._legacy = folder / LEGACY_STATE
        self._file: IO[str] | None = None

    def load(self) -> dict[tuple[str, str], Outcome]:
        """Every key's last complete record (the legacy state file's first, when there is one)."""
        found: dict[tuple[str, str], Outcome] = {}
        with contextlib.suppress(OSError, ValueError):
            for data in json.loads(self._legacy.read_text()).values():
                if (outcome := _outcome(data)) is not None:
                    found[outcome.key] = outcome
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return found
        for line in lines:
            try:
                outcome = _outcome(json.loads(line))
            except ValueError:
                continue   # a line cut short by a crash
            if outcome is not None:
                found[outcome.key] = outcome
        return found

    def append(self, *outcomes: Outcome) -> None:
        """Record ``outcomes`` as final: on disk (flushed and synced once) when this returns."""
        if self._file is None:
            self._file = self.path.open("a", encoding="utf-8")
            if self._file.tell() and not self.path.read_bytes().endswith(b"\n"):
                self._file.write("\n")   # after a line cut short: the next record starts a line of its own
        self._file.write("".join(json.dumps(asdict(outcome), sort_keys=True) + "\n" for outcome in outcomes))
        self._file.flush()
        os.fsync(self._file.fileno())

    def compact(self, outcomes: dict[tuple[str, str], Outcome]) -> None:
        """Replace the journal with one line per key (atomically), and drop the legacy state file."""
        self.close()
        aside = self.path.with_name(self.path.name + ".tmp")
        with aside.open("w", encoding="utf-8") as f:
            for key in sorted(outcomes):
                f.write(json.dumps(asdict(outcomes[key]), sort_keys=True) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(aside, self.path)
        with contextlib.suppress(FileNotFoundError):
            self._legacy.unlink()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
