"""projection_view: what the map draws — colours by a field, 'included' by filters/searches."""

from __future__ import annotations

import pytest

import gristmill as gm
from gristmill.errors import InvalidInputError, InvalidPathError
from gristmill.projection import MAX_CATEGORIES_SHOWN, projection_view


@pytest.fixture
def mapped(embedded: gm.Dataset) -> gm.Dataset:
    embedded.compute_projection("text", show_progress=False)
    return embedded


def test_points_without_colour_or_filters(mapped: gm.Dataset) -> None:
    view = projection_view(mapped, "text")
    assert view.num_points == len(view.rowids) == len(view.x) == len(view.y) == 200
    assert view.color is None and view.included is None
    assert all(0.0 <= v <= 1.0 for v in view.x + view.y)


def test_colour_by_a_string_a_number_and_few_whole_numbers(mapped: gm.Dataset) -> None:
    labels = {row["__rowid__"]: row["label"] for row in mapped.select_rows(["__rowid__", "label"])}
    view = projection_view(mapped, "text", color_by="label")
    assert view.color is not None and view.color.kind == "categorical"
    assert view.color.categories == ["ham", "spam"]  # most frequent first
    shown = [view.color.categories[int(i)] for i in view.color.values if i is not None]
    assert shown == [labels[rowid] for rowid in view.rowids]
    numeric = projection_view(mapped, "text", color_by="score").color
    assert numeric is not None and numeric.kind == "numeric" and numeric.categories == []
    assert numeric.values[:3] == pytest.approx([0.0, 1 / 7, 2 / 7])
    groups = projection_view(mapped, "text", color_by="group").color
    assert groups is not None and groups.kind == "categorical"
    assert sorted(groups.categories) == ["0", "1", "2"]


def test_colour_by_a_label_by_its_name_with_no_value_as_null(mapped: gm.Dataset) -> None:
    mapped.add_labels("good", row_ids=[1, 2])
    view = projection_view(mapped, "text", color_by="good")
    assert view.color is not None and view.color.field == "good.label"
    assert view.color.categories == ["true"]
    assert [v for v in view.color.values if v is not None] == [0, 0]
    assert view.color.values[view.rowids.index(1)] == 0 and view.color.values[0] is None


def test_rare_values_share_the_colour_other(mapped: gm.Dataset) -> None:
    view = projection_view(mapped, "text", color_by="text")  # 200 different texts
    assert view.color is not None and view.color.kind == "categorical"
    assert len(view.color.categories) == MAX_CATEGORIES_SHOWN
    assert view.color.categories[-1] == "other"
    assert max(v for v in view.color.values if v is not None) == MAX_CATEGORIES_SHOWN - 1


def test_included_says_which_points_pass_filters_and_searches(mapped: gm.Dataset) -> None:
    view = projection_view(mapped, "text", filters=[("label", "equals", "spam")])
    spam = {
        r["__rowid__"]
        for r in mapped.select_rows(["__rowid__"], filters=[("label", "equals", "spam")])
    }
    assert view.included is not None
    assert {rowid for rowid, ok in zip(view.rowids, view.included, strict=True) if ok} == spam
    lasso = projection_view(mapped, "text", filters=[("__rowid__", "in", [5, 6, 7])])
    assert lasso.included is not None and sum(lasso.included) == 3
    searched = projection_view(
        mapped, "text", searches=[gm.KeywordSearch(path="text", query="free")]
    )
    assert searched.included is not None and 0 < sum(searched.included) < 200


def test_a_colour_field_must_hold_one_value_per_row(mapped: gm.Dataset) -> None:
    with pytest.raises(InvalidInputError, match=r"text__bow__projection\.x"):
        projection_view(mapped, "text", color_by="text__bow__projection")
    with pytest.raises(InvalidInputError, match="list of values"):
        projection_view(mapped, "text", color_by="text__bow.start")
    with pytest.raises(InvalidPathError):
        projection_view(mapped, "text", color_by="nope")
