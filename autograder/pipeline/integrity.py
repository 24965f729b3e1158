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

import nbformat
from nbformat import NotebookNode

from autograder.cells import nbgrader_meta
from autograder.safe_text import MAX_MESSAGE, quoted

METADATA_KEYS = ("grade", "solution", "locked", "points", "cell_type")
MAX_PROBLEMS = 50  # sentences listed; then how many more
# Bounds on what a submission's JSON may hold; past them a value is replaced by a string
# saying what it was. Python refuses to convert integers of more than 4,300 digits (to
# text and back), and every recursive walk (deepcopy, validation, writing) fails on deep nesting.
MAX_INT_DIGITS = 100
MAX_DEPTH = 64


class InvalidNotebook(ValueError):
    """The file cannot be graded as a notebook; the message says why, for the report."""


def load(content: bytes | None) -> NotebookNode:
    """Parse a submission as an nbformat 4 notebook; raise ``InvalidNotebook`` with the reason."""
    if not content:
        raise InvalidNotebook("empty file (or larger than the size limit)")
    try:
        raw = _bounded(json.loads(content.decode("utf-8"), parse_int=_bounded_int))
    except UnicodeDecodeError:
        raise InvalidNotebook("not a text file (not UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise InvalidNotebook(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise InvalidNotebook("not a notebook (JSON nested too deeply)") from None
    if not isinstance(raw, dict) or ("cells" not in raw and "worksheets" not in raw):
        raise InvalidNotebook("JSON but not a notebook (no cells)")
    major = raw.get("nbformat")
    if major != 4:
        minor = raw.get("nbformat_minor", "?")
        raise InvalidNotebook(f"nbformat {major}.{minor}; the course's notebooks are nbformat 4 (open and save it in JupyterLab)")
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise InvalidNotebook(f"does not follow the nbformat 4 schema: {exc.message[:MAX_MESSAGE]}") from None
    except Exception as exc:  # noqa: BLE001 - anything nbformat chokes on is an invalid notebook
        raise InvalidNotebook(f"cannot be read as a notebook ({type(exc).__name__}: {str(exc)[:MAX_MESSAGE]})") from None
    return nb


def _bounded_int(digits: str) -> int | str:
    """An integer of the submission's JSON: as it is, or (past MAX_INT_DIGITS) a string saying so."""
    if len(digits.lstrip("-")) <= MAX_INT_DIGITS:
        return int(digits)
    return f"<an integer of {len(digits.lstrip('-')):,} digits>"


def _bounded(tree: object) -> object:
    """``tree`` (parsed JSON) with every list or dict nested deeper than MAX_DEPTH replaced by a
    string saying so; walked without recursion, so that the walk itself cannot overflow."""
    too_deep = f"<nested more than {MAX_DEPTH} levels deep>"
    stack: list[tuple[object, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            keys: list = list(node)
        elif isinstance(node, list):
            keys = list(range(len(node)))
        else:
            continue
        for key in keys:
            child = node[key]
            if isinstance(child, (dict, list)):
                if depth + 1 >= MAX_DEPTH:
                    node[key] = too_deep
                else:
                    stack.append((child, depth + 1))
    return tree


def _protected(meta: dict) -> bool:
    """Cells the student must not change: tests (graded, not an answer) and locked cells."""
    return bool(meta.get("locked")) or (bool(meta.get("grade")) and not meta.get("solution"))


def _key(grade_id: object) -> object:
    """A submitted grade_id as a dict key: strings as they are (the release's are strings),
    anything else (a number, a list, ...) as a key that matches no released cell."""
    return grade_id if isinstance(grade_id, str) else ("not a string", quoted(grade_id))


def _source(cell: NotebookNode) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        source = "".join(source)
    return source if isinstance(source, str) else repr(source)


def tampering(submitted: NotebookNode, released: NotebookNode) -> list[str]:
    """Every change to the release's graded or locked cells, as short sentences (empty: none).

    The release's grade_ids are the course's own and named as they are; everything of the
    student's (an unknown grade_id, a metadata value) is quoted with repr, cut to MAX_QUOTE characters.
    """
    reference = {}
    for cell in released.cells:
        meta = nbgrader_meta(cell)
        if "grade_id" in meta:
            reference[meta["grade_id"]] = (cell, meta)
    by_id: dict[object, list[NotebookNode]] = {}
    problems = []
    for index, cell in enumerate(submitted.cells):
        raw = cell.get("metadata", {}).get("nbgrader")
        meta = nbgrader_meta(cell)
        if "grade_id" in meta:
            by_id.setdefault(_key(meta["grade_id"]), []).append(cell)
        elif raw is not None and (not isinstance(raw, dict) or any(meta.get(k) for k in ("grade", "solution", "locked"))):
            problems.append(f"cell {index + 1} carries nbgrader metadata of its own ({quoted(raw)}), ignored")

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
        cell_type = cell.get("cell_type")
        if cell_type != ref_cell.cell_type:
            problems.append(f"changed the type of cell {grade_id} ({ref_cell.cell_type} -> {quoted(cell_type)})")
        changed = [k for k in METADATA_KEYS if meta.get(k) != ref_meta.get(k)]
        if changed:
            what = ", ".join(f"{k} {quoted(ref_meta.get(k))} -> {quoted(meta.get(k))}" for k in changed)
            problems.append(f"changed the metadata of cell {grade_id}: {what}")
        if _protected(ref_meta) and _source(cell).rstrip() != _source(ref_cell).rstrip():
            problems.append(f"edited locked cell {grade_id}")
    extra = [g for g in by_id if g not in reference]
    for grade_id in sorted(extra, key=repr):
        shown = grade_id[1] if isinstance(grade_id, tuple) else quoted(grade_id)
        problems.append(f"graded cell {shown} is not in the release")
    if len(problems) > MAX_PROBLEMS:
        problems[MAX_PROBLEMS:] = [f"... and {len(problems) - MAX_PROBLEMS} more changes"]
    return problems
