"""The derived-column engine as the features use it: input checks, index swaps, query count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import gristmill as gm
from gristmill.data import catalog as catalog_module
from gristmill.data import sql as sql_module
from gristmill.data.derived import default_column_name, function_name, require_text
from gristmill.embed import FakeEmbedding, load_index, register_embedding, unregister_embedding
from gristmill.errors import InvalidInputError

TEXTS = [
    "the cat sat on the mat",
    "a dog chased the ball",
    "cats and dogs are pets",
    "the stock market fell",
    "bonds and stocks rallied",
    "a recipe for apple pie",
]


@pytest.fixture
def words() -> Iterator[str]:
    register_embedding("words", FakeEmbedding(dim=32))
    yield "words"
    unregister_embedding("words")


@pytest.fixture
def ds() -> gm.Dataset:
    frame = pd.DataFrame(
        {"text": TEXTS, "n": list(range(len(TEXTS))), "topic": ["pets"] * 3 + ["money"] * 3}
    )
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="derived", source=gm.PandasSource(frame)),
        show_progress=False,
    )


def test_each_computation_names_itself_when_its_input_is_not_text(
    ds: gm.Dataset, words: str
) -> None:
    with pytest.raises(InvalidInputError, match=r"^compute_embedding needs a text column, but 'n'"):
        ds.compute_embedding(words, "n", show_progress=False)
    with pytest.raises(InvalidInputError, match=r"^cluster needs a text column, but 'n'") as info:
        ds.cluster("n", embedding=words, show_progress=False)
    assert info.value.hint is not None and "render=" in info.value.hint
    with pytest.raises(InvalidInputError, match=r"^a keyword search needs a text column"):
        ds.select_rows(searches=[gm.KeywordSearch(path="n", query="3")])
    with pytest.raises(InvalidInputError, match=r"^the pii signal needs a text column"):
        ds.compute_signal(gm.PIISignal(), "n", show_progress=False)
    with pytest.raises(InvalidInputError, match=r"^compute_concept needs a text column"):
        ds.compute_concept("gristmill", "profanity", embedding=words, path="n")


def test_naming_helpers() -> None:
    assert default_column_name("messages.*.content", "pii") == "messages_content__pii"
    assert default_column_name(("a", "b"), "x") == "a_b__x"
    assert function_name(test_naming_helpers).endswith("test_derived.test_naming_helpers")


def test_require_text_returns_the_resolved_name(ds: gm.Dataset) -> None:
    assert require_text(ds, ("text",), needed_by="x") == "text"


def test_a_rebuilt_index_replaces_the_old_one_in_one_step(
    ds: gm.Dataset, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds.compute_embedding(words, "text", show_progress=False)
    old_index, column = load_index(ds, "text", words)
    old_folder = ds.store.index_dir(column)
    assert old_folder is not None and old_folder.parent.name == column

    # A rebuild that dies after writing its new index but before switching the manifest to it
    # leaves the old index in place and readable, and nothing a reader would take for an index.
    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ds.store, "commit_derived", crash)
    with pytest.raises(KeyboardInterrupt):
        ds.compute_embedding(words, "text", overwrite=True, show_progress=False)
    monkeypatch.undo()
    assert ds.store.index_dir(column) == old_folder
    assert load_index(ds, "text", words)[0] is old_index
    search = gm.SemanticSearch(path="text", query="cat on a mat", embedding=words)
    assert ds.select_rows(["text"], searches=[search], limit=1).to_list()[0]["text"] == TEXTS[0]
    assert [p.name for p in old_folder.parent.iterdir()] == [old_folder.name]

    ds.compute_embedding(words, "text", overwrite=True, show_progress=False)
    new_folder = ds.store.index_dir(column)
    assert new_folder is not None and new_folder != old_folder
    assert not old_folder.exists()  # the previous version goes once the manifest moved on
    assert load_index(ds, "text", words)[0] is not old_index


class _Counter:
    def __init__(self) -> None:
        self.catalogs = 0
        self.statements = 0


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> _Counter:
    counter = _Counter()
    real_catalog_init = catalog_module.Catalog.__init__
    real_execute = sql_module.Statement.execute

    def counting_init(self: catalog_module.Catalog, *args: object, **kwargs: object) -> None:
        counter.catalogs += 1
        real_catalog_init(self, *args, **kwargs)  # type: ignore[arg-type]

    def counting_execute(self: sql_module.Statement, *args: object, **kwargs: object) -> object:
        counter.statements += 1
        return real_execute(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog_module.Catalog, "__init__", counting_init)
    monkeypatch.setattr(sql_module.Statement, "execute", counting_execute)
    return counter


def test_a_filtered_semantic_search_reads_one_snapshot_in_two_queries(
    ds: gm.Dataset, words: str, counted: _Counter
) -> None:
    ds.compute_embedding(words, "text", show_progress=False)
    search = gm.SemanticSearch(path="text", query="cats and dogs", embedding=words)
    counted.catalogs = counted.statements = 0
    result = ds.select_rows(
        ["text"], searches=[search], filters=[("topic", "equals", "pets")], limit=2
    )
    rows = result.to_list()
    total = result.total_num_rows
    # One query picks the rows the filter allows, one reads the page; the count needs none.
    assert (counted.catalogs, counted.statements) == (1, 2)
    assert len(rows) == 2 and {r["text"] for r in rows} <= set(TEXTS[:3])
    assert total == 2  # the nearest rows asked for, all among the filtered ones
    assert ds.count(filters=[("topic", "equals", "pets")], searches=[search]) == 3


def test_a_keyword_search_still_filters_and_counts(ds: gm.Dataset) -> None:
    search = gm.KeywordSearch(path="text", query="stocks")  # stemmed: stock, stocks
    result = ds.select_rows(["text"], searches=[search], filters=[("topic", "equals", "money")])
    assert {r["text"] for r in result.to_list()} == {TEXTS[3], TEXTS[4]}
    assert result.total_num_rows == 2
    none = ds.select_rows(["text"], searches=[search], filters=[("topic", "equals", "pets")])
    assert none.to_list() == [] and none.total_num_rows == 0


def test_the_engine_does_not_know_the_features(tmp_path: Path) -> None:
    """``gristmill.data`` works on its own: its dataset reads dicts of searches only through
    the layer above, and refuses them with our words when used alone."""
    from gristmill.data.datasets import get_dataset as engine_get_dataset

    frame = pd.DataFrame({"text": TEXTS})
    gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="alone", source=gm.PandasSource(frame)),
        show_progress=False,
    )
    alone = engine_get_dataset("local", "alone")
    assert not hasattr(alone, "compute_embedding")
    with pytest.raises(InvalidInputError, match="cannot read the search"):
        alone.select_rows(searches=[{"type": "keyword", "path": "text", "query": "cat"}])
    assert alone.count(searches=[gm.KeywordSearch(path="text", query="cat")]) == 2  # cat, cats


def test_keyword_highlights_are_the_words_bm25_matched() -> None:
    """Highlights use the index's own Porter stemmer: 'fallacies' matches and marks 'fallacy'
    (a prefix rule found the row but marked nothing), and 'cats' marks 'cat' but not 'catalog'."""
    frame = pd.DataFrame(
        {"text": ["a fallacy of logic", "the cat and the catalog", "dogs only", "plain text"]}
    )
    words = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="stems", source=gm.PandasSource(frame)),
        show_progress=False,
    )

    def marked(query: str) -> list[list[str]]:
        rows = words.select_rows(
            ["text"], searches=[gm.KeywordSearch(path="text", query=query)]
        ).to_list()
        return [
            [r["text"][s["start"] : s["end"]] for s in r["text.keyword_search"]["spans"]]
            for r in rows
        ]

    assert marked("fallacies") == [["fallacy"]]
    assert marked("cats") == [["cat"]]
