"""nbgrader's gradebook steps at class scale: what each call rebuilds is built once per run.

nbgrader opens a new ``Gradebook`` in each of its preprocessors, and each opens a new SQLAlchemy
engine: a new connection (with PostgreSQL, a new login), the tables checked again, and every
statement compiled again, since the compiled-statement cache belongs to the engine. Its metadata
check builds a JSON-schema validator, schema check included, for every cell. In the main process of
a grading run that was most of the time spent per notebook.

Within ``reused()``, every ``Gradebook`` of this process shares one engine per database URL (its
connection pool and statement cache), checks the tables of a database once, and nbgrader's
metadata schema is checked once and its validator kept. Sessions, transactions and what nbgrader
writes are unchanged: each Gradebook still has its own session and commits as nbgrader does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _CachedValidation:
    """Stands for the ``jsonschema`` module in nbgrader's metadata check: ``validate`` with a
    validator built once per schema."""

    def __init__(self, module: Any):
        self._module = module
        self._validators: dict[int, Any] = {}

    def validate(self, instance: Any, schema: dict) -> None:
        validator = self._validators.get(id(schema))
        if validator is None:
            cls = self._module.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[id(schema)] = (cls(schema), schema)   # the schema kept alive with its id
        error = self._module.exceptions.best_match(validator[0].iter_errors(instance))   # as jsonschema.validate
        if error is not None:
            raise error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


@contextmanager
def reused() -> Iterator[None]:
    """nbgrader's Gradebook engines and metadata validators shared within the block; disposed after."""
    import nbgrader.api as api
    import nbgrader.nbgraderformat.common as common

    engines: dict[str, Any] = {}
    checked: set[str] = set()
    original_create_engine = api.create_engine
    original_create_all = api.Base.metadata.create_all
    original_jsonschema = common.jsonschema

    def create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
        key = url if isinstance(url, str) else url.render_as_string(hide_password=False)
        if key not in engines:
            engines[key] = original_create_engine(url, *args, **kwargs)
        return engines[key]

    def create_all(bind: Any, *args: Any, **kwargs: Any) -> None:
        key = bind.url.render_as_string(hide_password=False)
        if key not in checked:
            original_create_all(bind, *args, **kwargs)
            checked.add(key)

    api.create_engine = create_engine
    api.Base.metadata.create_all = create_all
    common.jsonschema = _CachedValidation(original_jsonschema)
    try:
        yield
    finally:
        api.create_engine = original_create_engine
        api.Base.metadata.create_all = original_create_all
        common.jsonschema = original_jsonschema
        for engine in engines.values():
            engine.dispose()
