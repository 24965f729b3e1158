"""Per-student feedback pages: their answers, each test's result and message, nothing hidden.

Built from the autograded notebooks, not with nbgrader's generate_feedback (which shows the
full test cells, hidden tests included). Here a test cell shows only its visible source;
its result is pass or fail with the failure's one-line message; a hidden failure shows the
grader's generic line. Tracebacks are never shown: they quote test code.
"""

from __future__ import annotations

import base64
import html
import re
import reprlib
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import failure, is_test_cell, nbgrader_meta, split_test_source
from autograder.pipeline.record import CellGrade

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_TEXT = 4000

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; font-size: .85rem; white-space: pre-wrap; }
.cell { margin: 1rem 0; } .label { font-size: .8rem; color: #555; }
.pass { color: #176b24; font-weight: bold; } .fail { color: #b3261e; font-weight: bold; } .manual { color: #7a5a00; font-weight: bold; }
.status { padding: .1rem .4rem; border-radius: .3rem; background: #eee; }
.comment { border-left: 3px solid #7a5a00; padding: .3rem .6rem; margin: .4rem 0; background: #fffbea; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
"""


CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
MAX_IMAGE_CHARS = 2_000_000  # base64 characters of one image
MAX_OUTPUTS = 50  # outputs shown per cell
MAX_SECTION = 1_500_000  # characters of one lecture's section (images included): past it, outputs are left out
MAX_LABEL = 200  # a grade_id or other short value in a label
MAX_DETAIL = 500  # one line of an outcome's details
MAX_DETAILS = 2000  # all of them
_WHITESPACE = re.compile(r"\s+")


def _plain(value: object, limit: int | None = None) -> str:
    """Any value as text that can be written as UTF-8 (a lone surrogate becomes ``\\ud800``),
    cut to ``limit`` characters first (then marked ``...``)."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    if not isinstance(value, str):
        value = _repr(value, limit or MAX_TEXT)
    if limit is not None and len(value) > limit:
        value = value[:limit] + "..."
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _repr(value: object, limit: int) -> str:
    """repr() of a value from a notebook, without building megabytes of text first."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = limit
    return short.repr(value)


def _text(value: object, limit: int = MAX_TEXT) -> str:
    """Escaped, capped, printable text; ``value`` can be anything a notebook holds."""
    limit = min(limit, MAX_TEXT)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    length = len(value) if isinstance(value, str) else None
    value = _plain(value[:limit] if isinstance(value, str) else value, None if isinstance(value, str) else limit)
    value = ANSI.sub("", value)
    if length is not None and length > limit:
        value += f"\n... ({length - limit:,} more characters not shown)"
    return html.escape(value)


def _short(value: object, limit: int = MAX_LABEL) -> str:
    """Escaped, capped text for a label (one line)."""
    return html.escape(_plain(value, limit))


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


class _Budget:
    """What is left of a section's characters."""

    def __init__(self, left: int = MAX_SECTION):
        self.left = left
        self.refused = 0

    def take(self, part: str) -> str:
        if len(part) > self.left:
            self.refused += 1
            return ""
        self.left -= len(part)
        return part


def _outputs(cell: NotebookNode, budget: _Budget) -> str:
    parts = []
    outputs = cell.get("outputs", [])
    if not isinstance(outputs, list):
        return ""
    for out in outputs[:MAX_OUTPUTS]:
        if not isinstance(out, dict):
            continue
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(budget.take(f"<pre>{_text(out.get('text', ''))}</pre>"))
        elif kind == "error":
            error = f"{_plain(out.get('ename', ''), 200)}: {_plain(out.get('evalue', ''), 2000)}"
            parts.append(budget.take(f'<pre class="fail">{_text(error, 1000)}</pre>'))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if not isinstance(data, dict):
                continue
            src = next((s for s in (_image_src(data.get(m)) for m in ("image/png", "image/jpeg") if m in data) if s), None)
            if src:
                parts.append(budget.take(f'<img alt="plot" src="{html.escape(src)}" style="max-width:100%">'))
            elif "text/plain" in data:
                parts.append(budget.take(f"<pre>{_text(data['text/plain'])}</pre>"))
    if len(outputs) > MAX_OUTPUTS:
        parts.append(f"<pre>... {len(outputs) - MAX_OUTPUTS:,} more outputs not shown</pre>")
    return "".join(parts)


def _number(value: object, default: float = 0.0) -> float:
    """A score or points value as a number (a notebook's metadata can hold anything)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(str(value)[:50]) if isinstance(value, str) else default
        except ValueError:
            return default
    return float(value)


def _details(details: list) -> str:
    """The outcome's details as list items: each line and all of them capped."""
    items, budget = [], MAX_DETAILS
    for d in details:
        if budget <= 0:
            items.append("<li>... (more not shown)</li>")
            break
        text = _plain(d, MAX_DETAIL)[:budget]
        budget -= len(text)
        items.append(f"<li>{html.escape(text)}</li>")
    return "".join(items)


def _anchor(lecture: str) -> str:
    return "lecture-" + re.sub(r"[^A-Za-z0-9_-]", "_", _plain(lecture, MAX_LABEL))


def render_lecture(lecture: str, outcome, nb: NotebookNode | None, grades: dict[str, CellGrade]) -> str:
    """HTML section for one lecture of one student. ``grades``: grade_id -> its grade in the gradebook."""
    head = (f'<h2 id="{_anchor(lecture)}">{_short(lecture)} <span class="status">{_short(outcome.status)}</span> '
            f"{_number(outcome.score):g} / {_number(outcome.max_score):g}</h2>")
    details = _details(outcome.details)
    body = [head, f"<ul>{details}</ul>" if details else ""]
    if nb is None:
        return "".join(body)
    budget = _Budget()
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
        comment = (f'<div class="comment">Your instructor: {_text(known.comment, 2000)}</div>'
                   if known is not None and known.comment else "")
        shown = f"{_number(score):g}" if score is not None else "?"
        points = f"{shown} / {_number(max_score):g} points" if meta.get("grade") else ""
        source = cell.get("source", "")
        source = source if isinstance(source, str) else _plain(source, MAX_TEXT)
        if is_test_cell(cell):
            try:
                message = failure(cell)
            except Exception:  # noqa: BLE001 - an output nbformat let through but not as expected
                message = "the test's output cannot be read"
            passed = message is None
            verdict = '<span class="pass">passed</span>' if passed else '<span class="fail">failed</span>'
            visible, _ = split_test_source(source)
            message_html = f'<pre class="fail">{_text(message, 1500)}</pre>' if message else ""
            budget.left -= len(message_html) + 300  # the label, the markup
            body.append(f'<div class="cell"><div class="label">test {_short(grade_id)}: {verdict} ({points})</div>'
                        f"<pre>{budget.take(_text(visible))}</pre>{message_html}{comment}</div>")
        elif meta.get("solution"):
            label = f"your answer {_short(grade_id)}"
            if meta.get("grade"):
                label += f' <span class="manual">{"to be graded by your instructor" if manual else points}</span>'
            budget.left -= len(label) + 100
            body.append(f'<div class="cell"><div class="label">{label}</div><pre>{budget.take(_text(source))}</pre>'
                        f"{_outputs(cell, budget)}{comment}</div>")
        if budget.left <= 0:
            budget.refused += 1
            break
    if budget.refused:
        body.append(f"<p>Some of this notebook is not shown here: its page would be too large ({budget.refused:,} parts left out).</p>")
    return "".join(body)


def write_student_page(path: Path, student: str, sections: list[str], total: float, max_total: float, *,
                       pending: float = 0.0, contents: Sequence[tuple[str, float, float]] = ()) -> None:
    """The student's page. ``pending``: points of written answers not graded yet (not counted as 0 in
    the headline); ``contents``: (lecture, score, max) of each section, for the table of contents."""
    path.parent.mkdir(parents=True, exist_ok=True)
    waiting = (f" graded so far ({_number(pending):g} more to be graded by your instructor)" if pending else "")
    toc = "".join(f'<li><a href="#{_anchor(lecture)}">{_short(lecture)}</a>: {_number(score):g} / {_number(most):g}</li>'
                  for lecture, score, most in contents)
    path.write_text(
        f'<!doctype html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>Feedback for {_short(student)}</title>"
        f"<style>{STYLE}</style></head><body><h1>Feedback for {_short(student)}: {_number(total):g} / "
        f"{_number(max_total - pending):g} points{waiting}</h1>"
        + (f"<nav><ul>{toc}</ul></nav>" if toc else "")
        + "<p>For each exercise: your answer, then each test with its result. Hidden tests are not shown; "
        "when one fails, its line says so.</p>" + "".join(sections) + "</body></html>",
        encoding="utf-8", errors="backslashreplace",
    )


def read_autograded(path: Path) -> NotebookNode | None:
    return nbformat.read(path, as_version=4) if path.exists() else None
