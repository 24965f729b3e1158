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
Nothing is executed here; zip members are read, never extracted, and size-capped: at most
MAX_MEMBERS notebooks are looked at per student, none larger than MAX_NOTEBOOK_BYTES, and
at most MAX_SOURCE_BYTES read (inflated) per student in all. Notebooks named after a lecture
are read first; the others are read one at a time, only while a lecture is still not
found, and kept only when their graded cells match one. Whatever cannot be read (an
encrypted or corrupt member, an unsupported compression, folders nested deeper than
MAX_DEPTH, more than MAX_ENTRIES entries in a student's folder) is skipped with a note.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder.pipeline.roster import ROSTER_NAME

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 200  # notebooks looked at per archive (or student folder)
MAX_SOURCE_BYTES = 100 * 1024 * 1024  # bytes read (inflated) per archive (or student folder)
MAX_NOTES = 20  # notes per archive (or folder) on what was skipped; then a count
MAX_DEPTH = 16  # folder levels looked into below a student's folder
MAX_ENTRIES = 10_000  # files and folders listed per student folder
# matched in full (re.fullmatch): "$" would let a trailing newline through
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}")
# A cheap superset test of fingerprint(): the checksums written as plain JSON strings.
_CHECKSUM = re.compile(rb'"checksum"\s*:\s*"([^"\\]{1,200})"')


def _safe(text: object, limit: int = 120) -> str:
    """A file name or message for a note, on one line and printable: control characters
    (a newline in a folder name) and lone surrogates escaped, at most ``limit`` characters."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text)[:limit])
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "..."


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


@dataclass
class Candidate:
    name: str
    origin: str
    content: bytes
    prints: set[str] | None = None  # fingerprint(content), once computed
    modified: datetime | None = None


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


def _prints(candidate: Candidate, wanted: set[str]) -> set[str]:
    """``fingerprint`` of a candidate, computed once; a file without any wanted checksum in
    its text is not parsed at all (parsing megabytes of JSON costs seconds and memory)."""
    if candidate.prints is None:
        content = candidate.content
        quick = {m.group(1).decode("utf-8", "replace") for m in _CHECKSUM.finditer(content)} if content else set()
        candidate.prints = fingerprint(content) if quick & wanted else set()
    return candidate.prints


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
            self.note(f"{_safe(entry.origin)}: larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB, not read")
            return None
        if self.exhausted:
            self.note(f"{_safe(entry.origin)}: not read ({self.label} holds more than {MAX_SOURCE_BYTES // 2**20} MiB of notebooks)")
            return None
        limit = min(MAX_NOTEBOOK_BYTES, self.left)
        try:
            data = entry.open(limit + 1)
        except Exception as exc:  # noqa: BLE001 - encrypted, Deflate64, corrupt data, I/O...: one file, not the run
            self.note(f"{_safe(entry.origin)}: cannot be read ({type(exc).__name__}: {_safe(exc, 200)})")
            return None
        self.left -= len(data)
        if len(data) > MAX_NOTEBOOK_BYTES:
            self.note(f"{_safe(entry.origin)}: larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB, not read")
            return None
        if len(data) > limit:
            self.note(f"{_safe(entry.origin)}: not read ({self.label} holds more than {MAX_SOURCE_BYTES // 2**20} MiB of notebooks)")
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
        prints = _prints(candidate, wanted_any)
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
            reader.note(f"{_safe(folder.name)}/: a folder cannot be listed ({type(exc).__name__}: {_safe(exc.strerror or exc, 200)})")
            continue
        listed += len(entries)
        if listed > MAX_ENTRIES:
            reader.note(f"{_safe(folder.name)}/: more than {MAX_ENTRIES:,} files and folders, only the first were looked at")
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
        reader.note(f"{_safe(folder.name)}/: folders nested more than {MAX_DEPTH} levels deep were not looked into")
    return sorted(found, key=lambda item: item[0].relative_to(folder).parts)


def _candidates_in_folder(folder: Path, lectures: list[str], fingerprints: dict[str, set[str]]) -> tuple[list[Candidate], list[str]]:
    reader = _Reader(f"{_safe(folder.name)}/")
    entries = []
    for path, info in _notebook_files(folder, reader):
        origin = _safe(f"{folder.name}/{path.relative_to(folder).as_posix()}", 300)
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
                entries.append(_Entry(base, _safe(f"{archive.name}:{name}", 300), info.file_size, _read_member(zf, info),
                                      _zip_time(info)))
            return _collect(entries, reader, lectures, fingerprints), reader.all_notes()
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with one archive, the class is graded
        reader.note(f"{archive.name} is not a readable zip archive ({type(exc).__name__}: {_safe(exc, 200)})")
        return [], reader.all_notes()


def _zip_time(info: zipfile.ZipInfo) -> datetime | None:
    """A zip member's time (zip stores local time, without a zone), in UTC."""
    try:
        return datetime(*info.date_time).astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None


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
                notes[lecture].append(f"{len(exact)} files named {lecture}.ipynb; graded {_safe(candidates[exact[0]].origin)}")
    wanted_any = set().union(*fingerprints.values()) if fingerprints else set()
    for lecture in lectures:
        wanted = fingerprints.get(lecture, set())
        if lecture in chosen or not wanted:
            continue
        free = [i for i in range(len(candidates)) if i not in chosen.values()]
        overlap = {i: len(_prints(candidates[i], wanted_any) & wanted) for i in free}
        best = max(overlap, key=lambda i: overlap[i], default=None)
        if best is not None and overlap[best] >= max(1, len(wanted) // 2):
            chosen[lecture] = best
            notes[lecture].append(f"renamed: graded {_safe(candidates[best].origin)} as {lecture}.ipynb")
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
        shown = _safe(entry.name)
        if entry.is_symlink():
            skipped.append(f"{shown}: a symbolic link, not a student folder or .zip")
            continue
        if entry.is_dir():
            student = entry.name
            kind = "folder"
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            student = entry.stem
            kind = "zip"
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
            if kind == "folder":
                candidates, notes = _candidates_in_folder(entry, lectures, fingerprints)
            else:
                candidates, notes = _candidates_in_zip(entry, lectures, fingerprints)
            mine = _assign(student, candidates, lectures, fingerprints)
        except Exception as exc:  # noqa: BLE001 - whatever one student's folder holds, the others are graded
            note = f"{shown}: cannot be read ({type(exc).__name__}: {_safe(exc, 200)})"
            mine, notes = [Found(student, lecture, None, "", [note]) for lecture in lectures], []
        stamped = handed_in_at(entry)
        for item in mine:
            item.notes = notes + item.notes
            if stamped is not None and item.content is not None:
                item.timestamp = stamped
            found.append(item)
    return found, skipped
