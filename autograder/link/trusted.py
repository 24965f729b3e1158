"""The trusted checks: run a lecture's master notebook where the student's code cannot reach.

The grader runs this next to the student's sandboxed kernel, in a process forked for the
notebook from a pre-warmed one (trusted_zygote.py, trusted_host.py). It runs the
master's cells: teaching cells as the instructor wrote them, test cells whole (visible
part, then hidden part). Where the master has an answer cell, the names it defines are
bound to proxies: calling ``conv1d_same(X, K)`` here sends (name, arguments) to the
grader, which runs the student's function in their kernel and sends back what it
returned, as plain data (wire.py) or as the exception it raised. So the checks, the
expected values and NumPy itself are this process's own: a student's patched ``numpy``,
``builtins``, traceback hook or check helper, or a returned object with a lying
``__eq__``, never meets them. No student code runs here. What else the call did, as a test
in one process would see it, comes back as data too and is done here (relay.py, the proxies
and the link to the grader; this module runs the master's cells and sends the verdicts).

The answer is one message per test cell (protocol.py), its verdict: the visible part's error and
output (shown to the student), and only whether the hidden part failed, never why. Hidden
parts run after all visible parts, so nothing the student's code returns or raises after
seeing a hidden input is ever shown.

The library's checks meet the kernel through seqconv.checks' grading hooks only
(``install_line_counter``, ``remote_contexts``): ``run`` installs a line counter that counts
in the kernel, with the library's own counter there.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import sys
import warnings

from autograder.link.protocol import (
    AnswerCell,
    Done,
    HiddenFailure,
    PartResult,
    Reach,
    ReachEnd,
    TeachingCell,
    TestCell,
    TrustedJob,
    Verdict,
)
from autograder.link.relay import Link, StudentFunction

MAX_TEXT = 20_000


def defined_names(source: str) -> tuple[list[str], list[str]]:
    """(functions and classes, variables) that a cell's top level defines."""
    from autograder.cells import parse_python

    try:
        tree = parse_python(source)
    except SyntaxError:
        return [], []
    functions, variables = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            functions.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name) and leaf.id not in variables:
                        variables.append(leaf.id)
    return functions, variables


def _run_part(source: str, namespace: dict, label: str) -> PartResult:
    """Execute ``source``; what it printed and the error it raised, if any."""
    out, err = io.StringIO(), io.StringIO()
    error = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            exec(compile(source, label, "exec"), namespace)  # noqa: S102 - the master notebook's own code
        except BaseException as exc:  # noqa: BLE001 - a failing test is an answer, not a crash
            error = (type(exc).__name__, str(exc)[:MAX_TEXT])
    _close_figures()
    return PartResult(out.getvalue()[:MAX_TEXT], err.getvalue()[:MAX_TEXT], error)


def _close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def new_namespace() -> dict:
    """The namespace the master's cells run in, as a fresh notebook's ``__main__``."""
    warnings.filterwarnings("ignore", message=".*non-interactive.*")   # plt.show() on Agg, in teaching cells
    return {"__name__": "__main__", "__builtins__": builtins}


def student_free_prefix(job: TrustedJob) -> int:
    """How many of the job's first cells are teaching cells: they run before any student code, so
    their state is the same for every submission (a pre-warmed process runs them once, trusted_zygote.py)."""
    count = 0
    for cell in job.cells:
        if not isinstance(cell, TeachingCell):
            break
        count += 1
    return count


def run_teaching(job: TrustedJob, namespace: dict, stop: int) -> None:
    """Run the job's first ``stop`` cells, all of them teaching cells."""
    for index, cell in enumerate(job.cells[:stop]):
        assert isinstance(cell, TeachingCell), "student_free_prefix counts teaching cells only"
        _run_part(cell.source, namespace, f"<{cell.grade_id or f'cell {index}'}>")


def run(job: TrustedJob, link: Link, namespace: dict, start: int) -> None:
    """Run the master's cells from ``start`` (the earlier ones already ran in ``namespace``);
    send one verdict per test cell, then ``done``."""
    from seqconv import checks

    def count_lines(fn, *args) -> int:
        request = {"op": "count_lines", "fn": fn, "args": args, "contexts": checks.remote_contexts()}
        count = link.ask(request, f"{getattr(fn, '__name__', 'your function')}() (counting its lines)")
        if not isinstance(count, int):
            raise TypeError(f"the line count came back as {type(count).__name__}, not an int")
        return count

    checks.install_line_counter(count_lines)
    # Hidden parts run after every visible part, each in a copy of the namespace as it was
    # after its own visible part: all that the student's code could show in feedback (its
    # outputs, its values in visible failures) comes before any hidden input or hidden
    # callable reaches it.
    pending: list[tuple[TestCell, PartResult, dict]] = []
    for index, cell in enumerate(job.cells[start:], start):
        label = f"<{cell.grade_id or f'cell {index}'}>"
        if isinstance(cell, AnswerCell | TestCell):
            # the student's kernel runs their cells up to here first, as a notebook run from the top
            link.send(Reach(cell.grade_id, through=isinstance(cell, AnswerCell)))
        if isinstance(cell, AnswerCell):
            for name in cell.functions:
                namespace[name] = StudentFunction(name, link)
            for name in cell.variables:
                try:
                    namespace[name] = link.ask({"op": "get", "name": name}, f"reading {name}")
                except Exception:  # noqa: BLE001 - not defined by the student, or not plain data
                    namespace.pop(name, None)
        elif isinstance(cell, TeachingCell):
            _run_part(cell.source, namespace, label)
        else:
            visible = _run_part(cell.visible, namespace, label)
            if visible.passed and cell.hidden.strip():
                pending.append((cell, visible, dict(namespace)))
            else:
                link.send(Verdict(cell.grade_id, visible))
    link.send(ReachEnd())   # the student's cells all run before any hidden input reaches their code
    for cell, visible, snapshot in pending:
        link.at = cell.grade_id
        hidden = _run_part(cell.hidden, snapshot, f"<{cell.grade_id}>")
        why = None
        if hidden.error is not None:
            why = HiddenFailure.TIMEOUT if hidden.error[0] == "TimeoutError" else HiddenFailure.ERROR
        elif hidden.stderr:
            why = HiddenFailure.STDERR
        link.send(Verdict(cell.grade_id, visible, hidden_failed=why is not None, hidden_why=why,
                          # for the instructor's report only: the grader never puts it in the notebook or the feedback
                          hidden_error=(f"{hidden.error[0]}: {hidden.error[1]}" if hidden.error is not None
                                        else f"wrote to stderr: {hidden.stderr}" if hidden.stderr else None)))
    link.send(Done())
