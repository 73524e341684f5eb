"""What a search's page costs: no count of the stored keys, few rows read by rowid."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import gristmill as gm
from gristmill.data import query
from gristmill.data.results import SelectRowsResult
from gristmill.embed import FakeEmbedding, VectorIndex, register_embedding, unregister_embedding
from tests.fixtures import TASK_ROWS, TASKS


@pytest.fixture
def words() -> Iterator[str]:
    register_embedding("words", FakeEmbedding())
    yield "words"
    unregister_embedding("words")


def test_a_semantic_search_does_not_count_the_rows_of_the_index(
    words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counting the distinct rows of 100k vectors took a warm search a tenth of its time, per
    # query; the top-k search finds out how many rows there are only when it runs short.
    ds = _tasks()
    ds.compute_embedding(words, "instruction", show_progress=False)
    expected = ds.select_rows(["__rowid__"], searches=[_search(words)], limit=5).to_list()

    def counted(self: VectorIndex) -> np.ndarray:
        raise AssertionError("a search counted the index's rows")

    monkeypatch.setattr(VectorIndex, "rowids", counted)
    search = _search(words)
    assert ds.select_rows(["__rowid__"], searches=[search], limit=5).to_list() == expected
    assert len(ds.select_rows(["__rowid__"], searches=[search]).to_list()) == TASK_ROWS
    assert ds.count(searches=[search]) == TASK_ROWS


def test_a_few_ranked_rows_are_read_by_rowid_as_the_full_scan_reads_them(
    words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Few candidates are read by rowid from every file (source, derived column, label, deletion
    # flag) instead of by a positional scan: both plans must give the same rows and values.
    ds = _tasks()
    ds.compute_embedding(words, "instruction", show_progress=False)
    ds.map(lambda row: len(row["instruction"]), output_column="length", show_progress=False)
    ds.add_labels("keep", filters=[("length", "greater", 40)])
    ds.delete_rows(row_ids=[1, 3, 8])
    search = _search(words)

    def rows(**options: object) -> list[dict[str, object]]:
        return ds.select_rows(
            ["__rowid__", "instruction", "length", "keep"], searches=[search], **options
        ).to_list()

    asked = [
        {"limit": 7},
        {"limit": 5, "offset": 3},
        {"limit": 6, "filters": [("length", "less", 60)]},
        {"include_deleted": True},
    ]
    by_rowid = [rows(**options) for options in asked]
    monkeypatch.setattr(query, "POINT_LOOKUP_MAX_ROWS", 0)
    assert [rows(**options) for options in asked] == by_rowid
    assert all(by_rowid)
    assert any(row["keep"] is not None for page in by_rowid for row in page)
    assert not any(row["__rowid__"] in (1, 3, 8) for page in by_rowid[:3] for row in page)
    assert any(row["__rowid__"] in (1, 3, 8) for row in by_rowid[3])


def _tasks() -> gm.Dataset:
    source = gm.JSONSource(filepaths=[str(TASKS)])
    config = gm.DatasetConfig(namespace="local", name="seed", source=source)
    return gm.create_dataset(config, show_progress=False)


def _search(embedding: str) -> gm.SemanticSearch:
    return gm.SemanticSearch(
        path="instruction", query="sort a list of numbers", embedding=embedding
    )


def test_a_page_from_the_best_ranked_rows_is_the_page_of_every_ranked_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A page is first read from the search's best rows alone, then from all of them when
    # filters or deletions left too few: every page must be the one the whole ranking gives.
    ds = _tasks()
    ds.map(lambda row: len(row["instruction"]), output_column="length", show_progress=False)
    ds.delete_rows(row_ids=[0, 2, 5])
    # (A semantic search ranks only the rows a page needs: a keyword search ranks every match.)
    search = gm.KeywordSearch(path="instruction", query="write the given list or sentence")
    asked: list[dict[str, object]] = [
        {"limit": 2},
        {"limit": 3, "offset": 2},
        {"limit": 2, "filters": [("length", "greater", 55)]},
        {"limit": 3, "include_deleted": True},
        {"limit": 1, "offset": 40},
    ]

    def pages() -> list[list[dict[str, object]]]:
        return [
            ds.select_rows(["__rowid__", "length"], searches=[search], **options).to_list()
            for options in asked
        ]

    whole = pages()
    assert all(whole[:4]), whole
    assert ds.count(searches=[search]) > 8
    tried: list[int] = []
    real_tried = SelectRowsResult._tried

    def counted(self: SelectRowsResult) -> object:
        found = real_tried(self)
        tried.append(found is not None)
        return found

    monkeypatch.setattr(SelectRowsResult, "_tried", counted)
    monkeypatch.setattr(query, "POINT_LOOKUP_MAX_ROWS", 4)
    assert pages() == whole
    # The plain pages came from the best rows alone; the filtered one needed all of them.
    assert tried[0] and not all(tried)
