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
in one process would see it, comes back as data too and is done here: arguments changed in
place, warnings shown (the test's filters were in force in the call), generators advanced.

The answer is one JSON message per test cell, its verdict: the visible part's error and
output (shown to the student), and only whether the hidden part failed, never why. Hidden
parts run after all visible parts, so nothing the student's code returns or raises after
seeing a hidden input is ever shown.
"""

from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import io
import json
import os
import sys
import types
import warnings

import cloudpickle

from autograder.link import wire

LINK_MODULE = "_grader_link"
MAX_TEXT = 20_000


class StudentCodeError(Exception):
    """The student's function raised an exception that is not one of Python's own."""


class StudentCodeStopped(RuntimeError):
    """The student's kernel timed out, died or sent something that is not plain data."""


def _link_module() -> types.ModuleType:
    """``_grader_link`` here, so that a proxy pickles as ``_grader_link.student_function(name)``,
    which the student's kernel resolves to their own function (student_side.py)."""
    module = sys.modules.get(LINK_MODULE)
    if module is None:
        module = types.ModuleType(LINK_MODULE)

        def student_function(name: str):
            raise RuntimeError("student_function is resolved in the student's kernel only")

        student_function.__module__, student_function.__qualname__ = LINK_MODULE, "student_function"
        module.student_function = student_function  # type: ignore[attr-defined]  # a module made here, for pickling
        sys.modules[LINK_MODULE] = module
    return module


class Link:
    """Messages to and from the grader (JSON lines over two pipes)."""

    def __init__(self, read_fd: int, write_fd: int):
        self._in = os.fdopen(read_fd, "r", encoding="utf-8")
        self._out = os.fdopen(write_fd, "w", encoding="utf-8")
        # the test cell whose hidden part runs: its calls see the kernel's names as they were before that cell
        self.at: str | None = None

    def send(self, message: dict) -> None:
        self._out.write(json.dumps(message) + "\n")
        self._out.flush()

    def ask(self, request: dict, what: str) -> object:
        """Run ``request`` in the student's kernel; its plain-data outcome, or raise as it did."""
        payload = base64.b64encode(cloudpickle.dumps(request)).decode("ascii")
        self.send({"op": "run", "request": payload, "what": what, "at": self.at})
        line = self._in.readline()
        if not line:
            raise StudentCodeStopped("the grader closed the link")
        reply = json.loads(line)
        if reply["status"] == "timeout":
            raise TimeoutError(reply["message"])
        if reply["status"] != "ok":
            raise StudentCodeStopped(reply.get("message", reply["status"]))
        try:
            outcome = wire.decode(base64.b64decode(reply["result"]))
        except (wire.WireError, ValueError) as exc:
            raise StudentCodeStopped(f"the kernel's answer is not plain data ({exc})") from None
        if not isinstance(outcome, dict) or len(outcome) != 1:
            raise StudentCodeStopped("the kernel's answer is not in the expected form")
        (kind, body), = outcome.items()
        if kind == "ok":
            return body
        if kind == "raised" and isinstance(body, list) and len(body) in (2, 3):
            raise _student_exception(str(body[0]), str(body[1]), str(body[2]) if len(body) == 3 else "builtins")
        if kind == "unencodable":
            raise TypeError(f"the value returned is not plain data (numbers, strings, lists, tuples, dicts, "
                            f"NumPy arrays): {body}")
        raise StudentCodeStopped("the kernel's answer is not in the expected form")


def _known_class(module: str, name: str, base: type) -> type | None:
    """The class ``module.name`` when it is Python's own or NumPy's (a module this process has
    already imported: nothing is imported on the student's word) and a subclass of ``base``."""
    if module == "builtins":
        found = getattr(builtins, name, None)
    elif module.split(".")[0] == "numpy" and module in sys.modules:
        found = getattr(sys.modules[module], name, None)
    else:
        found = None
    return found if isinstance(found, type) and issubclass(found, base) else None


def _student_exception(name: str, message: str, module: str = "builtins") -> BaseException:
    """The exception the student's code raised, rebuilt as its class when it is Python's or NumPy's
    own (``except ValueError``, ``pytest.raises(np.linalg.LinAlgError)`` behave as at home)."""
    cls = _known_class(module, name, Exception)
    if cls is not None:
        try:
            return cls(message)
        except TypeError:
            pass
    return StudentCodeError(f"{name}: {message}")


class StudentFunction:
    """Stands for a function defined in the student's answer cell."""

    def __init__(self, name: str, link: Link):
        self.__name__ = self.__qualname__ = name
        self._link = link

    def __call__(self, *args, **kwargs):
        from seqconv import checks

        outcome = self._link.ask({"op": "call", "name": self.__name__, "args": args, "kwargs": kwargs,
                                  "contexts": list(checks._remote_contexts), "warnings": list(warnings.filters)},
                                 f"{self.__name__}()")
        if not isinstance(outcome, dict) or set(outcome) != {"value", "after", "changed", "warnings", "alias"}:
            raise StudentCodeStopped("the kernel's answer is not in the expected form")
        _write_back(args, kwargs, outcome["after"])
        _apply_changes(args, kwargs, outcome["changed"])
        _warn_again(outcome["warnings"])
        return _aliased(args, kwargs, outcome["value"], outcome["alias"])

    def __reduce__(self):
        return (_link_module().student_function, (self.__name__,))

    def __repr__(self) -> str:
        return f"<student function {self.__name__}>"


def _write_back(args: tuple, kwargs: dict, after: object) -> None:
    """Random generators the student's function drew from advance here too (tests check the draws)."""
    import numpy as np

    if not isinstance(after, list):
        return
    for item in after:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], dict)):
            continue
        key, state = item
        target = _argument(args, kwargs, key)
        if isinstance(target, np.random.Generator) and state.get("bit_generator") == target.bit_generator.state["bit_generator"]:
            with contextlib.suppress(Exception):
                target.bit_generator.state = state


