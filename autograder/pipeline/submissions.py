"""Find the students' notebooks in a folder of submissions, whatever its shape.

Accepted layouts (mixed freely):
- ``SUBMISSIONS/<student>/...`` one folder per student, notebooks anywhere inside it
  (an nbgrader ``<student>/<assignment>/<notebook>.ipynb`` tree is a special case);
- ``SUBMISSIONS/<student>.zip`` one archive per student, as learning platforms export them;
- an nbgrader course directory (it holds ``nbgrader_config.py``): its
  ``submitted/<student>/...`` is used. Without that file, a folder named ``submitted`` is
  a student like any other: no student can make the finder read another layout.

A notebook belongs to a lecture by its file name (``01-conv1d.ipynb``) or, when it was
renamed (``01-conv1d (1).ipynb``, ``Copy of ...``), by the graded cells it contains.
Each student's folder or zip is read under limits by ``submission_files``; here, the folder of
submissions is walked, the students identified and each lecture's notebook chosen.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder.pipeline.roster import ROSTER_NAME
from autograder.pipeline.submission_files import Candidate, fingerprint, prints_of, read_submission
from autograder.safe_text import MAX_MESSAGE, one_line

__all__ = ["STUDENT_ID", "Found", "find_submissions", "fingerprint", "handed_in_at"]

# matched in full (re.fullmatch): "$" would let a trailing newline through
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}")


@dataclass
class Found:
    """One lecture notebook of one student, as handed in (not yet checked or graded)."""

    student: str
    lecture: str
    content: bytes | None  # None: the lecture was not handed in
    origin: str  # where it came from, for the report ("alice/01-conv1d.ipynb", "bob.zip:nb/02-causal.ipynb")
    notes: list[str] = field(default_factory=list)
    # when it was handed in (UTC): nbgrader's timestamp.txt, else the zip member's time, else the file's
    timestamp: datetime | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content or b"").hexdigest()


def handed_in_at(submission: Path) -> datetime | None:
    """nbgrader's ``timestamp.txt`` at the top of a student's folder or zip, in UTC (None without one)."""
    from nbgrader.utils import parse_utc

    try:
        if submission.is_dir():
            # a regular file only (a FIFO would block the run, a symlink point anywhere), its first bytes only
            fd = os.open(submission / "timestamp.txt", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as f:
                raw = f.read(100) if stat.S_ISREG(os.fstat(f.fileno()).st_mode) else b""
        else:
            with zipfile.ZipFile(submission) as zf, zf.open("timestamp.txt") as member:
                raw = member.read(100)   # never more inflated, whatever the archive says
        return parse_utc(raw.decode("utf-8").strip()).replace(tzinfo=UTC)
    except (OSError, KeyError, ValueError, TypeError, OverflowError, zipfile.BadZipFile, UnicodeDecodeError):
        return None


def _assign(student: str, candidates: list[Candidate], lectures: list[str], fingerprints: dict[str, set[str]]) -> list[Found]:
    """Pick each lecture's notebook among the candidates: exact name first, then by content."""
    chosen: dict[str, int] = {}
    notes: dict[str, list[str]] = {lecture: [] for lecture in lectures}
    for lecture in lectures:
        exact = [i for i, c in enumerate(candidates) if c.name == f"{lecture}.ipynb"]
        if exact:
            chosen[lecture] = exact[0]
            if len(exact) > 1:
                notes[lecture].append(f"{len(exact)} files named {lecture}.ipynb; graded {one_line(candidates[exact[0]].origin)}")
    wanted_any = set().union(*fingerprints.values()) if fingerprints else set()
    for lecture in lectures:
        wanted = fingerprints.get(lecture, set())
        if lecture in chosen or not wanted:
            continue
        free = [i for i in range(len(candidates)) if i not in chosen.values()]
        overlap = {i: len(prints_of(candidates[i], wanted_any) & wanted) for i in free}
        best = max(overlap, key=lambda i: overlap[i], default=None)
        if best is not None and overlap[best] >= max(1, len(wanted) // 2):
            chosen[lecture] = best
            notes[lecture].append(f"renamed: graded {one_line(candidates[best].origin)} as {lecture}.ipynb")
    result = []
    for lecture in lectures:
        if lecture not in chosen:
            result.append(Found(student, lecture, None, "", ["not handed in"]))
        else:
            c = candidates[chosen[lecture]]
            result.append(Found(student, lecture, c.content, c.origin, notes[lecture], timestamp=c.modified))
    return result


def find_submissions(root: Path, lectures: list[str], fingerprints: dict[str, set[str]]) -> tuple[list[Found], list[str]]:
    """Every (student, lecture) of ``root``, handed in or not, and notes on what was skipped.

    ``fingerprints`` maps each lecture to the checksums of its released cells (see
    :func:`fingerprint`), to recognise renamed files.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"SUBMISSIONS must be a folder of student folders or zips; {root} is not a folder")
    if (root / "nbgrader_config.py").is_file() and (root / "submitted").is_dir():
        root = root / "submitted"   # an nbgrader course directory
    found: list[Found] = []
    skipped: list[str] = []
    seen: dict[str, str] = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        shown = one_line(entry.name)
        if entry.is_symlink():
            skipped.append(f"{shown}: a symbolic link, not a student folder or .zip")
            continue
        if entry.is_dir():
            student = entry.name
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            student = entry.stem
        elif entry.is_file() and (entry.stem.upper() == "README" or entry.name == ROSTER_NAME):
            continue   # the folder's own notes (the bundled examples have one), or the class list: not submissions
        else:
            skipped.append(f"{shown}: neither a student folder nor a .zip")
            continue
        if not STUDENT_ID.fullmatch(student):
            skipped.append(f"{shown}: not a usable student id (letters, digits and _.@+- only)")
            continue
        if student in seen:
            skipped.append(f"{shown}: student {student} already handed in {seen[student]}")
            continue
        seen[student] = entry.name
        try:
            files = read_submission(entry, lectures, fingerprints)
            notes = files.notes
            mine = _assign(student, files.candidates, lectures, fingerprints)
        except Exception as exc:  # noqa: BLE001 - whatever one student's folder holds, the others are graded
            note = f"{shown}: cannot be read ({type(exc).__name__}: {one_line(exc, MAX_MESSAGE)})"
            mine, notes = [Found(student, lecture, None, "", [note]) for lecture in lectures], []
        stamped = handed_in_at(entry)
        for item in mine:
            item.notes = notes + item.notes
            if stamped is not None and item.content is not None:
                item.timestamp = stamped
            found.append(item)
    return found, skipped
