"""VectorIndex: row-level top-k, filters that never return fewer rows, HNSW, persistence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gristmill.embed import SearchHit, VectorIndex
from gristmill.embed import _index_search as index_search
from gristmill.errors import InvalidInputError, NotFoundError

DIM = 16


def unit(rows: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, DIM)).astype(np.float32)
    normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalised


def span_keys(rows: int, spans_per_row: int) -> np.ndarray:
    """Keys for ``rows`` rows (rowids 100, 101, ...) of ``spans_per_row`` spans each."""
    position = np.arange(rows * spans_per_row)
    starts = (position % spans_per_row) * 10
    return np.stack([100 + position // spans_per_row, starts, starts + 9], axis=1)


def brute_force(
    index: VectorIndex, query: np.ndarray, k: int, allowed: np.ndarray | None = None
) -> list[int]:
    """The true top-k rowids by best span, computed the slow obvious way."""
    best: dict[int, float] = {}
    allowed_set = None if allowed is None else set(allowed.tolist())
    for (rowid, _, _), vector in zip(index.keys, index.vectors, strict=True):
        if allowed_set is None or int(rowid) in allowed_set:
            best[int(rowid)] = max(best.get(int(rowid), -9.0), float(vector @ query))
    return sorted(best, key=lambda r: -best[r])[:k]


def make_index(rows: int = 300, spans_per_row: int = 3, **settings: object) -> VectorIndex:
    index = VectorIndex(DIM, **settings)  # type: ignore[arg-type]
    index.add(span_keys(rows, spans_per_row), unit(rows * spans_per_row))
    return index


def test_search_returns_the_top_k_distinct_rows_with_their_best_span() -> None:
    index = make_index()
    queries = unit(5, seed=1)
    results = index.search(queries, k=10)
    assert len(results) == 5
    for query, hits in zip(queries, results, strict=True):
        assert [hit.rowid for hit in hits] == brute_force(index, query, 10)
        assert all(isinstance(hit, SearchHit) for hit in hits)
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
        best = hits[0]
        spans_of_row = index.vectors[index.keys[:, 0] == best.rowid] @ query
        assert best.score == pytest.approx(float(spans_of_row.max()), abs=1e-5)
        assert best.span[1] - best.span[0] == 9


def test_a_row_with_many_close_spans_counts_once() -> None:
    index = VectorIndex(DIM)
    query = unit(1, seed=3)[0]
    near = query + 0.01 * unit(50, seed=4)
    index.add([(1, i, i + 1) for i in range(50)], near / np.linalg.norm(near, axis=1)[:, None])
    index.add(span_keys(40, 1), unit(40, seed=5))
    hits = index.search(query, k=5)[0]
    assert hits[0].rowid == 1
    assert len({hit.rowid for hit in hits}) == 5


@pytest.mark.parametrize("threshold", [100_000, 50])  # exact, then the HNSW path
def test_allowed_rowids_give_exactly_k_rows_when_that_many_exist(threshold: int) -> None:
    index = make_index(hnsw_threshold=threshold)
    assert index.uses_hnsw == (threshold == 50)
    queries = unit(4, seed=2)
    rng = np.random.default_rng(7)
    for allowed_count in (3, 12, 40, 150):  # from a narrow filter to half the rows
        allowed = rng.choice(np.arange(100, 400), size=allowed_count, replace=False)
        for query, hits in zip(queries, index.search(queries, 10, allowed), strict=True):
            assert len(hits) == min(10, allowed_count)
            assert {hit.rowid for hit in hits} <= set(allowed.tolist())
            if threshold == 100_000:
                assert [hit.rowid for hit in hits] == brute_force(index, query, 10, allowed)


def test_filters_with_no_indexed_rows_and_empty_indexes_give_no_hits() -> None:
    index = make_index()
    assert index.search(unit(2), k=5, allowed_rowids=[999_999]) == [[], []]
    assert index.search(unit(1), k=5, allowed_rowids=[]) == [[]]
    assert VectorIndex(DIM).search(unit(1), k=3) == [[]]
    assert len(make_index(rows=4).search(unit(1), k=10)[0]) == 4


def test_hnsw_finds_the_true_neighbours_on_small_data() -> None:
    index = make_index(rows=600, spans_per_row=1, hnsw_threshold=100)
    assert index.uses_hnsw
    queries = unit(20, seed=9)
    found = overlap = 0
    for query, hits in zip(queries, index.search(queries, k=10), strict=True):
        truth = brute_force(index, query, 10)
        overlap += len({hit.rowid for hit in hits} & set(truth))
        found += len(hits)
    assert found == 200
    assert overlap / found > 0.9  # recall@10 of the graph


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    index = make_index(model_id="minilm-test", metadata={"path": "response"})
    folder = index.save(tmp_path / "index")
    loaded = VectorIndex.load(folder)
    assert (len(loaded), loaded.dim, loaded.model_id) == (900, DIM, "minilm-test")
    assert loaded.metadata == {"path": "response"}
    np.testing.assert_array_equal(loaded.keys, index.keys)
    query = unit(1, seed=11)
    assert loaded.search(query, 7) == index.search(query, 7)
    np.testing.assert_array_equal(loaded.rowids(), np.arange(100, 400))


def test_hnsw_graph_is_saved_and_reused(tmp_path: Path) -> None:
    index = make_index(rows=200, spans_per_row=1, hnsw_threshold=100)
    folder = index.save(tmp_path / "index")
    assert len(list(folder.glob("hnsw-*.faiss"))) == 1
    loaded = VectorIndex.load(folder)
    query = unit(3, seed=12)
    assert [[h.rowid for h in r] for r in loaded.search(query, 5)] == [
        [h.rowid for h in r] for r in index.search(query, 5)
    ]


def test_chunks_added_to_a_bound_index_survive_a_crash_before_save(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    job = VectorIndex.open(folder, dim=DIM, hnsw_threshold=250)
    keys, vectors = span_keys(300, 1), unit(300)
    job.add(keys[:100], vectors[:100])
    job.add(keys[100:200], vectors[100:200])
    del job  # the process "dies" here, before any save()
    (folder / ".chunk-00000003.npz.tmp-123").write_bytes(b"half written")  # a torn write
    resumed = VectorIndex.open(folder, dim=DIM)
    assert len(resumed) == 200
    done = resumed.rowids()
    todo = ~np.isin(keys[:, 0], done)
    resumed.add(keys[todo], vectors[todo])
    resumed.save()
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "hnsw-000001.faiss",
        "keys-000001.npy",
        "meta.json",
        "vectors-000001.npy",
    ]
    final = VectorIndex.load(folder)
    assert len(final) == 300 and final.uses_hnsw
    np.testing.assert_array_equal(np.sort(final.keys[:, 0]), keys[:, 0])


def test_chunks_left_by_a_crash_during_save_are_not_counted_twice(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    index = VectorIndex.open(folder, dim=DIM)
    index.add(span_keys(10, 1), unit(10))
    stale = (folder / "chunk-00000001.npz").read_bytes()
    index.save()
    # As if save() died after meta.json was written but before the chunk was deleted.
    (folder / "chunk-00000001.npz").write_bytes(stale)
    assert len(VectorIndex.load(folder)) == 10


def test_save_over_another_index_replaces_it(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    old = VectorIndex.open(folder, dim=DIM)
    old.add(span_keys(50, 1), unit(50))
    make_index(rows=5, spans_per_row=1).save(folder)
    assert len(VectorIndex.load(folder)) == 5


def test_bad_input_is_rejected_with_the_fix() -> None:
    index = make_index(rows=5)
    with pytest.raises(InvalidInputError, match="one 16-d vector"):
        index.add(span_keys(2, 1), unit(3))
    with pytest.raises(InvalidInputError, match="NaN"):
        index.add([(1, 0, 1)], np.full((1, DIM), np.nan))
    with pytest.raises(InvalidInputError, match="same model"):
        index.search(np.ones((1, DIM + 1)), k=3)
    with pytest.raises(InvalidInputError, match="positive integer"):
        index.search(unit(1), k=0)
    with pytest.raises(InvalidInputError):
        VectorIndex(0)
    with pytest.raises(InvalidInputError, match="no folder"):
        index.save()


def test_loading_a_missing_or_mismatched_folder_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no vector index"):
        VectorIndex.load(tmp_path / "nothing")
    VectorIndex.open(tmp_path / "index", dim=DIM)
    with pytest.raises(InvalidInputError, match="16-d vectors, not 8-d"):
        VectorIndex.open(tmp_path / "index", dim=8)
    (tmp_path / "index" / "meta.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="not a valid vector index"):
        VectorIndex.load(tmp_path / "index")


def test_a_graph_too_sparse_for_the_filter_falls_back_to_exact_search() -> None:
    # A tiny graph (M=4, efSearch=4) walked under a 7% filter comes back short of k rows;
    # the answer must still hold k allowed rows, the true best ones.
    index = make_index(rows=3000, spans_per_row=1, hnsw_threshold=100, hnsw_m=4, hnsw_ef_search=4)
    allowed = np.random.default_rng(0).choice(np.arange(100, 3100), size=200, replace=False)
    queries = unit(3, seed=13)
    for hits in index.search(queries, 50, allowed):
        assert len(hits) == 50
        assert {hit.rowid for hit in hits} <= set(allowed.tolist())


def test_exact_search_in_query_blocks_matches_brute_force(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many queries are scored in blocks, so the score matrix stays small; every block must
    # still find each query's own true top k, filtered or not.
    monkeypatch.setattr(index_search, "_EXACT_BLOCK_SCORES", 500)  # a few queries per block
    index = make_index(rows=200, spans_per_row=2)
    queries = unit(7, seed=3)
    allowed = np.arange(100, 300, 3)
    for chosen in (None, allowed):
        found = index.search(queries, k=5, allowed_rowids=chosen)
        assert len(found) == len(queries)
        for query, hits in zip(queries, found, strict=True):
            assert [h.rowid for h in hits] == brute_force(index, query, 5, chosen)


def test_equal_scores_come_back_in_the_order_they_were_added() -> None:
    index = VectorIndex(DIM)
    same = unit(1)
    index.add(np.array([[5, 0, 1], [3, 0, 1], [9, 0, 1], [4, 0, 1]]), np.repeat(same, 4, axis=0))
    assert [h.rowid for h in index.search(same, k=3)[0]] == [5, 3, 9]


def test_an_exact_search_needs_no_faiss() -> None:
    # Below the HNSW threshold a search is one matrix product over the vectors in memory:
    # loading faiss and copying every vector into a faiss index cost a process's first search
    # most of its time (100k 256-d vectors: 100 MB).
    code = (
        "import sys, numpy as np\n"
        "from gristmill.embed import VectorIndex\n"
        "index = VectorIndex(4)\n"
        "index.add([[0, 0, 1], [1, 0, 1]], np.eye(4, dtype=np.float32)[:2])\n"
        "assert [h.rowid for h in index.search(np.eye(4)[1], k=1)[0]] == [1]\n"
        "print('faiss' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "False"


def test_a_loaded_index_maps_its_vectors_and_saves_over_its_own_files(tmp_path: Path) -> None:
    # Mapped, not read into memory: a process's first search no longer copies every vector.
    folder = make_index(rows=100, spans_per_row=2).save(tmp_path / "index")
    loaded = VectorIndex.load(folder)
    assert isinstance(loaded.vectors, np.memmap)
    # A new generation replaces the mapped files; the index keeps answering, and a reload
    # reads the new generation.
    loaded.add(np.array([[500, 0, 9]]), unit(1, seed=5))
    loaded.save()
    assert sorted(p.name for p in folder.glob("*.npy")) == ["keys-000002.npy", "vectors-000002.npy"]
    query = unit(1, seed=5)
    assert loaded.search(query, 1)[0][0].rowid == 500
    assert VectorIndex.load(folder).search(query, 3) == loaded.search(query, 3)
