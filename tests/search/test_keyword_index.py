"""The keyword index as an enrichment: queries scan until it exists, with the same ranking."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import gristmill as gm
from gristmill.cli import app
from gristmill.data.locks import hold_column
from gristmill.errors import ConflictError, InvalidInputError
from gristmill.search._keyword import index_is_current
from gristmill.search._keyword_index import keyword_index_lock
from tests.fixtures import TASK_ROWS, TASKS

QUERIES = ["sentence", "write a python function", "the list of numbers", "Recursive email"]


@pytest.fixture
def seed() -> gm.Dataset:
    source = gm.JSONSource(filepaths=[str(TASKS)])
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="seed", source=source), show_progress=False
    )


def _ranked(ds: gm.Dataset, path: str, query: str) -> list[dict[str, Any]]:
    rows = ds.select_rows(
        ["__rowid__", path], searches=[gm.KeywordSearch(path=path, query=query)]
    ).to_list()
    return [
        {
            "rowid": r["__rowid__"],
            "score": round(r[f"{path}.keyword_search"]["score"], 9),
            "spans": r[f"{path}.keyword_search"]["spans"],
        }
        for r in rows
    ]


def _in_order(ranked: list[dict[str, Any]]) -> list[tuple[float, int]]:
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    # Rows of equal score may come in either order; the ranking is the scores' order.
    return sorted((-r["score"], r["rowid"]) for r in ranked)


def test_search_scans_until_the_index_exists_and_ranks_the_same(seed: gm.Dataset) -> None:
    before = {q: _ranked(seed, "instruction", q) for q in QUERIES}
    # The queries answered without building anything.
    assert not (seed.store.root / "fts").exists()
    assert all(before.values())
    info = seed.compute_keyword_index("instruction", show_progress=False)
    assert info.path == "instruction" and info.num_rows == TASK_ROWS
    assert index_is_current(seed, seed.catalog(), "instruction")
    jobs = [j for j in gm.list_jobs() if j.kind == "keyword_index"]
    assert [j.status for j in jobs] == ["completed"]
    for query in QUERIES:
        after = _ranked(seed, "instruction", query)
        assert _in_order(after) == _in_order(before[query]), query
        spans = {r["rowid"]: r["spans"] for r in before[query]}
        assert all(r["spans"] == spans[r["rowid"]] for r in after)
    # Current: a second call builds nothing and starts no job.
    assert seed.compute_keyword_index("instruction", show_progress=False).num_rows is None
    assert len([j for j in gm.list_jobs() if j.kind == "keyword_index"]) == 1


def test_deletes_restores_and_labels_keep_the_index_a_rewrite_scans() -> None:
    texts = ["red apple pie", "green apple tart", "blue sky", "red wine", "apple juice"]
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="fruit", source=gm.PandasSource(pd.DataFrame({"text": texts}))
        ),
        show_progress=False,
    )
    ds.map(lambda row: row["text"], output_column="copy", show_progress=False)
    ds.compute_keyword_index("copy", show_progress=False)
    apple = [r["rowid"] for r in _ranked(ds, "copy", "apple")]
    assert sorted(apple) == [0, 1, 4]
    ds.delete_rows(row_ids=[0])
    ds.add_labels("seen", row_ids=[1])
    # Neither touches the column's files: the index stays current, deleted rows are filtered.
    assert index_is_current(ds, ds.catalog(), "copy")
    assert sorted(r["rowid"] for r in _ranked(ds, "copy", "apple")) == [1, 4]
    ds.restore_rows(row_ids=[0])
    assert index_is_current(ds, ds.catalog(), "copy")
    assert sorted(r["rowid"] for r in _ranked(ds, "copy", "apple")) == [0, 1, 4]
    ds.delete_rows(row_ids=[0])
    # A map rewriting the column makes the index stale: searches scan the new text.
    ds.map(
        lambda row: row["text"].replace("apple", "pear"),
        output_column="copy",
        overwrite=True,
        show_progress=False,
    )
    assert not index_is_current(ds, ds.catalog(), "copy")
    assert _ranked(ds, "copy", "apple") == []
    assert sorted(r["rowid"] for r in _ranked(ds, "copy", "pear")) == [1, 4]
    assert ds.compute_keyword_index("copy", show_progress=False).num_rows == len(texts)
    assert index_is_current(ds, ds.catalog(), "copy")
    assert sorted(r["rowid"] for r in _ranked(ds, "copy", "pear")) == [1, 4]


def test_one_index_build_per_column_at_a_time(seed: gm.Dataset) -> None:
    held, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        lock = keyword_index_lock("instruction")
        with hold_column(seed.store.root, lock, action="keyword index of 'instruction'"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=other_writer)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(ConflictError, match="keyword index of 'instruction'"):
            seed.compute_keyword_index("instruction", show_progress=False)
    finally:
        release.set()
        thread.join()
    with pytest.raises(InvalidInputError, match="keyword index needs a text column"):
        seed.compute_keyword_index("is_classification", show_progress=False)


def test_index_command() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["load", str(TASKS), "local/seed"]).exit_code == 0
    first = runner.invoke(app, ["index", "local/seed", "instruction"])
    assert first.exit_code == 0, first.output
    assert f"Indexed {TASK_ROWS} rows of 'instruction'" in first.stdout
    again = runner.invoke(app, ["index", "local/seed", "instruction"])
    assert "is current: nothing to build" in again.stdout
    bad = runner.invoke(app, ["index", "local/seed", "is_classification"])
    assert bad.exit_code == 2 and "text column" in bad.output


def test_scan_and_index_agree_on_every_kind_of_word(seed: gm.Dataset) -> None:
    """The scan stems only the words starting like a query stem; the index stems them all.
    Queries of words with suffixes Porter rewrites (y to i, -ational, -ness, -ing, plurals),
    stopwords only, no word at all, and words from the rows themselves rank the same."""
    texts = [r["instruction"] for r in seed.select_rows(["instruction"]).to_list()]
    words = sorted({w.lower().strip(".,:;!?\"'()") for t in texts for w in t.split()})
    long_words = [w for w in words if len(w) > 7 and w.isalpha()][::7][:12]
    queries = [
        "sentences summarizing happily",
        "studies generalization relational",
        "running runner runs",
        "the of and",
        "!!! ???",
        "Üñíçødé café",
        *long_words,
    ]
    before = {q: _ranked(seed, "instruction", q) for q in queries}
    assert any(before[w] for w in long_words)
    seed.compute_keyword_index("instruction", show_progress=False)
    for query in queries:
        after = _ranked(seed, "instruction", query)
        assert _in_order(after) == _in_order(before[query]), query
        spans = {r["rowid"]: r["spans"] for r in before[query]}
        assert all(r["spans"] == spans[r["rowid"]] for r in after), query


def test_a_first_search_on_an_index_highlights_without_a_second_connection(
    seed: gm.Dataset, project_dir: Path
) -> None:
    seed.compute_keyword_index("instruction", show_progress=False)
    expected = _ranked(seed, "instruction", "write a python function")
    # A fresh process: the index's own connection stems and tokenises for the highlights, so
    # the in-memory scanning connection is never prepared.
    script = textwrap.dedent(
        f"""
        import json
        import gristmill as gm
        from gristmill.search import _keyword
        gm.set_project_dir({str(project_dir)!r})
        ds = gm.get_dataset("local", "seed")
        search = gm.KeywordSearch(path="instruction", query="write a python function")
        rows = ds.select_rows(["__rowid__"], searches=[search]).to_list()
        spans = {{r["__rowid__"]: r["instruction.keyword_search"]["spans"] for r in rows}}
        print(json.dumps({{"scanner": _keyword._scanner is not None, "spans": spans}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["scanner"] is False, done.stderr
    assert {int(k): v for k, v in found["spans"].items()} == {
        r["rowid"]: r["spans"] for r in expected
    }
