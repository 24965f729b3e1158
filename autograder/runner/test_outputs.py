"""A test cell's outputs in the graded notebook, made from its trusted verdict: the visible part
in full, the hidden part as one line that names no hidden code, value or message."""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode

from autograder.link.protocol import HiddenFailure, Verdict
from autograder.runner.kernel_client import error_output

HIDDEN_FAILURE = "HiddenTestFailure"


def test_outputs(verdict: Verdict | None, stopped: str | None) -> list[NotebookNode]:
    """A test cell's outputs, made from its trusted verdict (visible part in full, hidden part as one line)."""
    if verdict is None:
        return [error_output("NotRun", f"not run: {stopped or 'the checks did not reach this cell'}")]
    visible = verdict.visible
    outputs = []
    if visible.stdout:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=visible.stdout))
    if visible.stderr:
        outputs.append(nbformat.v4.new_output("stream", name="stderr", text=visible.stderr))
    if visible.error:
        outputs.append(error_output(*visible.error))
    if verdict.hidden_failed:
        outputs.append(hidden_failure(verdict.hidden_why))
    return outputs


def hidden_failure(why: HiddenFailure | None) -> NotebookNode:
    """The one line a failed hidden part leaves in the notebook: which kind of failure, nothing of the test."""
    if why is HiddenFailure.TIMEOUT:
        return error_output(HIDDEN_FAILURE, "a hidden test ran past the time limit")
    if why is HiddenFailure.STDERR:
        return error_output(HIDDEN_FAILURE, "a hidden test wrote to stderr (a warning counts as a failure)")
    return error_output(HIDDEN_FAILURE, "your answer passed the visible tests but failed a hidden test (other inputs: check the corner cases in the exercise's statement)")
