"""The grader's end of the link inside the student's kernel (module ``_grader_link`` there).

The grader sends this file's source to the student's kernel before the student's cells run,
right after wire.py's, which it loads there as the module ``_grader_wire`` (the autograder
package is not importable in the kernel: see ``LINK_SOURCES`` in autograder/runner/student_kernel.py).
It later asks it to run one call at a time:

    _grader_link.serve(request_path, result_path)

The request (written by the grader, pickled by the trusted process) names the student's
function, its arguments and the switch-offs to enter; the result is written with
``encode`` as plain data. Nothing here is trusted: the student's code shares this process
and may change any of it. That is fine, because all it can change is the data it returns,
and the checks that judge that data run elsewhere.

Every call runs in a child forked from the kernel for that call alone, and ends with it: what
a call changes in memory (a cache of earlier calls, a patched module, a tracer switched off, a
module reloaded) is gone before the next call, so no check can be answered from what an
earlier check showed. A call starts from the kernel as its test cell saw it: the grader runs
the student's cells up to each test cell before the test's visible part, and the hidden parts,
which run after all the cells, are served from a child forked at their test cell (``pin``).

Two things are measured here rather than returned: the lines a function runs (the
"vectorized" tests) and the library switched off during a call (the "own implementation"
tests). For both, this module uses a private copy of ``seqconv.checks``, loaded with this
module, before any student code ran: its switch-offs (``enter_remote``) and its line counter
(``count_lines_here``, the one the library uses in a student's own kernel, with the tracing
functions it took when loaded). So a student who patches ``sys.settrace``, ``seqconv.checks``
or its switch-offs fools nothing; code written against this module itself could, which the
README says.
"""

import contextlib
import copy
import importlib.util
import io
import os
import pickle
import signal
import sys
import warnings

import numpy as np

import seqconv.checks

if __name__ == "_grader_link":
    # in the student's kernel: wire.py, loaded there as _grader_wire just before this module
    from _grader_wire import Unencodable, encode  # type: ignore[import-not-found]
else:   # imported as autograder.link.student_side (tests, linters, the type checker)
    from autograder.link.wire import Unencodable, encode

MAX_MESSAGE = 2000
_fork, _waitpid, _kill, _exit, _open = os.fork, os.waitpid, os.kill, os._exit, open
_pipe, _read, _write, _close = os.pipe, os.read, os.write, os.close


def _private_checks():
    """A copy of seqconv.checks that only this module holds (patching the real one changes nothing here)."""
    spec = importlib.util.spec_from_file_location("_grader_checks", seqconv.checks.__file__)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load a copy of {seqconv.checks.__file__}")
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "seqconv"
    spec.loader.exec_module(module)
    return module


_checks = _private_checks()


def _namespace() -> dict:
    return sys.modules["__main__"].__dict__


def student_function(name):
    """Unpickled in place of a student's function that the trusted process passed as an argument."""
    return _lookup(_namespace(), name)


def _after(values) -> list:
    """The state, after the call, of the random generators among the arguments: [[position or name, state]]."""
    return [[key, value.bit_generator.state] for key, value in values if isinstance(value, np.random.Generator)]


def _copies(values) -> list:
    """A copy of each argument the call could change in place (arrays, lists, dicts), by position or name."""
    kept = []
    for key, value in values:
        if isinstance(value, np.ndarray):
            kept.append((key, value, value.copy()))
        elif type(value) in (list, dict):
            with contextlib.suppress(Exception):
                kept.append((key, value, copy.deepcopy(value)))
    return kept


def _changed(kept) -> list:
    """[[position or name, value now]] for each argument the call changed in place (compared as
    the plain data the grader would send; an argument that is no longer plain data is left out)."""
    changed = []
    for key, value, before in kept:
        try:
            if isinstance(value, np.ndarray) and value.shape == before.shape and np.array_equal(
                    value, before, equal_nan=value.dtype.kind in "fc"):
                continue
            if encode(value) != encode(before):
                changed.append([key, value])
        except (Unencodable, ValueError, TypeError, RecursionError):
            continue
    return changed


def _alias(value, arguments) -> list | None:
    """How the returned value shares an argument's memory, as the tests could see it at home:
    [position or name, "is"] for the argument itself (a list, a dict, an array), or [position or
    name, byte offset, shape, strides, the argument's strides] for a view into an array argument."""
    for key, argument in arguments:
        if value is argument and type(value) in (list, dict, np.ndarray):
            return [key, "is"]
    if not isinstance(value, np.ndarray):
        return None
    for key, argument in arguments:
        if (isinstance(argument, np.ndarray) and argument.dtype == value.dtype and value.size
                and np.shares_memory(value, argument)):
            offset = value.__array_interface__["data"][0] - argument.__array_interface__["data"][0]
            return [key, int(offset), list(value.shape), list(value.strides), list(argument.strides)]
    return None


def _call(fn, args, kwargs, request: dict) -> dict:
    """``fn(*args, **kwargs)`` as the tests see it at home: the trusted process's warning filters in
    force (a warning the tests turn into an error raises here, inside the call; read-only arrays
    arrive read-only, pickle keeps the flag). Returns the value and what else the tests can
    observe: the warnings shown, the arguments changed in place, the generators' states, and
    whether the value is an argument or a view into one."""
    arguments = [*enumerate(args), *kwargs.items()]
    kept = _copies(arguments)
    shown = []

    def show(message, category, filename, lineno, file=None, line=None):
        shown.append([category.__module__, category.__qualname__, str(message)[:MAX_MESSAGE], str(filename)[:200], int(lineno)])

    with warnings.catch_warnings():
        if "warnings" in request:
            warnings.filters[:] = list(request["warnings"])  # type: ignore[index]  # a list at run time
            warnings._filters_mutated()  # type: ignore[attr-defined]  # CPython hook: the filters changed
        warnings.showwarning = show
        value = fn(*args, **kwargs)
    return {"value": value, "after": _after(arguments), "changed": _changed(kept), "warnings": shown,
            "alias": _alias(value, arguments)}


