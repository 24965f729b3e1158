"""The released student notebooks as the grader's unit tests use them (tests/test_submissions.py,
test_integrity.py, test_feedback.py, test_report.py); the ``releases`` fixture is in tests/conftest.py."""

from __future__ import annotations

import nbformat

from autograder.course import lecture_ids

LECTURES = lecture_ids()
FIRST = LECTURES[0]

# A grade_id of 4 MB: tampering messages and reports quote it shortened.
HUGE_ID = "notes-" + "spam-" * 800_000


def notebook_bytes(nb) -> bytes:
    """The notebook's file content, as a student hands it in."""
    return nbformat.writes(nb).encode()
