"""The HTML pages' Jinja2 environment: the templates in ``templates/`` beside this file, autoescaped.

A page is a template and the data it shows; the Python that gathers the data writes no markup
and escapes nothing. With autoescape on, every ``{{ value }}`` is escaped, whatever the template
says; only ``Markup`` (what a template rendered: a feedback section) is written as it is.
A name missing from the data is an error (StrictUndefined), not an empty string.

Values are escaped as ``html.escape`` does, quotes included (``&quot;`` and ``&#x27;``, where
Jinja's own escape writes ``&#34;`` and ``&#39;``): the pages stay byte for byte what they were
before they were templates, and a test that looks for ``html.escape(secret)`` in a page still
finds the secret.

The templates are read from this checkout (the grader runs from it, it is not installed), at a path
relative to this file: whatever the current directory.
"""

from __future__ import annotations

import html
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


def escaped(value: object) -> Markup:
    """A value a template writes, as HTML: text escaped, what is already HTML (``Markup``) as it is."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(html.escape(str(value)))


def escaped_size(text: str) -> int:
    """How many characters ``text`` takes in a page, once escaped."""
    return len(html.escape(text))


ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    finalize=escaped,   # runs before autoescape, which then leaves the Markup it returns as it is
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)


def render(template: str, **data: object) -> Markup:
    """``templates/<template>`` rendered with ``data``: HTML, safe to put in another page."""
    return Markup(ENVIRONMENT.get_template(template).render(**data))
