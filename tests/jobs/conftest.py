"""Jobs test fixtures: a fresh project per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from gristmill.jobs import _job
from gristmill.metadata import DATABASE_URL_ENV, reset_engines
from gristmill.project import PROJECT_ENV

POSTGRES_URL_ENV = "GRISTMILL_TEST_POSTGRES_URL"


@pytest.fixture
def project(project_dir: Path) -> Iterator[Path]:
    """The test's own project folder (tests/conftest.py) with fresh database engines."""
    reset_engines()
    yield project_dir
    reset_engines()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, project: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Runs a test on SQLite, and again on PostgreSQL when GRISTMILL_TEST_POSTGRES_URL is set."""
    backend: str = request.param
    if backend == "postgres":
        url = os.environ.get(POSTGRES_URL_ENV)
        if not url:
            pytest.skip(f"set {POSTGRES_URL_ENV} to run the PostgreSQL tests")
        monkeypatch.setenv(DATABASE_URL_ENV, url)
        reset_engines()
    return backend


@pytest.fixture
def dataset() -> str:
    """A dataset name no other test uses, so a shared PostgreSQL database needs no cleanup."""
    return f"test/{uuid.uuid4().hex[:12]}"


@pytest.fixture
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every progress write and cancellation check goes to the database."""
    monkeypatch.setattr(_job, "PROGRESS_WRITE_INTERVAL_S", 0.0)
    monkeypatch.setattr(_job, "CANCEL_CHECK_INTERVAL_S", 0.0)


@pytest.fixture
def child_env(project: Path) -> dict[str, str]:
    """Environment for a child Python using the same project and database as the test."""
    # The database URL, when a test set one, is already in os.environ (monkeypatch.setenv).
    return {**os.environ, PROJECT_ENV: str(project)}
