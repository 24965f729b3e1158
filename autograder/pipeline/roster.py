"""The class list: student ids with their names, for nbgrader's formgrader and the gradebook.

A CSV file with a header row and the columns ``id`` (the student id, as their folder or zip is
named), ``first_name``, ``last_name`` and, optionally, ``email``; by default ``students.csv`` at
the top of the submissions folder. A student without a row keeps their id as their name, so
formgrader never shows "None, None".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.pipeline.workspace import CourseWorkspace

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


def register_students(course: CourseWorkspace, students: set[str], roster_path: Path, *, required: bool,
                      due: datetime | None) -> None:
    """Every student of the folder in the gradebook, even one who handed in nothing, named from the
    roster at ``roster_path`` (read when ``required`` or when it exists); ``due``: each lecture's due
    date (UTC, naive, as nbgrader keeps it), when there is a deadline."""
    from nbgrader.api import Gradebook

    roster = read_roster(roster_path) if required or roster_path.is_file() else {}
    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        if due is not None:
            for lecture in course.lectures:
                gb.update_or_create_assignment(lecture, duedate=due)
        for student in sorted(students):
            known = gb.update_or_create_student(student)
            name = name_of(student, roster)
            if student in roster or (known.first_name is None and known.last_name is None):
                # a name typed in formgrader stays, unless the roster gives one
                gb.update_or_create_student(student, first_name=name.first_name, last_name=name.last_name,
                                            email=name.email or known.email)


def student_names(course: CourseWorkspace) -> dict[str, tuple[str, str, str | None]]:
    """Student id -> (first name, last name, email) as the gradebook holds them."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.config.CourseDirectory.course_id) as gb:
        return {s.id: (s.first_name or "", s.last_name or s.id, s.email) for s in gb.students}
