"""The metadata database: where it lives, how it is configured, and its errors."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from gristmill.errors import InvalidInputError, ProviderError
from gristmill.metadata import (
    DATABASE_URL_ENV,
    database_url,
    get_engine,
    metadata_obj,
    reset_engines,
)

POSTGRES_URL_ENV = "GRISTMILL_TEST_POSTGRES_URL"


def test_sqlite_database_lives_in_the_project_folder_in_wal_mode(project: Path) -> None:
    engine = get_engine()
    assert engine.dialect.name == "sqlite"
    assert (project / "gristmill.db").is_file()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with sqlite3.connect(project / "gristmill.db") as raw:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert "gristmill_jobs" in tables


def test_engines_are_cached_per_url_until_reset(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = get_engine()
    assert get_engine() is first
    reset_engines()
    assert get_engine() is not first

    from gristmill.project import set_project_dir

    other = set_project_dir(tmp_path_factory.mktemp("other_project"))
    assert get_engine().url.database == str(other / "gristmill.db")


def test_tables_declared_after_the_first_use_are_created(project: Path) -> None:
    get_engine()
    late = sa.Table(
        "gristmill_test_late_table", metadata_obj, sa.Column("id", sa.Integer, primary_key=True)
    )
    try:
        with get_engine().begin() as conn:
            conn.execute(late.insert().values(id=1))
            assert conn.execute(sa.select(late.c.id)).scalar_one() == 1
    finally:
        metadata_obj.remove(late)


def test_database_url_from_the_environment(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql://user:secret@db.example:5432/gm")
    # psycopg (3) is the driver we ship; SQLAlchemy's default for postgresql:// is psycopg2.
    assert database_url() == "postgresql+psycopg://user:secret@db.example:5432/gm"
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://u@h/d")
    assert database_url() == "postgresql+psycopg://u@h/d"
    monkeypatch.delenv(DATABASE_URL_ENV)
    assert database_url() == f"sqlite:///{project / 'gristmill.db'}"


def test_a_malformed_database_url_is_a_clear_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, "not a url")
    with pytest.raises(InvalidInputError, match=DATABASE_URL_ENV) as caught:
        get_engine()
    assert caught.value.hint is not None and "postgresql+psycopg://" in caught.value.hint


def test_an_unreachable_postgres_is_a_clear_error_without_the_password(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 1 on localhost refuses at once: no server listens there.
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql://gm:hunter2@127.0.0.1:1/gm?connect_timeout=2")
    with pytest.raises(ProviderError, match="cannot open the metadata database") as caught:
        get_engine()
    assert "hunter2" not in str(caught.value)
    assert caught.value.hint is not None and DATABASE_URL_ENV in caught.value.hint


@pytest.mark.skipif(
    not os.environ.get(POSTGRES_URL_ENV), reason=f"set {POSTGRES_URL_ENV} to test PostgreSQL"
)
def test_postgres_is_used_when_configured(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, os.environ[POSTGRES_URL_ENV])
    reset_engines()
    engine = get_engine()
    assert engine.dialect.name == "postgresql"
    assert engine.dialect.driver == "psycopg"
    assert sa.inspect(engine).has_table("gristmill_jobs")
    assert not (project / "gristmill.db").exists()