def _lookup(namespace: dict, name: str):
    if name not in namespace:
        raise NameError(f"name {name!r} is not defined")
    return namespace[name]


def _run(request: dict):
    namespace = _namespace()
    op = request["op"]
    if op == "get":
        return _lookup(namespace, request["name"])
    with contextlib.ExitStack() as stack:
        for spec in request.get("contexts", ()):
            stack.enter_context(_checks.enter_remote(spec, namespace))
        if op == "count_lines":
            return _checks.count_lines_here(request["fn"], *request["args"])
        return _call(_lookup(namespace, request["name"]), request["args"], request["kwargs"], request)


class _Pin:
    """A child of the kernel forked at a test cell, waiting: the kernel as that test cell saw it."""

    def __init__(self, pid: int, commands: int, replies: int):
        self.pid, self.commands, self.replies = pid, commands, replies

    def close(self) -> None:
        for fd in (self.commands, self.replies):
            with contextlib.suppress(OSError):
                _close(fd)
        with contextlib.suppress(OSError):
            _kill(self.pid, signal.SIGKILL)
            _waitpid(self.pid, 0)


_pins: dict = {}   # test cell -> _Pin


def pin(test: str) -> None:
    """Keep the kernel as it is before the test cell ``test`` (a notebook run from the top reaches it
    here): a child forked now, which waits. The test's hidden part runs after all the cells; each of
    its calls is served from this child (in a child of its own), so it sees the functions, helpers
    and data the test cell saw, whatever later cells redefined or changed in place."""
    if test in _pins:
        _pins.pop(test).close()
    to_pin, commands = _pipe()
    replies, from_pin = _pipe()
    child = _fork()
    if child == 0:
        try:
            for other in _pins.values():
                for fd in (other.commands, other.replies):
                    _close(fd)
            _close(commands)
            _close(replies)
            signal.signal(signal.SIGINT, signal.SIG_IGN)   # the grader interrupts a call, never its pin
            _wait_for_calls(to_pin, from_pin)
        finally:
            _exit(0)
    _close(to_pin)
    _close(from_pin)
    _pins[test] = _Pin(child, commands, replies)


def _wait_for_calls(commands: int, replies: int) -> None:
    """In a pinned child: serve each call sent until the kernel closes the pipe."""
    for line in _lines(commands):
        request_path, result_path = line.split("\0")
        call = _fork()
        if call == 0:
            try:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                _serve_file(request_path, result_path)
            finally:
                _exit(0)
        _write(replies, f"{call}\n".encode())
        with contextlib.suppress(ChildProcessError):
            _waitpid(call, 0)
        _write(replies, b"done\n")


def _lines(fd: int):
    buffer = b""
    while True:
        while b"\n" not in buffer:
            chunk = _read(fd, 4096)
            if not chunk:
                return
            buffer += chunk
        line, buffer = buffer.split(b"\n", 1)
        yield line.decode()


def _serve_pinned(pinned: _Pin, request_path: str, result_path: str) -> None:
    answers = _lines(pinned.replies)
    call = ""
    try:
        _write(pinned.commands, f"{request_path}\0{result_path}\n".encode())
        call = next(answers, "")
        if next(answers, None) != "done":
            raise RuntimeError("the kernel as the test saw it is gone")
    except BaseException:   # the grader's interrupt (a timeout): the call ends, and the pin with it
        with contextlib.suppress(OSError, ValueError):
            _kill(int(call), signal.SIGKILL)
        for test, other in list(_pins.items()):
            if other is pinned:
                _pins.pop(test).close()
        raise


def serve(request_path: str, result_path: str, at: str | None = None) -> None:
    """Run one request in a child of this process (of the child pinned at the test cell ``at``, when
    there is one); it writes the outcome (a value or the exception raised) as plain data, then ends,
    and whatever the call changed ends with it."""
    if at in _pins:
        _serve_pinned(_pins[at], request_path, result_path)
        return
    child = _fork()
    if child == 0:
        try:
            _serve_file(request_path, result_path)
        finally:
            _exit(0)
    try:
        _waitpid(child, 0)
    except BaseException:   # the grader's interrupt (a timeout): the call ends with its child
        with contextlib.suppress(OSError):
            _kill(child, signal.SIGKILL)
            _waitpid(child, 0)
        raise


def _serve_file(request_path: str, result_path: str) -> None:
    with _open(request_path, "rb") as f:
        request = f.read()
    _serve_here(request, result_path)


def _serve_here(request: bytes, result_path: str) -> None:
    # the kernel's output streams belong to its other threads, which a forked child does not
    # have: what the call prints goes nowhere (the grader never showed it)
    sys.stdout = sys.stderr = io.StringIO()
    try:
        # unpickled in the call's own process: a function passed as an argument is the one the test saw
        outcome = {"ok": _run(pickle.loads(request))}
    except BaseException as exc:  # noqa: BLE001 - the student's exception is the answer
        outcome = {"raised": [type(exc).__name__, str(exc)[:MAX_MESSAGE], type(exc).__module__]}
    try:
        data = encode(outcome)
    except (Unencodable, ValueError, RecursionError) as exc:
        kind = type(outcome.get("ok", {}).get("value") if isinstance(outcome.get("ok"), dict) else outcome.get("ok"))
        data = encode({"unencodable": f"{kind.__module__}.{kind.__qualname__} ({exc})"[:MAX_MESSAGE]})
    with _open(result_path, "wb") as f:
        f.write(data)
