"""Per-student feedback pages: their answers, each test's result and message, nothing hidden.

Built from the autograded notebooks, not with nbgrader's generate_feedback (which shows the
full test cells, hidden tests included). Here a test cell shows only its visible source;
its result is pass or fail with the failure's one-line message; a hidden failure shows the
grader's generic line. Tracebacks are never shown: they quote test code.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .cells import failure, is_test_cell, nbgrader_meta, split_test_source

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_TEXT = 4000

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; font-size: .85rem; white-space: pre-wrap; }
.cell { margin: 1rem 0; } .label { font-size: .8rem; color: #555; }
.pass { color: #176b24; font-weight: bold; } .fail { color: #b3261e; font-weight: bold; } .manual { color: #7a5a00; font-weight: bold; }
.status { padding: .1rem .4rem; border-radius: .3rem; background: #eee; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
"""


def _text(value: str, limit: int = MAX_TEXT) -> str:
    value = ANSI.sub("", value)
    if len(value) > limit:
        value = value[:limit] + f"\n... ({len(value) - limit:,} more characters not shown)"
    return html.escape(value)


def _outputs(cell: NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        kind = out.output_type
        if kind == "stream":
            parts.append(f"<pre>{_text(out.text)}</pre>")
        elif kind == "error":
            parts.append(f'<pre class="fail">{_text(f"{out.ename}: {out.evalue}", 1000)}</pre>')
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "image/png" in data and len(data["image/png"]) < 2_000_000:
                parts.append(f'<img alt="plot" src="data:image/png;base64,{data["image/png"]}" style="max-width:100%">')
            elif "text/plain" in data:
                parts.append(f"<pre>{_text(data['text/plain'])}</pre>")
    return "".join(parts)


def render_lecture(lecture: str, outcome, nb: NotebookNode | None, grades: dict[str, tuple[float | None, float, bool]]) -> str:
    """HTML section for one lecture of one student. ``grades``: grade_id -> (score, max, needs manual)."""
    head = (f'<h2>{html.escape(lecture)} <span class="status">{html.escape(outcome.status)}</span> '
            f"{outcome.score:g} / {outcome.max_score:g}</h2>")
    details = "".join(f"<li>{html.escape(d)}</li>" for d in outcome.details)
    body = [head, f"<ul>{details}</ul>" if details else ""]
    if nb is None:
        return "".join(body)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        score, max_score, manual = grades.get(grade_id, (None, meta.get("points", 0), False))
        points = f"{score if score is not None else '?'} / {max_score:g} points" if meta.get("grade") else ""
        if is_test_cell(cell):
            message = failure(cell)
            passed = message is None
            verdict = '<span class="pass">passed</span>' if passed else '<span class="fail">failed</span>'
            visible, _ = split_test_source(cell.source)
            message_html = f'<pre class="fail">{_text(message, 1500)}</pre>' if message else ""
            body.append(f'<div class="cell"><div class="label">test {html.escape(grade_id)}: {verdict} ({points})</div>'
                        f"<pre>{_text(visible)}</pre>{message_html}</div>")
        elif meta.get("solution"):
            label = f"your answer {html.escape(grade_id)}"
            if meta.get("grade"):
                label += f' <span class="manual">{"to be graded by your instructor" if manual else points}</span>'
            body.append(f'<div class="cell"><div class="label">{label}</div><pre>{_text(cell.source)}</pre>{_outputs(cell)}</div>')
    return "".join(body)


def write_student_page(path: Path, student: str, sections: list[str], total: float, max_total: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>Feedback for {html.escape(student)}</title>"
        f"<style>{STYLE}</style></head><body><h1>Feedback for {html.escape(student)}: {total:g} / {max_total:g} points</h1>"
        "<p>For each exercise: your answer, then each test with its result. Hidden tests are not shown; "
        "when one fails, its line says so.</p>" + "".join(sections) + "</body></html>"
    )


def read_autograded(path: Path) -> NotebookNode | None:
    return nbformat.read(path, as_version=4) if path.exists() else None