def _aliased(args: tuple, kwargs: dict, value: object, alias: object) -> object:
    """The value as the student's function returned it: this process's own argument when it returned
    its argument, a view into it when it returned a view (so that a later change of the argument shows
    in the value, as at home). Anything the report does not match exactly leaves the plain value."""
    import numpy as np

    if not (isinstance(alias, list) and len(alias) in (2, 5)):
        return value
    target = _argument(args, kwargs, alias[0])
    if alias[1:] == ["is"]:
        same_kind = type(target) is type(value) and (not isinstance(value, np.ndarray) or (
            isinstance(target, np.ndarray) and target.shape == value.shape and target.dtype == value.dtype))
        return target if same_kind and _same_data(target, value) else value
    offset, shape, strides, argument_strides = alias[1:]
    if not (isinstance(target, np.ndarray) and isinstance(value, np.ndarray) and target.dtype == value.dtype
            and list(target.strides) == argument_strides and isinstance(offset, int) and offset >= 0):
        return value
    try:
        view = np.ndarray(tuple(shape), dtype=target.dtype, buffer=target, offset=offset, strides=tuple(strides))
    except (TypeError, ValueError):
        return value
    return view if _same_data(view, value) else value


def _same_data(a: object, b: object) -> bool:
    import numpy as np

    with contextlib.suppress(Exception):
        if isinstance(a, np.ndarray):
            other = np.asarray(b)
            return bool(a.shape == other.shape and np.array_equal(a, other, equal_nan=a.dtype.kind in "fc"))
        return bool(a == b)
    return False


def _argument(args: tuple, kwargs: dict, key: object) -> object:
    return args[key] if type(key) is int and 0 <= key < len(args) else kwargs.get(key) if type(key) is str else None


def _apply_changes(args: tuple, kwargs: dict, changed: object) -> None:
    """What the student's function changed in its arguments, done to this process's arguments too,
    as it would be in one process ("do not modify X" is then checked on what really happened).
    Only in place and within each argument's own type and shape: an array gets new values (cast
    to its dtype), a list or dict new items."""
    import numpy as np

    if not isinstance(changed, list):
        return
    for item in changed:
        if not (isinstance(item, list) and len(item) == 2):
            continue
        target, value = _argument(args, kwargs, item[0]), item[1]
        with contextlib.suppress(Exception):
            if isinstance(target, np.ndarray) and isinstance(value, np.ndarray) and value.shape == target.shape:
                if target.flags.writeable:
                    target[...] = value.astype(target.dtype)
            elif type(target) is list and isinstance(value, list):
                target[:] = value
            elif type(target) is dict and isinstance(value, dict):
                target.clear()
                target.update(value)


def _warn_again(shown: object) -> None:
    """The warnings the student's function showed, issued here again: the tests' filters decide
    (printed to the test's stderr, as in one process)."""
    if not isinstance(shown, list):
        return
    for item in shown[:100]:
        if not (isinstance(item, list) and len(item) == 5):
            continue
        module, name, message, filename, lineno = item
        category = _known_class(str(module), str(name), Warning) or UserWarning
        with contextlib.suppress(Exception):
            warnings.warn_explicit(str(message), category, str(filename), int(lineno))


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


