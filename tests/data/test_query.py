"""select_rows, count and filters through the Python API, as a user calls them."""

from __future__ import annotations

import pytest

import gristmill as gm
from gristmill.errors import InvalidFilterError, InvalidInputError, InvalidPathError


def test_schema_is_a_tree_with_nesting(small_ds: gm.Dataset) -> None:
    manifest = small_ds.manifest()
    text = str(manifest.data_schema)
    assert "instruction: string" in text
    assert "messages: list of\n  role: string\n  content: string" in text
    assert "meta:\n  source: string\n  tags: list of string" in text
    assert manifest.num_items == 5
    assert "meta.tags.*" in manifest.data_schema.leafs()


def test_select_columns_and_nested_paths(small_ds: gm.Dataset) -> None:
    rows = small_ds.select_rows(["instruction", "meta.source", "messages.*.content"]).to_list()
    assert [r["meta.source"] for r in rows] == ["alpaca", "code", "alpaca", "other", "other"]
    assert rows[0]["messages.*.content"] == ["hello", "hi"]
    assert rows[2]["messages.*.content"] == []
    assert set(rows[0]) == {"instruction", "meta.source", "messages.*.content"}


def test_implicit_list_step_and_star_select_all(small_ds: gm.Dataset) -> None:
    rows = small_ds.select_rows(["messages.content"]).to_list()
    assert rows[0]["messages.content"] == ["hello", "hi"]
    everything = small_ds.select_rows(["*", "__rowid__"], limit=1).to_list()[0]
    assert everything["__rowid__"] == 0
    assert everything["meta"] == {"source": "alpaca", "tags": ["poetry", "sea"]}


def test_regex_filter_and_df(small_ds: gm.Dataset) -> None:
    df = small_ds.select_rows(
        ["instruction", "output"], limit=5, filters=[("instruction", "regex_matches", "[Pp]oem")]
    ).df()
    assert list(df["instruction"]) == ["Write a poem about the sea", "Write a Poem on autumn"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (("score", "equals", 3), [1]),
        (("score", "not_equal", 3), [0, 2, 3, 4]),
        (("score", "greater", 3), [0, 2]),
        (("score", "greater_equal", 3), [0, 1, 2]),
        (("score", "less", 2), [3]),
        (("score", "less_equal", 2), [3, 4]),
        (("score", "in", [1, 5]), [0, 3]),
        (("output", "exists"), [0, 1, 2, 4]),
        (("output", "not_exists"), [3]),
        (("ok", "equals", True), [0, 2, 4]),
        (("instruction", "not_regex_matches", "^Write"), [1, 3, 4]),
        (("output", "length_longer", 100), [4]),
        (("output", "length_shorter", 13), [2]),
        (("instruction", "ilike", "POEM"), [0, 2]),
        (("instruction", "ilike", "write%"), [0, 2]),
        (("messages.content", "equals", "bonjour"), [3]),
        (("messages.*.role", "equals", "assistant"), [0]),
        (("messages.content", "regex_matches", "recurs"), [1]),
        (("messages.content", "not_regex_matches", "h"), [2, 3, 4]),
        (("meta.tags", "equals", "code"), [1]),
        (("meta.tags", "in", ["sea", "ja"]), [0, 4]),
        (("meta.source", "equals", "alpaca"), [0, 2]),
    ],
)
def test_filter_ops(small_ds: gm.Dataset, flt: tuple[object, ...], expected: list[int]) -> None:
    rows = small_ds.select_rows(["__rowid__"], filters=[flt]).to_list()
    assert [r["__rowid__"] for r in rows] == expected
    assert small_ds.count(filters=[flt]) == len(expected)


def test_filters_combine_with_and_and_accept_dicts(small_ds: gm.Dataset) -> None:
    filters = [
        {"path": "meta.source", "op": "equals", "value": "alpaca"},
        gm.Filter(path="score", op="greater", value=4),
    ]
    assert small_ds.count(filters=filters) == 1


def test_sort_limit_offset_and_total(small_ds: gm.Dataset) -> None:
    result = small_ds.select_rows(["score"], sort_by=["score"], sort_order="ASC", limit=2, offset=1)
    assert [r["score"] for r in result] == [2, 3]
    assert result.total_num_rows == 5
    desc = small_ds.select_rows(["score"], sort_by="score", sort_order="DESC").to_list()
    assert [r["score"] for r in desc] == [5, 4, 3, 2, 1]
    nested = small_ds.select_rows(["meta.source"], sort_by=["meta.source"], sort_order="ASC")
    assert [r["meta.source"] for r in nested][:2] == ["alpaca", "alpaca"]
    filtered = small_ds.select_rows(["score"], filters=[("ok", "equals", True)], limit=1)
    assert filtered.total_num_rows == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"columns": ["nope"]}, InvalidPathError, "unknown column path 'nope'"),
        ({"columns": ["meta.nope"]}, InvalidPathError, "no field 'nope'"),
        ({"filters": [("score", "near", 3)]}, InvalidFilterError, "unknown filter op 'near'"),
        ({"filters": [("score", "equals", "three")]}, InvalidFilterError, "holds number values"),
        ({"filters": [("instruction", "greater", 3)]}, InvalidFilterError, "holds string values"),
        ({"filters": [("instruction", "regex_matches", "(")]}, InvalidFilterError, "invalid regex"),
        ({"filters": [("score", "regex_matches", "1")]}, InvalidFilterError, "needs a text column"),
        ({"filters": [("score", "in", [])]}, InvalidFilterError, "non-empty list"),
        ({"filters": [("output", "length_longer", "x")]}, InvalidFilterError, "whole number"),
        ({"filters": [("meta", "equals", "x")]}, InvalidFilterError, "is a struct"),
        ({"filters": [("score", "equals", None)]}, InvalidFilterError, "needs a value"),
        ({"filters": [("score",)]}, InvalidFilterError, "cannot read the filter"),
        ({"sort_by": ["messages.content"]}, InvalidInputError, "cannot sort by"),
        ({"sort_by": ["score"], "sort_order": "UP"}, InvalidInputError, "sort_order"),
        ({"limit": -1}, InvalidInputError, "limit must be"),
    ],
)
def test_bad_queries_give_clear_errors(
    small_ds: gm.Dataset, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as info:
        small_ds.select_rows(**kwargs).to_list()  # type: ignore[arg-type]
    assert isinstance(info.value, gm.UserError)


def test_unknown_path_error_lists_columns(small_ds: gm.Dataset) -> None:
    with pytest.raises(InvalidPathError) as info:
        small_ds.count(filters=[("instrution", "exists")])
    assert "instruction" in str(info.value)


def test_user_values_never_reach_sql_text(small_ds: gm.Dataset) -> None:
    sneaky = "x'); DROP TABLE src; --"
    assert small_ds.count(filters=[("instruction", "equals", sneaky)]) == 0
    assert (
        small_ds.count(
            filters=[("instruction", "regex_matches", sneaky.replace("(", "").replace(")", ""))]
        )
        == 0
    )
    assert small_ds.count() == 5
