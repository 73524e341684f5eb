"""ds.cluster on real text: the column, every row assigned, titles, categories, determinism."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import gristmill as gm
from gristmill.cluster import ClusterResult
from gristmill.errors import AlreadyExistsError, InvalidInputError
from tests.cluster.conftest import make_dataset
from tests.fixtures import CHAT_ROWS, SMS_ROWS, write_sharegpt_chats

FIELDS = {
    "cluster_id": "int32",
    "cluster_membership_prob": "float",
    "cluster_title": "string",
    "category_id": "int32",
    "category_membership_prob": "float",
    "category_title": "string",
}


def _clusters(ds: gm.Dataset, column: str = "text__cluster") -> list[dict[str, object]]:
    return [row[column] for row in ds.select_rows([column], sort_by="__rowid__", sort_order="ASC")]


def test_cluster_column_keyword_titles_and_categories(sms: gm.Dataset) -> None:
    result = sms.cluster("text", embedding="bow", show_progress=False)
    assert isinstance(result, ClusterResult)
    assert result.column == "text__cluster" and result.titles_from == "keywords"
    table = sms.select_rows(["text__cluster"]).arrow()
    struct = table.schema.field("text__cluster").type
    assert {struct.field(i).name: str(struct.field(i).type) for i in range(6)} == FIELDS
    values = _clusters(sms)
    assert len(values) == SMS_ROWS and all(v is not None for v in values)  # every row assigned
    ids = Counter(v["cluster_id"] for v in values)
    assert len(ids) == result.num_clusters >= 2
    assert sorted(ids) == list(range(result.num_clusters))
    assert ids[0] == max(ids.values())  # cluster 0 is the largest
    for v in values:
        assert 0.0 <= v["cluster_membership_prob"] <= 1.0
        assert 0.0 <= v["category_membership_prob"] <= 1.0
    # one title per cluster, all different; a cluster sits in exactly one category
    titles = {v["cluster_id"]: v["cluster_title"] for v in values}
    assert len(set(titles.values())) == len(titles) and all(titles.values())
    category_of = {}
    for v in values:
        assert category_of.setdefault(v["cluster_id"], v["category_id"]) == v["category_id"]
    assert len({v["category_id"] for v in values}) == result.num_categories
    # phrase titles name words that occur in the cluster's texts
    texts = [r["text"] for r in sms.select_rows(["text"], sort_by="__rowid__", sort_order="ASC")]
    biggest = [t.lower() for t, v in zip(texts, values, strict=True) if v["cluster_id"] == 0]
    title = values[[v["cluster_id"] for v in values].index(0)]["cluster_title"]
    first_word = title.removeprefix("Mixed: ").split()[0].lower()
    assert any(first_word in t for t in biggest)
    lineage = next(c for c in sms.manifest().derived_columns if c.name == "text__cluster")
    assert lineage.lineage.kind == "cluster" and lineage.lineage.input_path == "text"
    assert lineage.lineage.params["embedding"] == "bow"
    assert not (sms.store.root / "work" / "cluster-text__cluster").exists()


def test_same_seed_same_clusters_and_existing_column(sms: gm.Dataset) -> None:
    sms.cluster("text", embedding="bow", show_progress=False)
    first = _clusters(sms)
    with pytest.raises(AlreadyExistsError, match="overwrite=True"):
        sms.cluster("text", embedding="bow", show_progress=False)
    sms.cluster("text", embedding="bow", overwrite=True, show_progress=False)
    assert _clusters(sms) == first


def test_reuses_the_embedding_already_computed(sms: gm.Dataset) -> None:
    sms.compute_embedding("bow", "text", show_progress=False)
    result = sms.cluster("text", show_progress=False)  # no embedding named: reuse 'bow'
    columns = {c.name: c.lineage for c in sms.manifest().derived_columns}
    assert "text__minilm" not in columns
    assert columns[result.column].params["embedding"] == "bow"


def test_sample_fit_assigns_every_other_row(sms: gm.Dataset) -> None:
    result = sms.cluster("text", embedding="bow", max_fit_rows=200, show_progress=False)
    values = _clusters(sms)
    assert result.num_rows == SMS_ROWS and all(v is not None for v in values)
    assert len({v["cluster_id"] for v in values}) == result.num_clusters


def test_fake_llm_titles_distinct_and_cached_on_rerun(sms: gm.Dataset) -> None:
    result = sms.cluster("text", embedding="bow", llm="fake", show_progress=False)
    assert result.titles_from == "llm" and not result.notes
    titles = {v["cluster_id"]: v["cluster_title"] for v in _clusters(sms)}
    assert len(set(titles.values())) == len(titles)
    assert result.llm_usage is not None and result.llm_usage.cached_calls == 0
    again = sms.cluster("text", embedding="bow", llm="fake", overwrite=True, show_progress=False)
    assert again.llm_usage is not None
    assert again.llm_usage.calls == again.llm_usage.cached_calls > 0  # nothing paid twice
    assert {v["cluster_id"]: v["cluster_title"] for v in _clusters(sms)} == titles


def test_no_llm_unless_configured(sms: gm.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRISTMILL_LLM", "fake")
    assert sms.cluster("text", embedding="bow", show_progress=False).titles_from == "llm"
    off = sms.cluster("text", embedding="bow", use_llm=False, overwrite=True, show_progress=False)
    assert off.titles_from == "keywords"


def test_user_title_functions(sms: gm.Dataset) -> None:
    seen: list[int] = []

    def topic(texts: list[str]) -> str:
        seen.append(len(texts))
        return f"{len(texts)} texts starting {texts[0][:10]!r}"

    result = sms.cluster(
        "text",
        embedding="bow",
        topic_fn=topic,
        category_fn=lambda titles: f"{len(titles)} clusters",
        show_progress=False,
    )
    assert result.titles_from == "function" and len(seen) == result.num_clusters
    values = _clusters(sms)
    assert all("texts starting" in v["cluster_title"] for v in values)
    per_category = Counter()
    for _cluster, category in {(v["cluster_id"], v["category_id"]) for v in values}:
        per_category[category] += 1
    for v in values:
        assert v["category_title"] == f"{per_category[v['category_id']]} clusters"


def test_chat_data_rendered_by_a_function(tmp_path: Path) -> None:
    source = gm.JSONSource(filepaths=[str(write_sharegpt_chats(tmp_path / "chats.jsonl"))])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="chats", source=source), show_progress=False
    )

    def to_text(turns: list[dict[str, str]]) -> str:
        return "\n".join(f"{t['from']}: {t['value']}" for t in turns)

    result = ds.cluster("conversations", render=to_text, embedding="bow", show_progress=False)
    assert result.column == "conversations__cluster" and result.num_rows == CHAT_ROWS
    rows = ds.select_rows(["conversations__cluster_text", "conversations__cluster"]).to_list()
    assert rows[0]["conversations__cluster_text"].startswith("human: ")
    assert all(r["conversations__cluster"]["cluster_title"] for r in rows)

    def first_question(row: dict[str, object]) -> str:
        return str(row["conversations"][0]["value"])  # type: ignore[index]

    named = ds.cluster(first_question, embedding="bow", show_progress=False)
    assert named.column == "first_question__cluster"
    with pytest.raises(InvalidInputError, match="output column name"):
        ds.cluster(lambda row: "x", embedding="bow", show_progress=False)


def test_small_dataset_skips_umap_and_still_clusters(tmp_path: Path) -> None:
    rows = [{"text": f"cooking pasta recipe number {i}"} for i in range(20)]
    rows += [{"text": f"football match score report {i}"} for i in range(20)]
    ds = make_dataset(tmp_path, "small", rows)
    result = ds.cluster("text", embedding="bow", show_progress=False)
    values = _clusters(ds)
    assert result.num_clusters >= 2
    assert len({v["cluster_id"] for v in values[:20]}) == 1
    assert values[0]["cluster_id"] != values[25]["cluster_id"]
    assert (
        "pasta" in values[0]["cluster_title"].lower()
        or "cooking" in values[0]["cluster_title"].lower()
    )


@pytest.mark.slow
def test_real_minilm_embedding(sms: gm.Dataset) -> None:
    result = sms.cluster("text", show_progress=False)
    assert result.num_rows == SMS_ROWS and result.num_clusters >= 2
    columns = {c.name for c in sms.manifest().derived_columns}
    assert {"text__minilm", "text__cluster"} <= columns
    assert all(v is not None for v in _clusters(sms))
