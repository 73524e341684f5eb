"""Clustering over REST: the background job, the categories -> clusters hierarchy, its errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import (
    DATASET_URL,
    SEED_ROWS,
    assert_error,
    start_and_finish,
    wait_for_job,
)

CLUSTER_URL = f"{DATASET_URL}/cluster"
HIERARCHY_URL = f"{DATASET_URL}/clusters"
COLUMN = "instruction__cluster"


@pytest.fixture
def known_clusters(seed_dataset: None) -> None:
    """A cluster column written by hand on the seed rows, so the hierarchy has known answers.

    Rows 0-99: cluster 0 ('recipes', p=0.8) in category 0 ('food'); rows 100-139: cluster 1
    ('poems', p=0.5) in category 1 ('writing'); rows 140-169: cluster 2 ('emails', p=1.0) in
    category 1; rows 170-174 have no cluster (as rows without text).
    """
    import pyarrow as pa

    import gristmill as gm
    from gristmill.data.derived import write_dense_column
    from gristmill.schema import Lineage

    ds = gm.get_dataset("local", "seed")
    spans = [(0, 100, 0, 0.8, 0, 0.9), (100, 140, 1, 0.5, 1, 0.6), (140, 170, 2, 1.0, 1, 0.3)]
    cluster_titles, category_titles = ["recipes", "poems", "emails"], ["food", "writing"]
    rows: list[dict[str, object]] = []
    for start, stop, cluster, p, category, q in spans:
        rows += [
            {
                "cluster_id": cluster,
                "cluster_membership_prob": p,
                "cluster_title": cluster_titles[cluster],
                "category_id": category,
                "category_membership_prob": q,
                "category_title": category_titles[category],
            }
        ] * (stop - start)
    values = pa.array(rows)
    table = pa.table({"__rowid__": pa.array(range(len(rows)), pa.int64()), COLUMN: values})
    lineage = Lineage(
        kind="cluster",
        producer="test/by-hand",
        input_path="instruction",
        params={"titles": "function"},
        created_at=datetime.now(UTC),
        num_rows=len(rows),
    )
    write_dense_column(ds, table, lineage)


def test_hierarchy_groups_clusters_under_their_categories(
    client: TestClient, known_clusters: None
) -> None:
    response = client.get(HIERARCHY_URL, params={"column": COLUMN})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "column": COLUMN,
        "input_path": "instruction",
        "titles_from": "function",
        "num_rows": 170,
        "num_clusters": 3,
        "num_categories": 2,
        "categories": [
            {
                "id": 0,
                "title": "food",
                "count": 100,
                "mean_membership": 0.9,
                "clusters": [{"id": 0, "title": "recipes", "count": 100, "mean_membership": 0.8}],
            },
            {
                "id": 1,
                "title": "writing",
                "count": 70,
                "mean_membership": pytest.approx((40 * 0.6 + 30 * 0.3) / 70, abs=1e-4),
                "clusters": [
                    {"id": 1, "title": "poems", "count": 40, "mean_membership": 0.5},
                    {"id": 2, "title": "emails", "count": 30, "mean_membership": 1.0},
                ],
            },
        ],
    }
    # Deleted rows leave the counts (a category whose rows are all deleted disappears).
    client.post(f"{DATASET_URL}/delete_rows", json={"row_ids": list(range(100, 170))})
    after = client.get(HIERARCHY_URL, params={"column": COLUMN}).json()
    assert after["num_rows"] == 100 and after["num_categories"] == 1
    assert [c["id"] for c in after["categories"][0]["clusters"]] == [0]


def _count(client: TestClient, path: str, value: int) -> int:
    body = {"filters": [{"path": path, "op": "equals", "value": value}]}
    count: int = client.post(f"{DATASET_URL}/count", json=body).json()["count"]
    return count


@pytest.mark.slow  # UMAP runs on the 175 rows: ~10 s on a busy two-core machine
def test_cluster_job_then_browse_the_hierarchy(
    client: TestClient, seed_dataset: None, fake_embedding: str
) -> None:
    job = start_and_finish(
        client,
        CLUSTER_URL,
        {"path": "instruction", "embedding": fake_embedding, "min_cluster_size": 4},
    )
    assert job["kind"] == "cluster" and job["progress"] == job["total"]
    derived = {d["name"]: d["lineage"] for d in client.get(DATASET_URL).json()["derived_columns"]}
    assert derived[COLUMN]["kind"] == "cluster"
    assert derived[COLUMN]["params"]["embedding"] == fake_embedding

    response = client.get(HIERARCHY_URL, params={"column": COLUMN})
    assert response.status_code == 200, response.text
    tree = response.json()
    assert tree["column"] == COLUMN and tree["input_path"] == "instruction"
    assert tree["titles_from"] == "keywords"  # no LLM configured: c-TF-IDF titles
    assert tree["num_rows"] == SEED_ROWS  # every instruction has text, so every row a cluster
    categories = tree["categories"]
    assert len(categories) == tree["num_categories"] >= 1
    clusters = [c for category in categories for c in category["clusters"]]
    assert len(clusters) == tree["num_clusters"] >= 2
    assert sorted(c["id"] for c in clusters) == list(range(len(clusters)))
    assert sum(category["count"] for category in categories) == SEED_ROWS
    assert [c["count"] for c in categories] == sorted(
        (c["count"] for c in categories), reverse=True
    )
    for category in categories:
        assert category["title"] and 0 < category["mean_membership"] <= 1
        assert category["count"] == sum(c["count"] for c in category["clusters"])
        assert category["count"] == _count(client, f"{COLUMN}.category_id", category["id"])
        for found in category["clusters"]:
            assert found["title"] and 0 < found["mean_membership"] <= 1
            # The counts are what filtering the dataset by the cluster shows.
            assert found["count"] == _count(client, f"{COLUMN}.cluster_id", found["id"])

    # The rows of a cluster carry its title, as the UI shows them after a click.
    first = categories[0]["clusters"][0]
    rows = client.post(
        f"{DATASET_URL}/select_rows",
        json={
            "columns": ["instruction", f"{COLUMN}.cluster_title"],
            "filters": [{"path": f"{COLUMN}.cluster_id", "op": "equals", "value": first["id"]}],
            "limit": 100,
        },
    ).json()
    assert rows["total_num_rows"] == first["count"]
    assert {row[f"{COLUMN}.cluster_title"] for row in rows["rows"]} == {first["title"]}

    # Deleted rows leave the counts.
    deleted = [row["__rowid__"] for row in rows["rows"][:2]]
    client.post(f"{DATASET_URL}/delete_rows", json={"row_ids": deleted})
    after = client.get(HIERARCHY_URL, params={"column": COLUMN}).json()
    assert after["num_rows"] == SEED_ROWS - 2
    same = next(c for cat in after["categories"] for c in cat["clusters"] if c["id"] == first["id"])
    assert same["count"] == first["count"] - 2

    # Clustering the same column again is refused unless asked to overwrite.
    again = client.post(CLUSTER_URL, json={"path": "instruction", "embedding": fake_embedding})
    assert_error(again, 409, "already_exists")

    # The embedding the job computed is a derived column, but not a cluster column.
    embedding_column = next(name for name, lin in derived.items() if lin["kind"] == "embedding")
    wrong_kind = client.get(HIERARCHY_URL, params={"column": embedding_column})
    assert COLUMN in str(assert_error(wrong_kind, 400, "invalid_input")["hint"])
    missing = client.get(HIERARCHY_URL, params={"column": "nope__cluster"})
    assert COLUMN in str(assert_error(missing, 404, "not_found")["hint"])


def test_cluster_request_errors(
    client: TestClient, seed_dataset: None, fake_embedding: str
) -> None:
    unknown_path = client.post(CLUSTER_URL, json={"path": "nope"})
    assert "instruction" in str(assert_error(unknown_path, 404, "not_found")["hint"])
    not_text = client.post(CLUSTER_URL, json={"path": "is_classification"})
    assert "bool" in str(assert_error(not_text, 400, "invalid_input")["message"])
    unknown_embedding = client.post(CLUSTER_URL, json={"path": "name", "embedding": "nope"})
    assert fake_embedding in str(assert_error(unknown_embedding, 404, "not_found")["hint"])
    too_small = client.post(CLUSTER_URL, json={"path": "name", "min_cluster_size": 1})
    assert_error(too_small, 422, "validation_error")
    typo = client.post(CLUSTER_URL, json={"path": "name", "min_size": 3})
    assert_error(typo, 422, "validation_error")
    assert_error(
        client.post("/api/v1/datasets/local/none/cluster", json={"path": "name"}), 404, "not_found"
    )

    # Nothing clustered yet: the hierarchy says how to make one; the column is required.
    nothing = client.get(HIERARCHY_URL, params={"column": COLUMN})
    assert "POST" in str(assert_error(nothing, 404, "not_found")["hint"])
    assert_error(client.get(HIERARCHY_URL), 422, "validation_error")


def test_a_cluster_job_that_fails_reports_why(
    client: TestClient, seed_dataset: None, fake_embedding: str
) -> None:
    # More rows per cluster than the dataset has: accepted, then the job fails with the fix.
    body = {"path": "name", "embedding": fake_embedding, "min_cluster_size": 500}
    response = client.post(CLUSTER_URL, json=body)
    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.json()["job_id"], timeout=60.0)
    assert job["status"] == "failed" and job["kind"] == "cluster"
    assert "min_cluster_size=500" in str(job["error"])
    assert "name__cluster" not in {
        d["name"] for d in client.get(DATASET_URL).json()["derived_columns"]
    }
