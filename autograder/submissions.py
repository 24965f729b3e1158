"""Find the students' notebooks in a folder of submissions, whatever its shape.

Accepted layouts (mixed freely):
- ``SUBMISSIONS/<student>/...`` one folder per student, notebooks anywhere inside it
  (an nbgrader ``<student>/<assignment>/<notebook>.ipynb`` tree is a special case);
- ``SUBMISSIONS/<student>.zip`` one archive per student, as learning platforms export them;
- an nbgrader course directory: ``SUBMISSIONS/submitted/<student>/...`` is used.

A notebook belongs to a lecture by its file name (``01-conv1d.ipynb``) or, when it was
renamed (``01-conv1d (1).ipynb``, ``Copy of ...``), by the graded cells it contains.
Nothing is executed here; zip members are read, never extracted, and size-capped.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}$")


@dataclass
class Found:
    """One lecture notebook of one student, as handed in (not yet checked or graded)."""

    student: str
    lecture: str
    content: bytes | None  # None: the lecture was not handed in
    origin: str  # where it came from, for the report ("alice/01-conv1d.ipynb", "bob.zip:nb/02-causal.ipynb")
    notes: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content or b"").hexdigest()


@dataclass
class Candidate:
    name: str
    origin: str
    content: bytes


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
    except (ValueError, TypeError, AttributeError, KeyError):
        return set()


def _candidates_in_folder(folder: Path) -> list[Candidate]:
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts or not path.is_file() or path.is_symlink():
            continue
        origin = f"{folder.name}/{path.relative_to(folder).as_posix()}"
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            found.append(Candidate(path.name, origin, b""))  # too large: kept, and reported as invalid
            continue
        found.append(Candidate(path.name, origin, path.read_bytes()))
    return found


def _candidates_in_zip(archive: Path) -> tuple[list[Candidate], list[str]]:
    found, notes = [], []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = info.filename
                if info.is_dir() or not name.endswith(".ipynb") or ".ipynb_checkpoints" in name or "__MACOSX" in name:
                    continue
                origin = f"{archive.name}:{name}"
                if info.file_size > MAX_NOTEBOOK_BYTES:
                    found.append(Candidate(Path(name).name, origin, b""))
                    continue
                with zf.open(info) as member:
                    found.append(Candidate(Path(name).name, origin, member.read(MAX_NOTEBOOK_BYTES + 1)))
    except (zipfile.BadZipFile, OSError) as exc:
        notes.append(f"{archive.name} is not a readable zip archive ({exc})")
    return found, notes


def _assign(student: str, candidates: list[Candidate], lectures: list[str], fingerprints: dict[str, set[str]]) -> list[Found]:
    """Pick each lecture's notebook among the candidates: exact name first, then by content."""
    chosen: dict[str, int] = {}
    notes: dict[str, list[str]] = {lecture: [] for lecture in lectures}
    for lecture in lectures:
        exact = [i for i, c in enumerate(candidates) if c.name == f"{lecture}.ipynb"]
        if exact:
            chosen[lecture] = exact[0]
            if len(exact) > 1:
                notes[lecture].append(f"{len(exact)} files named {lecture}.ipynb; graded {candidates[exact[0]].origin}")
    for lecture in lectures:
        wanted = fingerprints.get(lecture, set())
        if lecture in chosen or not wanted:
            continue
        free = [i for i in range(len(candidates)) if i not in chosen.values()]
        overlap = {i: len(fingerprint(candidates[i].content) & wanted) for i in free}
        best = max(overlap, key=overlap.get, default=None)
        if best is not None and overlap[best] >= max(1, len(wanted) // 2):
            chosen[lecture] = best
            notes[lecture].append(f"renamed: graded {candidates[best].origin} as {lecture}.ipynb")
    result = []
    for lecture in lectures:
        if lecture not in chosen:
            result.append(Found(student, lecture, None, "", ["not handed in"]))
        else:
            c = candidates[chosen[lecture]]
            result.append(Found(student, lecture, c.content, c.origin, notes[lecture]))
    return result


def find_submissions(root: Path, lectures: list[str], fingerprints: dict[str, set[str]]) -> tuple[list[Found], list[str]]:
    """Every (student, lecture) of ``root``, handed in or not, and notes on what was skipped.

    ``fingerprints`` maps each lecture to the checksums of its released cells (see
    :func:`fingerprint`), to recognise renamed files.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"SUBMISSIONS must be a folder of student folders or zips; {root} is not a folder")
    if (root / "submitted").is_dir():
        root = root / "submitted"
    found: list[Found] = []
    skipped: list[str] = []
    seen: dict[str, str] = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            student, candidates, notes = entry.name, _candidates_in_folder(entry), []
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            student = entry.stem
            candidates, notes = _candidates_in_zip(entry)
        else:
            skipped.append(f"{entry.name}: neither a student folder nor a .zip")
            continue
        if not STUDENT_ID.match(student):
            skipped.append(f"{entry.name}: not a usable student id (letters, digits and _.@+- only)")
            continue
        if student in seen:
            skipped.append(f"{entry.name}: student {student} already handed in {seen[student]}")
            continue
        seen[student] = entry.name
        for item in _assign(student, candidates, lectures, fingerprints):
            item.notes = notes + item.notes
            found.append(item)
    return found, skipped
