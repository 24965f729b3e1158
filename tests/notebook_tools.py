"""Run notebook cells in a live kernel, and sort a notebook's cells the way nbgrader does."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.DOTALL | re.MULTILINE)
SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*", re.DOTALL | re.MULTILINE)


def nbgrader_meta(cell: NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: graded code that is not an answer."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer_cell(cell: NotebookNode) -> bool:
    """A code cell the student writes in (nbgrader 'solution')."""
    return cell.cell_type == "code" and bool(nbgrader_meta(cell).get("solution"))


def visible_part(source: str) -> str:
    """A test cell's source as the student sees it: hidden tests removed."""
    return HIDDEN.sub("", source)


def error_text(cell: NotebookNode) -> str | None:
    """The error (or stderr text) a cell produced, or None: what makes nbgrader give zero."""
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return f"{output.ename}: {output.evalue}"
        if output.output_type == "stream" and output.name == "stderr":
            return f"stderr: {output.text.strip()[:500]}"
    return None


@dataclass
class Exercise:
    """One answer cell and the test cells after it (up to the next answer cell)."""

    answer_index: int
    test_indices: list[int]


def exercises(nb: NotebookNode) -> list[Exercise]:
    found: list[Exercise] = []
    for index, cell in enumerate(nb.cells):
        if is_answer_cell(cell):
            found.append(Exercise(index, []))
        elif is_test_cell(cell) and found:
            found[-1].test_indices.append(index)
    return found


class Kernel:
    """A kernel of this environment that runs source strings as notebook cells."""

    def __init__(self, client: NotebookClient):
        self._client = client

    def run(self, source: str) -> NotebookNode:
        cell = nbformat.v4.new_code_cell(source)
        self._client.nb.cells.append(cell)
        index = len(self._client.nb.cells) - 1
        return self._client.execute_cell(cell, index)


@contextmanager
def kernel(cwd: Path, *, timeout: int = 300) -> Iterator[Kernel]:
    nb = nbformat.v4.new_notebook()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(cwd)}})
    env = dict(os.environ, MPLBACKEND="Agg")
    with client.setup_kernel(env=env):
        yield Kernel(client)


def execute(path: Path, *, timeout: int = 300) -> NotebookNode:
    """Execute a whole notebook (errors allowed) and return it with outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(copy.deepcopy(nb), timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    return client.execute()
