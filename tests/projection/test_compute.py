"""compute_projection / read_projection: every live row a point in the unit square, cached,
reproducible, sampled above max_points, and a clear error without an embedding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import gristmill as gm
from gristmill import embed
from gristmill.errors import AlreadyExistsError, MissingEmbeddingError, NotFoundError
from gristmill.jobs import list_jobs
from gristmill.projection import list_projections, read_projection
from tests.projection.conftest import EMBEDDING, NUM_ROWS, make_dataset


def projection_jobs() -> int:
    return sum(1 for job in list_jobs() if job.kind == "projection")


def test_every_live_row_is_a_point_in_the_unit_square(embedded: gm.Dataset) -> None:
    embedded.delete_rows(row_ids=[3, 4, 150])
    info = embedded.compute_projection("text", show_progress=False)
    assert (info.path, info.embedding, info.column) == ("text", EMBEDDING, "text__bow__projection")
    assert info.num_points == NUM_ROWS - 3 and not info.sampled
    points = read_projection(embedded, "text")
    assert points.rowids.tolist() == [i for i in range(NUM_ROWS) if i not in (3, 4, 150)]
    for axis in (points.x, points.y):
        assert axis.dtype == np.float32 and axis.min() >= 0.0 and axis.max() <= 1.0
    # One scale for both axes: the longer one spans the whole square, the other is centred.
    spans = sorted([points.x.max() - points.x.min(), points.y.max() - points.y.min()])
    assert spans[1] == pytest.approx(1.0)
    assert points.y.min() == pytest.approx(1.0 - points.y.max(), abs=1e-6)
    assert points.x.min() == pytest.approx(1.0 - points.x.max(), abs=1e-6)
    # UMAP keeps texts that share words together: ham and spam do not spread alike.
    assert (
        len(
            {
                (round(float(x), 3), round(float(y), 3))
                for x, y in zip(points.x, points.y, strict=True)
            }
        )
        > 50
    )
    column = embedded.manifest().derived_columns
    lineage = next(c.lineage for c in column if c.name == "text__bow__projection")
    assert lineage.kind == "projection" and lineage.params["embedding"] == EMBEDDING
    # Rows deleted later are left out of what is read back.
    embedded.delete_rows(row_ids=[0])
    assert 0 not in read_projection(embedded, "text").rowids.tolist()


def test_cached_then_recomputed_identically_with_the_same_seed(
    embedded: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"umap": 0}
    real = embed.reduce_dimensions

    def counting(*args: object, **kwargs: object) -> object:
        calls["umap"] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(embed, "reduce_dimensions", counting)
    first = embedded.compute_projection("text", show_progress=False)
    before = read_projection(embedded, "text")
    again = embedded.compute_projection("text", show_progress=False)
    assert again == first and calls["umap"] == 1 and projection_jobs() == 1
    embedded.compute_projection("text", overwrite=True, show_progress=False)
    after = read_projection(embedded, "text")
    assert calls["umap"] == 2 and projection_jobs() == 2
    assert np.array_equal(before.x, after.x) and np.array_equal(before.y, after.y)
    # Other settings are another map: refused unless asked to replace it.
    with pytest.raises(AlreadyExistsError, match="overwrite=True"):
        embedded.compute_projection("text", seed=7, show_progress=False)
    embedded.compute_projection("text", seed=7, overwrite=True, show_progress=False)
    assert not np.array_equal(before.x, read_projection(embedded, "text").x)


def test_sampled_above_max_points(embedded: gm.Dataset) -> None:
    info = embedded.compute_projection("text", max_points=80, fit_points=40, show_progress=False)
    assert info.num_points == 80 and info.sampled
    points = read_projection(embedded, "text")
    assert points.sampled and points.num_points == 80
    assert len(set(points.rowids.tolist())) == 80
    assert points.x.min() >= 0.0 and points.x.max() <= 1.0
    # The rows UMAP did not fit are placed among the fitted ones, not piled on one spot.
    assert len({(float(x), float(y)) for x, y in zip(points.x, points.y, strict=True)}) > 60
    rows = embedded.select_rows(["text__bow__projection"]).to_list()
    assert sum(row["text__bow__projection"] is None for row in rows) == NUM_ROWS - 80
    assert [p.num_points for p in list_projections(embedded)] == [80]


def test_without_an_embedding_the_error_says_how_to_compute_it(sms: gm.Dataset) -> None:
    with pytest.raises(MissingEmbeddingError) as raised:
        sms.compute_projection("text", show_progress=False)
    assert "compute_embedding" in (raised.value.hint or "")
    assert projection_jobs() == 0
    sms.compute_embedding(EMBEDDING, "text", show_progress=False)
    with pytest.raises(MissingEmbeddingError, match="it has: bow"):
        sms.compute_projection("text", "minilm", show_progress=False)
    with pytest.raises(NotFoundError, match="compute_projection"):
        read_projection(sms, "text")


def test_a_few_rows_and_identical_rows_still_make_a_map(tmp_path: Path) -> None:
    few = make_dataset(tmp_path, "few", ["red apples", "green apples", "blue sky"], ["a"] * 3)
    few.compute_embedding(EMBEDDING, "text", show_progress=False)
    few.compute_projection("text", show_progress=False)
    points = read_projection(few, "text")
    assert points.num_points == 3 and points.x.max() == pytest.approx(1.0)
    same = make_dataset(tmp_path, "same", ["hello there"] * 4, ["a"] * 4)
    same.compute_embedding(EMBEDDING, "text", show_progress=False)
    same.compute_projection("text", show_progress=False)
    assert read_projection(same, "text").x.tolist() == [0.5] * 4
