"""Student strings made safe (autograder/safe_text.py) and the HTML pages that show them
(autograder/pipeline/pages.py and its templates): capped, printable, writable, and escaped by
construction, whatever the data holds."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote

import nbformat
import pytest

from autograder import safe_text
from autograder.cells import clean_strings
from autograder.model import Outcome, Status
from autograder.pipeline import feedback, pages, report
from autograder.safe_text import (
    MARKER,
    block_text,
    clip,
    detail_lines,
    details_field,
    field_text,
    label_text,
    one_line,
    plain_text,
    quoted,
    writable,
)

# -- the text functions ------------------------------------------------------------------------------


def test_caps_are_named_positive_limits():
    caps = {name: value for name, value in vars(safe_text).items() if name.startswith("MAX_")}
    assert {"MAX_TEXT", "MAX_LABEL", "MAX_DETAIL", "MAX_DETAILS", "MAX_FIELD", "MAX_NAME", "MAX_QUOTE"} <= caps.keys()
    assert all(isinstance(value, int) and value > 0 for value in caps.values()), caps
    assert safe_text.MAX_DETAIL < safe_text.MAX_DETAILS, "one detail fits in all of them"


def test_a_lone_surrogate_becomes_its_escape_text():
    assert writable("a\ud800b") == "a\\ud800b"
    assert writable("plain é ✓") == "plain é ✓"
    for text in (plain_text("x\udcff"), field_text("x\udcff"), label_text(["x", "\ud800"]), block_text("\ud800" * 3),
                 one_line("\ud800"), quoted("\ud800"), details_field(["\ud800"]), *detail_lines(["\ud800"])):
        text.encode("utf-8")   # writable: no UnicodeEncodeError
        assert "\\ud" in text, text
    nb = {"cells": [{"source": ["ok", "\ud800"], "\udcff": 1}]}
    assert clean_strings(nb) == {"cells": [{"source": ["ok", "\\ud800"], "\\udcff": 1}]}


def test_clip_marks_a_cut_after_or_within_the_limit():
    assert clip("abc", 3) == "abc" and clip("abc", 3, within_limit=True) == "abc"
    assert clip("abcdef", 3) == "abc" + MARKER
    assert clip("abcdefgh", 5, within_limit=True) == "ab" + MARKER
    assert clip("abcdefgh", 2, within_limit=True) == MARKER, "a limit shorter than the marker: the marker alone"


def test_plain_text_joins_sources_and_caps_reprs():
    assert plain_text(["def f():\n", "    pass"]) == "def f():\n    pass"
    assert plain_text({"a": 1}) == "{'a': 1}"
    assert plain_text("x" * 10, 4) == "xxxx" + MARKER
    assert len(plain_text(["y" * 1_000_000, {"z": "z" * 1_000_000}], 100)) <= 100 + len(MARKER)
    assert label_text("<grade id>" * 100) == ("<grade id>" * 20) + MARKER


def test_block_text_drops_colours_and_says_what_was_cut():
    assert block_text("\x1b[31mred\x1b[0m plain") == "red plain"
    shown = block_text("x" * 5000, 10_000)
    assert shown == "x" * safe_text.MAX_TEXT + "\n... (1,000 more characters not shown)", "never more than MAX_TEXT"
    assert block_text(["ab", "cd"], 3) == "abc\n... (1 more characters not shown)"
    assert block_text(None) == "None"


def test_field_text_stays_within_its_limit():
    assert field_text("n" * 1_000_000) == "n" * (safe_text.MAX_FIELD - 3) + MARKER
    assert len(field_text("\ud800" * 1000, 50)) <= 50
    assert field_text(Status.TAMPERED) == "tampered"
    assert field_text(3.5) == "3.5"


def test_one_line_escapes_control_characters():
    assert one_line("a\nb\tc\x1bd\x00") == "a\\nb\\tc\\x1bd\\x00"
    assert one_line("x" * 500) == "x" * safe_text.MAX_NAME, "cut at the limit"
    assert one_line("\n" * 100, 10) == "\\n" * 5 + MARKER, "escapes past the limit: cut and marked"
    assert one_line(OSError(2, "No such file")) == "[Errno 2] No such file"


def test_quoted_is_a_short_repr_of_anything():
    assert quoted("ex1") == "'ex1'"
    assert quoted("it's") == '"it\'s"'
    assert quoted("x" * 10**6) == repr("x" * 200)[:safe_text.MAX_QUOTE]
    assert quoted([1, [2, [3, [4, [5]]]]]) == "[1, [2, [3, [...]]]]"
    assert quoted(None) == "None" and quoted(42) == "42"
    huge = {"k": ["v" * 10**6] * 10**3}
    assert len(quoted(huge)) <= safe_text.MAX_QUOTE

    class Hostile:
        def __repr__(self):
            raise RuntimeError("no")

    assert quoted(Hostile()).startswith("<Hostile"), "a repr that raises is named by its type"


def test_details_are_capped_one_by_one_and_in_all():
    lines = detail_lines(["a" * 10_000] * 10)
    assert all(len(line) <= safe_text.MAX_DETAIL + len(MARKER) for line in lines)
    assert sum(len(line) for line in lines[:-1]) <= safe_text.MAX_DETAILS and lines[-1] == "... (more not shown)"
    assert detail_lines([]) == [] and detail_lines(["x", 3]) == ["x", "3"]
    joined = details_field(["<b>"] + ["z" * 1000] * 100)
    assert len(joined) <= safe_text.MAX_DETAILS
    assert joined.startswith("<b> | zzz") and all(len(part) <= safe_text.MAX_DETAIL for part in joined.split(" | "))


# -- the pages: everything a student wrote comes out as text -----------------------------------------

HOSTILE = ["<script>alert(1)</script>", '"onmouseover="alert(2)', "</title><script>alert(3)</script>", "'><img src=x onerror=alert(4)>"]
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "ul", "li", "div", "pre", "img", "nav", "a",
             "table", "tr", "td", "th", "code"}
PAGE_ATTRIBUTES = {"charset", "http-equiv", "content", "class", "alt", "src", "style", "id", "href"}
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


class _Page(HTMLParser):
    """A page's start tags with their attributes, and its title's text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _assert_only_our_markup(text: str) -> _Page:
    page = _Page(text)
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS, page.tags
    assert {name for _, attrs in page.tags for name in attrs} <= PAGE_ATTRIBUTES, page.tags
    assert ("meta", {"http-equiv": "Content-Security-Policy", "content": CSP}) in page.tags
    for hostile in HOSTILE:
        assert hostile not in text, f"{hostile!r} reached the page raw"
        assert html.escape(hostile) in text, f"{hostile!r} is not on the page as text"
    assert "<script" not in text and "<img src=x" not in text
    return page


