"""Is a handed-in file a notebook, and did its author change what they must not?

``load`` turns raw bytes into an nbformat-4 notebook or says why it is not one.
``tampering`` compares a submission with the released student copy and lists every
change to locked or graded cells (edited, deleted, duplicated, metadata changed, cell
type changed, graded cells that the release does not have). nbgrader's own protections
(checksums, cell overwriting, missing cells re-added) still run when grading; this
report is what the instructor and the student read.
"""

from __future__ import annotations

import json
from collections import Counter

import nbformat
from nbformat import NotebookNode

from .cells import nbgrader_meta

METADATA_KEYS = ("grade", "solution", "locked", "points", "cell_type")


class InvalidNotebook(ValueError):
    """The file cannot be graded as a notebook; the message says why, for the report."""


def load(content: bytes | None) -> NotebookNode:
    """Parse a submission as an nbformat 4 notebook; raise ``InvalidNotebook`` with the reason."""
    if not content:
        raise InvalidNotebook("empty file (or larger than the size limit)")
    try:
        raw = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidNotebook("not a text file (not UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise InvalidNotebook(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        raise InvalidNotebook("JSON but not a notebook (no cells)")
    major = raw.get("nbformat")
    if major != 4:
        minor = raw.get("nbformat_minor", "?")
        raise InvalidNotebook(f"nbformat {major}.{minor}; the course's notebooks are nbformat 4 (open and save it in JupyterLab)")
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise InvalidNotebook(f"does not follow the nbformat 4 schema: {exc.message[:200]}") from None
    except Exception as exc:  # noqa: BLE001 - anything nbformat chokes on is an invalid notebook
        raise InvalidNotebook(f"cannot be read as a notebook ({type(exc).__name__}: {str(exc)[:200]})") from None
    return nb


def _protected(meta: dict) -> bool:
    """Cells the student must not change: tests (graded, not an answer) and locked cells."""
    return bool(meta.get("locked")) or (bool(meta.get("grade")) and not meta.get("solution"))


def tampering(submitted: NotebookNode, released: NotebookNode) -> list[str]:
    """Every change to the release's graded or locked cells, as short sentences (empty: none)."""
    reference = {}
    for cell in released.cells:
        meta = nbgrader_meta(cell)
        if "grade_id" in meta:
            reference[meta["grade_id"]] = (cell, meta)
    by_id: dict[str, list[NotebookNode]] = {}
    for cell in submitted.cells:
        meta = nbgrader_meta(cell)
        if "grade_id" in meta:
            by_id.setdefault(str(meta["grade_id"]), []).append(cell)

    problems = []
    for grade_id, (ref_cell, ref_meta) in reference.items():
        cells = by_id.get(grade_id, [])
        if not cells:
            if _protected(ref_meta) or ref_meta.get("grade"):
                problems.append(f"deleted cell {grade_id}")
            continue
        if len(cells) > 1:
            problems.append(f"duplicated cell {grade_id} ({len(cells)} copies)")
        cell = cells[0]
        meta = nbgrader_meta(cell)
        if cell.cell_type != ref_cell.cell_type:
            problems.append(f"changed the type of cell {grade_id} ({ref_cell.cell_type} -> {cell.cell_type})")
        changed = [k for k in METADATA_KEYS if meta.get(k) != ref_meta.get(k)]
        if changed:
            what = ", ".join(f"{k} {ref_meta.get(k)!r} -> {meta.get(k)!r}" for k in changed)
            problems.append(f"changed the metadata of cell {grade_id}: {what}")
        if _protected(ref_meta) and cell.source.rstrip() != ref_cell.source.rstrip():
            problems.append(f"edited locked cell {grade_id}")
    extra = Counter(g for g in by_id if g not in reference)
    for grade_id in sorted(extra):
        problems.append(f"graded cell {grade_id} is not in the release")
    return problems
