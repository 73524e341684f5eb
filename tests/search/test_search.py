"""Embeddings, keyword and semantic search through select_rows, on real text with MiniLM."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

import gristmill as gm
from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding
from gristmill.errors import InvalidInputError, MapFunctionError, NotFoundError
from tests.fixtures import TASK_ROWS, TASKS


@pytest.fixture
def seed() -> gm.Dataset:
    """local/seed: the 175 instruction tasks of tests/fixtures/tasks.jsonl."""
    source = gm.JSONSource(filepaths=[str(TASKS)])
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="seed", source=source), show_progress=False
    )


def test_embedding_column_index_and_noop_rerun(seed: gm.Dataset) -> None:
    first = seed.compute_embedding("minilm", "instruction", show_progress=False)
    assert first.num_computed == TASK_ROWS
    schema = str(seed.manifest().data_schema)
    assert "instruction__minilm: list of\n  start: int32\n  end: int32" in schema
    lineage = seed.manifest().derived_columns[0].lineage
    assert lineage.kind == "embedding" and "MiniLM" in lineage.producer
    again = seed.compute_embedding("minilm", "instruction", show_progress=False)
    assert again.num_computed == 0
    assert (seed.store.root / "embeddings" / "instruction__minilm").is_dir()


def test_semantic_search_ranks_and_respects_filters(seed: gm.Dataset) -> None:
    seed.compute_embedding("minilm", "instruction", show_progress=False)
    query = "a program for Fibonacci numbers"
    search = gm.SemanticSearch(path="instruction", query=query, embedding="minilm")
    rows = seed.select_rows(["instruction"], searches=[search], limit=5).to_list()
    assert "fibonacci" in rows[0]["instruction"].lower()
    scores = [r["instruction.semantic_search/minilm"]["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    span = rows[0]["instruction.semantic_search/minilm"]["spans"][0]
    assert (span["start"], span["end"]) == (0, len(rows[0]["instruction"]))
    # top-k after filtering: exactly k rows, all satisfying the filter
    only_cls = seed.select_rows(
        ["is_classification"],
        searches=[search],
        filters=[("is_classification", "equals", True)],
        limit=7,
    ).to_list()
    assert len(only_cls) == 7
    assert all(r["is_classification"] for r in only_cls)
    # deleted rows never come back
    best = seed.select_rows(["__rowid__"], searches=[search], limit=1).to_list()[0]["__rowid__"]
    seed.delete_rows(row_ids=[best])
    after = seed.select_rows(["__rowid__"], searches=[search], limit=3).to_list()
    assert best not in [r["__rowid__"] for r in after]


def test_keyword_search_bm25_with_highlights(seed: gm.Dataset) -> None:
    # One task asks for "recursion": "recursive" finds it through the stemmer.
    search = gm.KeywordSearch(path="instruction", query="recursive")
    result = seed.select_rows(["instruction"], searches=[search], limit=10)
    rows = result.to_list()
    assert result.total_num_rows == len(rows) == 1
    text = rows[0]["instruction"]
    spans = rows[0]["instruction.keyword_search"]["spans"]
    assert [text[s["start"] : s["end"]].lower() for s in spans] == ["recursion"]
    many = seed.select_rows(
        ["instruction"], searches=[gm.KeywordSearch(path="instruction", query="sentence")]
    ).to_list()
    scores = [r["instruction.keyword_search"]["score"] for r in many]
    assert len(many) > 5 and scores == sorted(scores, reverse=True)
    filtered = seed.count(
        searches=[gm.KeywordSearch(path="instruction", query="sentence")],
        filters=[("is_classification", "equals", True)],
    )
    assert 0 < filtered < len(many)


def test_search_errors(seed: gm.Dataset) -> None:
    with pytest.raises(NotFoundError, match="compute_embedding"):
        seed.select_rows(
            searches=[gm.SemanticSearch(path="instruction", query="x")], limit=1
        ).to_list()
    with pytest.raises(NotFoundError, match=r"available: .*minilm"):
        seed.compute_embedding("no-such-model", "instruction", show_progress=False)
    with pytest.raises(InvalidInputError, match="text column"):
        seed.compute_embedding("minilm", "is_classification", show_progress=False)
    with pytest.raises(InvalidInputError, match="cannot read the search"):
        seed.select_rows(searches=["poem"], limit=1)


class FlakyEmbedding(FakeEmbedding):
    """The fake embedding, failing on its second batch as a model server may."""

    def __init__(self) -> None:
        super().__init__(dim=8)
        self.calls: list[int] = []

    def _embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        self.calls.append(len(texts))
        if len(self.calls) == 2:
            raise RuntimeError("model server hiccup")
        return super()._embed(texts)


@pytest.fixture
def flaky_embedding() -> Iterator[list[int]]:
    model = FlakyEmbedding()
    register_embedding("flaky", model)
    yield model.calls
    unregister_embedding("flaky")


def test_crashed_embedding_resumes_without_reembedding(flaky_embedding: list[int]) -> None:
    texts = [f"text number {i} " + "word " * (i % 7) for i in range(1500)] + ["", None]
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="emb", source=gm.PandasSource(pd.DataFrame({"text": texts}))
        ),
        show_progress=False,
    )
    with pytest.raises(MapFunctionError, match="model server hiccup"):
        ds.compute_embedding("flaky", "text", show_progress=False)
    assert "text__flaky" not in ds.manifest().data_schema.fields
    embedded_before = flaky_embedding[0]
    result = ds.compute_embedding("flaky", "text", show_progress=False)
    assert result.num_resumed == embedded_before
    assert result.num_computed == len(texts) - embedded_before
    spans = [r["text__flaky"] for r in ds.select_rows(["text__flaky"])]
    assert spans[-2:] == [None, None]  # empty and None texts are skipped
    assert all(s for s in spans[:-2])


def test_semantic_duplicates_from_embeddings(seed: gm.Dataset) -> None:
    seed.compute_embedding("minilm", "instruction", show_progress=False)
    seed.compute_signal(
        gm.SemanticDuplicateSignal(embedding="minilm", threshold=0.999),
        "instruction",
        show_progress=False,
    )
    sizes = [
        r["instruction__semantic_duplicates"]
        for r in seed.select_rows(["instruction__semantic_duplicates"])
    ]
    assert all(s is not None for s in sizes)
    assert all(s["cluster_size"] >= 1 for s in sizes)


def test_concept_search_and_compute_concept(seed: gm.Dataset) -> None:
    seed.compute_embedding("minilm", "instruction", show_progress=False)
    concept = gm.create_concept("local", "cooking")
    concept.add_examples(
        [
            "Give me a recipe for pancakes.",
            "How long should I boil an egg?",
            "Suggest a vegetarian dinner menu.",
            "What spices go well with lentil soup?",
            "How do I bake sourdough bread at home?",
        ],
        label=True,
    )
    concept.add_examples(
        [
            "Explain how a binary search works.",
            "Translate this sentence into French.",
            "Write a limerick about a cat.",
            "Summarise the news article below.",
            "What is the capital of Australia?",
        ],
        label=False,
    )
    search = gm.ConceptSearch(
        path="instruction", concept_namespace="local", concept_name="cooking", embedding="minilm"
    )
    top = seed.select_rows(["instruction"], searches=[search], limit=3).to_list()
    column = "instruction.local/cooking/minilm"
    assert top[0][column]["score"] >= top[-1][column]["score"]
    assert any(
        word in top[0]["instruction"].lower() for word in ("recipe", "cook", "food", "meal", "dish")
    ), top[0]["instruction"]
    result = seed.compute_concept(
        "local", "cooking", embedding="minilm", path="instruction", show_progress=False
    )
    assert result.column == "instruction__local_cooking"
    best = seed.select_rows(
        ["instruction", "instruction__local_cooking.score"],
        sort_by=["instruction__local_cooking.score"],
        limit=1,
    ).to_list()[0]
    assert best["instruction"] == top[0]["instruction"]
    assert seed.count(filters=[("instruction__local_cooking.score", "greater", 0.5)]) >= 1
    again = seed.compute_concept(
        "local", "cooking", embedding="minilm", path="instruction", show_progress=False
    )
    assert again.num_computed == 0


def test_builtin_profanity_concept_on_a_dataset() -> None:
    texts = [
        "Thank you for the lovely afternoon tea.",
        "shut the fuck up you stupid bitch",
        "The committee will meet on Thursday at noon.",
        "this shit is fucking ridiculous",
    ]
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="tweets", source=gm.PandasSource(pd.DataFrame({"text": texts}))
        ),
        show_progress=False,
    )
    ds.compute_embedding("minilm", "text", show_progress=False)
    ds.compute_concept(
        "gristmill", "profanity", embedding="minilm", path="text", show_progress=False
    )
    scores = [
        r["text__gristmill_profanity.score"]
        for r in ds.select_rows(["text__gristmill_profanity.score"])
    ]
    assert scores[1] > 0.5 and scores[3] > 0.5
    assert scores[0] < 0.5 and scores[2] < 0.5
    # Lilac code names the built-in lilac/profanity (issue 12): it reads ours, same column.
    search = gm.ConceptSearch(
        path="text", concept_namespace="lilac", concept_name="profanity", embedding="minilm"
    )
    top = ds.select_rows(["text"], searches=[search], limit=2).to_list()
    assert {r["text"] for r in top} == {texts[1], texts[3]}
    again = ds.compute_concept(
        "lilac", "profanity", embedding="minilm", path="text", show_progress=False
    )
    assert again.num_computed == 0


def test_removing_an_embedding_column_removes_its_index(seed: gm.Dataset) -> None:
    seed.compute_embedding("minilm", "instruction", show_progress=False)
    folder = seed.store.root / "embeddings" / "instruction__minilm"
    assert folder.is_dir()
    seed.remove_column("instruction__minilm")
    assert not folder.exists()
    with pytest.raises(NotFoundError, match="compute_embedding"):
        seed.select_rows(searches=[gm.SemanticSearch(path="instruction", query="x")], limit=1)
