"""Indexes larger than memory: built from blocks straight into their files, and searched by
reading those files a block at a time (10M wordllama spans are 10 GB of vectors)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gristmill as gm
from gristmill.data import derived
from gristmill.embed import FakeEmbedding, VectorIndex, register_embedding, unregister_embedding
from gristmill.embed import _column as embed_column
from gristmill.embed import _index_search as index_search
from gristmill.embed._spans import split_spans
from gristmill.errors import InvalidInputError
from tests.embed.test_index import DIM, span_keys, unit


def in_blocks(
    keys: np.ndarray, vectors: np.ndarray, sizes: list[int]
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    start = 0
    for size in [*sizes, len(keys)]:
        yield keys[start : start + size], vectors[start : start + size]
        start += size
        if start >= len(keys):
            return


def brute_force(
    keys: np.ndarray, vectors: np.ndarray, query: np.ndarray, k: int, allowed: np.ndarray | None
) -> list[int]:
    best: dict[int, float] = {}
    for (rowid, _, _), vector in zip(keys, vectors, strict=True):
        if allowed is None or rowid in allowed:
            best[int(rowid)] = max(best.get(int(rowid), -9.0), float(vector @ query))
    return sorted(best, key=lambda r: -best[r])[:k]


def same_hits(
    found: list[list[index_search.SearchHit]], expected: list[list[index_search.SearchHit]]
) -> None:
    assert [[(h.rowid, h.span) for h in q] for q in found] == [
        [(h.rowid, h.span) for h in q] for q in expected
    ]
    for got, want in zip(found, expected, strict=True):
        assert np.allclose([h.score for h in got], [h.score for h in want], atol=1e-6)


def test_an_index_built_block_by_block_equals_one_added_whole(tmp_path: Path) -> None:
    keys, vectors = span_keys(150, 2), unit(300)
    built = VectorIndex.build(
        tmp_path / "built", DIM, len(keys), in_blocks(keys, vectors, [1, 7, 0, 100]), model_id="m"
    )
    assert np.array_equal(built.keys, keys) and np.array_equal(built.vectors, vectors)
    assert built.model_id == "m" and not built.uses_hnsw
    whole = VectorIndex(DIM)
    whole.add(keys, vectors)
    queries = unit(4, seed=9)
    allowed = np.arange(100, 250, 4)
    for chosen in (None, allowed):
        found = built.search(queries, k=6, allowed_rowids=chosen)
        same_hits(found, whole.search(queries, k=6, allowed_rowids=chosen))
        for query, hits in zip(queries, found, strict=True):
            assert [h.rowid for h in hits] == brute_force(keys, vectors, query, 6, chosen)


# Both ways of scanning a large stored index: dropping each block's mapped pages (where the OS
# can) and reading blocks into a buffer (where it cannot).
SCANS = [
    pytest.param(
        True,
        id="dropped-pages",
        marks=pytest.mark.skipif(not index_search._CAN_DROP_PAGES, reason="no madvise here"),
    ),
    pytest.param(False, id="read-blocks"),
]


@pytest.mark.parametrize("drop_pages", SCANS)
@pytest.mark.parametrize("block_vectors", [1, 5])
def test_a_stored_index_searched_in_tiny_blocks_gives_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_vectors: int, drop_pages: bool
) -> None:
    monkeypatch.setattr(index_search, "_CAN_DROP_PAGES", drop_pages)
    keys, vectors = span_keys(120, 3), unit(360, seed=2)
    whole = VectorIndex(DIM)
    whole.add(keys, vectors)
    loaded = VectorIndex.load(whole.save(tmp_path / "index"))
    queries = unit(3, seed=4)
    allowed = np.array([101, 150, 151, 219, 7])  # sparse: most blocks hold no allowed vector
    expected = {
        "all": whole.search(queries, k=10),
        "some": whole.search(queries, k=10, allowed_rowids=allowed),
    }
    # Off by 3 bytes: a block that is not a whole number of vectors still reads whole ones.
    monkeypatch.setattr(index_search, "SCAN_BLOCK_BYTES", block_vectors * DIM * 4 + 3)
    monkeypatch.setattr(index_search, "MAPPED_SCAN_MAX_BYTES", 0)  # as if it were large
    same_hits(loaded.search(queries, k=10), expected["all"])
    same_hits(loaded.search(queries, k=10, allowed_rowids=allowed), expected["some"])
    assert [h.rowid for h in expected["some"][0]] == brute_force(
        keys, vectors, queries[0], 10, allowed
    )


def _mapped_rss_kib(path: Path) -> int:
    """Resident KiB of this process's mappings of ``path`` (pages it has touched)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5:  # a mapping's header line
            inside = fields[-1] == str(path)
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/smaps")
@pytest.mark.parametrize("drop_pages", SCANS)
def test_a_search_of_a_large_stored_index_keeps_no_mapped_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drop_pages: bool
) -> None:
    # A mapped page once touched counts as the process's memory: scanning a 10 GB index
    # through its mapping made a search's peak memory the index's size.
    monkeypatch.setattr(index_search, "_CAN_DROP_PAGES", drop_pages)
    monkeypatch.setattr(index_search, "MAPPED_SCAN_MAX_BYTES", 64 * DIM * 4)
    monkeypatch.setattr(index_search, "SCAN_BLOCK_BYTES", 300 * DIM * 4)
    keys, vectors = span_keys(4000, 1), unit(4000, seed=6)
    loaded = VectorIndex.build(tmp_path / "index", DIM, len(keys), iter([(keys, vectors)]))
    vector_file = next((tmp_path / "index").glob("vectors-*.npy")).resolve()
    assert isinstance(loaded.vectors, np.memmap)
    hits = loaded.search(unit(2, seed=8), k=5)
    hits += loaded.search(unit(1, seed=8), k=5, allowed_rowids=np.arange(100, 4100, 2))
    assert all(len(found) == 5 for found in hits)
    assert _mapped_rss_kib(vector_file) == 0


