"""Fixtures shared by every test: each test gets its own project folder and metadata DB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


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


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared test data not found at {SHARED_DATA}")
    return SHARED_DATA
