"""The trusted process's end of the link: a student's function as a proxy whose calls run in their kernel.

``StudentFunction`` stands for a function of the student's answer cell in the master's test
cells (trusted.py): calling it sends (name, arguments, the switch-offs active, the warning
filters) through ``Link`` to the grader, which runs the student's function in their kernel
(student_side.py) and sends back what it returned, as plain data (wire.py), or the exception it
raised. What else the call did, as a test in one process would see it, comes back as data too
and is done here: arguments changed in place, warnings shown, random generators advanced, the
value being an argument or a view into one.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import os
import sys
import types
import warnings

import cloudpickle

from autograder.link import protocol, wire

LINK_MODULE = "_grader_link"


class StudentCodeError(Exception):
    """The student's function raised an exception that is not one of Python's own."""


class StudentCodeStopped(RuntimeError):
    """The student's kernel timed out, died or sent something that is not plain data."""


def link_module() -> types.ModuleType:
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

    def send(self, message: protocol.Message) -> None:
        self._out.write(protocol.encode(message) + "\n")
        self._out.flush()

    def ask(self, request: dict, what: str) -> object:
        """Run ``request`` in the student's kernel; its plain-data outcome, or raise as it did."""
        payload = base64.b64encode(cloudpickle.dumps(request)).decode("ascii")
        self.send(protocol.Call(payload, what, self.at))
        line = self._in.readline()
        if not line:
            raise StudentCodeStopped("the grader closed the link")
        reply = protocol.decode_reply(line)
        if reply.status is protocol.ReplyStatus.TIMEOUT:
            raise TimeoutError(reply.message)
        if reply.status is not protocol.ReplyStatus.OK or reply.result is None:
            raise StudentCodeStopped(reply.message or reply.status.value)
        try:
            outcome = wire.decode(base64.b64decode(reply.result))
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
                                  "contexts": checks.remote_contexts(), "warnings": list(warnings.filters)},
                                 f"{self.__name__}()")
        if not isinstance(outcome, dict) or set(outcome) != {"value", "after", "changed", "warnings", "alias"}:
            raise StudentCodeStopped("the kernel's answer is not in the expected form")
        _write_back(args, kwargs, outcome["after"])
        _apply_changes(args, kwargs, outcome["changed"])
        _warn_again(outcome["warnings"])
        return aliased(args, kwargs, outcome["value"], outcome["alias"])

    def __reduce__(self):
        return (link_module().student_function, (self.__name__,))

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


def aliased(args: tuple, kwargs: dict, value: object, alias: object) -> object:
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
