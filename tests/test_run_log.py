"""The grading run's log (autograder/pipeline/run_log.py): a line per job."""

from __future__ import annotations


def test_the_grading_log_has_a_line_per_job_with_its_times(tmp_path, capsys):
    """--verbose prints, and the workspace's grading.log keeps, one line per notebook: when, which
    worker, the status and where the time went (issue 13)."""
    from autograder.model import JobResult, Timings
    from autograder.pipeline.run_log import log_line

    result = JobResult("ada", "01-conv1d", "graded", "{}", [], Timings(kernel_start_s=0.5, link_s=0.25, cells_s=1.0, trusted_s=2.0,
                       calls_s=1.5, shutdown_s=0.1), started=1_700_000_000.0, ended=1_700_000_004.0, worker=4242)
    line = log_line(result, 0.125)
    for part in ("worker 4242", "ada/01-conv1d", "graded", "4.00 s", "kernel start 0.50", "link 0.25", "cells 1.00",
                 "trusted checks 2.00 (student calls 1.50)", "shutdown 0.10", "recorded in 0.12"):
        assert part in line, f"{part!r} missing from the log line {line!r}"
