"""Checks that the exercises' test cells use: each failure says, in the student's terms,
which call was made, what was expected and what came back.

    check_shape(H, (8, 4), call="conv1d_same(X (8, 2), K (3, 2, 4))")
    check_close(H, H_ref, call="conv1d_same(X (8, 2), K (3, 2, 4))")
    check_vectorized(my_conv, lambda n: (np.ones((n, 1)), np.ones((3, 1, 1))), call="my_conv")

They raise ``AssertionError`` with that message (a failed test, not a crash), and
print nothing when they pass (nbgrader gives zero to a test cell that writes to stderr).
Each test cell ends with ``passed(its grade_id, its points)``, reached only when every check
above it passed: it says so, and what the cell is worth. ``check_all`` (a notebook's last
cell) sums them up per exercise, as far as they ran in this kernel.

Counting lines (``check_vectorized``)
-------------------------------------
One counter, ``count_lines_here``, is used both in a student's own kernel and under grading.
It counts the ``line`` events of ``fn(*args)``, as ``sys.settrace`` reports them:

- every Python frame the call enters, in the calling thread: the function's own lines, the lines
  of what it calls in Python (NumPy's Python wrappers, a lambda, a helper), none of the caller's;
- every Python frame of the threads started through ``threading`` while it runs
  (``threading.Thread``, a ``ThreadPoolExecutor`` made inside the call), up to the moment ``fn``
  returns: a function that joins its threads (it must, to use their results) has all their lines
  counted; lines a thread runs after ``fn`` returned are not, nor those of threads that already
  existed before the call;
- nothing of C code (NumPy's loops, BLAS): a vectorized function runs as many lines for any size.

``sys.settrace``, ``sys.gettrace``, ``threading.settrace`` and ``threading.gettrace`` are taken
when this module is loaded, and the tracers that were set before the call are set again after
it. If the function switches tracing off (its own ``sys.settrace``), its lines cannot be
counted: ``RuntimeError``, here as under grading.

Grading hooks
-------------
When the grader runs the test cells in its trusted process, the student's functions run in
another process, their sandboxed kernel (autograder/link/). What the checks need from there
goes through these, and only these, functions; the grader uses no other name of this module:

- ``install_line_counter(counter)``: the grader calls it once, before the first cell that meets
  the student's code, with ``counter(fn, *args) -> int``, which counts in the kernel where ``fn``
  really runs (with the kernel's copy of ``count_lines_here``). From then on
  ``count_python_lines`` (and so ``check_vectorized``) return what that counter returns; ``None``
  counts here again. Returns the counter it replaces. Outside grading nothing is installed.
- ``remote_contexts()``: the switch-offs active at this moment (``disabled``,
  ``padding_refused``), outermost first, as plain data (tuples of strings): the grader sends
  them with every call of a student's function; a copy, so the grader cannot change them.
- ``enter_remote(spec, namespace)``: the kernel's side: the switch-off a spec describes, entered
  around the call there.
- ``count_lines_here(fn, *args)``: the counter itself, in this process, whatever is installed.
  The kernel's side loads a private copy of this module (a student patching ``seqconv.checks``
  or ``sys.settrace`` later reaches neither that copy nor the tracing functions it took).

The library promises that these keep their names and meaning, that the checks call
``count_python_lines`` (never the tracer directly) and that a switch-off's spec is in
``remote_contexts()`` exactly while its ``with`` block runs.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from typing import cast

import numpy as np

__all__ = [
    "describe",
    "check_type",
    "check_shape",
    "check_close",
    "check_equal",
    "check_vectorized",
    "count_python_lines",
    "disabled",
    "padding_refused",
    "passed",
    "check_all",
    # grading hooks (see the module's docstring)
    "count_lines_here",
    "install_line_counter",
    "remote_contexts",
    "enter_remote",
]

# The storage behind the grading hooks (read and set through install_line_counter and
# remote_contexts only, see the module's docstring):
# - _line_counter: where count_python_lines counts; None: here, with count_lines_here;
# - _remote_contexts: the switch-offs active right now (disabled, padding_refused), as plain specs.
_line_counter: Callable[..., int] | None = None
_remote_contexts: list[tuple] = []
# Taken when the module is loaded (the grader's private copy: before any student code ran).
_settrace, _gettrace = sys.settrace, sys.gettrace
_thread_settrace, _thread_gettrace = threading.settrace, threading.gettrace


def install_line_counter(counter: Callable[..., int] | None) -> Callable[..., int] | None:
    """Grading hook: ``count_python_lines(fn, *args)`` returns ``counter(fn, *args)`` from now on
    (``None``: counts here again, with ``count_lines_here``). Returns the counter it replaces."""
    global _line_counter
    previous, _line_counter = _line_counter, counter
    return previous


def remote_contexts() -> list[tuple]:
    """Grading hook: the switch-offs active now, outermost first, as specs for ``enter_remote`` (a copy)."""
    return list(_remote_contexts)


_passed: dict[str, float] = {}   # test cell (grade_id) -> its points: its visible tests passed in this kernel
_PASSED_CALL = re.compile(r"""passed\(\s*["']([^"']+)["']""")


def passed(test: str, points: float) -> None:
    """The last line of a test cell: every check above it passed. Says so, and what the cell is worth."""
    _passed[test] = points
    _forget_on_failure()
    print(f"passed: {test}, the visible tests ({points:g} point{'' if points == 1 else 's'} at grading, "
          "if the hidden tests it adds pass too)")


def _forget_on_failure() -> None:
    """In IPython: a test cell that fails when run again no longer counts as passed in ``check_all``."""
    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)()
    if shell is None or getattr(shell, "_seqconv_forgets", False):
        return

    def after(result: object) -> None:
        if getattr(result, "error_in_exec", None) is not None or getattr(result, "error_before_exec", None) is not None:
            for test in _PASSED_CALL.findall(str(getattr(getattr(result, "info", None), "raw_cell", "") or "")):
                _passed.pop(test, None)

    shell.events.register("post_run_cell", after)
    shell._seqconv_forgets = True


def check_all(tests: dict[str, float]) -> None:
    """A notebook's summary, per exercise: which test cells (grade_id -> points) passed in this kernel."""
    if os.environ.get("SEQCONV_GRADING") or os.environ.get("NBGRADER_EXECUTION"):
        print("Graded: each test cell above shows its own result.")
        return
    by_exercise: dict[str, list[str]] = {}
    for test in tests:
        by_exercise.setdefault(test.split("-")[0], []).append(test)
    for exercise, names in by_exercise.items():
        done = [name for name in names if name in _passed]
        line = (f"{exercise}: {len(done)} of {len(names)} test cells pass "
                f"({sum(tests[n] for n in done):g} of {sum(tests[n] for n in names):g} points)")
        missing = [name for name in names if name not in _passed]
        print(line + (f"; not yet: {', '.join(missing)}" if missing else ""))
    print("These are the visible tests, as far as they ran in this session. Grading adds hidden tests on other "
          "inputs, so full marks here are not full marks yet; written answers are graded by hand.")


def describe(value: object) -> str:
    """``array (8, 4) float64`` for arrays, ``repr`` (shortened) for anything else."""
    if isinstance(value, np.ndarray):
        return f"array {value.shape} {value.dtype}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_type(got: object, expected: type | tuple[type, ...], *, call: str) -> None:
    """Fail unless ``got`` is an instance of ``expected`` (a numpy array, a float...)."""
    if not isinstance(got, expected):
        names = " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))
        raise AssertionError(f"{call} should return a {names}; it returned {type(got).__name__}: {describe(got)}")


def check_shape(got: object, expected_shape: tuple[int, ...], *, call: str) -> None:
    """Fail unless ``got`` is an array of exactly ``expected_shape``."""
    check_type(got, np.ndarray, call=call)
    shape = cast(np.ndarray, got).shape   # an array: check_type has raised otherwise
    if shape != tuple(expected_shape):
        raise AssertionError(f"{call} should return shape {tuple(expected_shape)}; it returned shape {shape}")


def check_close(got: object, expected: object, *, call: str, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """Fail unless ``got`` has ``expected``'s shape and values (``np.allclose`` with rtol, atol).

    The message names the first position that differs, both values there, and how many differ.
    """
    expected_arr = np.asarray(expected)
    if expected_arr.ndim == 0 and not isinstance(got, np.ndarray):
        if not isinstance(got, (int, float, np.number)) or isinstance(got, bool):
            raise AssertionError(f"{call} should return a number close to {float(expected_arr):.6g}; it returned {describe(got)}")
        got_arr = np.asarray(got)
    else:
        check_shape(got, expected_arr.shape, call=call)
        got_arr = cast(np.ndarray, got)
    if got_arr.dtype.kind not in "biuf":
        raise AssertionError(f"{call} should return numbers; it returned dtype {got_arr.dtype}")
    close = np.isclose(got_arr, expected_arr, rtol=rtol, atol=atol, equal_nan=True)
    if not np.all(close):
        bad = np.argwhere(~close) if got_arr.ndim else np.zeros((1, 0), dtype=int)
        where = tuple(int(i) for i in bad[0])
        g, e = got_arr[where] if got_arr.ndim else got_arr, expected_arr[where] if expected_arr.ndim else expected_arr
        at = f" at index {where if len(where) != 1 else where[0]}" if where else ""
        raise AssertionError(
            f"{call}: wrong value{at}: expected {float(e):.6g}, got {float(g):.6g} "
            f"({int(np.sum(~close))} of {close.size} values differ)"
        )


def check_equal(got: object, expected: object, *, call: str) -> None:
    """Fail unless ``got == expected`` (exact; for ints, strings, tuples, lists)."""
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        check_shape(got, np.asarray(expected).shape, call=call)
        if not np.array_equal(np.asarray(got), np.asarray(expected)):
            mismatch = tuple(int(i) for i in np.argwhere(np.asarray(got) != np.asarray(expected))[0])
            e, g = np.asarray(expected)[mismatch].item(), np.asarray(got)[mismatch].item()
            raise AssertionError(f"{call}: wrong value at index {mismatch}: expected {e!r}, got {g!r}")
        return
    if got != expected:
        raise AssertionError(f"{call} should return {describe(expected)}; it returned {describe(got)}")


def count_python_lines(fn: Callable[..., object], *args: object) -> int:
    """Number of Python source lines executed while ``fn(*args)`` runs (see "Counting lines" above).

    A loop over n time steps runs its body n times, so this count grows with n; vectorized
    code runs the same lines whatever n is. Deterministic, unlike a timing. Counted by
    ``count_lines_here``, or, under grading, in the student's kernel by the same counter.
    """
    counter = _line_counter
    if counter is not None:
        return counter(fn, *args)
    return count_lines_here(fn, *args)


def count_lines_here(fn: Callable[..., object], *args: object) -> int:
    """The line counter, in this process: the lines ``fn(*args)`` runs, in every frame it enters, in
    the calling thread and in the threads started through ``threading`` until it returns.

    ``RuntimeError`` when tracing was switched off while it ran (its lines cannot be counted).
    """
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def start(frame, event, arg):
        return local

    previous, previous_threads = _gettrace(), _thread_gettrace()
    _settrace(start)
    _thread_settrace(start)
    try:
        fn(*args)
    finally:
        intact = _gettrace() is start
        _settrace(previous)
        _thread_settrace(previous_threads)
    if not intact:
        raise RuntimeError("tracing was switched off while the function ran: its lines cannot be counted")
    return count


def check_vectorized(
    fn: Callable[..., object],
    make_args: Callable[[int], tuple],
    *,
    call: str,
    sizes: tuple[int, int] = (32, 512),
    size_name: str = "sequence length",
) -> None:
    """Fail when the Python work of ``fn(*make_args(n))`` grows with the size n.

    ``make_args(n)`` builds the arguments for size ``n`` (a sequence length by default;
    say which size in ``size_name``, e.g. ``"batch size B"``). The line count at the
    large size may exceed the small one by a little (numpy's own Python code), not by a factor.
    """
    small, large = sizes
    lines_small = count_python_lines(fn, *make_args(small))
    lines_large = count_python_lines(fn, *make_args(large))
    if lines_large > 2 * lines_small + 20:
        raise AssertionError(
            f"{call} is not vectorized: it ran {lines_small} Python lines for {size_name} {small} "
            f"and {lines_large} for {size_name} {large}. Replace the Python loop by array operations "
            "(slicing, broadcasting, sliding_window_view, tensordot/einsum, matmul)."
        )


class _Disabled:
    """Stands in for a library function while a test proves the student wrote their own."""

    def __init__(self, name: str):
        self._name = name

    def __call__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError(
            f"this exercise asks for your own implementation: {self._name} is switched off while it is tested"
        )


@contextlib.contextmanager
def _pushed(spec: tuple) -> Iterator[None]:
    _remote_contexts.append(spec)
    try:
        yield
    finally:
        _remote_contexts.remove(spec)


def _reference(f: Callable[..., object]) -> tuple[str, str]:
    return str(getattr(f, "__module__", None) or "?"), str(getattr(f, "__qualname__", None) or getattr(f, "__name__", "?"))


def _resolve(reference: tuple[str, str], namespace: dict) -> object | None:
    """The object that ``_reference`` named, in this process (None when it is not here)."""
    module_name, qualname = reference
    if module_name == "__main__":
        return namespace.get(qualname)
    module = sys.modules.get(module_name)
    if module is None:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return None
    obj: object = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj


@contextlib.contextmanager
def disabled(namespace: dict, *functions: Callable[..., object]) -> Iterator[None]:
    """Switch ``functions`` off inside the block, wherever they are reachable by name.

    Every attribute of the loaded ``seqconv``, ``numpy`` and ``scipy`` modules, and every
    name in ``namespace`` (pass the notebook's ``globals()``), that refers to one of
    ``functions`` is replaced by a stub that fails the test; all are restored on exit.
    """
    with _pushed(("disabled", tuple(_reference(f) for f in functions))), _disabled_here(namespace, *functions):
        yield


@contextlib.contextmanager
def _disabled_here(namespace: dict, *functions: Callable[..., object]) -> Iterator[None]:
    targets = {id(f): f"{getattr(f, '__module__', '?')}.{getattr(f, '__name__', '?')}" for f in functions}
    holders: list[tuple[object, str, object]] = []
    modules = [m for name, m in list(sys.modules.items())
               if name.split(".")[0] in ("seqconv", "numpy", "scipy") and m is not None]
    for module in modules:
        for attr, value in list(vars(module).items()):
            if id(value) in targets:
                holders.append((module, attr, value))
    for name, value in list(namespace.items()):
        if id(value) in targets:
            holders.append((namespace, name, value))
    try:
        for holder, attr, value in holders:
            stub = _Disabled(targets[id(value)])
            if isinstance(holder, dict):
                holder[attr] = stub
            else:
                setattr(holder, attr, stub)
        yield
    finally:
        for holder, attr, value in holders:
            if isinstance(holder, dict):
                holder[attr] = value
            else:
                setattr(holder, attr, value)


@contextlib.contextmanager
def padding_refused(value: str, namespace: dict) -> Iterator[None]:
    """Inside the block, ``seqconv.conv1d`` and ``resolve_padding`` refuse ``padding=value``.

    For an exercise that asks the student to choose the zeros themselves: explicit
    ``(left, right)`` pairs still work. ``namespace`` is the notebook's ``globals()``.
    """
    with _pushed(("padding_refused", value)), _padding_refused_here(value, namespace):
        yield


@contextlib.contextmanager
def _padding_refused_here(value: str, namespace: dict) -> Iterator[None]:
    from . import conv

    real_conv1d, real_resolve = conv.conv1d, conv.resolve_padding

    def refuse(padding: object) -> None:
        if isinstance(padding, str) and padding == value:
            raise AssertionError(f"choose the zeros (left, right) yourself: padding={value!r} is switched off while this is tested")

    def conv1d_refusing(X, K, b=None, *, padding="valid", **kwargs):  # noqa: ANN001, ANN202 - conv1d's own signature
        refuse(padding)
        return real_conv1d(X, K, b, padding=padding, **kwargs)

    def resolve_refusing(padding, *args, **kwargs):  # noqa: ANN001, ANN202 - resolve_padding's own signature
        refuse(padding)
        return real_resolve(padding, *args, **kwargs)

    swap = {id(real_conv1d): conv1d_refusing, id(real_resolve): resolve_refusing}
    package = sys.modules[__package__]
    slots = [(vars(m), a, v) for m in (package, conv) for a, v in list(vars(m).items()) if id(v) in swap]
    slots += [(namespace, a, v) for a, v in list(namespace.items()) if id(v) in swap]
    try:
        for holder, attr, original in slots:
            holder[attr] = swap[id(original)]
        yield
    finally:
        for holder, attr, original in slots:
            holder[attr] = original


def enter_remote(spec: tuple, namespace: dict) -> contextlib.AbstractContextManager:
    """Grading hook: the switch-off that ``spec`` (from ``remote_contexts()``) describes, for this process.

    The grader calls this in the student's kernel around each call of their function.
    """
    kind, argument = spec
    if kind == "disabled":
        found = [f for f in (_resolve(tuple(ref), namespace) for ref in argument) if callable(f)]
        return _disabled_here(namespace, *found)
    if kind == "padding_refused":
        return _padding_refused_here(str(argument), namespace)
    raise ValueError(f"spec: unknown switch-off {kind!r}")
