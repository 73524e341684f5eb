"""Keyword indexes built by a background job after a load (and when a search had to scan)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import gristmill as gm
from gristmill.errors import JobCancelledError
from gristmill.search import (
    KEYWORD_INDEX_ENV,
    _keyword,
    _keyword_background,
    prose_columns,
    stop_background_indexes,
    wait_for_background_indexes,
)
from gristmill.search._keyword import index_is_current
from tests.fixtures import TASK_ROWS, TASKS

QUERIES = ["sentence", "write a python function", "the list of numbers", "Recursive email"]


@pytest.fixture
def background(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Background builds on, each held back until the test calls wait_for_background_indexes
    (so the test sees the state before the build, whatever the machine's speed)."""
    monkeypatch.setenv(KEYWORD_INDEX_ENV, "on")
    monkeypatch.setattr(_keyword_background, "START_DELAY_S", 600.0)
    yield
    for root in list(_keyword_background._builders):
        stop_background_indexes(root)


def _load(name: str = "seed", **kwargs: Any) -> gm.Dataset:
    source = gm.JSONSource(filepaths=[str(TASKS)])
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name=name, source=source),
        show_progress=False,
        **kwargs,
    )


def _ranked(ds: gm.Dataset, query: str) -> list[tuple[float, int, Any]]:
    rows = ds.select_rows(
        ["__rowid__"], searches=[gm.KeywordSearch(path="instruction", query=query)]
    ).to_list()
    found = [
        (
            round(r["instruction.keyword_search"]["score"], 9),
            r["__rowid__"],
            r["instruction.keyword_search"]["spans"],
        )
        for r in rows
    ]
    scores = [score for score, _, _ in found]
    assert scores == sorted(scores, reverse=True)
    # Rows of equal score may come in either order; the ranking is the scores' order.
    return sorted(found, key=lambda item: (-item[0], item[1]))


def _index_jobs() -> list[str]:
    return [job.status for job in gm.list_jobs() if job.kind == "keyword_index"]


def test_prose_columns_are_the_text_not_ids_names_or_categories() -> None:
    n = 40
    frame = pd.DataFrame(
        {
            "id": [f"row-{i:05d}" for i in range(n)],
            "name": [f"Ada Lovelace{i}" for i in range(n)],
            "category": [["open qa", "brainstorming", "closed qa"][i % 3] for i in range(n)],
            "text": [
                f"please explain how item number {i} differs from the others" for i in range(n)
            ],
            "boilerplate": ["the same sentence is repeated on every single row"] * n,
            "empty": [None] * n,
            "score": [i / n for i in range(n)],
        }
    )
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="mixed", source=gm.PandasSource(frame)),
        show_progress=False,
    )
    assert prose_columns(ds) == ["text"]


def test_load_returns_then_a_background_job_builds_the_index(background: None) -> None:
    ds = _load()
    # The load returned with no index and no job: searches scan meanwhile.
    assert not index_is_current(ds, ds.catalog(), "instruction")
    assert _index_jobs() == []
    scanned = {q: _ranked(ds, q) for q in QUERIES}
    assert all(scanned.values())
    wait_for_background_indexes(ds, timeout=120)
    assert index_is_current(ds, ds.catalog(), "instruction")
    # Only the prose column; one job, in the jobs table, as any enrichment.
    assert sorted(p.stem for p in (ds.store.root / "fts").glob("*.duckdb")) == ["instruction"]
    assert _index_jobs() == ["completed"]
    for query in QUERIES:
        assert _ranked(ds, query) == scanned[query], query


def test_opting_out(background: None, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = _load(keyword_index=False)
    assert _keyword_background._builders == {}
    monkeypatch.setenv(KEYWORD_INDEX_ENV, "off")
    other = _load("other")
    assert _ranked(other, "sentence")  # a scan, and no build on demand either
    assert _keyword_background._builders == {}
    assert _index_jobs() == []
    assert not (ds.store.root / "fts").exists() and not (other.store.root / "fts").exists()


def test_a_scan_asks_for_the_index(background: None) -> None:
    ds = _load(keyword_index=False)
    assert _ranked(ds, "sentence")
    wait_for_background_indexes(ds, timeout=120)
    assert index_is_current(ds, ds.catalog(), "instruction")
    assert _index_jobs() == ["completed"]


def test_a_new_load_stops_the_build_of_the_dataset_it_replaces(background: None) -> None:
    ds = _load()
    builder = _keyword_background._builders[ds.store.root]
    # The held-back builder holds no lock yet; one that had started is stopped the same way.
    again = _load(overwrite=True)
    assert not builder.is_alive()
    assert again.count() == TASK_ROWS
    wait_for_background_indexes(again, timeout=120)
    assert index_is_current(again, again.catalog(), "instruction")


def test_a_map_rewriting_the_column_is_indexed_again(background: None) -> None:
    texts = ["red apple pie is sweet", "green apple tart is sour", "blue sky over the sea"]
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="fruit", source=gm.PandasSource(pd.DataFrame({"text": texts}))
        ),
        show_progress=False,
        keyword_index=False,
    )
    ds.map(lambda row: row["text"], output_column="copy", show_progress=False)

    def found(query: str) -> list[int]:
        search = [gm.KeywordSearch(path="copy", query=query)]
        return sorted(r["__rowid__"] for r in ds.select_rows(["__rowid__"], searches=search))

    assert found("apple") == [0, 1]  # a scan, which asks for the index
    wait_for_background_indexes(ds, timeout=120)
    assert index_is_current(ds, ds.catalog(), "copy")
    ds.map(
        lambda row: row["text"].replace("apple", "pear"),
        output_column="copy",
        overwrite=True,
        show_progress=False,
    )
    # Stale at once: the scan answers from the new text, and asks for a new index.
    assert not index_is_current(ds, ds.catalog(), "copy")
    assert found("pear") == [0, 1] and found("apple") == []
    wait_for_background_indexes(ds, timeout=120)
    assert index_is_current(ds, ds.catalog(), "copy")
    assert found("pear") == [0, 1] and found("apple") == []
    assert _index_jobs() == ["completed", "completed"]