def _hostile_notebook() -> nbformat.NotebookNode:
    """An answer printing and raising hostile text, and a failed test whose message is hostile."""
    answer = nbformat.v4.new_code_cell(HOSTILE[0], metadata={"nbgrader": {"grade": True, "solution": True, "grade_id": HOSTILE[1],
                                                                           "points": 1, "locked": False}})
    answer.outputs = [nbformat.v4.new_output("stream", name="stdout", text=HOSTILE[2]),
                      nbformat.v4.new_output("error", ename=HOSTILE[3], evalue=HOSTILE[0], traceback=[]),
                      nbformat.v4.new_output("execute_result", data={"text/plain": HOSTILE[1]}, execution_count=1)]
    test = nbformat.v4.new_code_cell("assert True", metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": HOSTILE[3],
                                                                          "points": 2, "locked": True}})
    test.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue=HOSTILE[2], traceback=[])]
    return nbformat.v4.new_notebook(cells=[answer, test])


def test_the_feedback_page_shows_hostile_strings_as_text(tmp_path):
    outcome = SimpleNamespace(status=HOSTILE[0], score=1.0, max_score=3.0, details=HOSTILE)
    section = feedback.render_lecture(HOSTILE[1], outcome, _hostile_notebook(), {})
    path = tmp_path / "feedback.html"
    feedback.write_student_page(path, HOSTILE[2], [section], 1.0, 3.0, contents=[(HOSTILE[3], 1.0, 3.0)])
    text = path.read_text(encoding="utf-8")
    page = _assert_only_our_markup(text)
    assert page.title == f"Feedback for {HOSTILE[2]}", "the student's name stays inside the title"
    assert all(re.fullmatch(r"#?lecture-[A-Za-z0-9_-]+", value or "") for _, attrs in page.tags
               for name, value in attrs.items() if name in ("id", "href"))
    assert f'<pre class="fail">AssertionError: {html.escape(HOSTILE[2])}</pre>' in text, "the test's message, escaped"


