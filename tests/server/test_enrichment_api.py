"""Enrichment over REST: signal and embedding jobs, their errors, cancel, removing columns."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from gristmill.signals import Signal, register_signal, signal_registry
from tests.server.conftest import (
    CLASSIFICATION_ROWS,
    DATASET_URL,
    SEED_ROWS,
    assert_error,
    start_and_finish,
    wait_for_job,
)


def test_list_signals_with_their_parameters(client: TestClient) -> None:
    signals = {s["name"]: s for s in client.get("/api/v1/signals").json()["signals"]}
    assert {"pii", "text_statistics", "lang_detection", "exact_duplicates"} <= set(signals)
    pii = signals["pii"]
    assert pii["scope"] == "row" and pii["on_embeddings"] is False and pii["description"]
    assert pii["parameters"]["type"] == "object"
    semantic = next(s for s in signals.values() if s["on_embeddings"])
    assert "embedding" in semantic["parameters"]["properties"]


def test_list_embeddings(client: TestClient, fake_embedding: str) -> None:
    body = client.get("/api/v1/embeddings").json()
    assert body["default"] == "minilm"
    assert {"minilm", "wordllama", fake_embedding} <= set(body["embeddings"])


def test_signal_job_runs_to_completion(client: TestClient, seed_dataset: None) -> None:
    job = start_and_finish(
        client, f"{DATASET_URL}/compute_signal", {"signal": "text_statistics", "path": "name"}
    )
    assert job["kind"] == "signal" and job["progress"] == job["total"] == SEED_ROWS
    rows = client.post(
        f"{DATASET_URL}/select_rows",
        json={"columns": ["name", "name__text_statistics"], "limit": 2},
    ).json()["rows"]
    assert all(row["name__text_statistics"]["num_characters"] == len(row["name"]) for row in rows)
    derived = client.get(DATASET_URL).json()["derived_columns"]
    assert derived[0]["name"] == "name__text_statistics"
    assert derived[0]["lineage"]["kind"] == "signal"
    # The same signal again finds its result stored: no job.
    again = client.post(
        f"{DATASET_URL}/compute_signal", json={"signal": "text_statistics", "path": "name"}
    )
    assert again.status_code == 202
    assert again.json() == {"job_id": None, "kind": "signal", "dataset": "local/seed"}


def test_signal_parameters_and_output_column(client: TestClient, seed_dataset: None) -> None:
    start_and_finish(
        client,
        f"{DATASET_URL}/compute_signal",
        {
            "signal": "near_duplicates",  # a dataset-scope signal: all rows at once
            "params": {"threshold": 0.9, "num_perm": 64},
            "path": "instruction",
            "output_column": "near_dups",
            "filters": [{"path": "is_classification", "op": "equals", "value": True}],
        },
    )
    derived = client.get(DATASET_URL).json()["derived_columns"]
    assert [d["name"] for d in derived] == ["near_dups"]
    lineage = derived[0]["lineage"]
    assert lineage["num_rows"] == CLASSIFICATION_ROWS
    assert lineage["params"]["config"]["threshold"] == 0.9


def test_enrichment_errors(client: TestClient, seed_dataset: None) -> None:
    signal_url = f"{DATASET_URL}/compute_signal"
    assert_error(client.post(signal_url, json={"signal": "nope", "path": "name"}), 404, "not_found")
    bad_param = {"signal": "pii", "params": {"colour": "red"}, "path": "name"}
    assert_error(client.post(signal_url, json=bad_param), 400, "invalid_input")
    out_of_range = {"signal": "near_duplicates", "params": {"threshold": 2}, "path": "name"}
    assert_error(client.post(signal_url, json=out_of_range), 400, "invalid_input")
    not_text = {"signal": "pii", "path": "is_classification"}
    assert_error(client.post(signal_url, json=not_text), 400, "invalid_input")
    assert_error(
        client.post(signal_url, json={"signal": "pii", "path": "nope"}), 400, "invalid_path"
    )
    assert_error(client.post(signal_url, json={"signal": "pii"}), 422, "validation_error")
    embed_url = f"{DATASET_URL}/compute_embedding"
    unknown = {"embedding": "no-such-model", "path": "name"}
    assert_error(client.post(embed_url, json=unknown), 404, "not_found")
    missing_dataset = "/api/v1/datasets/local/missing/compute_embedding"
    assert_error(client.post(missing_dataset, json={"path": "name"}), 404, "not_found")
    assert client.get("/api/v1/jobs", params={"status": "failed"}).json() == {"jobs": []}


class _SlowLength(Signal):
    """A row signal that takes its time, so a cancel lands between chunks."""

    name: ClassVar[str] = "slow_length_test"
    scope: ClassVar[Literal["row", "dataset"]] = "row"

    def output_type(self) -> pa.DataType:
        return pa.int64()

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        time.sleep(0.004 * len(texts))
        return [None if t is None else len(t) for t in texts]


@pytest.fixture
def slow_signal() -> Iterator[str]:
    register_signal(_SlowLength)
    yield _SlowLength.name
    signal_registry.unregister(_SlowLength.name)


@pytest.fixture
def big_dataset(tmp_path: Path) -> str:
    import gristmill as gm

    path = tmp_path / "rows.jsonl"
    rows = (json.dumps({"text": f"row number {i} " * (i % 7 + 1)}) for i in range(2000))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="big", source=gm.JSONSource(filepaths=[str(path)])
        ),
        show_progress=False,
    )
    return "/api/v1/datasets/local/big"


def test_cancel_stops_a_signal_job_and_one_job_per_kind_runs(
    client: TestClient, big_dataset: str, slow_signal: str
) -> None:
    body = {"signal": slow_signal, "path": "text"}
    started = client.post(f"{big_dataset}/compute_signal", json=body)
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    running = client.get(f"/api/v1/jobs/{job_id}").json()
    assert running["kind"] == "signal" and running["dataset"] == "local/big"
    # A second signal on the same dataset waits for the first.
    second = client.post(f"{big_dataset}/compute_signal", json={"signal": "pii", "path": "text"})
    assert_error(second, 409, "already_exists")
    assert client.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 200
    job = wait_for_job(client, job_id)
    assert job["status"] == "cancelled", job
    assert int(job["progress"]) < 2000  # type: ignore[call-overload]
    assert client.get(big_dataset).json()["derived_columns"] == []
    # Once it stopped, the next one may run.
    start_and_finish(client, f"{big_dataset}/compute_signal", {"signal": "pii", "path": "text"})


def test_remove_a_derived_column(client: TestClient, seed_dataset: None) -> None:
    start_and_finish(
        client, f"{DATASET_URL}/compute_signal", {"signal": "text_statistics", "path": "name"}
    )
    response = client.delete(f"{DATASET_URL}/columns/name__text_statistics")
    assert response.status_code == 204
    assert client.get(DATASET_URL).json()["derived_columns"] == []
    assert_error(
        client.post(f"{DATASET_URL}/select_rows", json={"columns": ["name__text_statistics"]}),
        400,
        "invalid_path",
    )
    assert_error(client.delete(f"{DATASET_URL}/columns/name__text_statistics"), 404, "not_found")
    # Source columns are not derived: they cannot be removed.
    assert_error(client.delete(f"{DATASET_URL}/columns/instruction"), 404, "not_found")
    assert client.post(f"{DATASET_URL}/count", json={}).json()["count"] == SEED_ROWS
