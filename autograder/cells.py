"""What a notebook cell is to nbgrader, and whether it failed: shared by grading, feedback,
the example generator and the tests, so there is one definition of each.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode

HIDDEN_BLOCK = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n(.*?)^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.DOTALL | re.MULTILINE)


def nbgrader_meta(cell: NotebookNode) -> dict:
    """The cell's nbgrader metadata ({} when it has none)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: graded code that is not an answer."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer_cell(cell: NotebookNode) -> bool:
    """A code cell the student writes in (nbgrader 'solution')."""
    return cell.cell_type == "code" and bool(nbgrader_meta(cell).get("solution"))


def split_test_source(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a test cell's source; the hidden part may be empty."""
    hidden = "\n".join(m.group(1) for m in HIDDEN_BLOCK.finditer(source))
    return HIDDEN_BLOCK.sub("", source), hidden


def failure(cell: NotebookNode) -> str | None:
    """Why nbgrader gives this cell zero (an error, or anything on stderr), or None when it passed."""
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            return f"{out.ename}: {out.evalue}"
        if out.output_type == "stream" and out.name == "stderr":
            return f"wrote to stderr (a warning fails a test): {out.text.strip()[:500]}"
    return None