def _endless_build_script(project_dir: Path) -> str:
    """The start of a script whose keyword index builds never end on their own: every
    document is read a billion times."""
    return textwrap.dedent(
        f"""
        import gristmill as gm
        from gristmill.search import _keyword

        gm.set_project_dir({str(project_dir)!r})
        real = _keyword.documents_sql
        _keyword.documents_sql = lambda catalog, column: (
            f"SELECT * FROM ({{real(catalog, column)}}) CROSS JOIN range(1000000000)"
        )
        """
    )


def test_a_script_that_exits_during_the_build(project_dir: Path, background: None) -> None:
    """The process ends at once, nothing half-built is left to read, the job says so, and the
    next search (here, in this process) builds the index."""
    _load()
    script = _endless_build_script(project_dir) + textwrap.dedent(
        f"""
        import time
        from gristmill.search import _keyword_background

        _keyword_background.START_DELAY_S = 0.0
        ds = gm.create_dataset(
            gm.DatasetConfig(
                namespace="local", name="seed", source=gm.JSONSource(filepaths=[{str(TASKS)!r}])
            ),
            overwrite=True,
            show_progress=False,
        )
        deadline = time.monotonic() + 60
        while not [j for j in gm.list_jobs() if j.kind == "keyword_index"]:
            assert time.monotonic() < deadline, "no build started"
            time.sleep(0.05)
        time.sleep(0.5)
        print("exiting")
        """
    )
    env = {**os.environ, KEYWORD_INDEX_ENV: "on"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "exiting"
    ds = gm.get_dataset("local", "seed")
    fts = ds.store.root / "fts"
    # Stopped before complete: no index, and no staged file or spill folder left behind.
    assert list(fts.iterdir()) == []
    assert not index_is_current(ds, ds.catalog(), "instruction")
    (job,) = [j for j in gm.list_jobs() if j.kind == "keyword_index"]
    assert job.status == "cancelled"
    assert "stopped before it was complete" in (job.error or "")
    # The next search, in this process, scans and has the index built.
    assert _ranked(ds, "sentence")
    wait_for_background_indexes(ds, timeout=120)
    assert index_is_current(ds, ds.catalog(), "instruction")


def test_cancel_job_stops_a_build(monkeypatch: pytest.MonkeyPatch) -> None:
    ds = _load()
    real = _keyword.documents_sql
    # A build that would never end on its own: every document read a billion times.
    monkeypatch.setattr(
        _keyword,
        "documents_sql",
        lambda catalog, column: (
            f"SELECT * FROM ({real(catalog, column)}) CROSS JOIN range(1000000000)"
        ),
    )
    failures: list[BaseException] = []

    def build() -> None:
        try:
            ds.compute_keyword_index("instruction", show_progress=False)
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=build)
    thread.start()
    deadline = time.monotonic() + 60
    while not (jobs := [j for j in gm.list_jobs() if j.kind == "keyword_index"]):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    gm.cancel_job(jobs[0].id)
    thread.join(60)
    assert not thread.is_alive()
    assert [type(e) for e in failures] == [JobCancelledError]
    assert gm.get_job(jobs[0].id).status == "cancelled"
    assert list((ds.store.root / "fts").iterdir()) == []


def test_deleting_a_dataset_cancels_a_build_in_another_process(project_dir: Path) -> None:
    """An index build yields: a delete from another process cancels it rather than failing."""
    _load()
    script = _endless_build_script(project_dir) + (
        'gm.get_dataset("local", "seed").compute_keyword_index("instruction", show_progress=False)'
    )
    building = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not [j for j in gm.list_jobs() if j.kind == "keyword_index"]:
            assert time.monotonic() < deadline and building.poll() is None, "no build started"
            time.sleep(0.05)
        gm.delete_dataset("local", "seed")
        _, stderr = building.communicate(timeout=60)
    finally:
        building.kill()
    assert gm.list_datasets() == []
    assert "JobCancelledError" in stderr
    (job,) = [j for j in gm.list_jobs() if j.kind == "keyword_index"]
    assert job.status == "cancelled"
