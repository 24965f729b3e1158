"""The notebooks of one student's submission (a folder or a zip), read under limits.

Nothing is executed here; zip members are read, never extracted, and size-capped: at most
MAX_MEMBERS notebooks are looked at per student, none larger than MAX_NOTEBOOK_BYTES, and
at most MAX_SOURCE_BYTES read (inflated) per student in all. Notebooks named after a lecture
are read first; the others are read one at a time, only while a lecture is still not
found, and kept only when their graded cells match one. Whatever cannot be read (an
encrypted or corrupt member, an unsupported compression, folders nested deeper than
MAX_DEPTH, more than MAX_ENTRIES entries in a student's folder) is skipped with a note.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from autograder.safe_text import MAX_MESSAGE, MAX_ORIGIN, one_line

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 200  # notebooks looked at per archive (or student folder)
MAX_SOURCE_BYTES = 100 * 1024 * 1024  # bytes read (inflated) per archive (or student folder)
MAX_NOTES = 20  # notes per archive (or folder) on what was skipped; then a count
MAX_DEPTH = 16  # folder levels looked into below a student's folder
MAX_ENTRIES = 10_000  # files and folders listed per student folder
# A cheap superset test of fingerprint(): the checksums written as plain JSON strings.
_CHECKSUM = re.compile(rb'"checksum"\s*:\s*"([^"\\]{1,200})"')


@dataclass
class Candidate:
    """A notebook file read from a submission, that may be one of the lectures."""

    name: str  # base name
    origin: str  # where it came from, for the report ("bob.zip:nb/02-causal.ipynb")
    content: bytes
    prints: set[str] | None = None  # fingerprint(content), once computed
    modified: datetime | None = None


@dataclass
class SubmissionFiles:
    """What one student's folder or zip holds: the notebooks worth assigning to a lecture, and
    notes on what was skipped or could not be read."""

    candidates: list[Candidate]
    notes: list[str]


def fingerprint(content: bytes) -> set[str]:
    """The nbgrader checksums a notebook's cells carry: they identify the lecture it came from."""
    try:
        nb = json.loads(content)
        return {
            str(c["metadata"]["nbgrader"]["checksum"])
            for c in nb.get("cells", [])
            if isinstance(c, dict) and isinstance(c.get("metadata", {}).get("nbgrader"), dict)
            and "checksum" in c["metadata"]["nbgrader"]
        }
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError):
        return set()


def prints_of(candidate: Candidate, wanted: set[str]) -> set[str]:
    """``fingerprint`` of a candidate, computed once; a file without any wanted checksum in
    its text is not parsed at all (parsing megabytes of JSON costs seconds and memory)."""
    if candidate.prints is None:
        content = candidate.content
        quick = {m.group(1).decode("utf-8", "replace") for m in _CHECKSUM.finditer(content)} if content else set()
        candidate.prints = fingerprint(content) if quick & wanted else set()
    return candidate.prints


def read_submission(submission: Path, lectures: list[str], fingerprints: dict[str, set[str]]) -> SubmissionFiles:
    """The notebooks of a student's folder, or of their zip archive (anything that is not a folder)."""
    if submission.is_dir():
        return SubmissionFiles(*_candidates_in_folder(submission, lectures, fingerprints))
    return SubmissionFiles(*_candidates_in_zip(submission, lectures, fingerprints))


@dataclass
class _Entry:
    """A notebook file of a submission, not read yet."""

    name: str  # base name
    origin: str
    size: int  # as announced (file size, or the zip's uncompressed size)
    open: Callable[[int], bytes]  # read at most n bytes
    modified: datetime | None = None


class _Reader:
    """Reads entries under the per-submission limits; every failure becomes a note."""

    def __init__(self, label: str):
        self.label = label
        self.left = MAX_SOURCE_BYTES
        self.notes: list[str] = []
        self.unsaid = 0

    def note(self, text: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)
        else:
            self.unsaid += 1

    def all_notes(self) -> list[str]:
        return self.notes + ([f"{self.label}: {self.unsaid} more problems not listed"] if self.unsaid else [])

    @property
    def exhausted(self) -> bool:
        return self.left <= 0

    def read(self, entry: _Entry) -> bytes | None:
        """The entry's bytes, or None (and a note) when it is too large or cannot be read."""
        if entry.size > MAX_NOTEBOOK_BYTES:
            self.note(f"{one_line(entry.origin)}: larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB, not read")
            return None
        if self.exhausted:
            self.note(f"{one_line(entry.origin)}: not read ({self.label} holds more than {MAX_SOURCE_BYTES // 2**20} MiB of notebooks)")
            return None
        limit = min(MAX_NOTEBOOK_BYTES, self.left)
        try:
            data = entry.open(limit + 1)
        except Exception as exc:  # noqa: BLE001 - encrypted, Deflate64, corrupt data, I/O...: one file, not the run
            self.note(f"{one_line(entry.origin)}: cannot be read ({type(exc).__name__}: {one_line(exc, MAX_MESSAGE)})")
            return None
        self.left -= len(data)
        if len(data) > MAX_NOTEBOOK_BYTES:
            self.note(f"{one_line(entry.origin)}: larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB, not read")
            return None
        if len(data) > limit:
            self.note(f"{one_line(entry.origin)}: not read ({self.label} holds more than {MAX_SOURCE_BYTES // 2**20} MiB of notebooks)")
            return None
        return data


