"""The trusted checks' protocol: what the worker and the trusted-checks process tell each other.

The worker sends the job once (``TrustedJob``, a JSON file: the master's code cells without the
solutions). The trusted process then writes one message per line on its pipe, and the worker
answers each ``Call`` with one ``Reply`` on the other pipe:

    trusted process -> worker              worker -> trusted process
    Reach(grade_id, through)                 (runs the student's cells up to that cell)
    ReachEnd()                               (runs the student's cells left)
    Call(request, what, at)                Reply(status, message, result)
    Verdict(grade_id, visible, hidden...)    (a test cell's result)
    Done()

A ``Call``'s request is the trusted process's pickle for the student's kernel: a dict whose ``op``
is ``call``, ``get`` or ``count_lines`` (student_side.py reads it there, where this package cannot be
imported). A ``Reply``'s result is the kernel's answer in the plain-data format (wire.py). Both
travel base64-encoded and are opaque here. Each message is a JSON object whose ``op`` names it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class ProtocolError(ValueError):
    """A line that is not a message of this protocol: what was wrong, and the start of the line."""


# -- the job -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TeachingCell:
    """A master's code cell that is neither an answer nor a test: run as it is."""

    grade_id: str | None
    source: str
    kind: str = "teaching"


@dataclass(frozen=True)
class AnswerCell:
    """A master's answer cell, as the names it defines (its source, the solution, stays out)."""

    grade_id: str
    functions: list[str]
    variables: list[str]
    kind: str = "answer"


@dataclass(frozen=True)
class TestCell:
    """A master's test cell: its visible part, then its hidden part (run after every visible part)."""

    __test__ = False   # not a pytest test class
    grade_id: str
    visible: str
    hidden: str
    kind: str = "test"


JobCell = TeachingCell | AnswerCell | TestCell
_CELL_KINDS: dict[str, type[TeachingCell] | type[AnswerCell] | type[TestCell]] = {
    "teaching": TeachingCell, "answer": AnswerCell, "test": TestCell}


@dataclass(frozen=True)
class TrustedJob:
    """What the trusted checks run for one lecture: the master's code cells, in order."""

    cells: list[JobCell]
    sys_path: list[str] = field(default_factory=list)   # prepended in the trusted process (the project's root)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> TrustedJob:
        raw = json.loads(text)
        cells: list[JobCell] = []
        for cell in raw["cells"]:
            kind = _CELL_KINDS.get(cell.get("kind"))
            if kind is None:
                raise ProtocolError(f"job cell: expected a kind in {sorted(_CELL_KINDS)}, got {cell.get('kind')!r}")
            cells.append(kind(**cell))
        return cls(cells, list(raw.get("sys_path", [])))


# -- the trusted process's messages ----------------------------------------------------------------

@dataclass(frozen=True)
class PartResult:
    """What one part (visible or hidden) of a test cell did in the trusted process."""

    stdout: str
    stderr: str
    error: tuple[str, str] | None   # (exception class, message) when it raised

    @property
    def passed(self) -> bool:
        return self.error is None and not self.stderr


class HiddenFailure(StrEnum):
    """Why a test cell's hidden part failed (its one line in the student's notebook says which)."""

    ERROR = "error"       # it raised
    TIMEOUT = "timeout"   # it ran past the time limit
    STDERR = "stderr"     # it wrote to stderr (a warning counts as a failure)


@dataclass(frozen=True)
class Reach:
    """Run the student's cells up to the cell ``grade_id`` (through it when ``through``)."""

    grade_id: str
    through: bool = False
    op: str = "reach"


@dataclass(frozen=True)
class ReachEnd:
    """Run the student's cells not run yet: every hidden input comes after all of them."""

    op: str = "reach_end"


@dataclass(frozen=True)
class Call:
    """Run ``request`` in the student's kernel (with its names as before test cell ``at``, when given)."""

    request: str            # base64 of the trusted process's pickle
    what: str               # what the call is, for the student ("conv1d() (counting its lines)")
    at: str | None = None
    op: str = "run"


@dataclass(frozen=True)
class Verdict:
    """A test cell's result. ``hidden_error`` is for the instructor's report only: it never reaches
    the student's notebook or feedback."""

    grade_id: str
    visible: PartResult
    hidden_failed: bool = False
    hidden_why: HiddenFailure | None = None
    hidden_error: str | None = None
    op: str = "verdict"


@dataclass(frozen=True)
class Done:
    """Every test cell has its verdict."""

    op: str = "done"


Message = Reach | ReachEnd | Call | Verdict | Done


def encode(message: Message | Reply) -> str:
    """One line of JSON (no newline)."""
    return json.dumps(asdict(message))


def decode(line: str) -> Message:
    """The message on ``line``; ProtocolError when it is none."""
    try:
        raw = json.loads(line)
        op = raw.pop("op")
        if op == "reach":
            return Reach(str(raw["grade_id"]), bool(raw.get("through", False)))
        if op == "reach_end":
            return ReachEnd()
        if op == "run":
            at = raw.get("at")
            return Call(str(raw["request"]), str(raw.get("what", "your function")), at if isinstance(at, str) else None)
        if op == "verdict":
            visible = raw.pop("visible")
            error = visible.get("error")
            why = raw.get("hidden_why")
            return Verdict(str(raw["grade_id"]), PartResult(str(visible["stdout"]), str(visible["stderr"]),
                                                             (str(error[0]), str(error[1])) if error else None),
                           bool(raw.get("hidden_failed", False)), HiddenFailure(why) if why else None,
                           raw.get("hidden_error"))
        if op == "done":
            return Done()
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ProtocolError(f"a message of the trusted checks could not be read ({type(exc).__name__}: {exc}): {line[:200]!r}") from None
    raise ProtocolError(f"op: expected reach, reach_end, run, verdict or done, got {op!r}")


# -- the worker's replies ------------------------------------------------------------------------

class ReplyStatus(StrEnum):
    OK = "ok"              # the call ran: ``result`` holds the kernel's answer
    ERROR = "error"        # the grader's link in the kernel failed, or left no answer
    TIMEOUT = "timeout"    # the call ran past the time limit and was interrupted
    STOPPED = "stopped"    # the kernel can run nothing more (dead, out of time, stopped)


@dataclass(frozen=True)
class Reply:
    """The worker's answer to a ``Call``."""

    status: ReplyStatus
    message: str = ""
    result: str | None = None   # base64 of the kernel's answer (wire.py), when OK


def decode_reply(line: str) -> Reply:
    """The reply on ``line``; ProtocolError when it is none."""
    try:
        raw = json.loads(line)
        result = raw.get("result")
        return Reply(ReplyStatus(raw["status"]), str(raw.get("message", "")), result if isinstance(result, str) else None)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProtocolError(f"a reply of the grader could not be read ({type(exc).__name__}: {exc}): {line[:200]!r}") from None
