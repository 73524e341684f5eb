"""The public front of gristmill.jobs, and what importing it costs a worker process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import gristmill.jobs


def test_every_public_name_resolves() -> None:
    for name in gristmill.jobs.__all__:
        assert getattr(gristmill.jobs, name) is not None
    assert set(gristmill.jobs.__all__) <= set(dir(gristmill.jobs))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        gristmill.jobs.no_such_thing  # noqa: B018


def test_the_worker_module_does_not_import_the_database_layer() -> None:
    # Every spawned worker imports it before its first task; SQLAlchemy and pydantic would add
    # a noticeable start-up cost to each. Measured against what `import gristmill` loads anyway.
    script = textwrap.dedent(
        """
        import sys
        import gristmill
        before = set(sys.modules)
        import gristmill.jobs._worker
        added = set(sys.modules) - before
        heavy = {"sqlalchemy", "pydantic", "tqdm"}
        print(sorted(name for name in added if name.split(".")[0] in heavy))
        """
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert output.strip() == "[]"
