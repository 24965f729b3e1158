"""Per-student feedback pages: their answers, each test's result and message, nothing hidden.

Built from the autograded notebooks, not with nbgrader's generate_feedback (which shows the
full test cells, hidden tests included). Here a test cell shows only its visible source;
its result is pass or fail with the failure's one-line message; a hidden failure shows the
grader's generic line. Tracebacks are never shown: they quote test code.

This module decides what a page shows, as text capped by ``autograder.safe_text``; the
templates ``feedback.html.j2`` and ``feedback_section.html.j2`` lay it out, autoescaped.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import nbformat
from markupsafe import Markup
from nbformat import NotebookNode

from autograder.cells import failure, is_test_cell, nbgrader_meta, split_test_source
from autograder.model import CellGrade
from autograder.pipeline.pages import escaped_size, render
from autograder.safe_text import (
    MAX_COMMENT,
    MAX_ERROR,
    MAX_ERROR_NAME,
    MAX_ERROR_VALUE,
    MAX_FAILURE,
    MAX_LABEL,
    MAX_TEXT,
    block_text,
    detail_lines,
    label_text,
    plain_text,
)

MAX_IMAGE_CHARS = 2_000_000  # base64 characters of one image
MAX_OUTPUTS = 50  # outputs shown per cell
MAX_SECTION = 1_500_000  # characters of one lecture's section (images included): past it, outputs are left out
_WHITESPACE = re.compile(r"\s+")
# The markup counted against a section's characters with what it wraps, as the section's template writes it
_PRE = len("<pre></pre>")
_FAIL_PRE = len('<pre class="fail"></pre>')
_IMAGE = len('<img alt="plot" src="" style="max-width:100%">')
_MANUAL = len(' <span class="manual"></span>')
_ANSWER_LABEL = len("your answer ") + 100  # an answer's label, and about its cell's markup
_TEST_LABEL = 300  # about a test's label and its cell's markup


@dataclass
class Output:
    """One output shown under an answer."""

    kind: Literal["text", "error", "image"]
    content: str  # the text, or the image as a data: URL


@dataclass
class ShownCell:
    """A graded cell as the page shows it: the student's answer, or a test with its result."""

    kind: Literal["answer", "test"]
    grade_id: str
    source: str  # the answer, or the test's visible part; empty when the section is full
    points: str = ""  # "1 / 2 points" ("? / 2 points" not graded yet); empty for a cell without points
    grading: str = ""  # an answer's points, or that the instructor grades it; empty for an answer without points
    passed: bool = False  # a test's result
    failure: str | None = None  # why a test failed
    outputs: list[Output] = field(default_factory=list)  # an answer's
    comment: str | None = None  # what the instructor wrote about it


@dataclass
class Section:
    """One lecture of a student's page."""

    lecture: str
    anchor: str  # the section's id, linked from the page's contents
    status: str
    score: float
    max_score: float
    details: list[str]  # the outcome's details, a line each
    cells: list[ShownCell] = field(default_factory=list)
    left_out: int = 0  # parts not shown because the section would be too large


@dataclass
class ContentsEntry:
    """A line of the page's contents: a lecture, its score, a link to its section."""

    lecture: str
    anchor: str
    score: float
    max_score: float


class _Budget:
    """What is left of a section's characters, counted as the page writes them (escaped, with their markup)."""

    def __init__(self, left: int = MAX_SECTION):
        self.left = left
        self.refused = 0

    def spend(self, size: int) -> None:
        self.left -= size

    def take(self, text: str, markup: int = 0) -> str | None:
        """``text`` when it fits in what is left (and then counted), else None (and counted as refused)."""
        size = escaped_size(text) + markup
        if size > self.left:
            self.refused += 1
            return None
        self.left -= size
        return text


def _image_src(data: object) -> str | None:
    """A data: URL for base64 PNG or JPEG data, built from the decoded bytes; None for anything else."""
    if isinstance(data, list) and all(isinstance(v, str) for v in data):
        data = "".join(data)
    if not isinstance(data, str) or len(data) > MAX_IMAGE_CHARS + 100_000:
        return None
    data = _WHITESPACE.sub("", data)
    if len(data) > MAX_IMAGE_CHARS:
        return None
    try:
        raw = base64.b64decode(data, validate=True)
    except (ValueError, TypeError):
        return None
    if raw.startswith(b"\x89PNG"):
        mime = "image/png"
    elif raw.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    else:
        return None
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