def test_build_refuses_a_wrong_count_and_bad_vectors_and_leaves_no_index(tmp_path: Path) -> None:
    keys, vectors = span_keys(10, 1), unit(10)
    for count in (9, 11):
        with pytest.raises(InvalidInputError, match="expected"):
            VectorIndex.build(tmp_path / f"n{count}", DIM, count, iter([(keys, vectors)]))
        assert not (tmp_path / f"n{count}" / "meta.json").exists()
    broken = vectors.copy()
    broken[3, 2] = np.nan
    with pytest.raises(InvalidInputError, match="NaN"):
        VectorIndex.build(tmp_path / "nan", DIM, 10, iter([(keys, broken)]))
    assert not (tmp_path / "nan" / "meta.json").exists()
    VectorIndex.build(tmp_path / "ok", DIM, 10, iter([(keys, vectors)]))
    with pytest.raises(InvalidInputError, match="already holds"):
        VectorIndex.build(tmp_path / "ok", DIM, 10, iter([(keys, vectors)]))


@pytest.fixture
def words() -> Iterator[str]:
    register_embedding("blockwords", FakeEmbedding(dim=DIM, name="blockwords"))
    yield "blockwords"
    unregister_embedding("blockwords")


def test_the_embedding_index_is_written_from_the_chunk_files_a_batch_at_a_time(
    words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    topics = ["bread and flour", "tax returns", "river boats", "chess openings", "garden soil"]
    texts: list[str | None] = [
        f"Row {i} is about {topics[i % 5]}. It also mentions {topics[(i * 3) % 5]}."
        if i % 7
        else None
        for i in range(60)  # several chunks (the first ones are 16 rows)
    ]

    def merged(*args: object) -> object:
        raise AssertionError("the embedding's chunks were merged into one table in memory")

    monkeypatch.setattr(derived, "merge_chunks", merged)
    monkeypatch.setattr(embed_column, "_BUILD_BATCH_ROWS", 3)
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="blocks", source=gm.PandasSource(pd.DataFrame({"text": texts}))
        ),
        show_progress=False,
    )
    assert ds.compute_embedding(words, "text", show_progress=False).num_computed == len(texts)

    model = FakeEmbedding(dim=DIM, name="blockwords")
    rowids = [r["__rowid__"] for r in ds.select_rows(["__rowid__"]).to_list()]
    expected_keys = [
        (rowid, start, end)
        for rowid, text in zip(rowids, texts, strict=True)
        if text
        for start, end in split_spans(text)
    ]
    expected_vectors = model.embed([texts[rowids.index(r)][s:e] for r, s, e in expected_keys])  # type: ignore[index]
    index, column = embed_column.load_index(ds, "text", words)
    assert index.keys.tolist() == [list(key) for key in expected_keys]
    assert np.allclose(index.vectors, expected_vectors, atol=1e-6)
    stored = {r["__rowid__"]: r[column] for r in ds.select_rows(["__rowid__", column]).to_list()}
    assert stored == {
        rowid: [{"start": s, "end": e} for s, e in split_spans(text)] if text else None
        for rowid, text in zip(rowids, texts, strict=True)
    }
    search = gm.SemanticSearch(path="text", query="river boats", embedding=words)
    top = ds.select_rows(["text"], searches=[search], limit=3).to_list()
    assert all("river boats" in str(row["text"]) for row in top)
