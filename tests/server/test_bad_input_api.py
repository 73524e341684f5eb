"""Bad numbers and bad searches over REST are 400s of one line naming what is allowed; an
unreachable embedding server is a prompt 502 naming its host."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

import gristmill as gm
from gristmill.bounds import MAX_BIGINT
from gristmill.embed._openai import CONNECT_ATTEMPTS, CONNECT_TIMEOUT_S, OpenAIEmbedding
from gristmill.errors import ProviderError
from tests.server.conftest import UI_HEADERS, assert_error

ROWS_URL = "/api/v1/datasets/local/rows"
NUM_ROWS = 12


@pytest.fixture
def rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    lines = [json.dumps({"text": f"row {i} about the sea", "n": i}) for i in range(NUM_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="rows", source=gm.JSONSource(filepaths=[path])),
        show_progress=False,
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"offset": 2**63}, f"offset must be an integer from 0 to {MAX_BIGINT}, got {2**63}"),
        ({"offset": -1}, f"offset must be an integer from 0 to {MAX_BIGINT}, got -1"),
        ({"limit": 10**20}, f"limit must be an integer from 1 to 1000, got {10**20}"),
        ({"limit": 0}, "limit must be an integer from 1 to 1000, got 0"),
    ],
)
def test_paging_out_of_range_is_a_400_naming_the_range(
    client: TestClient, rows: None, body: dict[str, int], message: str
) -> None:
    error = assert_error(client.post(f"{ROWS_URL}/select_rows", json=body), 400, "invalid_input")
    assert error["message"] == message


def test_an_offset_past_the_end_returns_no_rows(client: TestClient, rows: None) -> None:
    response = client.post(f"{ROWS_URL}/select_rows", json={"offset": MAX_BIGINT})
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == []
    assert response.json()["total_num_rows"] == NUM_ROWS


def test_the_schema_documents_the_ranges() -> None:
    from gristmill.server.openapi import openapi_spec

    schemas = openapi_spec()["components"]["schemas"]
    offset = schemas["SelectRowsRequest"]["properties"]["offset"]
    # FastAPI's spec holds bounds as floats.
    assert (offset["minimum"], offset["maximum"]) == (0, float(MAX_BIGINT))
    limit = schemas["SelectRowsRequest"]["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"]) == (1, 1000)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"path": "n", "bins": 5000}, "bins must be an integer from 1 to 1000, got 5000"),
        ({"path": "n", "bins": list(range(2000))}, "bins must be a bin count or 2 to 1001 edges"),
        ({"path": "n", "limit": 0}, "limit must be an integer from 1 to 1000, got 0"),
    ],
)
def test_histogram_sizes_are_bounded(
    client: TestClient, rows: None, body: dict[str, object], message: str
) -> None:
    response = client.post(f"{ROWS_URL}/select_groups", json=body)
    assert str(assert_error(response, 400, "invalid_input")["message"]).startswith(message)


def test_a_bad_search_is_a_400_in_our_words(client: TestClient, rows: None) -> None:
    empty = {"type": "keyword", "path": "text", "query": ""}
    response = client.post(f"{ROWS_URL}/select_rows", json={"searches": [empty]})
    error = assert_error(response, 400, "invalid_input")
    assert error["message"] == "KeywordSearch.query must be a non-empty string, got ''"


def test_a_search_without_its_embedding_has_its_own_code(client: TestClient, rows: None) -> None:
    semantic = {"type": "semantic", "path": "text", "query": "sea", "embedding": "minilm"}
    response = client.post(f"{ROWS_URL}/select_rows", json={"searches": [semantic]})
    # The UI offers "Compute embedding" for this code.
    error = assert_error(response, 404, "missing_embedding")
    assert "compute_embedding" in str(error["hint"])


@pytest.fixture
def live_server(rows: None) -> Iterator[str]:
    handle = gm.start_server(port=0)
    yield handle.url
    handle.stop()


def test_a_refused_page_leaves_the_connection_usable(live_server: str) -> None:
    # An out-of-range offset used to end in a 500 that closed the keep-alive connection, so the
    # next request on it was reset.
    with httpx.Client(base_url=live_server, headers=UI_HEADERS) as http:
        refused = http.post(f"{ROWS_URL}/select_rows", json={"offset": 2**63})
        assert refused.status_code == 400
        answered = http.post(f"{ROWS_URL}/select_rows", json={"limit": 2})
        assert answered.status_code == 200
        assert len(answered.json()["rows"]) == 2


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_training_with_an_unreachable_embedding_server_is_a_prompt_502(
    client: TestClient, project_dir: Path
) -> None:
    port = _closed_port()
    (project_dir / "gristmill.yml").write_text(
        "models:\n  remote:\n    kind: embedding\n    provider: openai\n    model: m\n"
        f"    base_url: http://127.0.0.1:{port}/v1\n",
        encoding="utf-8",
    )
    concept = "/api/v1/concepts/local/mail"
    created = client.post("/api/v1/concepts", json={"namespace": "local", "name": "mail"})
    assert created.status_code == 201, created.text
    examples = [{"text": "dear sir", "label": True}, {"text": "buy now", "label": False}]
    added = client.post(f"{concept}/examples", json={"examples": examples})
    assert added.status_code == 200, added.text
    response = client.post(f"{concept}/train", json={"embedding": "remote"})
    error = assert_error(response, 502, "provider_error")
    assert f"cannot reach the embedding server at 127.0.0.1:{port}" in str(error["message"])
    assert "ConnectError" in str(error["message"])


def test_connecting_is_bounded_however_many_retries_are_allowed() -> None:
    attempts: list[str] = []
    waits: list[float] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append(str(request.url))
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    model = OpenAIEmbedding(
        "m",
        base_url="http://embeddings.internal:8080/v1",
        config={},
        transport=httpx.MockTransport(refuse),
        sleep=waits.append,
        max_retries=5,
    )
    with pytest.raises(ProviderError, match=r"embeddings\.internal:8080: ConnectError"):
        model.embed(["abc"])
    # Read failures still get max_retries; a server that refuses connections gets a second try.
    assert len(attempts) == CONNECT_ATTEMPTS == 2
    assert sum(waits) <= 2.0
    assert model._client.timeout.connect == CONNECT_TIMEOUT_S
