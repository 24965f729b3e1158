"""What a notebook cell is to nbgrader, and whether it failed: shared by grading, feedback,
the example generator and the tests, so there is one definition of each.
"""

from __future__ import annotations

import ast
import re

from nbformat import NotebookNode

from autograder.safe_text import writable

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


def clean_strings(value):
    """``value`` (a notebook or any JSON-like tree) with every string writable as UTF-8.

    JSON can carry a lone surrogate (``"\\ud800"``) that Python reads but cannot encode: in a
    submission or a kernel's output it would crash whatever writes it later. It becomes the
    escape text ``\\ud800``. Dicts are cleaned in place (a NotebookNode stays one).
    """
    if isinstance(value, str):
        return writable(value)
    if isinstance(value, dict):
        for key in list(value):
            clean = clean_strings(key)
            item = clean_strings(value.pop(key))
            value[clean] = item
        return value
    if isinstance(value, list):
        value[:] = [clean_strings(v) for v in value]
        return value
    return value


def parse_python(source: str) -> ast.Module:
    """``ast.parse(source)``, once more when CPython 3.11 raises "SystemError: AST constructor recursion
    depth mismatch": its AST conversion keeps a depth counter per interpreter that an earlier failure
    can leave off; each call starts it anew. Raises what ``ast.parse`` raises otherwise."""
    try:
        return ast.parse(source)
    except SystemError:
        return ast.parse(source)