def _run_part(source: str, namespace: dict, label: str) -> dict:
    """Execute ``source``; what it printed and the error it raised, if any."""
    out, err = io.StringIO(), io.StringIO()
    error = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            exec(compile(source, label, "exec"), namespace)  # noqa: S102 - the master notebook's own code
        except BaseException as exc:  # noqa: BLE001 - a failing test is an answer, not a crash
            error = [type(exc).__name__, str(exc)[:MAX_TEXT]]
    _close_figures()
    return {"stdout": out.getvalue()[:MAX_TEXT], "stderr": err.getvalue()[:MAX_TEXT], "error": error}


def _close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def new_namespace() -> dict:
    """The namespace the master's cells run in, as a fresh notebook's ``__main__``."""
    warnings.filterwarnings("ignore", message=".*non-interactive.*")   # plt.show() on Agg, in teaching cells
    return {"__name__": "__main__", "__builtins__": builtins}


def student_free_prefix(job: dict) -> int:
    """How many of the job's first cells are teaching cells: they run before any student code, so
    their state is the same for every submission (a pre-warmed process runs them once, trusted_zygote.py)."""
    count = 0
    for cell in job["cells"]:
        if cell["kind"] != "teaching":
            break
        count += 1
    return count


def run_teaching(job: dict, namespace: dict, stop: int) -> None:
    """Run the job's first ``stop`` cells, all of them teaching cells."""
    for index, cell in enumerate(job["cells"][:stop]):
        _run_part(cell["source"], namespace, f"<{cell.get('grade_id') or f'cell {index}'}>")


def run(job: dict, link: Link, namespace: dict, start: int) -> None:
    """Run the master's cells from ``start`` (the earlier ones already ran in ``namespace``);
    send one verdict per test cell, then ``done``."""
    from seqconv import checks

    def count_lines(fn, *args) -> int:
        request = {"op": "count_lines", "fn": fn, "args": args, "contexts": list(checks._remote_contexts)}
        count = link.ask(request, f"{getattr(fn, '__name__', 'your function')}() (counting its lines)")
        if not isinstance(count, int):
            raise TypeError(f"the line count came back as {type(count).__name__}, not an int")
        return count

    checks._line_counter = count_lines
    # Hidden parts run after every visible part, each in a copy of the namespace as it was
    # after its own visible part: all that the student's code could show in feedback (its
    # outputs, its values in visible failures) comes before any hidden input or hidden
    # callable reaches it.
    pending: list[tuple[dict, dict, dict]] = []
    for index, cell in enumerate(job["cells"][start:], start):
        label = f"<{cell.get('grade_id') or f'cell {index}'}>"
        if cell["kind"] in ("answer", "test"):
            # the student's kernel runs their cells up to here first, as a notebook run from the top
            link.send({"op": "reach", "grade_id": cell["grade_id"], "through": cell["kind"] == "answer"})
        if cell["kind"] == "answer":
            for name in cell["functions"]:
                namespace[name] = StudentFunction(name, link)
            for name in cell["variables"]:
                try:
                    namespace[name] = link.ask({"op": "get", "name": name}, f"reading {name}")
                except Exception:  # noqa: BLE001 - not defined by the student, or not plain data
                    namespace.pop(name, None)
        elif cell["kind"] == "teaching":
            _run_part(cell["source"], namespace, label)
        else:
            visible = _run_part(cell["visible"], namespace, label)
            if visible["error"] is None and not visible["stderr"] and cell["hidden"].strip():
                pending.append((cell, visible, dict(namespace)))
            else:
                link.send({"op": "verdict", "grade_id": cell["grade_id"], "visible": visible,
                           "hidden_failed": False, "hidden_why": None})
    link.send({"op": "reach", "end": True})   # the student's cells all run before any hidden input reaches their code
    for cell, visible, snapshot in pending:
        link.at = cell["grade_id"]
        hidden = _run_part(cell["hidden"], snapshot, f"<{cell['grade_id']}>")
        why = None
        if hidden["error"] is not None:
            why = "timeout" if hidden["error"][0] == "TimeoutError" else "error"
        elif hidden["stderr"]:
            why = "stderr"
        link.send({"op": "verdict", "grade_id": cell["grade_id"], "visible": visible,
                   "hidden_failed": why is not None, "hidden_why": why,
                   # for the instructor's report only: the grader never puts it in the notebook or the feedback
                   "hidden_error": (f"{hidden['error'][0]}: {hidden['error'][1]}" if hidden["error"] is not None
                                    else f"wrote to stderr: {hidden['stderr']}" if hidden["stderr"] else None)})
    link.send({"op": "done"})
