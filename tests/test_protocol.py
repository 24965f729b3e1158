"""The trusted checks' protocol (autograder/link/protocol.py): every message survives its line, and
a line that is none is refused with what was wrong."""

from __future__ import annotations

import json

import pytest

from autograder.link import protocol
from autograder.link.protocol import (
    AnswerCell,
    Call,
    Done,
    HiddenFailure,
    PartResult,
    ProtocolError,
    Reach,
    ReachEnd,
    Reply,
    ReplyStatus,
    TeachingCell,
    TestCell,
    TrustedJob,
    Verdict,
)

MESSAGES = [
    Reach("ex1-tests", through=False), Reach("ex1-answer", through=True), ReachEnd(),
    Call("cGlja2xl", "conv1d() (counting its lines)", at="ex2-tests"), Call("cGlja2xl", "reading X", at=None),
    Verdict("ex1-tests", PartResult("printed\n", "", None)),
    Verdict("ex2-tests", PartResult("", "a warning\n", ("AssertionError", "shape (3,) != (4,)"))),
    Verdict("ex3-tests", PartResult("", "", None), hidden_failed=True, hidden_why=HiddenFailure.TIMEOUT,
            hidden_error="TimeoutError: 20 s"),
    Done(),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_every_message_reads_back_as_it_was_sent(message):
    line = protocol.encode(message)
    assert "\n" not in line
    assert protocol.decode(line) == message


@pytest.mark.parametrize("reply", [Reply(ReplyStatus.OK, result="YW5zd2Vy"), Reply(ReplyStatus.TIMEOUT, "ran past 20 s"),
                                   Reply(ReplyStatus.STOPPED, "the kernel died"), Reply(ReplyStatus.ERROR, "no answer")])
def test_every_reply_reads_back_as_it_was_sent(reply):
    assert protocol.decode_reply(protocol.encode(reply)) == reply


def test_a_job_reads_back_as_it_was_written():
    job = TrustedJob([TeachingCell(None, "import numpy as np"), AnswerCell("ex1-answer", ["conv1d_same"], ["K"]),
                      TestCell("ex1-tests", "# Tests: shape\nassert True", "assert 1 == 1")], ["/srv/course"])
    assert TrustedJob.from_json(job.to_json()) == job


@pytest.mark.parametrize(("line", "says"), [
    ("not json", "could not be read"),
    ('{"grade_id": "ex1"}', "could not be read"),                     # no op
    ('{"op": "reach"}', "could not be read"),                         # no grade_id
    ('{"op": "verdict", "grade_id": "ex1", "visible": {"stdout": ""}}', "could not be read"),
    ('{"op": "verdict", "grade_id": "ex1", "visible": {"stdout": "", "stderr": "", "error": null}, "hidden_why": "bored"}',
     "could not be read"),
    ('{"op": "shout"}', "expected reach, reach_end, run, verdict or done, got 'shout'"),
])
def test_a_line_that_is_no_message_is_refused_saying_why(line, says):
    with pytest.raises(ProtocolError, match=says.replace("(", r"\(").replace(")", r"\)")):
        protocol.decode(line)


def test_a_reply_with_an_unknown_status_is_refused():
    with pytest.raises(ProtocolError, match="could not be read"):
        protocol.decode_reply(json.dumps({"status": "maybe"}))


def test_a_job_cell_of_unknown_kind_is_refused_naming_the_kinds():
    with pytest.raises(ProtocolError, match=r"expected a kind in \['answer', 'teaching', 'test'\], got 'solution'"):
        TrustedJob.from_json(json.dumps({"cells": [{"kind": "solution", "grade_id": "ex1", "source": "x = 1"}]}))


def test_a_part_passes_only_without_error_and_without_stderr():
    assert PartResult("out", "", None).passed
    assert not PartResult("", "warned", None).passed
    assert not PartResult("", "", ("ValueError", "no")).passed
