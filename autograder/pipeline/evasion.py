"""Constructs in a student's code that could detect, switch off or outlast the grader's view of it.

Some tests observe how the student's function runs, not only what it returns: the
"vectorized" tests count the Python lines it runs, the "your own implementation" tests
switch library functions off while it runs, and some tests compare several calls. What
they observe happens in the student's own process, so code that looks at the interpreter
(``sys.gettrace``, frames), runs work where the tracer does not follow (threads, other
processes), loads code again (``importlib``, ``exec``), keeps state outside memory (files)
or reaches names indirectly (``getattr``, dunder attributes) could fool them. None of this
is needed to solve an exercise of this course, so ``find_evasions`` lists every such
construct in the student's code, read as source (nothing is run); a notebook with any is
graded by hand on the tests that call its functions (grade.py), with the reason given.

The rule is an allowlist of modules and a denylist of names: what is not clearly harmless
is reported. A false alarm costs the instructor a look, never the student a point they earned.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

from autograder.cells import is_test_cell, nbgrader_meta, parse_python

# Modules an answer may import (their submodules too).
ALLOWED_MODULES = frozenset({
    "numpy", "scipy", "seqconv", "math", "cmath", "itertools", "functools", "collections", "re", "string",
    "unicodedata", "typing", "dataclasses", "operator", "heapq", "bisect", "statistics", "numbers",
    "fractions", "decimal", "warnings", "enum", "abc", "copy", "matplotlib",
})
# Built-in functions that reach names, code or files indirectly.
DENIED_BUILTINS = frozenset({
    "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "getattr", "setattr", "delattr",
    "open", "breakpoint", "input", "get_ipython", "exit", "quit", "help", "memoryview", "__builtins__",
})
# Attributes that read or write files or hand out raw memory (NumPy's file I/O, ``ndarray.ctypes``),
# reach a module that is not allowed through one that is (``warnings.sys``), look at the
# interpreter, start threads or processes, load code, or name attributes by strings.
DENIED_ATTRIBUTES = frozenset({
    "save", "savez", "savez_compressed", "load", "loadtxt", "savetxt", "genfromtxt", "fromfile", "tofile",
    "memmap", "fromregex", "DataSource", "ctypes", "ctypeslib", "open_memmap", "dump", "dumps",
    "sys", "os", "threading", "importlib", "inspect", "gc", "subprocess", "multiprocessing", "builtins",
    "types", "io", "time", "pickle", "marshal", "traceback", "atexit", "socket", "pathlib", "shutil",
    "tempfile", "concurrent", "asyncio", "mmap", "resource", "weakref",
    "settrace", "gettrace", "setprofile", "getprofile", "monitoring", "modules", "f_trace", "f_back", "f_globals",
    "f_locals", "f_code", "tb_frame", "gi_frame", "cr_frame", "reload", "import_module", "exec_module",
    "spec_from_file_location", "fork", "system", "popen", "Thread", "Process", "Popen", "Pool",
    "ThreadPoolExecutor", "ProcessPoolExecutor", "attrgetter", "methodcaller",
})
# Special attributes that only build objects or containers; every other dunder (``__class__``,
# ``__dict__``, ``__globals__``, ``__code__``, ``__subclasses__``...) reaches the interpreter.
SAFE_DUNDERS = frozenset({
    "__init__", "__call__", "__len__", "__getitem__", "__setitem__", "__iter__", "__next__", "__repr__",
    "__str__", "__eq__", "__hash__", "__enter__", "__exit__", "__name__", "__doc__", "__array__",
})


@dataclass(frozen=True)
class Evasion:
    """One construct found: where (the cell's label, the line in it) and what."""

    cell: str
    line: int
    construct: str

    def __str__(self) -> str:
        return f"{self.construct} ({self.cell}, line {self.line})"


def find_evasions(cells: list[tuple[str, str]]) -> list[Evasion]:
    """Every construct of the module docstring in ``cells`` ((label, source) pairs), in order.

    IPython syntax (``%magic``, ``!shell``) is a construct of its own; a cell that is not
    Python at all ran nothing and is skipped.
    """
    found: list[Evasion] = []
    for label, source in cells:
        tree = _parse(source)
        if tree is None:
            python = _without_ipython_lines(source)
            if any(_ipython_line(line) for line in source.splitlines()):
                found.append(Evasion(label[:80], 1, "IPython magics or shell commands"))
            tree = _parse(python)
            if tree is None:
                continue
        found.extend(_Visitor(label).scan(tree))
    return found


def _parse(source: str) -> ast.Module | None:
    try:
        return parse_python(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, SystemError):
        return None


def _without_ipython_lines(source: str) -> str:
    """The source with lines that start like IPython syntax (``%``, ``!``, ``?``) blanked."""
    return "\n".join("" if _ipython_line(line) else line for line in source.splitlines())


def _ipython_line(line: str) -> bool:
    return line.lstrip().startswith(("%", "!", "?"))


def _root_module(name: str) -> str:
    return name.split(".")[0]


class _Visitor(ast.NodeVisitor):
    def __init__(self, label: str):
        self.label = label
        self.found: list[Evasion] = []

    def scan(self, tree: ast.AST) -> list[Evasion]:
        self.visit(tree)
        return self.found

    def _report(self, node: ast.AST, construct: str) -> None:
        self.found.append(Evasion(self.label[:80], getattr(node, "lineno", 1), construct[:80]))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _root_module(alias.name) not in ALLOWED_MODULES:
                self._report(node, f"import {alias.name}")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or _root_module(module) not in ALLOWED_MODULES:
            self._report(node, f"from {'.' * node.level}{module} import ...")
        for alias in node.names:
            if alias.name in DENIED_BUILTINS or alias.name in DENIED_ATTRIBUTES or alias.name.startswith("_"):
                self._report(node, f"from {module} import {alias.name}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in DENIED_BUILTINS or (_dunder(node.id) and node.id not in SAFE_DUNDERS):
            self._report(node, node.id)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = node.attr
        own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
        if name in DENIED_ATTRIBUTES or name in DENIED_BUILTINS or (_dunder(name) and name not in SAFE_DUNDERS) or (name.startswith("_") and not _dunder(name) and not own):
            self._report(node, f".{name}")
        self.generic_visit(node)


def _dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


MANUAL_REVIEW = "ManualReview"


def student_cells(nb: NotebookNode, released: NotebookNode) -> list[tuple[str, str]]:
    """(label, source) of the code the student wrote or changed: every code cell but the tests,
    except those whose source is a released cell's own (the course's teaching code)."""
    course_code = {c.source.strip() for c in released.cells if c.cell_type == "code"}
    return [(str(nbgrader_meta(c).get("grade_id") or f"cell {index + 1}"), c.source)
            for index, c in enumerate(nb.cells)
            if c.cell_type == "code" and not is_test_cell(c) and c.source.strip() not in course_code]


def send_to_review(nb: NotebookNode, evasions: list[Evasion]) -> list[str]:
    """Mark every test cell of an executed notebook as graded by hand, saying why; their grade_ids.

    Each test cell gets one more error output (nbgrader scores it 0 until the instructor
    grades it; record.record flags it as needing a manual grade).
    """
    shown = "; ".join(str(e) for e in evasions[:5]) + (f"; and {len(evasions) - 5} more" if len(evasions) > 5 else "")
    message = (f"this test is graded by hand: your code uses {shown}, which can change what the "
               "grader sees of your functions' runs (line counts, switched-off functions, repeated calls)")
    grade_ids = []
    for cell in nb.cells:
        if is_test_cell(cell):
            cell.outputs = [*cell.get("outputs", []),
                            nbformat.v4.new_output("error", ename=MANUAL_REVIEW, evalue=message, traceback=[f"{MANUAL_REVIEW}: {message}"])]
            grade_ids.append(str(nbgrader_meta(cell).get("grade_id")))
    return grade_ids
