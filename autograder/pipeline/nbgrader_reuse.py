"""nbgrader's gradebook steps at class scale: what each call rebuilds is built once per run.

nbgrader opens a new ``Gradebook`` in each of its preprocessors, and each opens a new SQLAlchemy
engine: a new connection (with PostgreSQL, a new login), the tables checked again, and every
statement compiled again, since the compiled-statement cache belongs to the engine. Its metadata
check builds a JSON-schema validator, schema check included, for every cell. In the main process of
a grading run that was most of the time spent per notebook.

nbgrader also commits after every cell it scores (about twenty commits per notebook, each a
disk sync with SQLite, a round trip with PostgreSQL), and every commit expires what the session
had loaded, so the next cell loads it again.

Within ``reused()``, every ``Gradebook`` of this process shares one engine and one session per
database URL (its connection pool and statement cache), checks the tables and the course once,
and nbgrader's metadata schema is checked once and its validator kept. nbgrader's commits only
flush: what it writes is the same, and visible to every Gradebook of the block, but it reaches
the database when the caller commits (``Writes.commit``), a batch of notebooks at a time, or when
the block ends without an error. One thread only: the main process of a grading run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any


class _CachedValidation:
    """Stands for the ``jsonschema`` module in nbgrader's metadata check: ``validate`` with a
    validator built once per schema, and each distinct metadata found valid checked once (every
    submission of a lecture carries the release's metadata: sanitize puts it back)."""

    def __init__(self, module: Any):
        self._module = module
        self._validators: dict[str, Any] = {}   # by the schema's text: nbgrader reads it anew for each validator
        self._valid: set[tuple[str, str]] = set()

    def validate(self, instance: Any, schema: dict) -> None:
        schema_text = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(schema_text)
        if validator is None:
            cls = self._module.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[schema_text] = cls(schema)
        try:
            seen = (schema_text, json.dumps(instance, sort_keys=True))
        except (TypeError, ValueError):   # not JSON: validated, never remembered
            seen = None
        if seen is not None and seen in self._valid:
            return
        error = self._module.exceptions.best_match(validator.iter_errors(instance))   # as jsonschema.validate
        if error is not None:
            raise error
        if seen is not None:
            self._valid.add(seen)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


class _FlushOnCommit:
    """Stands for a Gradebook's ``db`` (its scoped session): nbgrader's commits flush, and closing it
    keeps it open for the next Gradebook of the block.

    A commit also expires what the session has loaded, as nbgrader's own commits do: the scores and
    maxima nbgrader reads are computed by the database when an object is loaded, so an object kept
    loaded across a write would show the score from before it. The masters' notebooks and cells are
    kept once they are fixed (nothing writes them then).
    """

    def __init__(self, session: Any, writes: Writes):
        self._session, self._writes = session, writes

    def commit(self) -> None:
        self._session.flush()
        if not self._writes.masters_fixed:
            self._session.expire_all()
            return
        from nbgrader.api import BaseCell, Notebook, SourceCell

        for obj in list(self._session.identity_map.values()):
            if not isinstance(obj, BaseCell | Notebook | SourceCell):
                self._session.expire(obj)

    def remove(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


# Gradebook lookups of what the masters define (their notebooks and cells): the same answer all run
# long once the masters are in the gradebook, asked again for every cell of every submission
MASTER_LOOKUPS = ("find_notebook", "find_source_cell", "find_graded_cell", "find_grade_cell", "find_solution_cell",
                  "find_task_cell")


class Writes:
    """The block's gradebook writes, one session per database URL, committed by the caller."""

    def __init__(self) -> None:
        self.sessions: dict[str, Any] = {}   # URL -> the SQLAlchemy session its Gradebooks share
        self.masters_fixed = False

    def fix_masters(self) -> None:
        """The masters are in the gradebook and stay as they are for the rest of the block: their
        notebooks and cells are looked up once (MASTER_LOOKUPS)."""
        self.masters_fixed = True

    def commit(self) -> None:
        """Everything nbgrader wrote since the last commit, in the database."""
        for session in self.sessions.values():
            session.commit()

    def rollback(self) -> None:
        """Everything nbgrader wrote since the last commit, undone (after a write that failed)."""
        for session in self.sessions.values():
            session.rollback()


def _key(url: Any) -> str:
    return url if isinstance(url, str) else url.render_as_string(hide_password=False)


@contextmanager
def reused() -> Iterator[Writes]:
    """nbgrader's Gradebook engines, sessions and metadata validators shared within the block;
    committed when it ends without an error (rolled back when it raises), and disposed."""
    import nbgrader.api as api
    import nbgrader.nbgraderformat.common as common

    engines: dict[str, Any] = {}
    checked: set[str] = set()
    writes = Writes()
    courses: set[tuple[str, str]] = set()
    original_create_engine = api.create_engine
    original_create_all = api.Base.metadata.create_all
    original_jsonschema = common.jsonschema
    original_init, original_close = api.Gradebook.__init__, api.Gradebook.close

    def init(gb: Any, db_url: Any, course_id: str = "default_course", authenticator: Any = None) -> None:
        key = _key(db_url)
        if key not in writes.sessions:
            original_init(gb, db_url, course_id, authenticator)   # tables, alembic version, course: once
            gb.db.commit()
            writes.sessions[key] = gb.db()
            courses.add((key, course_id))
        else:
            gb.engine, gb.course_id, gb.authenticator = engines[key], course_id, authenticator
        gb.db = _FlushOnCommit(writes.sessions[key], writes)
        if (key, course_id) not in courses:
            gb.check_course(course_id=course_id)
            courses.add((key, course_id))

    def close(gb: Any) -> None:
        if not isinstance(gb.db, _FlushOnCommit):
            original_close(gb)

    found: dict[tuple, Any] = {}
    originals = {name: getattr(api.Gradebook, name) for name in MASTER_LOOKUPS}

    def remembered(name: str) -> Any:
        def lookup(gb: Any, *args: Any, **kwargs: Any) -> Any:
            if kwargs or not writes.masters_fixed:
                return originals[name](gb, *args, **kwargs)
            key = (name, _key(gb.engine.url), args)
            if key not in found:
                found[key] = originals[name](gb, *args)   # a missing entry raises, and is not kept
            return found[key]
        return lookup

    def create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
        key = _key(url)
        if key not in engines:
            engines[key] = original_create_engine(url, *args, **kwargs)
        return engines[key]

    def create_all(bind: Any, *args: Any, **kwargs: Any) -> None:
        key = _key(bind.url)
        if key not in checked:
            original_create_all(bind, *args, **kwargs)
            checked.add(key)

    api.create_engine = create_engine
    api.Base.metadata.create_all = create_all
    api.Gradebook.__init__, api.Gradebook.close = init, close
    for name in MASTER_LOOKUPS:
        setattr(api.Gradebook, name, remembered(name))
    common.jsonschema = _CachedValidation(original_jsonschema)
    try:
        yield writes
        writes.commit()
    except BaseException:
        with suppress(Exception):   # the error that stopped the block is the one to see
            writes.rollback()
        raise
    finally:
        api.create_engine = original_create_engine
        api.Base.metadata.create_all = original_create_all
        api.Gradebook.__init__, api.Gradebook.close = original_init, original_close
        for name, original in originals.items():
            setattr(api.Gradebook, name, original)
        common.jsonschema = original_jsonschema
        for session in writes.sessions.values():
            session.close()
        for engine in engines.values():
            engine.dispose()
