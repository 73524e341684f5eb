"""``__rowid__`` is a filterable path wherever filters go: the map's lasso is
``('__rowid__', 'in', [ids...])``."""

from __future__ import annotations

import pytest

import gristmill as gm
from gristmill.data.filters import to_filter
from gristmill.data.query import QueryBuilder
from gristmill.errors import InvalidFilterError

LASSO = ("__rowid__", "in", [5, 7, 190])


def test_select_and_count_by_rowid(sms: gm.Dataset) -> None:
    rows = sms.select_rows(["__rowid__", "label"], filters=[LASSO]).to_list()
    assert [row["__rowid__"] for row in rows] == [5, 7, 190]
    assert sms.count(filters=[LASSO]) == 3
    assert sms.count(filters=[("__rowid__", "equals", 9)]) == 1
    assert sms.count(filters=[("__rowid__", "greater_equal", 150)]) == 50
    assert sms.count(filters=[("__rowid__", "less", 10), ("label", "equals", "spam")]) == len(
        [r for r in sms.select_rows(["label"], limit=10).to_list() if r["label"] == "spam"]
    )


def test_a_lasso_of_every_row_is_one_semi_join(sms: gm.Dataset) -> None:
    everything = list(range(200))
    assert sms.count(filters=[("__rowid__", "in", everything)]) == 200
    # A semi-join on a table of the ids, not list_contains over the whole list for each row:
    # that took 9 s for a 50,000-point lasso on 100,000 rows (timings are not asserted here).
    builder = QueryBuilder(sms.catalog())
    sql = builder.filter_sql(to_filter(("__rowid__", "in", everything)))
    assert "IN (SELECT value FROM" in sql and "list_contains" not in sql
    assert builder.params.values == {}
    # Values no 64-bit column holds are still compared (and match nothing).
    assert sms.count(filters=[("__rowid__", "in", [2**70, 3])]) == 1


def test_in_still_matches_items_of_lists(sms: gm.Dataset) -> None:
    sms.map(
        lambda text: text.lower().split()[:3],
        input_path="text",
        output_column="words",
        show_progress=False,
    )
    assert sms.count(filters=[("words", "in", ["free", "urgent!"])]) > 0
    assert sms.count(filters=[("words", "in", ["no-such-word"])]) == 0


def test_delete_and_label_by_rowid_filter(sms: gm.Dataset) -> None:
    assert sms.add_labels("picked", filters=[LASSO]) == 3
    assert sms.count(filters=[("picked", "exists")]) == 3
    assert sms.delete_rows(filters=[LASSO]) == 3
    assert sms.count() == 197
    assert sms.count(filters=[LASSO], include_deleted=True) == 3
    assert sms.to_pandas(filters=[("__rowid__", "in", [1, 2])]).shape[0] == 2


@pytest.mark.parametrize("value", [["a"], [True], "5", []])
def test_rowid_values_are_checked(sms: gm.Dataset, value: object) -> None:
    with pytest.raises(InvalidFilterError):
        sms.count(filters=[("__rowid__", "in", value)])
