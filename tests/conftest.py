"""Fixtures shared by every test: each test gets its own project folder and metadata DB.

The tests carry their own data (``tests/fixtures/``). The larger sets in ``../shared/data``
are optional, for benchmark-like tests only (none in the suite today): such a test asks for the
``shared_data`` fixture (or :func:`require_shared_data`) and skips, saying why, when the folder
is absent. ``GRISTMILL_SHARED_DATA`` names another folder, or with an empty value hides it, so
``GRISTMILL_SHARED_DATA= pytest`` runs as a fresh clone does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED_DATA_ENV = "GRISTMILL_SHARED_DATA"
DEFAULT_SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh project folder per test, so tests never see each other's datasets or jobs."""
    from gristmill import project

    folder = tmp_path / "project"
    monkeypatch.delenv("GRISTMILL_PROJECT_DIR", raising=False)
    monkeypatch.delenv("GRISTMILL_DATABASE_URL", raising=False)
    project.set_project_dir(folder)
    yield folder
    try:
        from gristmill.metadata import reset_engines
    except ImportError:
        return
    reset_engines()


def shared_data_dir() -> Path | None:
    """The optional data folder if it exists: ``$GRISTMILL_SHARED_DATA`` when set (empty: none),
    else ``../shared/data`` beside the repository."""
    configured = os.environ.get(SHARED_DATA_ENV)
    if configured is None:
        folder = DEFAULT_SHARED_DATA
    elif not configured:
        return None
    else:
        folder = Path(configured)
    return folder if folder.is_dir() else None


def require_shared_data(relative: str = "") -> Path:
    """``relative`` inside the optional data folder, or skip the test saying how to provide it."""
    folder = shared_data_dir()
    path = folder / relative if folder else None
    if path is None or not path.exists():
        where = os.environ.get(SHARED_DATA_ENV) or str(DEFAULT_SHARED_DATA)
        pytest.skip(
            f"optional benchmark data {relative or 'folder'} not found in {where}: put the"
            f" shared data folder there or set {SHARED_DATA_ENV}=/path/to/data"
        )
    return path


@pytest.fixture
def shared_data() -> Path:
    return require_shared_data()