def test_a_section_is_markup_but_a_plain_string_is_text(tmp_path):
    path = tmp_path / "feedback.html"
    feedback.write_student_page(path, "ada", ["<b>not ours</b>"], 0.0, 1.0)
    assert "&lt;b&gt;not ours&lt;/b&gt;" in path.read_text(), "only what a template rendered is written as HTML"


def test_the_class_report_shows_hostile_strings_as_text(tmp_path):
    outcomes = [Outcome(HOSTILE[0], "01-conv1d", Status.TAMPERED, 0.0, 5.0, details=HOSTILE, origin=HOSTILE[1],
                        hidden_failures={HOSTILE[2]: HOSTILE[3]}),
                Outcome(HOSTILE[3], "01-conv1d", Status.GRADED, 5.0, 5.0, hidden_failures={"ex1-tests": HOSTILE[1]})]
    path = tmp_path / "report.html"
    report.write_class_report(path, outcomes, {}, ["01-conv1d"], notes=[HOSTILE[2]])
    text = path.read_text(encoding="utf-8")
    page = _assert_only_our_markup(text)
    assert page.title == "Class report"
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert links == [f"feedback/{quote(name, safe='')}.html" for name in sorted([HOSTILE[0], HOSTILE[3]])]


# -- the environment: autoescape cannot be left out by a template ------------------------------------

def _autoescapes(template: str) -> bool:
    setting = pages.ENVIRONMENT.autoescape
    return bool(setting(template)) if callable(setting) else bool(setting)


def test_every_template_is_autoescaped_and_strict():
    from jinja2 import StrictUndefined
    from jinja2.exceptions import UndefinedError

    templates = pages.ENVIRONMENT.list_templates()
    assert {"page.html.j2", "feedback.html.j2", "feedback_section.html.j2", "report.html.j2"} <= set(templates)
    for name in templates:
        assert name.endswith(".j2") and _autoescapes(name), f"{name} is not autoescaped"
        source = (pages.TEMPLATES / name).read_text()
        assert not re.search(r"\|\s*safe\b|autoescape\s+false", source), f"{name} turns escaping off somewhere"
    assert pages.ENVIRONMENT.undefined is StrictUndefined
    with pytest.raises(UndefinedError):
        pages.ENVIRONMENT.from_string("<p>{{ left_out_of_the_data }}</p>").render()


def test_rendered_hostile_text_is_escaped_and_would_not_be_without_escaping():
    section = feedback.Section(HOSTILE[0], "lecture-x", HOSTILE[1], 1.0, 2.0, [HOSTILE[2]])
    rendered = pages.render("feedback_section.html.j2", section=section)
    assert "<script>" not in rendered and html.escape(HOSTILE[0]) in rendered
    raw = pages.ENVIRONMENT.overlay(autoescape=False, finalize=None).get_template("feedback_section.html.j2").render(section=section)
    assert HOSTILE[0] in raw, "the check above is the one that fails when escaping is off"


def test_templates_are_found_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert pages.TEMPLATES.is_absolute() and (pages.TEMPLATES / "page.html.j2").is_file()
    assert "Class report" in pages.render("report.html.j2", report=report.ClassReport(0, [], [], [], [], [], "", [], [], []))
