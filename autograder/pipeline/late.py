"""Deadlines and late penalties, applied by nbgrader's own step (``AssignLatePenalties``).

The grade command writes the deadline as each lecture's due date in the gradebook and hands
every submission's time in with it (submissions.py: nbgrader's ``timestamp.txt``, else the zip
member's time, else the file's). nbgrader then computes how late it was, and this plugin the
penalty: none, all of it (``zero``), or a percentage of the notebook's score per started day.
The same settings reach nbgrader's own autograde through the workspace's configuration.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

DAY_S = 24 * 3600
_PER_DAY = re.compile(r"(\d+(?:\.\d+)?)%/day")


@dataclass(frozen=True)
class LatePolicy:
    """``none`` (late work is noted, not penalised), ``zero``, or ``N%/day`` (of the score, per started day)."""

    method: str = "none"
    percent_per_day: float = 0.0

    @classmethod
    def parse(cls, text: str) -> LatePolicy:
        if text in ("none", "zero"):
            return cls(text)
        match = _PER_DAY.fullmatch(text.strip())
        if match is None or not 0 < float(match.group(1)) <= 100:
            raise ValueError(f"--late-penalty: expected none, zero or a percentage per day such as 10%/day, got {text!r}")
        return cls("percent", float(match.group(1)))

    def __str__(self) -> str:
        return f"{self.percent_per_day:g}%/day" if self.method == "percent" else self.method

    def config_lines(self) -> list[str]:
        """The nbgrader configuration lines (``c.X.y = ...``) that apply this policy."""
        if self.method == "percent":
            return ["c.AssignLatePenalties.plugin_class = 'autograder.pipeline.late.PercentPerDay'",
                    f"c.PercentPerDay.percent_per_day = {self.percent_per_day!r}"]
        return [f"c.LateSubmissionPlugin.penalty_method = {self.method!r}"]

    def apply(self, config) -> None:  # noqa: ANN001 - a traitlets Config
        """Set this policy in an nbgrader ``config``."""
        if self.method == "percent":
            config.AssignLatePenalties.plugin_class = PercentPerDay
            config.PercentPerDay.percent_per_day = self.percent_per_day
        else:
            config.LateSubmissionPlugin.penalty_method = self.method


class PercentPerDay(LateSubmissionPlugin):
    """nbgrader's late-submission plugin, plus a percentage of the score per started day late."""

    percent_per_day = Float(0.0, help="percent of the notebook's score taken per started day late (0: penalty_method)").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float | None:
        if self.percent_per_day <= 0:
            return super().late_submission_penalty(student_id, score, total_seconds_late)
        days = math.ceil(total_seconds_late / DAY_S)
        return min(score, score * self.percent_per_day / 100 * days)
