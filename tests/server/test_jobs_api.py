"""Jobs over REST: list, one job, cancel (including a running load)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
from fastapi.testclient import TestClient

from gristmill.data.sources import Source
from gristmill.jobs import start_job
from tests.server.conftest import MakeClient, assert_error, wait_for_job


def test_list_and_get_jobs(client: TestClient) -> None:
    with start_job("map", description="map len", dataset="local/x", show_progress=False) as job:
        job.advance(3)
    body = client.get("/api/v1/jobs").json()
    assert [j["id"] for j in body["jobs"]] == [job.id]
    one = client.get(f"/api/v1/jobs/{job.id}").json()
    assert one["status"] == "completed" and one["progress"] == 3 and one["kind"] == "map"
    assert client.get("/api/v1/jobs", params={"dataset": "local/other"}).json() == {"jobs": []}
    assert client.get("/api/v1/jobs", params={"status": "running"}).json() == {"jobs": []}


def test_job_errors(client: TestClient) -> None:
    assert_error(client.get("/api/v1/jobs/nope"), 404, "not_found")
    assert_error(client.post("/api/v1/jobs/nope/cancel"), 404, "not_found")
    assert_error(client.get("/api/v1/jobs", params={"status": "lost"}), 422, "validation_error")
    assert_error(client.get("/api/v1/jobs", params={"limit": 0}), 422, "validation_error")


def test_cancel_marks_a_running_job(client: TestClient) -> None:
    job = start_job("map", description="long", show_progress=False)
    try:
        body = client.post(f"/api/v1/jobs/{job.id}/cancel").json()
        assert body["cancel_requested"] is True
        assert body["status"] == "running"  # it stops at its next check
    finally:
        job.complete()


class _SlowSource(Source):
    """A real source that takes its time: many small batches, so a cancel lands mid-load."""

    source_name: ClassVar[str] = "slow_test_rows"
    batches: int = 400

    def open(self) -> pa.RecordBatchReader:
        schema = pa.schema([pa.field("n", pa.int64())])

        def batches() -> Iterator[pa.RecordBatch]:
            for i in range(self.batches):
                time.sleep(0.01)
                yield pa.record_batch([pa.array([i])], schema=schema)

        return pa.RecordBatchReader.from_batches(schema, batches())


def test_cancel_stops_a_load_started_by_the_server(client: TestClient) -> None:
    loads = client.app.state.loads  # type: ignore[attr-defined]
    started = loads.start("local", "slow", _SlowSource(), overwrite=False)
    cancelled = client.post(f"/api/v1/jobs/{started.job_id}/cancel")
    assert cancelled.status_code == 200
    job = wait_for_job(client, started.job_id)
    assert job["status"] == "cancelled", job
    assert int(job["progress"]) < 400  # type: ignore[call-overload]
    assert_error(client.get("/api/v1/datasets/local/slow"), 404, "not_found")


def test_a_second_load_of_the_same_name_waits_its_turn(
    make_client: MakeClient, tmp_path: Path
) -> None:
    (tmp_path / "x.jsonl").write_text('{"a": 1}\n')
    client = make_client(data_dirs={"data": tmp_path})
    loads = client.app.state.loads  # type: ignore[attr-defined]
    first = loads.start("local", "slow", _SlowSource(batches=100), overwrite=False)
    response = client.post(
        "/api/v1/datasets",
        json={"namespace": "local", "name": "slow", "path": "data/x.jsonl", "overwrite": True},
    )
    assert_error(response, 409, "already_exists")
    assert wait_for_job(client, first.job_id)["status"] == "completed"
    assert threading.active_count() >= 1
