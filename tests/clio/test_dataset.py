"""``ds.clio``: the run stored as a derived column, read back, resumed after a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import gristmill as gm
from gristmill.clio import OpenClioConfig, read_clio
from gristmill.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from tests.clio.conftest import WORDS_EMBEDDING
from tests.fixtures import write_jsonl

EMBEDDING = WORDS_EMBEDDING
QUIET = OpenClioConfig(verbose=False)


@pytest.fixture(autouse=True)
def fake_embedding(words_embedding: str) -> None:
    """Every test here embeds with the bag-of-words stand-in (tests/clio/conftest.py)."""


@pytest.fixture
def chat_ds(tmp_path: Path, chats: list[Any]) -> gm.Dataset:
    rows = [{"id": i, "messages": chat} for i, chat in enumerate(chats[:40])]
    rows.append({"id": 40, "messages": []})  # a row with no conversation is not in the run
    source = gm.JSONSource(filepaths=[str(write_jsonl(tmp_path / "chats.jsonl", rows))])
    config = gm.DatasetConfig(namespace="local", name="chats", source=source)
    return gm.create_dataset(config, show_progress=False)


def _clio(ds: gm.Dataset, **kwargs: Any) -> gm.clio.ClioResult:
    return ds.clio("messages", config=QUIET, embedding=EMBEDDING, show_progress=False, **kwargs)


def _clio_with(ds: gm.Dataset, config: OpenClioConfig) -> gm.clio.ClioResult:
    return ds.clio("messages", config=config, embedding=EMBEDDING, show_progress=False)


def test_the_run_is_stored_as_a_column_and_read_back(chat_ds: gm.Dataset) -> None:
    result = _clio(chat_ds)
    assert result.column == "messages__clio" and result.mode == "extractive"
    assert result.rowids == list(range(40))
    rows = chat_ds.select_rows(
        ["id", "messages__clio.request", "messages__clio.request_path", "messages__clio.language"],
        sort_by="id",
        sort_order="ASC",
    ).arrow()
    requests = rows.column("messages__clio.request").to_pylist()
    assert requests[:40] == result.values["Request"] and requests[40] is None
    tree = result.hierarchy
    path = rows.column("messages__clio.request_path").to_pylist()[3]
    base = result.clusters["Request"].base_ids[3]
    assert base is not None and path[-1] == tree.node(base).name
    assert path[0] in {root.name for root in tree.roots}

    stored = read_clio(chat_ds, "messages")
    assert stored.column == "messages__clio" and stored.mode == "extractive"
    assert stored.hierarchy.to_dict() == tree.to_dict()
    assert stored.values.values == result.values.values
    assert stored.clusters["Task"].base_ids == result.clusters["Task"].base_ids
    assert stored.clusters["Request"].x == pytest.approx(result.clusters["Request"].x)
    assert stored.conversations == result.conversations
    assert gm.clio.read(chat_ds, "messages__clio").rowids == list(range(40))
    # The dedup keys are kept, so views count distinct conversations; a view that shows no
    # conversation reads none.
    assert stored.keys == result.keys and result.keys is not None and len(result.keys) == 40
    light = read_clio(chat_ds, "messages", conversations=False)
    assert light.conversations == [None] * 40 and light.values.values == result.values.values


def test_a_facet_column_filters_rows_like_any_column(chat_ds: gm.Dataset) -> None:
    result = _clio(chat_ds)
    tree = result.hierarchy
    root = tree.roots[0]
    leaves = [leaf.id for leaf in tree.leaves_of(root)]
    picked = chat_ds.count(filters=[("messages__clio.request_cluster", "in", leaves)])
    assert picked == root.size
    english = chat_ds.count(filters=[("messages__clio.language", "equals", "English")])
    assert english == result.values["Language"].count("English")


def test_a_rerun_reads_the_stored_result_and_other_settings_need_overwrite(
    chat_ds: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.clio import _pipeline

    first = _clio(chat_ds)

    def no_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the stored result should have been read")

    monkeypatch.setattr(_pipeline, "run", no_run)
    again = _clio(chat_ds)
    assert again.hierarchy.to_dict() == first.hierarchy.to_dict()
    # Privacy and site settings are applied when a result is shown, so they keep the column.
    shown_differently = OpenClioConfig(verbose=False, minClusterConversations=50, password="x")
    assert _clio_with(chat_ds, shown_differently).column == "messages__clio"
    monkeypatch.undo()
    facets = [gm.clio.mainFacets[0]]
    with pytest.raises(AlreadyExistsError, match="other settings"):
        _clio(chat_ds, facets=facets)
    replaced = _clio(chat_ds, facets=facets, overwrite=True)
    assert set(replaced.clusters) == {"Request"}
    assert set(read_clio(chat_ds, "messages").values.values) == {"Request"}


def test_a_crash_resumes_at_the_stage_that_did_not_finish(
    chat_ds: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.clio import _facets, _run

    facet_runs = []
    real_extract = _facets.extract_facets

    def counted(*args: Any, **kwargs: Any) -> Any:
        facet_runs.append(1)
        return real_extract(*args, **kwargs)

    monkeypatch.setattr(_run, "extract_facets", counted)
    real_hierarchy = _run.build_hierarchy

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("killed mid-run")

    monkeypatch.setattr(_run, "build_hierarchy", crash)
    with pytest.raises(RuntimeError, match="killed"):
        _clio(chat_ds)
    assert "messages__clio" not in {c.name for c in chat_ds.manifest().derived_columns}
    monkeypatch.setattr(_run, "build_hierarchy", real_hierarchy)
    result = _clio(chat_ds)
    assert len(facet_runs) == 1  # the facet values were kept, not recomputed
    assert result.hierarchy.roots
    fresh = _clio(chat_ds, overwrite=True)
    assert fresh.hierarchy.to_dict() == result.hierarchy.to_dict()


def test_deleted_rows_are_left_out(chat_ds: gm.Dataset) -> None:
    chat_ds.delete_rows(filters=[("id", "less", 5)])
    result = _clio(chat_ds)
    assert result.rowids == list(range(5, 40))
    assert len(result.conversations) == 35


def test_bad_input_says_what_to_do(chat_ds: gm.Dataset) -> None:
    with pytest.raises(NotFoundError, match="no conversation insights"):
        read_clio(chat_ds, "messages")
    with pytest.raises(InvalidInputError):
        chat_ds.clio("no_such_column", config=QUIET, show_progress=False)
    twins = [gm.clio.Facet(name="Topic", question="?"), gm.clio.Facet(name="topic!", question="?")]
    with pytest.raises(InvalidInputError, match="same field"):
        _clio(chat_ds, facets=twins)


def test_a_text_column_is_read_as_one_turn_conversations(tmp_path: Path) -> None:
    from tests.fixtures import sms_rows

    rows = [{"text": text, "label": label} for text, label in sms_rows()[:60]]
    source = gm.JSONSource(filepaths=[str(write_jsonl(tmp_path / "sms.jsonl", rows))])
    ds = gm.create_dataset(gm.DatasetConfig(namespace="local", name="sms", source=source))
    text = "text"
    result = ds.clio(text, config=QUIET, embedding=EMBEDDING, show_progress=False)
    assert result.column == f"{text}__clio" and len(result.conversations) == 60
    first = result.conversations[0]
    assert first is not None and first[0]["role"] == "user" and first[0]["content"] == rows[0][text]


def test_stages_kept_before_a_delete_are_not_reused(
    chat_ds: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.clio import _facets, _run

    facet_runs = []
    real_extract = _facets.extract_facets

    def counted(*args: Any, **kwargs: Any) -> Any:
        facet_runs.append(len(args[0]))
        return real_extract(*args, **kwargs)

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("killed mid-run")

    chat_ds.delete_rows(filters=[("id", "equals", 0)])
    monkeypatch.setattr(_run, "extract_facets", counted)
    monkeypatch.setattr(_run, "build_hierarchy", crash)
    with pytest.raises(RuntimeError, match="killed"):
        _clio(chat_ds)
    # As many rows as before, but not the same ones.
    chat_ds.restore_rows(filters=[("id", "equals", 0)])
    chat_ds.delete_rows(filters=[("id", "equals", 1)])
    monkeypatch.undo()
    monkeypatch.setattr(_run, "extract_facets", counted)
    result = _clio(chat_ds)
    assert facet_runs == [39, 39]  # the kept facet values were of other rows: computed again
    assert result.rowids == [0, *range(2, 40)]
