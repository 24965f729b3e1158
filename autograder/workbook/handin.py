"""``python -m autograder handin STUDENT``: check a student's notebooks and pack them to hand in.

It reads the student's copies (``work/``, see student_copies.py) and checks each against its
release (``notebooks/``) as the grader will: a valid notebook, every test and locked cell as
released. What passes goes into ``<out>/<STUDENT>.zip``, one ``NN-name.ipynb`` per lecture at
the top of the archive: the layout ``python -m autograder grade`` reads (a folder of such
zips, one per student). A notebook that fails a check is named with the reason, and nothing is
packed until it is fixed (or left out with ``--skip-broken``), so that no student hands in a
file the grader would score 0 without knowing it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.course import NOTEBOOKS, lecture_ids
from autograder.pipeline import integrity
from autograder.pipeline.submissions import STUDENT_ID


@dataclass(frozen=True)
class Checked:
    """One lecture of the student's, as the grader would find it."""

    lecture: str
    path: Path
    problems: list[str] = field(default_factory=list)   # empty: ready to hand in
    missing: bool = False

    @property
    def ready(self) -> bool:
        return not self.missing and not self.problems


def check(work: Path, released: Path = NOTEBOOKS) -> list[Checked]:
    """Each lecture's copy in ``work`` checked against its release."""
    results = []
    for lecture in lecture_ids(released):
        path = work / f"{lecture}.ipynb"
        if not path.is_file():
            results.append(Checked(lecture, path, missing=True))
            continue
        try:
            nb = integrity.load(path.read_bytes())
        except integrity.InvalidNotebook as exc:
            results.append(Checked(lecture, path, [f"not a notebook the grader can read: {exc}"]))
            continue
        release = nbformat.read(released / f"{lecture}.ipynb", as_version=4)
        problems = [f"{problem} (restore it from notebooks/{lecture}.ipynb)" for problem in integrity.tampering(nb, release)]
        results.append(Checked(lecture, path, problems))
    return results


def pack(student: str, checked: list[Checked], out: Path) -> Path:
    """``out/<student>.zip`` with the lectures that are ready."""
    if not STUDENT_ID.fullmatch(student):
        raise ValueError(f"STUDENT: expected letters, digits and _.@+- (the grader's student ids), got {student!r}")
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{student}.zip"
    aside = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(aside, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in checked:
            if item.ready:
                archive.write(item.path, f"{item.lecture}.ipynb")
    aside.replace(target)
    return target
