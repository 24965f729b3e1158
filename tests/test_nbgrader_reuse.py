"""nbgrader's gradebook steps with engines and validators built once (autograder/pipeline/nbgrader_reuse.py):
the same checks and the same database, one engine per URL, everything restored after."""

from __future__ import annotations

import jsonschema
import nbformat
import pytest

from autograder.course import put_interpreter_scripts_on_path
from autograder.pipeline.nbgrader_reuse import reused


@pytest.mark.slow   # a new gradebook runs `alembic heads`: seconds each
def test_gradebooks_share_one_engine_per_url_and_see_each_others_writes(tmp_path):
    from nbgrader.api import Gradebook

    put_interpreter_scripts_on_path()   # a new gradebook runs `alembic`
    url, other = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    with reused(), Gradebook(url, "course") as first, Gradebook(url, "course") as second, Gradebook(other, "course") as third:
        assert first.engine is second.engine and third.engine is not first.engine
        first.update_or_create_student("ada", first_name="Ada")
        assert [s.id for s in second.students] == ["ada"] and third.students == []
    with Gradebook(url, "course") as after, Gradebook(url, "course") as again:
        assert after.engine is not again.engine, "outside the block nbgrader builds its own engines again"
        assert after.find_student("ada").first_name == "Ada"


def test_the_metadata_check_still_refuses_what_nbgrader_refuses():
    from nbgrader.preprocessors import CheckCellMetadata

    good = {"grade": True, "grade_id": "ex1-tests", "points": 2, "solution": False, "locked": True, "schema_version": 3}
    bad = {**good, "points": "two"}
    with reused():   # one run: what was found valid is remembered, what was not is refused each time
        for meta, fails in ((good, False), (bad, True), (good, False), (bad, True)):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert True", metadata={"nbgrader": dict(meta)})])
            if fails:
                with pytest.raises(jsonschema.ValidationError):
                    CheckCellMetadata().preprocess(nb, {})
            else:
                CheckCellMetadata().preprocess(nb, {})