def _collect(entries: list[_Entry], reader: _Reader, lectures: list[str], fingerprints: dict[str, set[str]]) -> list[Candidate]:
    """The candidates worth assigning: every notebook named after a lecture (unreadable: empty,
    graded as invalid), then, for the lectures still missing, the first others whose graded
    cells match one, read one at a time (the rest are dropped as soon as they are fingerprinted)."""
    if len(entries) > MAX_MEMBERS:
        reader.note(f"{reader.label}: {len(entries)} notebooks, only the first {MAX_MEMBERS} were looked at")
        entries = entries[:MAX_MEMBERS]
    names = {f"{lecture}.ipynb" for lecture in lectures}
    found = []
    for entry in entries:
        if entry.name in names:
            data = reader.read(entry)
            found.append(Candidate(entry.name, entry.origin, data if data is not None else b"", modified=entry.modified))
    missing = {lecture: fingerprints.get(lecture, set()) for lecture in lectures if f"{lecture}.ipynb" not in {c.name for c in found}}
    missing = {lecture: wanted for lecture, wanted in missing.items() if wanted}
    wanted_any = set().union(*missing.values()) if missing else set()
    for entry in entries:
        if not missing or reader.exhausted:
            break
        if entry.name in names:
            continue
        data = reader.read(entry)
        if data is None:
            continue
        candidate = Candidate(entry.name, entry.origin, data, modified=entry.modified)
        prints = prints_of(candidate, wanted_any)
        matches = {lecture: len(prints & wanted) for lecture, wanted in missing.items()}
        matches = {lecture: n for lecture, n in matches.items() if n >= max(1, len(missing[lecture]) // 2)}
        if matches:
            found.append(candidate)
            del missing[max(matches, key=lambda name: matches[name])]
    return found


def _read_file(path: Path) -> Callable[[int], bytes]:
    def read(limit: int) -> bytes:
        with path.open("rb") as f:
            return f.read(limit)
    return read


def _notebook_files(folder: Path, reader: _Reader) -> list[tuple[Path, os.stat_result]]:
    """The notebooks under ``folder`` (sorted, no symlink followed, no checkpoint), walked
    without recursion: at most MAX_DEPTH levels and MAX_ENTRIES entries, the rest noted."""
    found: list[tuple[Path, os.stat_result]] = []
    stack: list[tuple[Path, int]] = [(folder, 0)]
    listed = 0
    too_deep = False
    while stack:
        current, depth = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            reader.note(f"{one_line(folder.name)}/: a folder cannot be listed ({type(exc).__name__}: "
                        f"{one_line(exc.strerror or exc, MAX_MESSAGE)})")
            continue
        listed += len(entries)
        if listed > MAX_ENTRIES:
            reader.note(f"{one_line(folder.name)}/: more than {MAX_ENTRIES:,} files and folders, only the first were looked at")
            break
        for entry in reversed(entries):   # a stack: reversed, so that folders are walked in name order
            if entry.is_symlink() or entry.name == ".ipynb_checkpoints":
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if depth + 1 <= MAX_DEPTH:
                    stack.append((path, depth + 1))
                else:
                    too_deep = True
            elif entry.name.endswith(".ipynb") and entry.is_file(follow_symlinks=False):
                found.append((path, entry.stat(follow_symlinks=False)))
    if too_deep:
        reader.note(f"{one_line(folder.name)}/: folders nested more than {MAX_DEPTH} levels deep were not looked into")
    return sorted(found, key=lambda item: item[0].relative_to(folder).parts)


def _candidates_in_folder(folder: Path, lectures: list[str], fingerprints: dict[str, set[str]]) -> tuple[list[Candidate], list[str]]:
    reader = _Reader(f"{one_line(folder.name)}/")
    entries = []
    for path, info in _notebook_files(folder, reader):
        origin = one_line(f"{folder.name}/{path.relative_to(folder).as_posix()}", MAX_ORIGIN)
        entries.append(_Entry(path.name, origin, info.st_size, _read_file(path),
                              datetime.fromtimestamp(info.st_mtime, UTC)))
    return _collect(entries, reader, lectures, fingerprints), reader.all_notes()


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[int], bytes]:
    def read(limit: int) -> bytes:
        with zf.open(info) as member:  # never more than limit bytes inflated, whatever the header says
            return member.read(limit)
    return read


def _candidates_in_zip(archive: Path, lectures: list[str], fingerprints: dict[str, set[str]]) -> tuple[list[Candidate], list[str]]:
    reader = _Reader(archive.name)
    try:
        with zipfile.ZipFile(archive) as zf:
            entries = []
            for info in zf.infolist():
                name = info.filename
                if info.is_dir() or not name.endswith(".ipynb") or ".ipynb_checkpoints" in name or "__MACOSX" in name:
                    continue
                base = name.replace("\\", "/").rsplit("/", 1)[-1]
                entries.append(_Entry(base, one_line(f"{archive.name}:{name}", MAX_ORIGIN), info.file_size, _read_member(zf, info),
                                      _zip_time(info)))
            return _collect(entries, reader, lectures, fingerprints), reader.all_notes()
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with one archive, the class is graded
        reader.note(f"{archive.name} is not a readable zip archive ({type(exc).__name__}: {one_line(exc, MAX_MESSAGE)})")
        return [], reader.all_notes()


def _zip_time(info: zipfile.ZipInfo) -> datetime | None:
    """A zip member's time (zip stores local time, without a zone), in UTC."""
    try:
        return datetime(*info.date_time).astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None
