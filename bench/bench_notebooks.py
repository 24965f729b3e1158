"""Wall time to execute each master notebook in solutions/ from a fresh kernel.

This is what nbval does in CI and what a student waits for on "Run All". The course's
budget is 60 s for all the lectures on a 2-core machine; the table reports the
median of a few runs per notebook (kernel start included) and the total.
"""

from __future__ import annotations

import time

import nbformat
from nbclient import NotebookClient

from autograder.course import SOLUTIONS, lecture_ids

TITLE = "Executing the lecture notebooks (solutions/, fresh kernel each, kernel start included)"
BUDGET_S = 60.0


def _execute_seconds(path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def run(quick: bool = False) -> list[dict]:
    repeats = 1 if quick else 3
    rows = []
    for lecture in lecture_ids():
        samples = sorted(_execute_seconds(SOLUTIONS / f"{lecture}.ipynb") for _ in range(repeats))
        rows.append({"notebook": f"{lecture}.ipynb", "seconds": samples[len(samples) // 2]})
    return rows


def format_table(rows: list[dict]) -> str:
    total = sum(r["seconds"] for r in rows)
    lines = [f"**{TITLE}**", "", "| notebook | seconds |", "| --- | ---: |"]
    lines += [f"| {r['notebook']} | {r['seconds']:.1f} |" for r in rows]
    verdict = "within" if total <= BUDGET_S else "OVER"
    lines.append(f"| **total** | **{total:.1f}** ({verdict} the {BUDGET_S:.0f} s budget) |")
    return "\n".join(lines)
