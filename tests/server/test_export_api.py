"""Export downloads: the file's content matches the view asked for."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import CLASSIFICATION_ROWS, DATASET_URL, SEED_ROWS, assert_error

CLASSIFICATION = json.dumps([{"path": "is_classification", "op": "equals", "value": True}])


def test_jsonl_export_of_everything(client: TestClient, seed_dataset: None) -> None:
    response = client.get(f"{DATASET_URL}/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert 'filename="local-seed.jsonl"' in response.headers["content-disposition"]
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert len(rows) == SEED_ROWS
    assert rows[0]["id"] == "task_0"


def test_csv_export_with_columns_and_filter(client: TestClient, seed_dataset: None) -> None:
    response = client.get(
        f"{DATASET_URL}/export",
        params={"format": "csv", "columns": ["id", "name"], "filters": CLASSIFICATION},
    )
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == CLASSIFICATION_ROWS
    assert set(rows[0]) == {"id", "name"}


def test_parquet_and_json_exports(client: TestClient, seed_dataset: None) -> None:
    import pyarrow.parquet as pq

    parquet = client.get(f"{DATASET_URL}/export", params={"format": "parquet"})
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == SEED_ROWS
    as_json = client.get(f"{DATASET_URL}/export", params={"format": "json", "columns": ["id"]})
    assert len(as_json.json()) == SEED_ROWS


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"filters": "not json"}, 400, "invalid_filter"),
        ({"filters": '[{"path": "id", "op": "nope"}]'}, 400, "invalid_filter"),
        ({"columns": ["missing"]}, 400, "invalid_path"),
        ({"format": "xlsx"}, 422, "validation_error"),
    ],
)
def test_bad_export_requests(
    client: TestClient, seed_dataset: None, params: dict[str, Any], status: int, code: str
) -> None:
    assert_error(client.get(f"{DATASET_URL}/export", params=params), status, code)
