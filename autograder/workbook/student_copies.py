"""The student's own copies of the lectures (``work/``), kept in step with the releases.

Students never work in ``notebooks/``: that folder is the course's release, tracked by git and
rewritten by ``make release`` and by every ``git pull`` of course updates. ``make lab`` first
calls ``sync``, which gives each lecture a copy in ``work/`` (ignored by git) and opens
JupyterLab there. No command of ours overwrites a copy:

- a lecture without a copy gets one, the release as it is;
- a copy whose release has not changed is left alone;
- a copy whose release has changed is rebuilt from the new release with the student's work
  carried over: the source of every answer cell (by its nbgrader ``grade_id``) and every cell
  the student added, placed after the release cell it followed. The copy as it was is kept
  first in ``work/.previous/<lecture>-<time>.ipynb``.

What each copy was made from (the release's digest and its cell ids, which tell the student's
own cells from the release's) is kept beside the copies, in ``work/.releases.json``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import nbgrader_meta
from autograder.course import NOTEBOOKS, WORK, lecture_ids

RECORD = ".releases.json"
PREVIOUS = ".previous"


class Action(Enum):
    COPIED = "copied"          # a new copy of the release
    UNCHANGED = "unchanged"    # the copy's release is the current one
    UPDATED = "updated"        # rebuilt from a new release, the student's work carried over


@dataclass(frozen=True)
class Synced:
    """What ``sync`` did to one lecture's copy."""

    lecture: str
    action: Action
    path: Path
    previous: Path | None = None   # where the copy as it was is kept (UPDATED)
    carried: int = 0               # answer cells and own cells carried over (UPDATED)


def _written_by_student(cell: NotebookNode) -> bool:
    """An answer cell (nbgrader "solution"): code, or a written answer in Markdown."""
    return bool(nbgrader_meta(cell).get("solution"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sync(released: Path = NOTEBOOKS, work: Path = WORK, now: datetime | None = None) -> list[Synced]:
    """Bring every lecture of ``released`` into ``work`` without losing a student's answer."""
    work.mkdir(parents=True, exist_ok=True)
    record_path = work / RECORD
    try:
        made_from: dict[str, dict] = json.loads(record_path.read_text())
    except (OSError, ValueError):
        made_from = {}
    results = []
    for lecture in lecture_ids(released):
        text = (released / f"{lecture}.ipynb").read_text(encoding="utf-8")
        release = nbformat.reads(text, as_version=4)
        target = work / f"{lecture}.ipynb"
        entry = {"sha256": _digest(text), "cells": [c.get("id") for c in release.cells]}
        if not target.exists():
            target.write_text(text, encoding="utf-8")
            results.append(Synced(lecture, Action.COPIED, target))
        elif made_from.get(lecture, {}).get("sha256") == entry["sha256"]:
            results.append(Synced(lecture, Action.UNCHANGED, target))
            continue
        elif lecture not in made_from and _same_release_cells(nbformat.read(target, as_version=4), release):
            results.append(Synced(lecture, Action.UNCHANGED, target))   # a copy made before this record existed
        else:
            student = nbformat.read(target, as_version=4)
            old_cells = set(made_from.get(lecture, {}).get("cells") or [c.get("id") for c in release.cells])
            merged, carried = merge(release, student, old_cells)
            stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
            previous = work / PREVIOUS / f"{lecture}-{stamp}.ipynb"
            previous.parent.mkdir(exist_ok=True)
            shutil.copy2(target, previous)
            aside = target.with_name(target.name + ".tmp")
            nbformat.write(merged, aside)
            aside.replace(target)
            results.append(Synced(lecture, Action.UPDATED, target, previous, carried))
        made_from[lecture] = entry
    aside = record_path.with_name(RECORD + ".tmp")
    aside.write_text(json.dumps(made_from, indent=1, sort_keys=True))
    aside.replace(record_path)
    return results


def _same_release_cells(student: NotebookNode, release: NotebookNode) -> bool:
    """Every cell of ``release`` but the answer cells is in ``student`` as released (same id, same source)."""
    theirs = {c.get("id"): c.source for c in student.cells}
    return all(theirs.get(c.get("id")) == c.source for c in release.cells if not _written_by_student(c))


def merge(release: NotebookNode, student: NotebookNode, old_release_cells: set) -> tuple[NotebookNode, int]:
    """``release`` with the student's answers and own cells from ``student``; (notebook, cells carried).

    ``old_release_cells``: the cell ids of the release ``student`` was copied from; a cell of
    ``student`` with another id is the student's own. It goes after the nearest cell before it
    that the new release still has (at the top when there is none).
    """
    merged = copy.deepcopy(release)
    answers = {nbgrader_meta(c).get("grade_id"): c for c in student.cells if _written_by_student(c)}
    carried = 0
    for cell in merged.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if _written_by_student(cell) and grade_id in answers and answers[grade_id].cell_type == cell.cell_type:
            cell.source = answers[grade_id].source
            carried += 1
    new_ids = [c.get("id") for c in merged.cells]
    after: dict[str | None, list[NotebookNode]] = {}
    anchor = None
    for cell in student.cells:
        cell_id = cell.get("id")
        if cell_id in old_release_cells or _written_by_student(cell):
            if cell_id in new_ids:
                anchor = cell_id
            continue
        own = copy.deepcopy(cell)
        if own.cell_type == "code":
            own.outputs, own.execution_count = [], None
        after.setdefault(anchor, []).append(own)
        carried += 1
    cells = list(after.get(None, []))
    for cell in merged.cells:
        cells.append(cell)
        cells.extend(after.get(cell.get("id"), []))
    merged.cells = cells
    taken: set[str | None] = set()
    for cell in merged.cells:   # a student's cell that reuses an id of the new release gets one of its own
        if cell.get("id") in taken:
            cell["id"] = f"own-{len(taken)}-{_digest(cell.source)[:8]}"
        taken.add(cell.get("id"))
    return merged, carried
