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

from autograder.cells import failure, is_answer_cell, is_test_cell, nbgrader_meta, split_test_source  # noqa: F401

SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*", re.DOTALL | re.MULTILINE)

# One definition of each, shared with the grader.
error_text = failure


def visible_part(source: str) -> str:
    """A test cell's source as the student sees it: hidden tests removed."""
    return split_test_source(source)[0]


@dataclass
class Exercise:
    """One answer cell and the test cells after it (up to the next answer cell)."""

    answer_index: int
    test_indices: list[int]


EXERCISE_HEADING = re.compile(r"^#+ .*Exercise", re.MULTILINE)
MARKUP = re.compile(r"[`*$]")


def statement(nb: NotebookNode, exercise: Exercise) -> str:
    """What a student reads for ``exercise``: the Markdown from the exercises' heading (the rules shared
    by all exercises come first) up to its answer cell, then the answer cell (its docstring)."""
    start = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and EXERCISE_HEADING.search(c.source)), 0)
    markdown = [c.source for c in nb.cells[start : exercise.answer_index] if c.cell_type == "markdown"]
    return "\n".join([*markdown, nb.cells[exercise.answer_index].source])


def plain(text: str) -> str:
    """``text`` without Markdown's backticks, asterisks and dollar signs, and with its white space collapsed."""
    return " ".join(MARKUP.sub("", text).split())


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
