"""The student's feedback page (autograder/pipeline/feedback.py): what a notebook holds reaches it as
text only, and its size is bounded."""

from __future__ import annotations

import copy

import nbformat
import pytest

from tests.release_notebooks import FIRST


def test_feedback_escapes_everything_of_the_notebook(tmp_path, releases):
    import base64
    import re
    from html.parser import HTMLParser
    from types import SimpleNamespace

    from autograder.pipeline import feedback

    nb = copy.deepcopy(releases[FIRST])
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(40))).decode()
    answer.source = "print('</pre><script>alert(1)</script>')"
    answer.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": 'x" onerror="alert(1)" data-x="', "text/plain": "<b>a plot</b>"}),
        nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(b"<svg onload=alert(1)>").decode()}),
        nbformat.v4.new_output("display_data", data={"image/png": "\n".join(png[i:i + 20] for i in range(0, len(png), 20))}),
        nbformat.v4.new_output("stream", name="stdout", text="<script>alert(2)</script>" + "x" * 10_000),
        nbformat.v4.new_output("error", ename="<img src=x onerror=alert(3)>", evalue="<script>", traceback=[]),
    ]
    extra = nbformat.v4.new_code_cell("<i>", metadata={"nbgrader": {"grade": True, "solution": True, "grade_id": "<script>x</script>\ud800",
                                                                 "points": "two", "locked": False}})
    odd = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {"grade": True, "solution": True, "grade_id": ["a", {"b": 1}], "points": {}}})
    nb.cells += [extra, odd]
    outcome = SimpleNamespace(status="<b>graded</b>", score=1.0, max_score=2.0,
                              details=["graded cell '<script>' is not in the release \ud800", "y" * 100_000])
    section = feedback.render_lecture("<lecture>", outcome, nb, {})
    page = tmp_path / "feedback" / "<s>.html"
    feedback.write_student_page(page, "<s>", [section], 1.0, 2.0, pending=0.5, contents=[('"><script>alert(4)</script>', 1.0, 2.0)])
    text = page.read_text()

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

        handle_startendtag = handle_starttag

    parser = Tags()
    parser.feed(text)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "ul", "li", "div", "pre", "img", "nav", "a"}
    assert {tag for tag, _ in parser.tags} <= allowed
    assert {name for _, attrs in parser.tags for name in attrs} <= {"charset", "class", "alt", "src", "style", "http-equiv", "content",
                                                                    "id", "href"}
    # the contents' links and the sections' anchors: within the page, made of safe characters only
    assert all(re.fullmatch(r"#lecture-[A-Za-z0-9_-]+", attrs["href"]) for _, attrs in parser.tags if "href" in attrs)
    assert all(re.fullmatch(r"lecture-[A-Za-z0-9_-]+", attrs["id"]) for _, attrs in parser.tags if "id" in attrs)
    images = [attrs["src"] for tag, attrs in parser.tags if tag == "img"]
    assert images == [f"data:image/png;base64,{png}"], "only the real PNG, re-encoded (no whitespace)"
    assert "<script" not in text and "onerror=" not in text.replace("onerror=alert(3)&gt;", "")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text and "&lt;b&gt;a plot&lt;/b&gt;" in text
    assert "&lt;img src=x onerror=alert(3)&gt;" in text
    assert "more characters not shown" in text and "y" * 600 not in text
    assert "\\ud800" in text, "a lone surrogate is written escaped"
    assert ("meta", {"http-equiv": "Content-Security-Policy",
                     "content": "default-src 'none'; img-src data:; style-src 'unsafe-inline'"}) in parser.tags
    assert max(len(chunk) for chunk in re.split(r"<[^>]*>", text)) < 5000, "every text capped"


@pytest.mark.slow   # renders the feedback of a large class
def test_feedback_section_size_is_bounded(releases):
    from types import SimpleNamespace

    from autograder.pipeline import feedback

    nb = copy.deepcopy(releases[FIRST])
    flood = [nbformat.v4.new_output("stream", name="stdout", text="spam " * 2000)] * 200
    for i in range(100):
        nb.cells.insert(1, nbformat.v4.new_code_cell("x" * 10_000, outputs=flood, metadata={"nbgrader": {
            "grade": False, "solution": True, "grade_id": f"mine-{i}" + "-" * 1000, "locked": False}}))
    outcome = SimpleNamespace(status="tampered", score=0.0, max_score=1.0, details=["d" * 10_000] * 1000)
    section = feedback.render_lecture(FIRST, outcome, nb, {})
    assert len(section) < feedback.MAX_SECTION + 20_000
    assert "more outputs not shown" in section and "its page would be too large" in section
