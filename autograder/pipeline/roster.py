"""The class list: student ids with their names, for nbgrader's formgrader and the gradebook.

A CSV file with a header row and the columns ``id`` (the student id, as their folder or zip is
named), ``first_name``, ``last_name`` and, optionally, ``email``; by default ``students.csv`` at
the top of the submissions folder. A student without a row keeps their id as their name, so
formgrader never shows "None, None".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

ROSTER_NAME = "students.csv"
COLUMNS = ("id", "first_name", "last_name")


class RosterError(ValueError):
    """The roster file cannot be used: which file, and what is wrong with it."""


@dataclass(frozen=True)
class Name:
    first_name: str
    last_name: str
    email: str | None = None


def read_roster(path: Path) -> dict[str, Name]:
    """Student id -> Name, from ``path``."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RosterError(f"{path}: expected the columns {', '.join(COLUMNS)} (and optionally email) in its first "
                                  f"row, got {', '.join(reader.fieldnames or []) or 'nothing'}")
            names = {}
            for line, row in enumerate(reader, start=2):
                student = (row.get("id") or "").strip()
                if not student:
                    raise RosterError(f"{path}, line {line}: expected a student id in the column id, got an empty cell")
                names[student] = Name((row.get("first_name") or "").strip(), (row.get("last_name") or "").strip(),
                                      (row.get("email") or "").strip() or None)
            return names
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: cannot be read as a CSV roster ({exc})") from None


def name_of(student: str, roster: dict[str, Name]) -> Name:
    """The student's name from the roster; their id (as last name) when they have no row."""
    return roster.get(student) or Name("", student)
