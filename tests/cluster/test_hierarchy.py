"""Reading a cluster column back as categories of clusters, from the library (no server)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import gristmill as gm
from gristmill.cluster import ClusterHierarchy, cluster_hierarchy
from gristmill.errors import InvalidInputError, NotFoundError
from tests.cluster.conftest import make_dataset

# (cluster, title, category, title, cluster probability, category probability, rows)
GROUPS = [(0, "pasta", 0, "food", 0.8, 0.9, 4), (1, "bread", 0, "food", 0.4, 0.5, 2),
          (2, "poems", 1, "writing", 1.0, 1.0, 3)]  # fmt: skip


@pytest.fixture
def clustered(tmp_path: Path) -> gm.Dataset:
    import pyarrow as pa

    from gristmill.data.derived import write_dense_column
    from gristmill.schema import Lineage

    rows = [
        {"cluster_id": cluster, "cluster_membership_prob": p, "cluster_title": title,
         "category_id": category, "category_membership_prob": q, "category_title": heading}
        for cluster, title, category, heading, p, q, count in GROUPS
        for _ in range(count)
    ]  # fmt: skip
    ds = make_dataset(tmp_path, "texts", [{"text": f"row {i}", "n": i} for i in range(len(rows))])
    table = pa.table({"__rowid__": pa.array(range(len(rows)), pa.int64()), "text__cluster": rows})
    lineage = Lineage(
        kind="cluster",
        producer="test/by-hand",
        input_path="text",
        params={"titles": "keywords"},
        created_at=datetime.now(UTC),
        num_rows=len(rows),
    )
    write_dense_column(ds, table, lineage)
    return ds


def test_categories_hold_their_clusters_largest_first(clustered: gm.Dataset) -> None:
    tree = cluster_hierarchy(clustered, "text__cluster")
    assert isinstance(tree, ClusterHierarchy)
    assert (tree.num_rows, tree.num_clusters, tree.num_categories) == (9, 3, 2)
    assert (tree.input_path, tree.titles_from) == ("text", "keywords")
    food, writing = tree.categories
    assert (food.title, food.count, writing.title, writing.count) == ("food", 6, "writing", 3)
    assert food.mean_membership == pytest.approx((4 * 0.9 + 2 * 0.5) / 6, abs=1e-4)
    assert [(c.title, c.count, c.mean_membership) for c in food.clusters] == [
        ("pasta", 4, 0.8),
        ("bread", 2, 0.4),
    ]


def test_a_column_that_is_not_clusters_says_how_to_make_one(
    clustered: gm.Dataset, tmp_path: Path
) -> None:
    unclustered = make_dataset(tmp_path, "plain", [{"text": "hello"}])
    with pytest.raises(NotFoundError) as none_yet:
        cluster_hierarchy(unclustered, "text__cluster")
    assert "ds.cluster(" in str(none_yet.value.hint)
    with pytest.raises(NotFoundError) as missing:
        cluster_hierarchy(clustered, "nope")
    assert "text__cluster" in str(missing.value.hint)
    clustered.map(lambda row: len(row["text"]), output_column="length", show_progress=False)
    with pytest.raises(InvalidInputError, match="'length' holds a map, not clusters"):
        cluster_hierarchy(clustered, "length")
