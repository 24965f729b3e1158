"""Student-controlled strings made safe to store and to show: capped, printable, writable as UTF-8.

Whatever a submission holds (a file name, a grade_id, a cell's source and outputs, an error
message, an instructor's comment on it) passes through here before it is written into a note,
a tampering message, grades.csv or an HTML page. The caps are here too: what one field, label
or block of text can hold is read in one place.

Nothing here escapes HTML: the pages are Jinja2 templates with autoescape on
(``autograder/pipeline/pages.py``), so text given to them stays text.

One copy of this job lives elsewhere on purpose: ``autograder/link/wire.py`` checks the strings
it decodes with its own ``_text``, because that file is sent as source into the student's kernel
and the trusted process and must not import this package.

Every process uses this module (``cells.clean_strings`` does), so it needs the standard library only.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable

MARKER = "..."   # ends a text that was cut
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")   # terminal colours in a traceback or a test's output

# -- the caps: characters of a student's text, wherever it is shown --------------------------------
# the feedback page
MAX_TEXT = 4000  # one block of text: an answer's source, one output of a cell
MAX_LABEL = 200  # a short value in a label or a heading: a grade_id, a lecture, a status, a student id
MAX_FAILURE = 1500  # why a test failed, under it
MAX_ERROR_NAME = 200  # an error output's exception name
MAX_ERROR_VALUE = 2000  # an error output's message
MAX_ERROR = 1000  # an error output as shown ("name: message")
MAX_COMMENT = 2000  # an instructor's comment on a cell
# an outcome's details (tampering sentences, notes on the file): on the feedback page and in grades.csv
MAX_DETAIL = 500  # one of them; also a failed hidden check's message in the class report
MAX_DETAILS = 2000  # all of them
# grades.csv, the other CSV files, the class report and the terminal table
MAX_FIELD = 300  # any other field: a source path, a status, a note on the class
MAX_KEY = 100  # a grade_id read as an exercise's name, a student id in the terminal table
# notes on a submission's folder or zip, and on a notebook that is not one
MAX_NAME = 120  # a file or folder name
MAX_MESSAGE = 200  # an exception's message (a zip library's, an operating system's, nbformat's)
MAX_ORIGIN = 300  # where a notebook came from ("bob.zip:nb/02-causal.ipynb")
# tampering messages
MAX_QUOTE = 80  # a student's value quoted in one: a grade_id, a metadata value
_QUOTED_PREFIX = 200  # characters of a string repr() looks at when quoting it (a grade_id can be megabytes)


def writable(text: str) -> str:
    """``text`` writable as UTF-8: a lone surrogate (JSON can carry ``"\\ud800"``, UTF-8 cannot)
    becomes the escape text ``\\ud800``; any other text comes back as it is."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def clip(text: str, limit: int, *, within_limit: bool = False) -> str:
    """``text`` cut to ``limit`` characters and marked ``...`` when it was longer: the marker after
    them (``limit + 3`` characters in all), or with ``within_limit`` in them (never over ``limit``)."""
    if len(text) <= limit:
        return text
    if within_limit:
        return text[:max(0, limit - len(MARKER))] + MARKER
    return text[:limit] + MARKER


def capped_repr(value: object, limit: int) -> str:
    """repr() of a value from a notebook, each string or other leaf cut to ``limit`` characters and
    deep or long containers abbreviated: never megabytes of text built first."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = limit
    return short.repr(value)


def _joined(value: object) -> object:
    """A list of strings (a cell's source as nbformat may hold it) as one string; anything else as it is."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return value


def plain_text(value: object, limit: int | None = None) -> str:
    """Any value a notebook holds as text writable as UTF-8: a list of strings (a cell's source)
    joined, anything else that is not a string as its capped repr; cut to ``limit`` characters
    (the marker after them) before lone surrogates are escaped."""
    value = _joined(value)
    if not isinstance(value, str):
        value = capped_repr(value, limit or MAX_TEXT)
    if limit is not None:
        value = clip(value, limit)
    return writable(value)


def label_text(value: object, limit: int = MAX_LABEL) -> str:
    """A short value for a label or a heading (a grade_id, a lecture, a status): ``plain_text``."""
    return plain_text(value, limit)


def block_text(value: object, limit: int = MAX_TEXT) -> str:
    """A block of text for a page (a cell's source, an output, a message): ``plain_text`` without
    terminal colour codes, at most ``min(limit, MAX_TEXT)`` characters of it, then a line saying
    how many more characters were not shown."""
    limit = min(limit, MAX_TEXT)
    value = _joined(value)
    if isinstance(value, str):
        text, left_out = writable(value[:limit]), len(value) - limit
    else:
        text, left_out = plain_text(value, limit), 0
    text = ANSI_ESCAPE.sub("", text)
    return text + (f"\n... ({left_out:,} more characters not shown)" if left_out > 0 else "")


def field_text(value: object, limit: int = MAX_FIELD) -> str:
    """Any value as one field of a CSV file or the class report: ``str(value)`` writable as UTF-8,
    at most ``limit`` characters (a cut one ends in ``...`` within them)."""
    text = value if isinstance(value, str) else str(value)
    return clip(writable(text[:limit + 1]), limit, within_limit=True)


def one_line(value: object, limit: int = MAX_NAME) -> str:
    """A file name or a message for a note, on one line and printable: the first ``limit`` characters
    of ``str(value)``, each one that is not printable (a newline in a folder name, an escape code,
    a lone surrogate) written as Python escapes it (``\\n``, ``\\x1b``, ``\\ud800``); when the escapes
    made it longer than ``limit``, cut there and marked ``...``."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value)[:limit])
    return clip(text, limit)


def quoted(value: object) -> str:
    """A student's value (a grade_id, a metadata value: any JSON value) quoted for a message: its
    repr, at most MAX_QUOTE characters, cut without a marker (repr escapes a lone surrogate, so the
    message is writable); a list or dict of megabytes, nested deeply, is never repr'd whole."""
    if isinstance(value, str):
        return repr(value[:_QUOTED_PREFIX])[:MAX_QUOTE]
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother = 3, 60, 60
    try:
        text = short.repr(value)
    except Exception:  # noqa: BLE001 - whatever the value, the message is written
        text = f"<{type(value).__name__}>"
    return text[:MAX_QUOTE]


def detail_lines(details: Iterable[object]) -> list[str]:
    """An outcome's details for a page, a line each (``plain_text``): each at most MAX_DETAIL
    characters, all of them at most MAX_DETAILS; when some were left out, a last line says so."""
    lines: list[str] = []
    left = MAX_DETAILS
    for detail in details:
        if left <= 0:
            lines.append("... (more not shown)")
            break
        text = plain_text(detail, MAX_DETAIL)[:left]
        left -= len(text)
        lines.append(text)
    return lines


def details_field(details: Iterable[object]) -> str:
    """An outcome's details as one field of grades.csv or the class report: each entry at most
    MAX_DETAIL characters (``field_text``), joined with `` | ``, at most MAX_DETAILS in all."""
    parts: list[str] = []
    size = 0
    for detail in details:
        parts.append(field_text(detail, MAX_DETAIL))
        size += len(parts[-1]) + 3
        if size > MAX_DETAILS:
            break
    return field_text(" | ".join(parts), MAX_DETAILS)