def _outputs(cell: NotebookNode, budget: _Budget) -> list[Output]:
    """An answer's outputs as shown: at most MAX_OUTPUTS, each while the section has room for it."""
    shown: list[Output] = []

    def add(kind: Literal["text", "error", "image"], content: str, markup: int) -> None:
        if budget.take(content, markup) is not None:
            shown.append(Output(kind, content))

    outputs = cell.get("outputs", [])
    if not isinstance(outputs, list):
        return shown
    for out in outputs[:MAX_OUTPUTS]:
        if not isinstance(out, dict):
            continue
        kind = out.get("output_type")
        if kind == "stream":
            add("text", block_text(out.get("text", "")), _PRE)
        elif kind == "error":
            error = f"{plain_text(out.get('ename', ''), MAX_ERROR_NAME)}: {plain_text(out.get('evalue', ''), MAX_ERROR_VALUE)}"
            add("error", block_text(error, MAX_ERROR), _FAIL_PRE)
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if not isinstance(data, dict):
                continue
            src = next((s for s in (_image_src(data.get(m)) for m in ("image/png", "image/jpeg") if m in data) if s), None)
            if src:
                add("image", src, _IMAGE)
            elif "text/plain" in data:
                add("text", block_text(data["text/plain"]), _PRE)
    if len(outputs) > MAX_OUTPUTS:
        shown.append(Output("text", f"... {len(outputs) - MAX_OUTPUTS:,} more outputs not shown"))
    return shown


def _number(value: object, default: float = 0.0) -> float:
    """A score or points value as a number (a notebook's metadata can hold anything)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(str(value)[:50]) if isinstance(value, str) else default
        except ValueError:
            return default
    return float(value)


def _anchor(lecture: str) -> str:
    return "lecture-" + re.sub(r"[^A-Za-z0-9_-]", "_", plain_text(lecture, MAX_LABEL))


def _shown_cells(nb: NotebookNode, grades: dict[str, CellGrade]) -> tuple[list[ShownCell], int]:
    """The notebook's graded cells as shown, and how many parts were left out (the section was full)."""
    budget = _Budget()
    cells: list[ShownCell] = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        try:
            known = grades.get(grade_id)
        except TypeError:  # not hashable: a list or a dict
            known = None
        score, max_score, manual = (known.score, known.max_score, known.needs_manual_grade) if known is not None else (
            None, meta.get("points", 0), False)
        comment = block_text(known.comment, MAX_COMMENT) if known is not None and known.comment else None
        shown = f"{_number(score):g}" if score is not None else "?"
        points = f"{shown} / {_number(max_score):g} points" if meta.get("grade") else ""
        label = label_text(grade_id)
        source = cell.get("source", "")
        source = source if isinstance(source, str) else plain_text(source, MAX_TEXT)
        if is_test_cell(cell):
            try:
                message = failure(cell)
            except Exception:  # noqa: BLE001 - an output nbformat let through but not as expected
                message = "the test's output cannot be read"
            why = block_text(message, MAX_FAILURE) if message else None
            budget.spend((_FAIL_PRE + escaped_size(why) if why is not None else 0) + _TEST_LABEL)
            visible, _ = split_test_source(source)
            cells.append(ShownCell("test", label, budget.take(block_text(visible)) or "", points=points,
                                   passed=message is None, failure=why, comment=comment))
        elif meta.get("solution"):
            grading = ("to be graded by your instructor" if manual else points) if meta.get("grade") else ""
            budget.spend(_ANSWER_LABEL + escaped_size(label) + (_MANUAL + escaped_size(grading) if grading else 0))
            answer = budget.take(block_text(source)) or ""
            cells.append(ShownCell("answer", label, answer, points=points, grading=grading,
                                   outputs=_outputs(cell, budget), comment=comment))
        if budget.left <= 0:
            budget.refused += 1
            break
    return cells, budget.refused


def render_lecture(lecture: str, outcome, nb: NotebookNode | None, grades: dict[str, CellGrade]) -> Markup:
    """HTML section for one lecture of one student. ``grades``: grade_id -> its grade in the gradebook."""
    section = Section(label_text(lecture), _anchor(lecture), label_text(outcome.status), _number(outcome.score),
                      _number(outcome.max_score), detail_lines(outcome.details))
    if nb is not None:
        section.cells, section.left_out = _shown_cells(nb, grades)
    return render("feedback_section.html.j2", section=section)


def write_student_page(path: Path, student: str, sections: Sequence[Markup], total: float, max_total: float, *,
                       pending: float = 0.0, contents: Sequence[tuple[str, float, float]] = ()) -> None:
    """The student's page, made of ``render_lecture``'s sections. ``pending``: points of written answers
    not graded yet (not counted as 0 in the headline); ``contents``: (lecture, score, max) of each
    section, for the table of contents."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page = render("feedback.html.j2", student=label_text(student), total=_number(total),
                  graded_max=_number(max_total - pending), pending=_number(pending), sections=sections,
                  contents=[ContentsEntry(label_text(lecture), _anchor(lecture), _number(score), _number(most))
                            for lecture, score, most in contents])
    path.write_text(page, encoding="utf-8", errors="backslashreplace")


def read_autograded(path: Path) -> NotebookNode | None:
    return nbformat.read(path, as_version=4) if path.exists() else None
